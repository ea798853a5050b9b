import { decodeCursor, internalRoots, isUuid, pageSize, toConnection } from '@nguon/shared';
import type { QueryResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { countProducts, listProducts } from '../data/products';
import { loadVisibleProduct, visibleProduct } from './Product';
import type { ProductModel } from '../models';

export const Query: QueryResolvers<Context> = {
  product: (_root, { id }, ctx) => loadVisibleProduct(ctx, id),
  productByGtin: async (_root, { gtin }, ctx) => visibleProduct(ctx.viewer, await ctx.loaders.productByGtin.load(gtin)),
  products: async (_root, { ownerId, first, after }, ctx) => {
    const limit = pageSize(first);
    const roots = internalRoots(ctx.viewer);
    if (ownerId && !isUuid(ownerId)) return toConnection<ProductModel>([], limit, (p) => p.id, () => 0);
    const filter = ownerId ? { ownerIds: [ownerId] } : {};
    const rows = await listProducts(ctx.db, filter, roots, limit, decodeCursor(after));
    return toConnection(rows, limit, (p) => p.id, () => countProducts(ctx.db, filter, roots));
  },
};
