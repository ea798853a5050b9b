import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, numeric, pgSchema, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The analytics service owns this Postgres schema. It reads the other
 * services' data only through the views declared here — the one explicit read
 * contract (DESIGN.md §2) — so a change to another service's tables breaks
 * here, in a migration, not silently in a query.
 */
export const analytics = pgSchema('analytics');

export const organizations = analytics
  .view('organizations', {
    id: uuid().notNull(),
    path: text().notNull(),
    kind: text().notNull(),
    sector: text(),
    districtCode: text('district_code'),
  })
  .as(sql`select id, path, kind, sector, district_code from tenants.organization_scope`);

export const products = analytics
  .view('products', {
    id: uuid().notNull(),
    ownerId: uuid('owner_id').notNull(),
    category: text().notNull(),
    status: text().notNull(),
  })
  .as(sql`select id, owner_id, category, status from catalog.products`);

export const lots = analytics
  .view('lots', {
    id: uuid().notNull(),
    productId: uuid('product_id').notNull(),
    ownerId: uuid('owner_id').notNull(),
    status: text().notNull(),
    quantity: numeric().notNull(),
    unit: text().notNull(),
    season: text(),
  })
  .as(sql`select id, product_id, owner_id, status, quantity, unit, season from trace.lots`);

/**
 * Public labels for grouping keys: organization names are PUBLIC data
 * (tenants classifies them so); contact and people never enter this schema.
 */
export const organizationLabels = analytics
  .view('organization_labels', {
    id: uuid().notNull(),
    kind: text().notNull(),
    districtCode: text('district_code'),
    name: jsonb().$type<Record<string, string>>().notNull(),
    active: boolean().notNull(),
  })
  .as(sql`select id, kind, district_code, name, active from tenants.organizations`);

/** Product names and status: the resolver shows a name only when the product is published. */
export const productLabels = analytics
  .view('product_labels', {
    id: uuid().notNull(),
    name: jsonb().$type<Record<string, string>>().notNull(),
    status: text().notNull(),
  })
  .as(sql`select id, name, status from catalog.products`);

/**
 * Production facts: one row per produced quantity. Today the source is the
 * lots register (quantity, unit, produced date); when trace records
 * commissioning/harvest EPCIS events, this one view switches to them and the
 * rollups, aggregates, forecasts and exports follow unchanged.
 */
export const productionFacts = analytics
  .view('production_facts', {
    productId: uuid('product_id').notNull(),
    ownerId: uuid('owner_id').notNull(),
    factDate: date('fact_date').notNull(),
    quantity: numeric().notNull(),
    unit: text().notNull(),
    lotStatus: text('lot_status').notNull(),
  })
  .as(
    sql`select product_id, owner_id, coalesce(produced_on, (created_at at time zone 'Asia/Ho_Chi_Minh')::date) as fact_date, quantity, unit, status as lot_status from trace.lots`,
  );

/**
 * The rollup every aggregate reads: production per (month, producer,
 * product, canonical unit), with the grouping dimensions copied
 * in so a query needs no join. Rebuilt as a whole by `refreshRollups`
 * (src/data/rollups.ts); `rollup_state` says when.
 */
export const productionMonthly = analytics.table(
  'production_monthly',
  {
    month: date().notNull(),
    /** Crop season of the month, e.g. 2025-DX (see src/seasons.ts). */
    season: text().notNull(),
    ownerId: uuid('owner_id').notNull(),
    productId: uuid('product_id').notNull(),
    /** Canonical unit after conversion (GRM→KGM, TNE→KGM, MLT→LTR); other codes as given. */
    unit: text().notNull(),
    path: text().notNull(),
    districtCode: text('district_code'),
    sector: text(),
    category: text().notNull(),
    lotCount: integer('lot_count').notNull(),
    /** Lots of the cell whose status is RECALLED now. */
    recalledLotCount: integer('recalled_lot_count').notNull(),
    quantity: numeric().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.month, t.ownerId, t.productId, t.unit] }),
    index('production_monthly_path_idx').using('btree', t.path.op('text_pattern_ops')),
    index('production_monthly_product_idx').on(t.productId, t.month),
  ],
);

export const rollupState = analytics.table('rollup_state', {
  name: text().primaryKey(),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
  sourceRows: integer('source_rows').notNull(),
  durationMs: integer('duration_ms').notNull(),
});

/** Category names for labels (catalog reference data, PUBLIC). */
export const categories = analytics
  .view('categories', {
    code: text().notNull(),
    name: jsonb().$type<Record<string, string>>().notNull(),
  })
  .as(sql`select code, name from catalog.categories`);

/** Certificate validity for the expiry dashboard; issuer documents and notes stay in catalog. */
export const certificates = analytics
  .view('certificates', {
    productId: uuid('product_id').notNull(),
    scheme: text().notNull(),
    number: text().notNull(),
    validTo: date('valid_to').notNull(),
  })
  .as(sql`select product_id, scheme, number, valid_to from catalog.certifications`);
