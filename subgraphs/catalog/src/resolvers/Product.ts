import { canReadInternal, decodeCursor, isUuid, localizedField, pageSize, toConnection, type Viewer } from '@nguon/shared';
import type { OrganizationResolvers, ProductResolvers } from '../generated/graphql';
import type { Context } from '../context';
import type { ProductModel } from '../models';

/** A product that is not published looks missing to anyone who may not read its owner's internals. */
export const visibleProduct = (viewer: Viewer, product: ProductModel | null): ProductModel | null =>
  product && (product.scope.published || canReadInternal(viewer, product.scope.path)) ? product : null;

export async function loadVisibleProduct(ctx: Context, id: string): Promise<ProductModel | null> {
  return isUuid(id) ? visibleProduct(ctx.viewer, await ctx.loaders.product.load(id)) : null;
}

export const Product: ProductResolvers<Context> = {
  __resolveReference: async (ref, ctx) => loadVisibleProduct(ctx, ref.id),
  name: (product, { lang }, ctx) => localizedField(product.name, lang, ctx.langs),
  owner: (product) => ({ id: product.ownerId }),
};

export const Organization: OrganizationResolvers<Context> = {
  products: async (org, { first, after }, ctx) => {
    const limit = pageSize(first);
    const page = { limit, after: decodeCursor(after) };
    const rows = isUuid(org.id) ? await ctx.loaders.productsOfOwner.load({ id: org.id, args: page }) : [];
    return toConnection(rows, limit, (p) => p.id, () => ctx.loaders.productCountOfOwner.load({ id: org.id, args: null }));
  },
};
