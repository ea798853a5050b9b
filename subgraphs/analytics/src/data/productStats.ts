import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '@nguon/shared';
import { canonicalQuantitySql, canonicalUnitSql } from '../units';

export interface ProductCounts {
  id: string;
  path: string;
  published: boolean;
  lots: number;
  publishedLots: number;
  /** Per canonical unit, with the lots behind it (small-cell suppression sizes each value by them). */
  volumes: { unit: string; quantity: string; lots: number }[];
  firstProducedOn: string | null;
  lastProducedOn: string | null;
}

/**
 * Live figures for many products in one statement (the lots of one product
 * are an index range on trace.lots, so no rollup is needed). The resolver
 * decides what the viewer sees.
 */
export async function productCounts(db: Database, ids: readonly string[]): Promise<ProductCounts[]> {
  const idList = sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      with per_unit as (
        select f.product_id, ${canonicalUnitSql(sql`f.unit`)} as unit, sum(${canonicalQuantitySql(sql`f.quantity`, sql`f.unit`)}) as qty,
          count(*) as lots, count(*) filter (where f.lot_status in ('PUBLISHED', 'RECALLED', 'CLOSED')) as published_lots,
          min(f.fact_date) as first_on, max(f.fact_date) as last_on
        from analytics.production_facts f where f.product_id in (${idList})
        group by 1, 2
      )
      select p.id::text, o.path, p.status = 'PUBLISHED' as published,
        coalesce(sum(u.lots), 0)::int as lots, coalesce(sum(u.published_lots), 0)::int as published_lots,
        coalesce(json_agg(json_build_object('unit', u.unit, 'quantity', u.qty::text, 'lots', u.lots) order by u.unit) filter (where u.unit is not null), '[]') as volumes,
        min(u.first_on)::text as first_on, max(u.last_on)::text as last_on
      from analytics.products p
      join analytics.organizations o on o.id = p.owner_id
      left join per_unit u on u.product_id = p.id
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
    volumes: (typeof r.volumes === 'string' ? JSON.parse(r.volumes) : r.volumes) as ProductCounts['volumes'],
    firstProducedOn: (r.first_on as string | null) ?? null,
    lastProducedOn: (r.last_on as string | null) ?? null,
  }));
}
