import DataLoader from 'dataloader';
import { byIdLoader, groupBy, groupedLoader, internalRoots, type BaseContext } from '@nguon/shared';
import { correctionsOf, eventsByEventIds, eventsByIds, eventsOfLots } from './data/events';
import { countLotsOfParents, lotsByIds, lotsOfParents, type LotParent } from './data/lots';
import { activeRecallIdsOfLots, recallLotsOf, recallsByIds } from './data/recalls';
import type { LotModel, RecallLotModel, RecallModel, TraceEventModel } from './models';

export interface PageKey {
  parent: LotParent;
  limit: number;
  after: string | null;
}

/** Built per request: batching and caching never cross viewers. */
export function createLoaders({ db, viewer }: BaseContext) {
  const roots = internalRoots(viewer);
  return {
    lot: byIdLoader<LotModel>((ids) => lotsByIds(db, ids), (l) => l.id),
    lotsOf: groupedLoader<PageKey, LotModel[]>((ids, page) => lotsOfParents(db, page.parent, ids, roots, page.limit, page.after), () => []),
    lotCountOf: groupedLoader<LotParent, number>((ids, parent) => countLotsOfParents(db, parent, ids, roots), () => 0),
    event: byIdLoader<TraceEventModel>((ids) => eventsByIds(db, ids), (e) => e.id),
    eventByEventId: byIdLoader<TraceEventModel>((ids) => eventsByEventIds(db, ids), (e) => e.eventID),
    /** Every event naming a lot, time-ordered: many lots' timelines in one statement. */
    eventsOfLot: new DataLoader<string, TraceEventModel[]>(async (lotIds) => {
      const byLot = groupBy(await eventsOfLots(db, lotIds), (r) => r.lotId);
      return lotIds.map((id) => (byLot.get(id) ?? []).map((r) => r.event));
    }),
    correctedBy: new DataLoader<string, string[]>(async (eventIds) => {
      const map = await correctionsOf(db, eventIds);
      return eventIds.map((id) => map.get(id) ?? []);
    }),
    recall: byIdLoader<RecallModel>((ids) => recallsByIds(db, ids), (r) => r.id),
    recallLots: new DataLoader<string, RecallLotModel[]>(async (ids) => {
      const byRecall = groupBy(await recallLotsOf(db, ids), (r) => r.recallId);
      return ids.map((id) => byRecall.get(id) ?? []);
    }),
    activeRecallId: new DataLoader<string, string | null>(async (lotIds) => {
      const map = await activeRecallIdsOfLots(db, lotIds);
      return lotIds.map((id) => map.get(id) ?? null);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
