import { sql, type SQL } from 'drizzle-orm';
import { inAnySubtree, rowsOf, type Database } from '@nguon/shared';
import type { AggregateFilter, AggregateQuery, Dimension } from '../query';

/**
 * SQL for aggregates. Everything here reads analytics.production_monthly —
 * the rollup — never the source views, so the cost depends on the number of
 * (month, producer, product) cells, not on the number of lots or events.
 */

/** Grouping key of each dimension; nulls become '' so keys compare with `=`. */
const KEY: Record<Dimension, SQL> = {
  DISTRICT: sql`coalesce(r.district_code, '')`,
  SECTOR: sql`coalesce(r.sector, '')`,
  CATEGORY: sql`r.category`,
  PRODUCER: sql`r.owner_id::text`,
  PRODUCT: sql`r.product_id::text`,
  MONTH: sql`to_char(r.month, 'YYYY-MM')`,
  SEASON: sql`r.season`,
};

const uuidList = (ids: string[]) => sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
const textList = (values: string[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);

export function whereClause(roots: string[], filter: AggregateFilter): SQL {
  const parts: SQL[] = [inAnySubtree(sql`r.path`, roots)];
  if (filter.fromMonth) parts.push(sql`r.month >= ${filter.fromMonth}::date`);
  if (filter.toMonth) parts.push(sql`r.month <= ${filter.toMonth}::date`);
  if (filter.districtCodes) parts.push(filter.districtCodes.length ? sql`r.district_code in (${textList(filter.districtCodes)})` : sql`false`);
  if (filter.sectors) parts.push(filter.sectors.length ? sql`r.sector in (${textList(filter.sectors)})` : sql`false`);
  // A category code covers its subcategories when catalog uses dotted paths.
  if (filter.categories) parts.push(filter.categories.length ? sql`(${sql.join(filter.categories.map((c) => sql`(r.category = ${c} or r.category like ${`${c}.%`})`), sql` or `)})` : sql`false`);
  if (filter.producerIds) parts.push(filter.producerIds.length ? sql`r.owner_id in (${uuidList(filter.producerIds)})` : sql`false`);
  if (filter.productIds) parts.push(filter.productIds.length ? sql`r.product_id in (${uuidList(filter.productIds)})` : sql`false`);
  return sql.join(parts, sql` and `);
}

export interface AggregateRowData {
  keys: string[];
  lotCount: number;
  productCount: number;
  producerCount: number;
  recalledLotCount: number;
  volumes: { unit: string; quantity: string }[];
  totalRows: number;
}

const dimCols = (groupBy: Dimension[]) => groupBy.map((d, i) => sql`${KEY[d]} as ${sql.raw(`d${i}`)}`);
const dimRefs = (groupBy: Dimension[], alias: string) => groupBy.map((_d, i) => sql.raw(`${alias}.d${i}`));
const keyList = (groupBy: Dimension[]) => groupBy.map((_d, i) => sql.raw(`d${i}`));
const needsDistinct = (query: AggregateQuery) => query.measures.includes('PRODUCT_COUNT') || query.measures.includes('PRODUCER_COUNT');

function orderClause(query: AggregateQuery, alias: string): SQL {
  const keys = dimRefs(query.groupBy, alias);
  const byKeys = keys.length ? keys : [sql`1`];
  if (!query.orderBy) return sql.join(byKeys, sql`, `);
  const column = { LOT_COUNT: 'lots', PRODUCT_COUNT: 'products', PRODUCER_COUNT: 'producers', RECALLED_LOT_COUNT: 'recalled', PRODUCTION_VOLUME: 'order_qty' }[
    query.orderBy.measure as 'LOT_COUNT'
  ];
  return sql`${sql.raw(`${alias}.${column}`)} ${sql.raw(query.orderBy.descending ? 'desc nulls last' : 'asc nulls first')}, ${sql.join(byKeys, sql`, `)}`;
}

/**
 * One page of grouped rows: sums per group and unit, then per group (with
 * the per-unit volumes as JSON). Distinct counts need producer and product
 * ids, so they are computed — in a second pass over the same cells — only
 * when asked for; the rollup keeps both in its grain, so they stay exact.
 */
export async function runAggregate(db: Database, query: AggregateQuery, limit: number, offset: number): Promise<AggregateRowData[]> {
  const keys = keyList(query.groupBy);
  const withKeys = (rest: SQL[]) => sql.join([...keys, ...rest], sql`, `);
  const groupByKeys = keys.length ? sql`group by ${sql.join(keys, sql`, `)}` : sql``;
  const distinct = needsDistinct(query);
  const orderUnit = query.orderBy?.unit ?? 'KGM';
  const joinOn = (a: string, b: string) => (keys.length ? sql.join(query.groupBy.map((_d, i) => sql.raw(`${a}.d${i} = ${b}.d${i}`)), sql` and `) : sql`true`);
  const result = await db.execute(sql`
    with cells as (
      select ${sql.join([...dimCols(query.groupBy), sql`r.unit`, sql`r.lot_count`, sql`r.recalled_lot_count`, sql`r.quantity`, ...(distinct ? [sql`r.product_id`, sql`r.owner_id`] : [])], sql`, `)}
      from analytics.production_monthly r
      where ${whereClause(query.roots, query.filter)}
    ),
    per_unit as (
      select ${withKeys([sql`unit`, sql`sum(lot_count) as lots`, sql`sum(recalled_lot_count) as recalled`, sql`sum(quantity) as qty`])}
      from cells group by ${withKeys([sql`unit`])}
    ),
    groups as (
      select ${withKeys([
        sql`sum(lots)::bigint as lots`,
        sql`sum(recalled)::bigint as recalled`,
        sql`sum(qty) filter (where unit = ${orderUnit}) as order_qty`,
        sql`json_agg(json_build_object('unit', unit, 'quantity', qty::text) order by unit) as volumes`,
      ])}
      from per_unit ${groupByKeys}
    )
    ${distinct ? sql`, distincts as (select ${withKeys([sql`count(distinct product_id)::int as products`, sql`count(distinct owner_id)::int as producers`])} from cells ${groupByKeys})` : sql``}
    select ${keys.length ? sql`${sql.join(dimRefs(query.groupBy, 'g'), sql`, `)},` : sql``} g.lots, g.recalled, g.volumes, ${distinct ? sql`d.products, d.producers` : sql`null as products, null as producers`},
      count(*) over () as total
    from groups g ${distinct ? sql`join distincts d on ${joinOn('d', 'g')}` : sql``}
    order by ${orderClause(query, 'g')}
    limit ${limit} offset ${offset}
  `);
  return rowsOf<Record<string, unknown>>(result).map((row) => ({
    keys: query.groupBy.map((_d, i) => String(row[`d${i}`] ?? '')),
    lotCount: Number(row.lots ?? 0),
    productCount: Number(row.products ?? 0),
    producerCount: Number(row.producers ?? 0),
    recalledLotCount: Number(row.recalled ?? 0),
    volumes: (typeof row.volumes === 'string' ? JSON.parse(row.volumes) : (row.volumes ?? [])) as { unit: string; quantity: string }[],
    totalRows: Number(row.total),
  }));
}

/**
 * The export's statement: one row per group and unit (a tidy table a
 * spreadsheet can pivot), ordered by the keys so it can be streamed.
 */
export function exportStatement(query: AggregateQuery): SQL {
  const keys = keyList(query.groupBy);
  const perUnit = query.measures.includes('PRODUCTION_VOLUME');
  const distinct = needsDistinct(query);
  const group = [...keys, ...(perUnit ? [sql`unit`] : [])];
  return sql`
    with cells as (
      select ${sql.join([...dimCols(query.groupBy), sql`r.unit`, sql`r.lot_count`, sql`r.recalled_lot_count`, sql`r.quantity`, sql`r.product_id`, sql`r.owner_id`], sql`, `)}
      from analytics.production_monthly r
      where ${whereClause(query.roots, query.filter)}
    )
    select ${group.length ? sql`${sql.join(group, sql`, `)},` : sql``}
      sum(lot_count)::bigint as lots, sum(recalled_lot_count)::bigint as recalled,
      ${distinct ? sql`count(distinct product_id)::int as products, count(distinct owner_id)::int as producers` : sql`null as products, null as producers`},
      ${perUnit ? sql`sum(quantity)::text` : sql`null`} as qty
    from cells
    ${group.length ? sql`group by ${sql.join(group, sql`, `)} order by ${sql.join(group, sql`, `)}` : sql``}
  `;
}
