import DataLoader from 'dataloader';
import { byIdLoader, groupBy, groupedLoader, internalRoots, type BaseContext } from '@nguon/shared';
import { correctionsOf, eventsByEventIds, eventsByIds, eventsOfLots } from './data/events';
import { lastChangedAt, scanSummaries, suspiciousItems } from './data/consumer';
import { auditOfLots, countLotsOfParents, lotsByIds, lotsByProductCodes, lotsOfParents, type LotParent } from './data/lots';
import { lotGtins } from './data/standardIds';
import { lgtinOf } from './epcis/event';
import { activeRecallIdsOfLots, recallActionsOf, recallLotsOf, recallsByIds } from './data/recalls';
import type { LotAuditModel, LotModel, RecallActionModel, RecallLotModel, RecallModel, TraceEventModel } from './models';

export interface PageKey {
  parent: LotParent;
  limit: number;
  after: string | null;
}

/** Built per request: batching and caching never cross viewers. */
export function createLoaders({ db, viewer }: BaseContext) {
  const roots = internalRoots(viewer);
  const loaders = {
    lot: byIdLoader<LotModel>(
      (ids) => lotsByIds(db, ids),
      (l) => l.id,
    ),
    lotsOf: groupedLoader<PageKey, LotModel[]>(
      (ids, page) => lotsOfParents(db, page.parent, ids, roots, page.limit, page.after),
      () => [],
    ),
    lotCountOf: groupedLoader<LotParent, number>(
      (ids, parent) => countLotsOfParents(db, parent, ids, roots),
      () => 0,
    ),
    /** The audit trail of each lot, oldest act first. */
    /** A lot's LGTIN (canonical Digital Link), visible or not: the class an event names it by. */
    lotClass: new DataLoader<string, string | null>(async (ids) => {
      const keys = await lotGtins(db, ids);
      return ids.map((id) => {
        const key = keys.get(id);
        return key ? lgtinOf(key.gtin, key.lotCode) : null;
      });
    }),
    lotAudit: new DataLoader<string, LotAuditModel[]>(async (ids) => {
      const byLot = groupBy(await auditOfLots(db, ids), (r) => r.lotId);
      return ids.map((id) => byLot.get(id) ?? []);
    }),
    event: byIdLoader<TraceEventModel>(
      (ids) => eventsByIds(db, ids),
      (e) => e.id,
    ),
    eventByEventId: byIdLoader<TraceEventModel>(
      (ids) => eventsByEventIds(db, ids),
      (e) => e.eventID,
    ),
    /**
     * Every event naming a lot, time-ordered: many lots' timelines in one
     * statement, which also brings each event's corrections (primed into
     * `correctedBy`, so a timeline costs one round trip).
     */
    eventsOfLot: new DataLoader<string, TraceEventModel[]>(async (lotIds) => {
      const rows = await eventsOfLots(db, lotIds);
      for (const r of rows) loaders.correctedBy.prime(r.event.eventID, r.correctedBy);
      const byLot = groupBy(rows, (r) => r.lotId);
      return lotIds.map((id) => (byLot.get(id) ?? []).map((r) => r.event));
    }),
    correctedBy: new DataLoader<string, string[]>(async (eventIds) => {
      const map = await correctionsOf(db, eventIds);
      return eventIds.map((id) => map.get(id) ?? []);
    }),
    recall: byIdLoader<RecallModel>(
      (ids) => recallsByIds(db, ids),
      (r) => r.id,
    ),
    recallLots: new DataLoader<string, RecallLotModel[]>(async (ids) => {
      const byRecall = groupBy(await recallLotsOf(db, ids), (r) => r.recallId);
      return ids.map((id) => byRecall.get(id) ?? []);
    }),
    /** The audit trail of each recall, oldest first. */
    recallActions: new DataLoader<string, RecallActionModel[]>(async (ids) => {
      const byRecall = groupBy(await recallActionsOf(db, ids), (r) => r.recallId);
      return ids.map((id) => byRecall.get(id) ?? []);
    }),
    activeRecallId: new DataLoader<string, string | null>(async (lotIds) => {
      const map = await activeRecallIdsOfLots(db, lotIds);
      return lotIds.map((id) => map.get(id) ?? null);
    }),
    /** Lots by (product, lot code), as a GS1 Digital Link names them. */
    lotByCode: new DataLoader<{ productId: string; lotCode: string }, LotModel | null, string>(
      async (keys) => {
        const map = new Map((await lotsByProductCodes(db, keys)).map((l) => [`${l.productId}|${l.lotCode}`, l]));
        return keys.map((k) => map.get(`${k.productId}|${k.lotCode}`) ?? null);
      },
      { cacheKeyFn: (k) => `${k.productId}|${k.lotCode}` },
    ),
    lastChangedAt: new DataLoader<string, Date>(async (ids) => {
      const map = await lastChangedAt(db, ids);
      return ids.map((id) => map.get(id) ?? new Date(0));
    }),
    scans: new DataLoader(async (ids: readonly string[]) => {
      const map = await scanSummaries(db, ids);
      return ids.map((id) => map.get(id) ?? { count: 0, lastScannedAt: null });
    }),
    suspiciousItems: new DataLoader(async (ids: readonly string[]) => {
      const byLot = groupBy(await suspiciousItems(db, ids), (r) => r.lotId);
      return ids.map((id) => byLot.get(id) ?? []);
    }),
  };
  return loaders;
}

export type Loaders = ReturnType<typeof createLoaders>;
