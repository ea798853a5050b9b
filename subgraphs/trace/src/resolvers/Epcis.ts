import { actorOf, badInput, conflict, decodeCursor, internalRoots, isUuid, pageSize, toConnection, unauthenticated } from '@nguon/shared';
import type { CaptureJobResolvers, MutationResolvers, QueryResolvers, TraceEventResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { queryEvents, type EventKey, type EventOrder } from '../data/eventQuery';
import { deleteNamedQuery, insertNamedQuery, listNamedQueries, namedQuery } from '../data/epcisQueries';
import { captureJob, submitCaptureJob } from '../services/captureJobs';
import type { TraceEventModel } from '../models';
import { toQuery } from './eventFilter';

function keyOf(order: EventOrder) {
  return (e: TraceEventModel) => `${(order.by === 'RECORD_TIME' ? e.recordTime : e.eventTime).toISOString()}|${e.id}`;
}
function decodeKey(after: string | null | undefined): EventKey | null {
  const key = decodeCursor(after);
  if (!key) return null;
  const [time, id] = key.split('|');
  const at = new Date(time ?? '');
  if (Number.isNaN(at.getTime()) || !id || !isUuid(id)) throw badInput('`after` is not a cursor this API gave out.', 'after');
  return { time: at, id };
}

/** Who a named query belongs to: the user or the API client, never shared. */
function ownerOf(ctx: Context): string {
  const { actorId, actorKind } = actorOf(ctx.viewer);
  if (!actorId) throw unauthenticated();
  return `${actorKind}:${actorId}`;
}

const QUERY_NAME = /^[A-Za-z0-9._~-]{1,100}$/;

/** A query body as the EPCIS query schema shapes it: parameter → string, number, boolean or list of strings. */
function checkQuery(query: unknown): Record<string, unknown> {
  if (!query || typeof query !== 'object' || Array.isArray(query)) throw badInput('query is a JSON object of EPCIS query parameters.', 'input.query');
  for (const [key, value] of Object.entries(query)) {
    const ok =
      ['string', 'number', 'boolean'].includes(typeof value) ||
      (Array.isArray(value) && value.every((v) => typeof v === 'string')) ||
      (key === '@context' && typeof value === 'object');
    if (!ok || key.length > 300) throw badInput(`${key}: a query parameter is a string, number, boolean or list of strings.`, 'input.query');
  }
  return query as Record<string, unknown>;
}

export const EpcisQuery: Pick<QueryResolvers<Context>, 'events' | 'captureJob' | 'epcisQueries' | 'epcisQuery'> = {
  events: async (_root, { filter, first, after, orderBy, orderDirection }, ctx) => {
    const limit = pageSize(first);
    // EPCIS: without orderBy the order is ours (eventTime ascending); with it, DESC unless told.
    const order: EventOrder = { by: orderBy ?? 'EVENT_TIME', direction: orderDirection ?? (orderBy ? 'DESC' : 'ASC') };
    const rows = await queryEvents(ctx.db, toQuery(filter), internalRoots(ctx.viewer), limit, decodeKey(after), order);
    // No totalCount in the type: EPCIS pages forward with nextPageToken and never counts.
    return toConnection(rows, limit, keyOf(order), () => 0);
  },
  captureJob: (_root, { id }, ctx) => captureJob(ctx, id),
  epcisQueries: (_root, _args, ctx) => listNamedQueries(ctx.db, ownerOf(ctx)),
  epcisQuery: (_root, { name }, ctx) => namedQuery(ctx.db, ownerOf(ctx), name),
};

export const EpcisMutation: Pick<MutationResolvers<Context>, 'submitCaptureJob' | 'createEpcisQuery' | 'deleteEpcisQuery'> = {
  submitCaptureJob: (_root, { input }, ctx) => submitCaptureJob(ctx, input),
  createEpcisQuery: async (_root, { input }, ctx) => {
    if (!QUERY_NAME.test(input.name)) throw badInput('A query name has 1–100 letters, digits, ".", "_", "~" or "-".', 'input.name');
    const saved = await insertNamedQuery(ctx.db, ownerOf(ctx), input.name, checkQuery(input.query));
    if (!saved) throw conflict(`You already have a query named ${input.name}.`, 'input.name');
    return saved;
  },
  deleteEpcisQuery: (_root, { name }, ctx) => deleteNamedQuery(ctx.db, ownerOf(ctx), name),
};

export const TraceEventEpcis: Pick<TraceEventResolvers<Context>, 'epcs' | 'inputEPCs' | 'outputEPCs' | 'parentID' | 'extensions'> = {
  epcs: (e) => e.body.epcList ?? [],
  inputEPCs: (e) => e.body.inputEPCList ?? [],
  outputEPCs: (e) => e.body.outputEPCList ?? [],
  parentID: (e) => e.body.parentID ?? null,
  extensions: (e) => e.body.extensions ?? null,
};

export const CaptureJob: CaptureJobResolvers<Context> = {
  organization: (j) => ({ id: j.organizationId }),
};
