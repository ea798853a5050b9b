import { byIdLoader, groupedLoader, internalRoots, type BaseContext } from '@nguon/shared';
import { countLotsOfParents, lotsByIds, lotsOfParents, type LotParent } from './data/lots';
import type { LotModel } from './models';

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
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
