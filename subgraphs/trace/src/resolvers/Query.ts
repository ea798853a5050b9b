import { decodeCursor, internalRoots, isUuid, pageSize, toConnection } from '@nguon/shared';
import type { QueryResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { countLots, listLots, type LotFilter } from '../data/lots';
import { loadVisibleLot } from './Lot';
import type { LotModel } from '../models';

export const Query: QueryResolvers<Context> = {
  lot: (_root, { id }, ctx) => loadVisibleLot(ctx, id),
  lots: async (_root, { productId, ownerId, first, after }, ctx) => {
    const limit = pageSize(first);
    const roots = internalRoots(ctx.viewer);
    if ((productId && !isUuid(productId)) || (ownerId && !isUuid(ownerId))) return toConnection<LotModel>([], limit, (l) => l.id, () => 0);
    const filter: LotFilter = { ...(productId ? { productIds: [productId] } : {}), ...(ownerId ? { ownerIds: [ownerId] } : {}) };
    const rows = await listLots(ctx.db, filter, roots, limit, decodeCursor(after));
    return toConnection(rows, limit, (l) => l.id, () => countLots(ctx.db, filter, roots));
  },
};
