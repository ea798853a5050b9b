import { badInput, decodeCursor, internalRoots, isUuid, pageSize, toConnection } from '@nguon/shared';
import type { CaptureJobResolvers, EventFilter, MutationResolvers, QueryResolvers, TraceEventResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { queryEvents, type EventKey, type EventQuery } from '../data/eventQuery';
import { canonicalEpcs } from '../epcis/event';
import { normalizeBizStep, normalizeDisposition } from '../epcis/vocabulary';
import { captureJob, submitCaptureJob } from '../services/captureJobs';
import type { TraceEventModel } from '../models';

/** EPCIS query parameters → SQL conditions; a value that cannot match anything is a QueryParameterException upstream (BAD_USER_INPUT). */
function toQuery(f: EventFilter): EventQuery {
  const words = (list: readonly string[] | null | undefined, normalize: (v: string) => string | null, field: string) =>
    list?.map((v, i) => {
      const w = normalize(v);
      if (!w) throw badInput(`"${v}" is not a CBV 2.0 value.`, `filter.${field}.${i}`);
      return w;
    });
  const ids = (list: readonly string[] | null | undefined, field: string) =>
    list?.map((v, i) => {
      if (!isUuid(v)) throw badInput('Not a lot id.', `filter.${field}.${i}`);
      return v.toLowerCase();
    });
  const time = (v: unknown) => (v === null || v === undefined ? undefined : new Date(v as string | Date));
  const q: EventQuery = {
    types: f.eventTypes ?? undefined,
    geEventTime: time(f.geEventTime),
    ltEventTime: time(f.ltEventTime),
    geRecordTime: time(f.geRecordTime),
    ltRecordTime: time(f.ltRecordTime),
    bizSteps: words(f.bizSteps, normalizeBizStep, 'bizSteps'),
    dispositions: words(f.dispositions, normalizeDisposition, 'dispositions'),
    bizLocations: f.bizLocations ?? undefined,
    readPoints: f.readPoints ?? undefined,
    epcs: f.epcs ? canonicalEpcs(f.epcs, 'filter.epcs') : undefined,
    anyEpcs: f.anyEpcs ? canonicalEpcs(f.anyEpcs, 'filter.anyEpcs') : undefined,
    lotIds: ids(f.lotIds, 'lotIds'),
    anyLotIds: ids(f.anyLotIds, 'anyLotIds'),
    eventIDs: f.eventIDs ?? undefined,
    errorDeclaration: f.errorDeclaration ?? undefined,
  };
  return q;
}

const keyOf = (e: TraceEventModel) => `${e.eventTime.toISOString()}|${e.id}`;
function decodeKey(after: string | null | undefined): EventKey | null {
  const key = decodeCursor(after);
  if (!key) return null;
  const [time, id] = key.split('|');
  const eventTime = new Date(time ?? '');
  if (Number.isNaN(eventTime.getTime()) || !id || !isUuid(id)) throw badInput('`after` is not a cursor this API gave out.', 'after');
  return { eventTime, id };
}

export const EpcisQuery: Pick<QueryResolvers<Context>, 'events' | 'captureJob'> = {
  events: async (_root, { filter, first, after }, ctx) => {
    const limit = pageSize(first);
    const rows = await queryEvents(ctx.db, toQuery(filter), internalRoots(ctx.viewer), limit, decodeKey(after));
    // No totalCount in the type: EPCIS pages forward with nextPageToken and never counts.
    return toConnection(rows, limit, keyOf, () => 0);
  },
  captureJob: (_root, { id }, ctx) => captureJob(ctx, id),
};

export const EpcisMutation: Pick<MutationResolvers<Context>, 'submitCaptureJob'> = {
  submitCaptureJob: (_root, { input }, ctx) => submitCaptureJob(ctx, input),
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
