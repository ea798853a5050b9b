import { badInput, decodeCursor, forbidden, isUuid, pageSize, toConnection, type Viewer } from '@nguon/shared';
import type { NationalOutboxEntryResolvers, NationalOutboxResolvers, QueryResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { outboxCounts, outboxEntries } from '../data/nationalOutbox';
import { loadVisibleLot } from './visibility';

/** Subtrees the viewer supervises (OFFICER/ADMIN grants): the national queue and the review queue are theirs to watch. */
export const supervisedRoots = (viewer: Viewer): string[] =>
  viewer.kind === 'user' ? [...new Set(viewer.grants.filter((g) => g.role === 'OFFICER' || g.role === 'ADMIN').map((g) => g.path))] : [];

export const NationalOutboxQuery: Pick<QueryResolvers<Context>, 'nationalOutbox'> = {
  nationalOutbox: async (_root, _args, ctx) => {
    const roots = supervisedRoots(ctx.viewer);
    if (!roots.length) throw forbidden('Only OFFICER or ADMIN may watch the national portal queue.');
    return { roots, counts: await outboxCounts(ctx.db, roots) };
  },
};

const count = (o: { counts: { status: string; count: number }[] }, status: string) => o.counts.find((c) => c.status === status)?.count ?? 0;

export const NationalOutbox: NationalOutboxResolvers<Context> = {
  pendingCount: (o) => count(o, 'PENDING'),
  deliveredCount: (o) => count(o, 'DELIVERED'),
  deadCount: (o) => count(o, 'DEAD'),
  oldestPendingAt: (o) => o.counts.find((c) => c.status === 'PENDING')?.oldest ?? null,
  entries: async (o, { status, first, after }, ctx) => {
    const limit = pageSize(first);
    const key = decodeCursor(after);
    if (key !== null && !isUuid(key)) throw badInput('`after` is not a cursor this API gave out.', 'after');
    const rows = await outboxEntries(ctx.db, o.roots, status ?? null, limit, key);
    return toConnection(
      rows,
      limit,
      (e) => e.id,
      () => 0,
    );
  },
};

export const NationalOutboxEntry: NationalOutboxEntryResolvers<Context> = {
  lot: (e, _args, ctx) => loadVisibleLot(ctx, e.lotId),
};
