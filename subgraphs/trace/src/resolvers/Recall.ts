import DataLoader from 'dataloader';
import {
  badInput,
  canOversee,
  canReadInternal,
  canSupervise,
  decodeCursor,
  forbidden,
  internalRoots,
  isUuid,
  pageSize,
  toConnection,
  type Viewer,
} from '@nguon/shared';
import type { QueryResolvers, RecallResolvers, RecallTaskResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { listNotifications } from '../data/notifications';
import { organizationPaths } from '../data/organizations';
import {
  isHolding,
  listRecalls,
  recallParties,
  tasksOf,
  totalProgress,
  type RecallListFilter,
  type RecallParties,
  type RecallTaskModel,
} from '../data/recalls';
import type { RecallModel } from '../models';
import { supervisedRoots } from './NationalOutbox';
import { notificationScope } from './Notification';

/*
 * Who sees what of a recall (issue 15). The warning (reason, severity,
 * status) is public. Its owners — the root lots' owners' staff and the
 * officers above them, or a supervisor of the node whose authority opened it —
 * see every holder's task. A holder's staff (and the officers above that
 * holder only) see the recall's total progress and their own task, never
 * another holder's.
 */

interface RecallAccess {
  full: boolean;
  /** Holders whose task the viewer may read. */
  holderIds: Set<string>;
}

const partiesLoaders = new WeakMap<Context, DataLoader<string, RecallParties>>();
const partiesOf = (ctx: Context, recallId: string) => {
  let loader = partiesLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (ids: readonly string[]) => {
      const map = await recallParties(ctx.db, ids);
      return ids.map((id) => map.get(id) ?? { rootOwnerPaths: [], holders: [] });
    });
    partiesLoaders.set(ctx, loader);
  }
  return loader.load(recallId);
};

/**
 * Oversight of a recall: an OFFICER or ADMIN strictly above a root lot's
 * owner (canOversee), or over the supervising node that opened it. A
 * voluntary recall's authority is the owner's own node, and canSupervise
 * passes the owner's own ADMIN there: that is not oversight.
 */
function overseesRecall(viewer: Viewer, recall: RecallModel, parties: RecallParties): boolean {
  if (parties.rootOwnerPaths.some((p) => canOversee(viewer, p))) return true;
  const authority = recall.authorityPath;
  return authority !== null && !parties.rootOwnerPaths.includes(authority) && authority !== recall.scope.path && canSupervise(viewer, authority);
}

export async function recallAccess(ctx: Context, recall: RecallModel): Promise<RecallAccess> {
  const parties = await partiesOf(ctx, recall.id);
  const full =
    parties.rootOwnerPaths.some((p) => canReadInternal(ctx.viewer, p)) ||
    canReadInternal(ctx.viewer, recall.scope.path) ||
    overseesRecall(ctx.viewer, recall, parties);
  const holderIds = new Set(parties.holders.filter((h) => full || canReadInternal(ctx.viewer, h.path)).map((h) => h.id));
  return { full, holderIds };
}

const NOT_PARTY = 'Only the recall’s holders, its root lots’ owners and the officers over them may see its progress and tasks.';

async function tasks(ctx: Context, recall: RecallModel): Promise<RecallTaskModel[]> {
  return tasksOf(await ctx.loaders.recallLots.load(recall.id), recall.status === 'CLOSED');
}

/** The organizations the viewer acts for: its grants' nodes, or an API client's binding. */
const viewerOrgIds = (viewer: Viewer): string[] =>
  viewer.kind === 'user' ? viewer.grants.map((g) => g.orgId) : viewer.kind === 'client' ? [viewer.orgId] : [];

