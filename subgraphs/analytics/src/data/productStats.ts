import { sql } from 'drizzle-orm';
import { asJson, rowsOf, type Database } from '@nguon/shared';
import { canonicalQuantitySql, canonicalUnitSql } from '../units';

export interface ProductCounts {
  id: string;
  path: string;
  published: boolean;
  lots: number;
  publishedLots: number;
  /**
   * Per canonical unit, with the lots behind it and the paths of their
   * owners: small-cell suppression sizes each value by its lots and distinct
   * owners, and asks whether the viewer may read every owner's lots.
   */
  volumes: { unit: string; quantity: string; lots: number; producers: number; owners: (string | null)[] }[];
  /** Distinct lot owners over all units (the production dates rest on them). */
  producers: number;
  /** Paths of those owners; null for an owner analytics does not know (never readable). */
  owners: (string | null)[];
  firstProducedOn: string | null;
  lastProducedOn: string | null;
}

/**
 * Live figures for many products in one statement. A product's volume counts
 * each of its kilograms once: a lot made from another lot of the same
 * product (repacking) is counted in the lot count but not in the volume.
 * Lots made from other products (milled rice from paddy) are this product's
 * own production and do count: the figure is per product, not a city total.
 * The lots of one product are an index range on trace.lots, so no rollup is
 * needed. The resolver
 * decides what the viewer sees. A product's lots need not all belong to its
 * owner: a licensee (catalog.product_licences) records lots of it too, so the
 * owners are counted and listed per unit and per product.
 */
export async function productCounts(db: Database, ids: readonly string[]): Promise<ProductCounts[]> {
  const idList = sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      with facts as (
        select f.product_id, f.owner_id, o.path as owner_path, ${canonicalUnitSql(sql`f.unit`)} as unit,
          ${canonicalQuantitySql(sql`f.quantity`, sql`f.unit`)} as qty, f.lot_status, f.fact_date,
          -- Made from another lot of the same product (rice packed into bags of that rice): its kilograms are already counted.
          exists (
            select 1 from analytics.lot_edges le join analytics.lots up on up.id = le.parent_lot_id
            where le.child_lot_id = f.lot_id and up.product_id = f.product_id
          ) as repeated
        from analytics.production_facts f
        left join analytics.organizations o on o.id = f.owner_id
        where f.product_id in (${idList})
      ),
      per_unit as (
        select product_id, unit, coalesce(sum(qty) filter (where not repeated), 0) as qty,
          count(*) as lots, count(*) filter (where lot_status in ('PUBLISHED', 'RECALLED', 'CLOSED')) as published_lots,
          -- What stands behind the volume, for small-cell suppression: the lots it adds, not the repacked ones it leaves out.
          count(*) filter (where not repeated) as volume_lots, count(distinct owner_id) filter (where not repeated) as volume_producers,
          json_agg(distinct owner_path) as owners,
          min(fact_date) as first_on, max(fact_date) as last_on
        from facts group by 1, 2
      ),
      per_product as (
        select product_id, count(distinct owner_id)::int as producers, json_agg(distinct owner_path) as owners
        from facts group by 1
      )
      select p.id::text, o.path, p.status = 'PUBLISHED' as published,
        coalesce(sum(u.lots), 0)::int as lots, coalesce(sum(u.published_lots), 0)::int as published_lots,
        coalesce(json_agg(json_build_object('unit', u.unit, 'quantity', u.qty::text, 'lots', u.volume_lots, 'producers', u.volume_producers, 'owners', u.owners) order by u.unit) filter (where u.unit is not null), '[]') as volumes,
        coalesce(min(pp.producers), 0) as producers, coalesce(min(pp.owners::text), '[]') as owners,
        min(u.first_on)::text as first_on, max(u.last_on)::text as last_on
      from analytics.products p
      join analytics.organizations o on o.id = p.owner_id
      left join per_unit u on u.product_id = p.id
      left join per_product pp on pp.product_id = p.id
      where p.id in (${idList})
      group by p.id, o.path, p.status
    `),
  );
  return rows.map((r) => ({
    id: String(r.id),
    path: String(r.path),
    published: Boolean(r.published),
    lots: Number(r.lots),
    publishedLots: Number(r.published_lots),
    volumes: asJson<ProductCounts['volumes']>(r.volumes).map((v) => ({ ...v, lots: Number(v.lots), producers: Number(v.producers) })),
    producers: Number(r.producers),
    owners: asJson<ProductCounts['owners']>(r.owners),
    firstProducedOn: (r.first_on as string | null) ?? null,
    lastProducedOn: (r.last_on as string | null) ?? null,
  }));
}
