import { sql } from 'drizzle-orm';
import { numeric, pgSchema, text, uuid } from 'drizzle-orm/pg-core';

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