export const RecallExtra: Pick<RecallResolvers<Context>, 'tasks' | 'myTask' | 'notifications' | 'progress' | 'holders'> = {
  tasks: async (r, _args, ctx) => {
    const access = await recallAccess(ctx, r);
    if (!access.full && access.holderIds.size === 0) throw forbidden(NOT_PARTY);
    return (await tasks(ctx, r)).filter((t) => access.holderIds.has(t.holderId));
  },
  myTask: async (r, _args, ctx) => {
    const mine = new Set(viewerOrgIds(ctx.viewer));
    if (mine.size === 0) return null;
    const access = await recallAccess(ctx, r);
    return (await tasks(ctx, r)).find((t) => mine.has(t.holderId) && access.holderIds.has(t.holderId)) ?? null;
  },
  /** Net of shipments: recovered over what each holder still held. */
  progress: async (r, _args, ctx) => {
    const access = await recallAccess(ctx, r);
    if (!access.full && access.holderIds.size === 0) throw forbidden(NOT_PARTY);
    return totalProgress(await ctx.loaders.recallLots.load(r.id), r.status === 'CLOSED');
  },
  /** A root owner that shipped everything on stays on the record at 0 but holds nothing. */
  holders: async (r, _args, ctx) =>
    [...new Set((await ctx.loaders.recallLots.load(r.id)).filter(isHolding).map((l) => l.holderId))].sort().map((id) => ({ id })),
  /**
   * Those overseeing the recall (overseesRecall: an OFFICER or ADMIN strictly
   * above a root lot's owner, or over the supervising node that opened it)
   * see whether every holder was told; anyone else party to it — the
   * producer's own staff and ADMIN included — sees the notifications it may
   * see anyway (its own, those under it), not other holders' rows.
   */
  notifications: async (r, _args, ctx) => {
    const access = await recallAccess(ctx, r);
    if (!access.full && access.holderIds.size === 0) throw forbidden(NOT_PARTY);
    const oversees = overseesRecall(ctx.viewer, r, await partiesOf(ctx, r.id));
    return listNotifications(ctx.db, oversees ? { ownOrgs: [], roots: null } : notificationScope(ctx.viewer), { subjectId: r.id }, 500, null);
  },
};

export const RecallTask: RecallTaskResolvers<Context> = {
  holder: (t) => ({ id: t.holderId }),
};

const cursorKey = (r: RecallModel) => `${r.openedAt.toISOString()}|${r.id}`;

function parseCursor(after: string | null | undefined): { openedAt: Date; id: string } | null {
  const key = decodeCursor(after);
  if (key === null) return null;
  const [at, id] = key.split('|');
  const openedAt = new Date(at ?? '');
  if (!id || !isUuid(id) || Number.isNaN(openedAt.getTime())) throw badInput('`after` is not a cursor this API gave out.', 'after');
  return { openedAt, id };
}

export const RecallQuery: Pick<QueryResolvers<Context>, 'recalls'> = {
  recalls: async (_root, { filter, first, after }, ctx) => {
    const limit = pageSize(first);
    const cursor = parseCursor(after);
    const f: RecallListFilter = { status: filter?.status ?? null, severity: filter?.severity ?? null };
    if (filter?.under !== undefined && filter.under !== null) {
      const path = isUuid(filter.under) ? (await organizationPaths(ctx.db, [filter.under.toLowerCase()])).get(filter.under.toLowerCase()) : undefined;
      if (!path) throw badInput('No organization has that id.', 'filter.under');
      f.underPath = path;
    }
    if (filter?.productId !== undefined && filter.productId !== null) {
      if (!isUuid(filter.productId)) throw badInput('Not a product id.', 'filter.productId');
      f.productId = filter.productId.toLowerCase();
    }
    const from = filter?.openedFrom ? new Date(filter.openedFrom) : null;
    const to = filter?.openedTo ? new Date(filter.openedTo) : null;
    if (from && to && from.getTime() >= to.getTime()) throw badInput('`openedFrom` must be before `openedTo`.', 'filter.openedTo');
    f.openedFrom = from;
    f.openedTo = to;
    const internal = internalRoots(ctx.viewer);
    const supervised = supervisedRoots(ctx.viewer);
    const ids = internal.length || supervised.length ? await listRecalls(ctx.db, { internal, supervised }, f, limit, cursor) : [];
    const recalls = (await ctx.loaders.recall.loadMany(ids)).filter((r): r is RecallModel => r !== null && !(r instanceof Error));
    return toConnection(recalls, limit, cursorKey, () => 0);
  },
};
