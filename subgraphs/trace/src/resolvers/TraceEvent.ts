import type {
  ChainVerificationResolvers,
  CustodyHopResolvers,
  ErrorDeclarationResolvers,
  EventPartyResolvers,
  QuantityElementResolvers,
  RecallLotResolvers,
  RecallResolvers,
  TimelineEntryResolvers,
  TracedLotResolvers,
  TraceEventResolvers,
  TraceResultResolvers,
} from '../generated/graphql';
import type { Context } from '../context';
import { orgUri } from '../epcis/event';
import { labelOf } from '../epcis/vocabulary';
import { traceCustody } from '../services/trace';
import type { TraceEventModel } from '../models';
import { labelLang, loadVisibleLot } from './visibility';

/** The instant written in the event's own offset, as EPCIS gives it back. */
export function inOffset(instant: Date, offset: string): string {
  const sign = offset.startsWith('-') ? -1 : 1;
  const [h, m] = offset.slice(1).split(':').map(Number);
  const local = new Date(instant.getTime() + sign * ((h ?? 0) * 60 + (m ?? 0)) * 60_000);
  return `${local.toISOString().slice(0, 23)}${offset}`;
}

const localTime = (e: TraceEventModel) => inOffset(e.eventTime, e.body.eventTimeZoneOffset);

export const TraceEvent: TraceEventResolvers<Context> = {
  eventID: (e) => e.eventID,
  type: (e) => e.body.type,
  action: (e) => e.body.action ?? null,
  bizStep: (e) => e.body.bizStep ?? null,
  bizStepLabel: (e, { lang }, ctx) => labelOf('bizStep', e.body.bizStep ?? null, labelLang(lang, ctx)),
  disposition: (e) => e.body.disposition ?? null,
  dispositionLabel: (e, { lang }, ctx) => labelOf('disposition', e.body.disposition ?? null, labelLang(lang, ctx)),
  eventTimeZoneOffset: (e) => e.body.eventTimeZoneOffset,
  localEventTime: localTime,
  readPoint: (e) => e.body.readPoint ?? null,
  bizLocation: (e) => e.body.bizLocation ?? null,
  organization: (e) => ({ id: e.organizationId }),
  certificationInfo: (e) => e.body.certificationInfo ?? [],
  errorDeclaration: (e) => e.body.errorDeclaration ?? null,
  quantities: (e) => e.body.quantityList ?? [],
  parentLotId: (e) => e.body.parentLotId ?? null,
  parentEpcClass: (e, _args, ctx) => e.body.parentLotClass ?? (e.body.parentLotId ? ctx.loaders.lotClass.load(e.body.parentLotId) : null),
  inputs: (e) => e.body.inputQuantityList ?? [],
  outputs: (e) => e.body.outputQuantityList ?? [],
  sourceParties: (e) => e.body.sourceList ?? [],
  destinationParties: (e) => e.body.destinationList ?? [],
  bizTransactions: (e) => e.body.bizTransactionList ?? [],
  ilmd: (e) => e.body.ilmd ?? null,
  sensorReadings: (e) => e.body.sensorElementList ?? null,
};

export const TimelineEntry: TimelineEntryResolvers<Context> = {
  eventID: (t) => t.event.eventID,
  type: (t) => t.event.body.type,
  bizStep: (t) => t.event.body.bizStep ?? null,
  bizStepLabel: (t) => labelOf('bizStep', t.event.body.bizStep ?? null, t.lang),
  disposition: (t) => t.event.body.disposition ?? null,
  dispositionLabel: (t) => labelOf('disposition', t.event.body.disposition ?? null, t.lang),
  eventTime: (t) => t.event.eventTime,
  localEventTime: (t) => localTime(t.event),
  readPoint: (t) => t.event.body.readPoint ?? null,
  bizLocation: (t) => t.event.body.bizLocation ?? null,
  organization: (t) => ({ id: t.event.organizationId }),
  organizationId: (t) => t.event.organizationId,
  certificationInfo: (t) => t.event.body.certificationInfo ?? [],
  corrects: (t) => t.event.body.errorDeclaration?.correctedEventID ?? null,
  correctedBy: (t) => t.correctedBy,
};

export const QuantityElement: QuantityElementResolvers<Context> = {
  lotId: (q) => q.lotId ?? null,
  lot: (q, _args, ctx) => (q.lotId ? loadVisibleLot(ctx, q.lotId) : null),
  // Events captured before the LGTIN was written into the body name their lots by id only.
  epcClass: (q, _args, ctx) => q.epcClass ?? (q.lotId ? ctx.loaders.lotClass.load(q.lotId) : null),
};

export const EventParty: EventPartyResolvers<Context> = {
  organization: (p) => (p.organizationId ? { id: p.organizationId } : null),
  id: (p) => p.id ?? orgUri(p.organizationId!),
};

export const ErrorDeclaration: ErrorDeclarationResolvers<Context> = {
  correctedEventID: (d) => d.correctedEventID ?? null,
  correctiveEventIDs: (d) => d.correctiveEventIDs ?? [],
};

export const TracedLot: TracedLotResolvers<Context> = {
  lot: (t, _args, ctx) => loadVisibleLot(ctx, t.id),
};

export const TraceResult: TraceResultResolvers<Context> = {
  custody: (trace, _args, ctx) => traceCustody(ctx, trace),
};

export const CustodyHop: CustodyHopResolvers<Context> = {
  from: (h) => (h.fromOrgId ? { id: h.fromOrgId } : null),
  to: (h) => (h.toOrgId ? { id: h.toOrgId } : null),
};

export const Recall: RecallResolvers<Context> = {
  rootLots: async (r, _args, ctx) => {
    const rows = await ctx.loaders.recallLots.load(r.id);
    const ids = [...new Set(rows.filter((l) => l.root).map((l) => l.lotId))];
    return (await Promise.all(ids.map((id) => loadVisibleLot(ctx, id)))).filter((l) => l !== null);
  },
  affectedLots: (r, _args, ctx) => ctx.loaders.recallLots.load(r.id),
  affectedLotCount: async (r, _args, ctx) => new Set((await ctx.loaders.recallLots.load(r.id)).map((l) => l.lotId)).size,
  holders: async (r, _args, ctx) => [...new Set((await ctx.loaders.recallLots.load(r.id)).map((l) => l.holderId))].sort().map((id) => ({ id })),
  progress: async (r, _args, ctx) => {
    const rows = await ctx.loaders.recallLots.load(r.id);
    const held = rows.reduce((n, l) => n + (l.quantityHeld ?? 0), 0);
    const recovered = rows.reduce((n, l) => n + Math.min(l.quantityRecovered, l.quantityHeld ?? l.quantityRecovered), 0);
    return r.status === 'CLOSED' || held === 0 ? (r.status === 'CLOSED' ? 1 : 0) : recovered / held;
  },
  actions: (r, _args, ctx) => ctx.loaders.recallActions.load(r.id),
};

export const RecallLot: RecallLotResolvers<Context> = {
  lot: (l, _args, ctx) => loadVisibleLot(ctx, l.lotId),
  holder: (l) => ({ id: l.holderId }),
};

export const ChainVerification: ChainVerificationResolvers<Context> = {
  organization: (v) => ({ id: v.organizationId }),
};
