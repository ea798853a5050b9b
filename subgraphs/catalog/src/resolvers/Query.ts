import { badInput, decodeCursor, isUuid, pageSize, toConnection } from '@nguon/shared';
import type { QueryResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { countProducts, listProducts, type ProductListFilter } from '../data/products';
import { todayInVietnam } from '../input';
import type { ProductModel } from '../models';
import { searchTokens } from '../search';
import { categoryByCode, loadVisibleProduct, loadVisibleProductByGtin, visibleProduct } from './Product';

export const Query: QueryResolvers<Context> = {
  product: (_root, { id }, ctx) => loadVisibleProduct(ctx, id),
  productByGtin: (_root, { gtin }, ctx) => loadVisibleProductByGtin(ctx, gtin),
  productByInternalCode: async (_root, { code }, ctx) => visibleProduct(ctx.viewer, await ctx.loaders.productByInternalCode.load(code.trim().toUpperCase())),
  products: async (_root, { filter, ownerId, first, after }, ctx) => {
    const limit = pageSize(first);
    const afterId = decodeCursor(after);
    const owner = filter?.ownerId ?? ownerId;
    const empty = () =>
      toConnection<ProductModel>(
        [],
        limit,
        (p) => p.id,
        () => 0,
      );
    // An id that cannot exist matches nothing, like any unknown owner.
    if (owner && !isUuid(owner)) return empty();
    const where: ProductListFilter = {};
    if (owner) where.ownerIds = [owner];
    if (filter?.search) {
      const tokens = searchTokens(filter.search);
      if (tokens.length === 0) throw badInput('The search has no letters or digits to look for.', 'filter.search');
      where.tokens = tokens;
    }
    if (filter?.categoryCode) {
      const category = await categoryByCode(ctx, filter.categoryCode);
      if (!category) throw badInput(`Unknown category "${filter.categoryCode}".`, 'filter.categoryCode');
      where.categoryPath = category.path;
    }
    if (filter?.districtCode) where.districtCode = filter.districtCode;
    if (filter?.sector) where.sector = filter.sector;
    if (filter?.status) where.status = filter.status;
    if (filter?.certification) where.certification = { scheme: filter.certification, today: todayInVietnam() };
    const visibility = await ctx.loaders.visibility();
    const rows = await listProducts(ctx.db, where, visibility, limit, afterId);
    return toConnection(
      rows,
      limit,
      (p) => p.id,
      () => countProducts(ctx.db, where, visibility),
    );
  },
  categories: (_root, _args, ctx) => ctx.loaders.categories.load('all'),
  category: (_root, { code }, ctx) => categoryByCode(ctx, code),
  languages: (_root, _args, ctx) => ctx.loaders.languages.load('all'),
  productionArea: (_root, { id }, ctx) => (isUuid(id) ? ctx.loaders.area.load(id) : null),
  productionAreaByCode: (_root, { code }, ctx) => ctx.loaders.areaByCode.load(code.trim()),
};
