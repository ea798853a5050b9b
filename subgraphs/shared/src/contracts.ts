import { boolean, numeric, pgSchema, text, uuid } from 'drizzle-orm/pg-core';

/**
 * Read contracts between services: views a service publishes in its own
 * Postgres schema for others to read (never write). Declared `.existing()`
 * here because the owning service's migrations create them.
 */

/** tenants.organization_scope — where each organization sits in the tree (tenants/src/db/schema.ts). */
export const organizationScope = pgSchema('tenants')
  .view('organization_scope', {
    id: uuid().notNull(),
    path: text().notNull(),
    kind: text().notNull(),
    sector: text(),
    districtCode: text('district_code'),
    active: boolean().notNull(),
  })
  .existing();

/** tenants.location_scope — the GLNs organizations registered (tenants/drizzle/0003_location_scope.sql): an event's readPoint or bizLocation at another's premises is refused. */
export const locationScope = pgSchema('tenants')
  .view('location_scope', {
    gln: text().notNull(),
    organizationId: uuid('organization_id').notNull(),
    path: text().notNull(),
  })
  .existing();

/** The catalog's published views (catalog/drizzle/0005_read_contracts.sql): what trace checks lot writes against. */
const catalogSchema = pgSchema('catalog');

/** catalog.product_scope — every product, its owner and status (DRAFT | PUBLISHED | WITHDRAWN). */
export const productScope = catalogSchema
  .view('product_scope', {
    id: uuid().notNull(),
    ownerId: uuid('owner_id').notNull(),
    status: text().notNull(),
    gtin: text(),
  })
  .existing();

/** catalog.product_licence_scope — licences in force: the licensee may create lots of the product. */
export const productLicenceScope = catalogSchema
  .view('product_licence_scope', {
    productId: uuid('product_id').notNull(),
    licenseeId: uuid('licensee_id').notNull(),
  })
  .existing();

/** catalog.area_scope — every production area, its owner, size and crop. */
export const areaScope = catalogSchema
  .view('area_scope', {
    id: uuid().notNull(),
    ownerId: uuid('owner_id').notNull(),
    hectares: numeric().notNull(),
    crop: text().notNull(),
  })
  .existing();

/**
 * catalog.season_norm_scope — one row per season norm with its crop's tolerance
 * as a fraction (0.2 = 20 %, the default when the crop has none). Seasons are
 * matched exactly; `expectedYieldPerHectare` may be null (a norm of inputs only).
 */
export const seasonNormScope = catalogSchema
  .view('season_norm_scope', {
    areaId: uuid('area_id').notNull(),
    season: text().notNull(),
    expectedYieldPerHectare: numeric('expected_yield_per_hectare'),
    yieldUnit: text('yield_unit'),
    tolerance: numeric().notNull(),
  })
  .existing();
