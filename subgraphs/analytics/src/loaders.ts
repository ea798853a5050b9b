import { byIdLoader, type BaseContext } from '@nguon/shared';
import { productCounts, type ProductCounts } from './data/productStats';
import { subtreeCounts } from './data/stats';
import type { SubtreeCounts } from './models';

/** Built per request: batching and caching never cross viewers. */
export function createLoaders({ db }: BaseContext) {
  return {
    counts: byIdLoader<SubtreeCounts>(
      (ids) => subtreeCounts(db, ids),
      (c) => c.id,
    ),
    products: byIdLoader<ProductCounts>(
      (ids) => productCounts(db, ids),
      (c) => c.id,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
