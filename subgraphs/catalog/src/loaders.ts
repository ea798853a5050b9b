import { byIdLoader, groupedLoader, internalRoots, type BaseContext } from '@nguon/shared';
import { countProductsOfOwners, productsByGtins, productsByIds, productsOfOwners } from './data/products';
import type { ProductModel } from './models';

export interface PageKey {
  limit: number;
  after: string | null;
}

/** Built per request: batching and caching never cross viewers. */
export function createLoaders({ db, viewer }: BaseContext) {
  const roots = internalRoots(viewer);
  return {
    product: byIdLoader<ProductModel>((ids) => productsByIds(db, ids), (p) => p.id),
    productByGtin: byIdLoader<ProductModel>((gtins) => productsByGtins(db, gtins), (p) => p.gtin ?? ''),
    productsOfOwner: groupedLoader<PageKey, ProductModel[]>((ids, page) => productsOfOwners(db, ids, roots, page.limit, page.after), () => []),
    productCountOfOwner: groupedLoader<null, number>((ids) => countProductsOfOwners(db, ids, roots), () => 0),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
