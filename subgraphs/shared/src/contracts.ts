import { boolean, pgSchema, text, uuid } from 'drizzle-orm/pg-core';

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
    /** GS1 GLN (13 digits, unique when set): the organization as a party (PGLN) and its main location (SGLN). */
    gln: text(),
  })
  .existing();

/*
 * The other read contracts (tenants.location_scope; catalog.product_scope,
 * product_licence_scope, area_scope, season_norm_scope) are read with SQL
 * where they are used (trace/src/data/catalog.ts, trace/src/data/custody.ts)
 * and have no declaration here.
 */
