import { sql } from 'drizzle-orm';
import { date, doublePrecision, foreignKey, index, integer, jsonb, numeric, pgSchema, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** The catalog service owns this Postgres schema; no other service writes it. */
export const catalog = pgSchema('catalog');

export type TextMap = Record<string, string>;

/** One product photo: where it is and what it shows, per language (alt text for screen readers). */
export interface ImageData {
  url: string;
  alt: TextMap;
}

/** One input of a season norm, e.g. 120 kg of urea per hectare. */
export interface InputNormData {
  input: string;
  quantityPerHectare: number;
  unit: string;
}

/**
 * Languages the catalog accepts text in. Data, not code: a row here is all a
 * new language needs; text in a tag not listed is refused on write.
 */
export const languages = catalog.table('languages', {
  tag: text().primaryKey(),
  name: jsonb().$type<TextMap>().notNull(),
  position: integer().notNull().default(0),
});

/**
 * Product categories as a tree. Every category names the sector whose
 * department supervises its products, whatever department the owner sits under.
 */
export const categories = catalog.table(
  'categories',
  {
    code: text().primaryKey(),
    parentCode: text('parent_code'),
    /** Materialised path of codes (`fresh_produce.rice`): a category filter covers its subtree. */
    path: text().notNull(),
    name: jsonb().$type<TextMap>().notNull(),
    sector: text().notNull(),
    position: integer().notNull().default(0),
  },
  (t) => [foreignKey({ columns: [t.parentCode], foreignColumns: [t.code], name: 'categories_parent_fk' }), uniqueIndex('categories_path_key').on(t.path)],
);

export const products = catalog.table(
  'products',
  {
    id: uuid().primaryKey(),
    ownerId: uuid('owner_id').notNull(),
    /** Normalised GTIN-14; null until a producer without a GS1 prefix gets one. */
    gtin: text(),
    /** Identifier for producers without a GS1 company prefix; stays valid after a GTIN is mapped. */
    internalCode: text('internal_code').notNull(),
    category: text().notNull(),
    name: jsonb().$type<TextMap>().notNull(),
    description: jsonb().$type<TextMap>().notNull().default({}),
    ingredients: jsonb().$type<TextMap>().notNull().default({}),
    usage: jsonb().$type<TextMap>().notNull().default({}),
    storageConditions: jsonb('storage_conditions').$type<TextMap>().notNull().default({}),
    images: jsonb().$type<ImageData[]>().notNull().default([]),
    brand: text(),
    unit: text().notNull().default('H87'),
    netContent: numeric('net_content'),
    shelfLifeDays: integer('shelf_life_days'),
    /** Owner's own remarks (supplier, price notes…): INTERNAL, never on a consumer page. */
    internalNote: text('internal_note'),
    status: text().notNull().default('DRAFT'),
    createdBy: text('created_by'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedBy: text('published_by'),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    withdrawnBy: text('withdrawn_by'),
    withdrawnReason: text('withdrawn_reason'),
    /** Lower-case text without Vietnamese diacritics, so "gao thot not" finds "Gạo Thốt Nốt". */
    searchText: text('search_text').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('products_gtin_key')
      .on(t.gtin)
      .where(sql`gtin is not null`),
    uniqueIndex('products_internal_code_key').on(t.internalCode),
    index('products_owner_idx').on(t.ownerId, t.id),
    index('products_status_idx').on(t.status, t.id),
    index('products_category_idx').on(t.category, t.id),
    // Added after the reference data migration so existing rows find their category.
    foreignKey({ columns: [t.category], foreignColumns: [categories.code], name: 'products_category_fk' }),
  ],
);

/** A certificate a product holds (VietGAP, OCOP stars, HACCP… or a free-form scheme). */
export const certifications = catalog.table(
  'certifications',
  {
    id: uuid().primaryKey(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    scheme: text().notNull(),
    /** The scheme's name when `scheme` is OTHER. */
    schemeName: text('scheme_name'),
    issuer: text().notNull(),
    number: text().notNull(),
    /** OCOP rating, 1–5. */
    stars: integer(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }).notNull(),
    documentUrl: text('document_url'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('certifications_product_idx').on(t.productId, t.validTo), index('certifications_scheme_idx').on(t.scheme, t.validTo)],
);

/** A production area ("vùng nguyên liệu") of one producer, identified by its planting-area code. */
export const productionAreas = catalog.table(
  'production_areas',
  {
    id: uuid().primaryKey(),
    ownerId: uuid('owner_id').notNull(),
    code: text().notNull(),
    name: jsonb().$type<TextMap>().notNull(),
    crop: text().notNull(),
    hectares: numeric().notNull(),
    latitude: doublePrecision(),
    longitude: doublePrecision(),
    /** Public name of the commune or ward the area lies in, e.g. "Phường Thới Thuận" (issue 15). */
    commune: text(),
    /**
     * GS1 GLN of the area (13 digits): its own, or its producer's with
     * `glnExtension`. Together they are the area's SGLN, the EPCIS read point
     * and business location of what happens there.
     */
    gln: text(),
    /** GLN extension (GS1 AI 254) when the GLN is shared with the producer; null for the area's own GLN. */
    glnExtension: text('gln_extension'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('production_areas_code_key').on(t.code),
    index('production_areas_owner_idx').on(t.ownerId, t.id),
    // An SGLN names one place.
    uniqueIndex('production_areas_sgln_key')
      .on(t.gln, sql`coalesce(${t.glnExtension}, '')`)
      .where(sql`${t.gln} is not null`),
  ],
);

/**
 * A certificate held for a production area itself (VietGAP for a
 * cooperative's fields, GLOBALG.A.P. for an orchard), as `certifications` are
 * for a product: same columns, the area in place of the product.
 */
export const areaCertifications = catalog.table(
  'area_certifications',
  {
    id: uuid().primaryKey(),
    areaId: uuid('area_id')
      .notNull()
      .references(() => productionAreas.id, { onDelete: 'cascade' }),
    scheme: text().notNull(),
    /** The scheme's name when `scheme` is OTHER. */
    schemeName: text('scheme_name'),
    issuer: text().notNull(),
    number: text().notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }).notNull(),
    documentUrl: text('document_url'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('area_certifications_area_idx').on(t.areaId, t.validTo)],
);

/** What one season on an area should take and give, per hectare: the basis of output forecasts. */
export const seasonNorms = catalog.table(
  'season_norms',
  {
    id: uuid().primaryKey(),
    areaId: uuid('area_id')
      .notNull()
      .references(() => productionAreas.id, { onDelete: 'cascade' }),
    season: text().notNull(),
    inputs: jsonb().$type<InputNormData[]>().notNull().default([]),
    expectedYieldPerHectare: numeric('expected_yield_per_hectare'),
    yieldUnit: text('yield_unit'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('season_norms_area_season_key').on(t.areaId, t.season)],
);

/**
 * How far above its season norm a crop's lots may go before they are refused
 * or held for review, as a fraction (0.2 = 20 %). Set by a department-level
 * overseer; a crop with no row uses the default of 0.2 (see catalog.season_norm_scope).
 */
export const cropNormTolerances = catalog.table('crop_norm_tolerances', {
  crop: text().primaryKey(),
  tolerance: numeric().notNull(),
  updatedBy: text('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).defaultNow(),
});

/**
 * A licence to make lots of another organization's product (a contract packer
 * or processor). Revoking stamps the row instead of deleting it, so who was
 * licensed when stays answerable; at most one active licence per pair.
 */
export const productLicences = catalog.table(
  'product_licences',
  {
    id: uuid().primaryKey(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    licenseeId: uuid('licensee_id').notNull(),
    grantedBy: text('granted_by').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
    revokedBy: text('revoked_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('product_licences_active_key')
      .on(t.productId, t.licenseeId)
      .where(sql`revoked_at is null`),
    index('product_licences_licensee_idx').on(t.licenseeId),
  ],
);
