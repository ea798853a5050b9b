import DataLoader from 'dataloader';
import { decodeCursor, groupBy, internalRoots, isUuid, pageSize, toConnection } from '@nguon/shared';
import type { ComplaintFilter, ComplaintResolvers, ComplaintConnectionResolvers, ComplaintGroupResolvers } from '../generated/graphql';
import type { Context } from '../context';
import {
  actionsOfComplaints,
  complaintByReceipt,
  complaintPhoto,
  complaintsByIds,
  countComplaints,
  groupComplaints,
  listComplaints,
  type ComplaintActionModel,
  type ComplaintFilterValues,
  type ComplaintPage,
} from '../data/complaints';
import { organizationPaths } from '../data/organizations';
import type { LotModel } from '../models';
import {
  DEFAULT_COMPLAINT_LIMITS,
  escalateComplaint,
  mayReadComplaint,
  normalizeReceipt,
  reportProblem,
  updateComplaint,
  type ComplaintLimits,
} from '../services/complaints';
import { loadVisibleLot } from './visibility';

/** The actions of every complaint on a page in one statement, per request (never across viewers). */
const actionLoaders = new WeakMap<Context, DataLoader<string, ComplaintActionModel[]>>();
function actionsOf(ctx: Context, id: string) {
  let loader = actionLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const byComplaint = groupBy(await actionsOfComplaints(ctx.db, ids), (a) => a.complaintId);
      return ids.map((i) => byComplaint.get(i) ?? []);
    });
    actionLoaders.set(ctx, loader);
  }
  return loader.load(id);
}

const seconds = (from: Date, to: Date) => Math.max(0, Math.floor((to.getTime() - from.getTime()) / 1000));

/**
 * The filter as SQL values; null when it names something that cannot match
 * (an id that is not a UUID, an organization that does not exist): the page
 * is then empty rather than an error, as for `lots`.
 */
async function filterValues(ctx: Context, filter: ComplaintFilter | null | undefined, lotId?: string): Promise<ComplaintFilterValues | null> {
  const f = filter ?? {};
  const ids = [lotId ?? f.lotId, f.productId, f.under].filter((v): v is string => v !== null && v !== undefined);
  if (ids.some((id) => !isUuid(id))) return null;
  let underPath: string | null = null;
  if (f.under) {
    underPath = (await organizationPaths(ctx.db, [f.under.toLowerCase()])).get(f.under.toLowerCase()) ?? null;
    if (!underPath) return null;
  }
  return {
    status: f.status ?? null,
    category: f.category ?? null,
    lotId: (lotId ?? f.lotId)?.toLowerCase() ?? null,
    productId: f.productId?.toLowerCase() ?? null,
    underPath,
    from: f.from ? new Date(f.from) : null,
    to: f.to ? new Date(f.to) : null,
  };
}

/** A page of the complaints the viewer may read, with their groups on demand. */
async function complaintPage(
  ctx: Context,
  filter: ComplaintFilter | null | undefined,
  first: number | null | undefined,
  after: string | null | undefined,
  lotId?: string,
) {
  const limit = pageSize(first);
  const before = decodeCursor(after);
  const roots = internalRoots(ctx.viewer);
  const values = await filterValues(ctx, filter, lotId);
  const rows = values && (!before || isUuid(before)) ? await listComplaints(ctx.db, values, roots, limit, before) : [];
  const page = toConnection(
    rows,
    limit,
    (c) => c.id,
    () => (values ? countComplaints(ctx.db, values, roots) : 0),
  );
  return Object.assign(page, { groups: async (by: 'LOT' | 'PRODUCT') => (values ? groupComplaints(ctx.db, values, roots, by) : []) }) as ComplaintPage;
}

async function visibleComplaint(ctx: Context, id: string) {
  const [complaint] = isUuid(id) ? await complaintsByIds(ctx.db, [id.toLowerCase()]) : [];
  return complaint && mayReadComplaint(ctx.viewer, complaint) ? complaint : null;
}

/** The complaints part of the trace graph (issue 15); the rate limits come from the subgraph's options. */
export function complaintResolvers(limits: ComplaintLimits = DEFAULT_COMPLAINT_LIMITS) {
  const Complaint: ComplaintResolvers<Context> = {
    lot: (c, _args, ctx) => loadVisibleLot(ctx, c.lotId),
    product: (c) => ({ id: c.productId }),
    owner: (c) => ({ id: c.ownerId }),
    photo: async (c, _args, ctx) => {
      if (!c.hasPhoto) return null;
      const photo = await complaintPhoto(ctx.db, c.id);
      return photo ? `data:${photo.type};base64,${photo.bytes.toString('base64')}` : null;
    },
    responseSeconds: (c) => seconds(c.createdAt, c.firstResponseAt ?? new Date()),
    ageSeconds: (c) => seconds(c.createdAt, new Date()),
    recall: (c, _args, ctx) => (c.recallId ? ctx.loaders.recall.load(c.recallId) : null),
    actions: (c, _args, ctx) => actionsOf(ctx, c.id),
  };
  const ComplaintConnection: ComplaintConnectionResolvers<Context> = {
    groups: (page, { by }) => page.groups(by ?? 'LOT'),
  };
  const ComplaintGroup: ComplaintGroupResolvers<Context> = {
    lot: (g, _args, ctx) => (g.lotId ? loadVisibleLot(ctx, g.lotId) : null),
    product: (g) => ({ id: g.productId }),
  };
  return {
    Complaint,
    ComplaintConnection,
    ComplaintGroup,
    Lot: {
      complaints: (lot: LotModel, args: { filter?: ComplaintFilter | null; first?: number | null; after?: string | null }, ctx: Context) =>
        complaintPage(ctx, args.filter, args.first, args.after, lot.id),
    },
    Query: {
      complaints: (_root: unknown, args: { filter?: ComplaintFilter | null; first?: number | null; after?: string | null }, ctx: Context) =>
        complaintPage(ctx, args.filter, args.first, args.after),
      complaint: (_root: unknown, { id }: { id: string }, ctx: Context) => visibleComplaint(ctx, id),
      /** Anyone with the code sees its status; a code that is not one answers null like an unknown one. */
      complaintReceipt: async (_root: unknown, { receipt }: { receipt: string }, ctx: Context) => {
        const code = normalizeReceipt(receipt);
        return code ? complaintByReceipt(ctx.db, code) : null;
      },
    },
    Mutation: {
      reportProblem: (_root: unknown, { input }: { input: Parameters<typeof reportProblem>[1] }, ctx: Context) => reportProblem(ctx, input, limits),
      updateComplaint: async (_root: unknown, { input }: { input: Parameters<typeof updateComplaint>[1] }, ctx: Context) => ({
        complaint: await updateComplaint(ctx, input),
      }),
      escalateComplaint: (_root: unknown, { input }: { input: Parameters<typeof escalateComplaint>[1] }, ctx: Context) => escalateComplaint(ctx, input),
    },
  };
}
