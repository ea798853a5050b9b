import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '@nguon/shared';

/*
 * Catalog's published read contracts (views in the catalog schema). Trace
 * never reads catalog's tables: only these views, whose names and columns
 * catalog keeps stable, so the write-authority checks of a lot (who owns the
 * product and the area, the season norm) are decided from catalog's facts in
 * trace's own transaction (docs/write-authority.md).
 */

export interface ProductFact {
  id: string;
  ownerId: string;
  /** Tree path of the owner, for the viewer's read rules. */
  ownerPath: string | null;
  status: 'DRAFT' | 'PUBLISHED' | 'WITHDRAWN' | string;
}

/** One product as catalog.product_scope states it, with its owner's tree path; null when there is none. */
export async function productFact(db: Database, id: string): Promise<ProductFact | null> {
  const [row] = rowsOf<{ id: string; owner_id: string; owner_path: string | null; status: string }>(
    await db.execute(sql`select p.id, p.owner_id, o.path as owner_path, p.status
      from catalog.product_scope p left join tenants.organization_scope o on o.id = p.owner_id
      where p.id = ${id}::uuid`),
  );
  return row ? { id: row.id, ownerId: row.owner_id, ownerPath: row.owner_path, status: row.status } : null;
}

/** Whether `licenseeId` holds an active licence to make lots of the product (catalog.product_licence_scope lists active ones only). */
export async function isLicensed(db: Database, productId: string, licenseeId: string): Promise<boolean> {
  const rows = rowsOf<{ one: number }>(
    await db.execute(
      sql`select 1 as one from catalog.product_licence_scope where product_id = ${productId}::uuid and licensee_id = ${licenseeId}::uuid limit 1`,
    ),
  );
  return rows.length > 0;
}

export interface AreaFact {
  id: string;
  ownerId: string;
  hectares: number;
  crop: string;
}

export async function areaFact(db: Database, id: string): Promise<AreaFact | null> {
  const [row] = rowsOf<{ id: string; owner_id: string; hectares: string | number; crop: string }>(
    await db.execute(sql`select id, owner_id, hectares, crop from catalog.area_scope where id = ${id}::uuid`),
  );
  return row ? { id: row.id, ownerId: row.owner_id, hectares: Number(row.hectares), crop: row.crop } : null;
}

export interface SeasonNormFact {
  areaId: string;
  season: string;
  expectedYieldPerHectare: number;
  yieldUnit: string;
  /** A fraction: 0.2 lets the lots of a season reach 120 % of the norm. */
  tolerance: number;
}

/** The area's norm for a season; null when none is set or it names no yield (then lots are not checked). */
export async function seasonNorm(db: Database, areaId: string, season: string): Promise<SeasonNormFact | null> {
  const [row] = rowsOf<{
    area_id: string;
    season: string;
    expected_yield_per_hectare: string | number | null;
    yield_unit: string | null;
    tolerance: string | number;
  }>(
    await db.execute(sql`select area_id, season, expected_yield_per_hectare, yield_unit, tolerance
      from catalog.season_norm_scope where area_id = ${areaId}::uuid and season = ${season}`),
  );
  if (!row || row.expected_yield_per_hectare === null || !row.yield_unit) return null;
  return {
    areaId: row.area_id,
    season: row.season,
    expectedYieldPerHectare: Number(row.expected_yield_per_hectare),
    yieldUnit: row.yield_unit,
    tolerance: Number(row.tolerance),
  };
}

/** The seasons an area has norms for, as the officer named them. */
export async function normSeasons(db: Database, areaId: string): Promise<string[]> {
  return rowsOf<{ season: string }>(await db.execute(sql`select season from catalog.season_norm_scope where area_id = ${areaId}::uuid`)).map((r) => r.season);
}
