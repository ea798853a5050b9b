import DataLoader from 'dataloader';
import { byIdLoader, groupBy, groupedLoader, internalRoots, type BaseContext } from '@nguon/shared';
import { areasByCodes, areasByIds, areasOfOwners, countAreasOfOwners, normsOfAreas, type SeasonNormRow } from './data/areas';
import { certificationsOfAreas, certificationsOfProducts, type AreaCertificationRow, type CertificationRow } from './data/certifications';
import { activeLicencesOfProducts } from './data/licences';
import { countProductsOfOwners, productsByGtins, productsByIds, productsByInternalCodes, productsOfOwners } from './data/products';
import { allCategories, allLanguages } from './data/reference';
import type { CategoryModel, LanguageModel, ProductionAreaModel, ProductLicenceModel, ProductModel } from './models';
import { supervisedDepartments, type Visibility } from './visibility';

export interface PageKey {
  limit: number;
  after: string | null;
}

/** Built per request: batching and caching never cross viewers. */
export function createLoaders({ db, viewer }: BaseContext) {
  const roots = internalRoots(viewer);
  let pending: Promise<Visibility> | null = null;
  // Resolved at most once per request, and only when something asks.
  const visibility = () => (pending ??= supervisedDepartments(db, viewer).then((departments) => ({ viewer, internalRoots: roots, departments })));
  const once = <T>(load: () => Promise<T>) =>
    new DataLoader<'all', T>(async (keys) => {
      const value = await load();
      return keys.map(() => value);
    });
  return {
    visibility,
    product: byIdLoader<ProductModel>(
      async (ids) => productsByIds(db, ids, await visibility()),
      (p) => p.id,
    ),
    productByGtin: byIdLoader<ProductModel>(
      async (gtins) => productsByGtins(db, gtins, await visibility()),
      (p) => p.gtin ?? '',
    ),
    productByInternalCode: byIdLoader<ProductModel>(
      async (codes) => productsByInternalCodes(db, codes, await visibility()),
      (p) => p.internalCode,
    ),
    productsOfOwner: groupedLoader<PageKey, ProductModel[]>(
      async (ids, page) => productsOfOwners(db, ids, await visibility(), page.limit, page.after),
      () => [],
    ),
    productCountOfOwner: groupedLoader<null, number>(
      async (ids) => countProductsOfOwners(db, ids, await visibility()),
      () => 0,
    ),
    certificationsOfProduct: new DataLoader<string, CertificationRow[]>(async (ids) => {
      const byProduct = groupBy(await certificationsOfProducts(db, ids), (c) => c.productId);
      return ids.map((id) => byProduct.get(id) ?? []);
    }),
    categories: once<CategoryModel[]>(() => allCategories(db)),
    languages: once<LanguageModel[]>(() => allLanguages(db)),
    area: byIdLoader<ProductionAreaModel>(
      (ids) => areasByIds(db, ids),
      (a) => a.id,
    ),
    areaByCode: byIdLoader<ProductionAreaModel>(
      (codes) => areasByCodes(db, codes),
      (a) => a.code,
    ),
    areasOfOwner: groupedLoader<PageKey, ProductionAreaModel[]>(
      (ids, page) => areasOfOwners(db, ids, page.limit, page.after),
      () => [],
    ),
    areaCountOfOwner: groupedLoader<null, number>(
      (ids) => countAreasOfOwners(db, ids),
      () => 0,
    ),
    certificationsOfArea: new DataLoader<string, AreaCertificationRow[]>(async (ids) => {
      const byArea = groupBy(await certificationsOfAreas(db, ids), (c) => c.areaId);
      return ids.map((id) => byArea.get(id) ?? []);
    }),
    normsOfArea: new DataLoader<string, SeasonNormRow[]>(async (ids) => {
      const byArea = groupBy(await normsOfAreas(db, ids), (n) => n.areaId);
      return ids.map((id) => byArea.get(id) ?? []);
    }),
    licencesOfProduct: new DataLoader<string, ProductLicenceModel[]>(async (ids) => {
      const byProduct = groupBy(await activeLicencesOfProducts(db, ids), (l) => l.productId);
      return ids.map((id) => byProduct.get(id) ?? []);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
