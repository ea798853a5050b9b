import { badInput, decodeCursor, internalRoots, isUuid, pageSize, toConnection } from '@nguon/shared';
import type { QueryResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { countLots, countUnderReview, listLots, listUnderReview, type LotFilter } from '../data/lots';
import { traceLot } from '../services/trace';
import { verifyChain } from '../services/verify';
import type { LotModel } from '../models';
import { supervisedRoots } from './NationalOutbox';
import { loadVisibleLot, visibleEvent } from './visibility';

export const Query: QueryResolvers<Context> = {
  lot: (_root, { id }, ctx) => loadVisibleLot(ctx, id),
  lots: async (_root, { productId, ownerId, first, after }, ctx) => {
    const limit = pageSize(first);
    const roots = internalRoots(ctx.viewer);
    if ((productId && !isUuid(productId)) || (ownerId && !isUuid(ownerId)))
      return toConnection<LotModel>(
        [],
        limit,
        (l) => l.id,
        () => 0,
      );
    const filter: LotFilter = { ...(productId ? { productIds: [productId] } : {}), ...(ownerId ? { ownerIds: [ownerId] } : {}) };
    const rows = await listLots(ctx.db, filter, roots, limit, decodeCursor(after));
    return toConnection(
      rows,
      limit,
      (l) => l.id,
      () => countLots(ctx.db, filter, roots),
    );
  },
  /** The review queue: only OFFICER/ADMIN grants count, and only lots strictly below them (canOversee). */
  lotsUnderReview: async (_root, { first, after }, ctx) => {
    const limit = pageSize(first);
    const roots = supervisedRoots(ctx.viewer);
    const rows = roots.length ? await listUnderReview(ctx.db, roots, limit, decodeCursor(after)) : [];
    return toConnection(
      rows,
      limit,
      (l) => l.id,
      () => (roots.length ? countUnderReview(ctx.db, roots) : 0),
    );
  },
  event: async (_root, { eventID }, ctx) => visibleEvent(ctx.viewer, await ctx.loaders.eventByEventId.load(eventID)),
  trace: (_root, { lotId, direction, maxDepth }, ctx) => {
    const depth = maxDepth ?? 10;
    if (!Number.isInteger(depth) || depth < 1 || depth > 50) throw badInput('maxDepth is between 1 and 50.', 'maxDepth');
    return traceLot(ctx, lotId, direction, depth);
  },
  recall: async (_root, { id }, ctx) => (isUuid(id) ? ctx.loaders.recall.load(id.toLowerCase()) : null),
  verifyChain: (_root, { organizationId }, ctx) => verifyChain(ctx, organizationId),
};
