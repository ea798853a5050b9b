import { canReadInternal, localizedField, type TextMap, type Viewer } from '@nguon/shared';
import type { ProductResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { isUuid } from '@nguon/shared';
import type { CategoryModel, ProductModel } from '../models';

/**
 * A product that is not published looks missing to anyone who may not read it
 * (its scope already accounts for the category's supervising department).
 */
export const visibleProduct = (viewer: Viewer, product: ProductModel | null): ProductModel | null =>
  product && (product.scope.published || canReadInternal(viewer, product.scope.path)) ? product : null;

export async function loadVisibleProduct(ctx: Context, id: string): Promise<ProductModel | null> {
  return isUuid(id) ? visibleProduct(ctx.viewer, await ctx.loaders.product.load(id)) : null;
}

export async function loadVisibleProductByGtin(ctx: Context, gtin: string): Promise<ProductModel | null> {
  return /^\d{14}$/.test(gtin) ? visibleProduct(ctx.viewer, await ctx.loaders.productByGtin.load(gtin)) : null;
}

/** Optional localized text: null when nothing was written in any language. */
function optionalLocalized(map: TextMap, lang: string | null | undefined, ctx: Context) {
  const value = localizedField(map, lang, ctx.langs); // refuses a malformed `lang` even when there is no text
  return Object.keys(map).length === 0 ? null : value;
}

export async function categoryByCode(ctx: Context, code: string): Promise<CategoryModel | null> {
  return (await ctx.loaders.categories.load('all')).find((c) => c.code === code) ?? null;
}

export const Product: ProductResolvers<Context> = {
  // The gateway may send either key; both go through a loader so N
  // representations cost one statement per key kind.
  __resolveReference: async (ref, ctx) => {
    if ('id' in ref && ref.id) return loadVisibleProduct(ctx, ref.id);
    if ('gtin' in ref && ref.gtin) return loadVisibleProductByGtin(ctx, ref.gtin);
    return null;
  },
  name: (product, { lang }, ctx) => localizedField(product.name, lang, ctx.langs),
  description: (product, { lang }, ctx) => optionalLocalized(product.description, lang, ctx),
  ingredients: (product, { lang }, ctx) => optionalLocalized(product.ingredients, lang, ctx),
  usage: (product, { lang }, ctx) => optionalLocalized(product.usage, lang, ctx),
  storageConditions: (product, { lang }, ctx) => optionalLocalized(product.storageConditions, lang, ctx),
  languages: (product) => Object.keys(product.name).sort(),
  category: async (product, _args, ctx) => {
    const category = await categoryByCode(ctx, product.category);
    // The foreign key makes this unreachable; fail loudly rather than invent a category.
    if (!category) throw new Error(`product ${product.id} has unknown category ${product.category}`);
    return category;
  },
  images: (product) => product.images,
  certifications: async (product, _args, ctx) => (await ctx.loaders.certificationsOfProduct.load(product.id)).map((c) => ({ ...c, scope: product.scope })),
  owner: (product) => ({ id: product.ownerId }),
  licences: (product, _args, ctx) => ctx.loaders.licencesOfProduct.load(product.id),
};
