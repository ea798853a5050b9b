import type { Scoped } from '@nguon/shared';
import type { ImageData, InputNormData, TextMap } from './db/schema';

export type ProductStatusValue = 'DRAFT' | 'PUBLISHED' | 'WITHDRAWN';
export const PRODUCT_STATUSES: readonly ProductStatusValue[] = ['DRAFT', 'PUBLISHED', 'WITHDRAWN'];

export type SectorValue = 'AGRICULTURE' | 'INDUSTRY_TRADE' | 'HEALTH';

export const CERTIFICATION_SCHEMES = ['VIETGAP', 'GLOBALGAP', 'ORGANIC', 'OCOP', 'HACCP', 'ISO_22000', 'OTHER'] as const;
export type CertificationSchemeValue = (typeof CERTIFICATION_SCHEMES)[number];

/**
 * A product row as resolvers see it. `scope` is what the field rules judge:
 * normally the owner's place in the tree, but for a department officer whose
 * sector supervises the product's category it is that department's path (see
 * `visibility.ts`), so the shared rules grant INTERNAL fields without knowing
 * about categories. `ownerPath` stays the owner's real place for write checks.
 */
export interface ProductModel extends Scoped {
  id: string;
  ownerId: string;
  ownerPath: string;
  gtin: string | null;
  internalCode: string;
  category: string;
  categorySector: SectorValue;
  name: TextMap;
  description: TextMap;
  ingredients: TextMap;
  usage: TextMap;
  storageConditions: TextMap;
  images: ImageData[];
  brand: string | null;
  unit: string;
  netContent: number | null;
  shelfLifeDays: number | null;
  internalNote: string | null;
  status: ProductStatusValue;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
  publishedBy: string | null;
  withdrawnAt: Date | null;
  withdrawnBy: string | null;
  withdrawnReason: string | null;
}

/** A product's certificate; it is seen exactly as far as its product is. */
export interface CertificationModel extends Scoped {
  id: string;
  /** The product certified; null for a production area's own certificate. */
  productId: string | null;
  scheme: CertificationSchemeValue;
  schemeName: string | null;
  issuer: string;
  number: string;
  stars: number | null;
  validFrom: string;
  validTo: string;
  documentUrl: string | null;
}

/** An image with the scope of its product, so alt text falls back like the product's own text. */
export type ProductImageModel = ImageData;

export interface CategoryModel {
  code: string;
  parentCode: string | null;
  path: string;
  name: TextMap;
  sector: SectorValue;
  position: number;
}

export interface LanguageModel {
  tag: string;
  name: TextMap;
}

/** Production areas are public once registered (their codes are printed on export labels); norms are INTERNAL. */
export interface ProductionAreaModel extends Scoped {
  id: string;
  ownerId: string;
  code: string;
  name: TextMap;
  crop: string;
  hectares: number;
  latitude: number | null;
  longitude: number | null;
  /** Public name of the commune or ward it lies in; null when not recorded. */
  commune: string | null;
  /** GS1 GLN: the area's own, or its producer's with `glnExtension`; null when it has none. */
  gln: string | null;
  /** GLN extension (AI 254) of its SGLN; null with its own GLN. */
  glnExtension: string | null;
}

/** A season norm carries its area's scope, so its tolerance is INTERNAL exactly as far as the area's norms are. */
export interface SeasonNormModel extends Scoped {
  areaId: string;
  season: string;
  inputs: InputNormData[];
  expectedYieldPerHectare: number | null;
  yieldUnit: string | null;
  /** The crop's tolerance as a fraction; 0.2 when the crop has none. */
  tolerance: number;
}

/** The tolerance applied when a crop has no row in crop_norm_tolerances (also in catalog.season_norm_scope). */
export const DEFAULT_NORM_TOLERANCE = 0.2;

/** A product licence; the licensee is an Organization reference resolved by tenants. */
export interface ProductLicenceModel {
  id: string;
  productId: string;
  licensee: OrganizationRef;
  grantedAt: Date;
  grantedBy: string;
  revokedAt: Date | null;
  revokedBy: string | null;
}

export interface CropNormToleranceModel {
  crop: string;
  tolerance: number;
  updatedAt: Date;
}

/** An Organization as the catalog knows it: just its key. */
export interface OrganizationRef {
  id: string;
}
