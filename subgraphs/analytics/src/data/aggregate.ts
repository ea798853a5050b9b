import { sql, type SQL } from 'drizzle-orm';
import { badInput, inAnySubtree, rowsOf, type Database, type Viewer, asJson } from '@nguon/shared';
import type { AggregateFilter, AggregateQuery, Dimension, Measure } from '../query';
import { primaryReasonSql, readableSql, type SuppressionReason, type SuppressionRule } from '../suppression';

/**
 * SQL for aggregates. Everything here reads the rollups —
 * analytics.production_monthly, activity_monthly and recall_facts — never the
 * source views, so the cost depends on the number of (month, organization,
 * product) cells, not on the number of lots, events or scans.
 */

/**
 * Grouping key of each dimension; nulls become '' so keys compare with `=`.
 * AREA: the id of the producer's ancestor on the asked level, read from the
 * tree as it is now (analytics.organization_ancestors), so adding, moving or
 * renaming a level changes no other group. The map is one uncorrelated
 * subquery, computed once per statement over a few hundred organizations,
 * then a lookup per rollup cell: no join over the facts.
 */
const areaKey = (level: string) =>
  sql`coalesce((select jsonb_object_agg(a.id::text, a.ancestor_id::text) from analytics.organization_ancestors a where a.level = ${level}) ->> r.owner_id::text, '')`;

const KEY: Record<Exclude<Dimension, 'AREA'>, SQL> = {
  DISTRICT: sql`coalesce(r.district_code, '')`,
  SECTOR: sql`coalesce(r.sector, '')`,
  CATEGORY: sql`r.category`,
  PRODUCER: sql`r.owner_id::text`,
  PRODUCT: sql`r.product_id::text`,
  MONTH: sql`to_char(r.month, 'YYYY-MM')`,
  SEASON: sql`r.season`,
};

const uuidList = (ids: string[]) =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
const textList = (values: string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

export function whereClause(roots: string[], filter: AggregateFilter): SQL {
  const parts: SQL[] = [inAnySubtree(sql`r.path`, roots)];
  if (filter.fromMonth) parts.push(sql`r.month >= ${filter.fromMonth}::date`);
  if (filter.toMonth) parts.push(sql`r.month <= ${filter.toMonth}::date`);
  if (filter.districtCodes) parts.push(filter.districtCodes.length ? sql`r.district_code in (${textList(filter.districtCodes)})` : sql`false`);
  // Producers below the named organizations in the tree as it is now (any level), not as the rollup copied their paths.
  if (filter.areaIds)
    parts.push(
      filter.areaIds.length
        ? sql`r.owner_id in (select a.id from analytics.organization_ancestors a where a.ancestor_id in (${uuidList(filter.areaIds)}))`
        : sql`false`,
    );
  if (filter.sectors) parts.push(filter.sectors.length ? sql`r.sector in (${textList(filter.sectors)})` : sql`false`);
  // A category code covers its subcategories when catalog uses dotted paths.
  if (filter.categories)
    parts.push(
      filter.categories.length
        ? sql`(${sql.join(
            filter.categories.map((c) => sql`(r.category = ${c} or r.category like ${`${c}.%`})`),
            sql` or `,
          )})`
        : sql`false`,
    );
  if (filter.producerIds) parts.push(filter.producerIds.length ? sql`r.owner_id in (${uuidList(filter.producerIds)})` : sql`false`);
  if (filter.productIds) parts.push(filter.productIds.length ? sql`r.product_id in (${uuidList(filter.productIds)})` : sql`false`);
  return sql.join(parts, sql` and `);
}

/** Who asks and under which rule: decides which cells are withheld (src/suppression.ts). */
export interface Disclosure {
  viewer: Viewer;
  rule: SuppressionRule;
}

export interface AggregateRowData {
  keys: string[];
  lotCount: number;
  productCount: number;
  producerCount: number;
  recalledLotCount: number;
  /** Primary production per unit; `quantity` is null and `reason` set when the cell is withheld from this viewer. */
  volumes: { unit: string; quantity: string | null; reason: SuppressionReason | null }[];
  /** Processed output per (stage, unit), with its yield (output over input, null when not comparable); withheld as volumes are. */
  processed: StagedQuantity[];
  /** Shipped quantity per (stage of the lots shipped, unit). */
  shipped: StagedQuantity[];
  /** Sold (retail_selling) quantity per (stage of the lots sold, unit). */
  sold: StagedQuantity[];
  eventCount: number;
  scanCount: number;
  recallCount: number;
  /** Null when no recall of the group has a recorded `recalled` event. */
  recallHoursToIdentify: number | null;
  /** Null when no holding of the group has a known quantity held. */
  recallRecoveredShare: number | null;
  /** Why the two recall figures derived from INTERNAL values (hours, share) are withheld; null when shown. */
  recallSuppressed: SuppressionReason | null;
  totalRows: number;
}

export interface StagedQuantity {
  stage: string;
  unit: string;
  quantity: string | null;
  yield: number | null;
  reason: SuppressionReason | null;
}

/** Which rollup answers which measure. */
const FAMILY: Record<Measure, 'production' | 'activity' | 'recalls' | 'processed' | 'shipped' | 'sold'> = {
  LOT_COUNT: 'production',
  PRODUCTION_VOLUME: 'production',
  PROCESSED_OUTPUT: 'processed',
  PROCESSING_YIELD: 'processed',
  SHIPPED_QUANTITY: 'shipped',
  SOLD_QUANTITY: 'sold',
  PRODUCT_COUNT: 'production',
  PRODUCER_COUNT: 'production',
  RECALLED_LOT_COUNT: 'production',
  EVENT_COUNT: 'activity',
  SCAN_COUNT: 'activity',
  RECALL_COUNT: 'recalls',
  RECALL_HOURS_TO_IDENTIFY: 'recalls',
  RECALL_RECOVERED_SHARE: 'recalls',
};

/** Result column of each measure (PRODUCTION_VOLUME orders by its quantity in the order unit). */
const COLUMN: Record<Measure, string> = {
  LOT_COUNT: 'lots',
  PRODUCTION_VOLUME: 'order_qty',
  // Staged measures have one value per stage and unit: rows cannot be ordered by them (query.ts refuses).
  PROCESSED_OUTPUT: 'processed',
  PROCESSING_YIELD: 'processed',
  SHIPPED_QUANTITY: 'shipped',
  SOLD_QUANTITY: 'sold',
  PRODUCT_COUNT: 'products',
  PRODUCER_COUNT: 'producers',
  RECALLED_LOT_COUNT: 'recalled',
  EVENT_COUNT: 'events',
  SCAN_COUNT: 'scans',
  RECALL_COUNT: 'recalls',
  RECALL_HOURS_TO_IDENTIFY: 'hours',
  RECALL_RECOVERED_SHARE: 'share',
};

const dimCols = (query: Pick<AggregateQuery, 'groupBy' | 'areaLevel'>) =>
  query.groupBy.map((d, i) => sql`${d === 'AREA' ? areaKey(query.areaLevel!) : KEY[d]} as ${sql.raw(`d${i}`)}`);

/** Refuses an AREA grouping by a level the tree does not have (levels are data, so the parser cannot know them). */
export async function checkAreaLevel(db: Database, query: Pick<AggregateQuery, 'areaLevel'>, field: string[] = ['input', 'areaLevel']): Promise<void> {
  if (query.areaLevel === null) return;
  const codes = rowsOf<{ code: string }>(await db.execute(sql`select code from analytics.levels order by rank`)).map((r) => r.code);
  if (!codes.includes(query.areaLevel)) throw badInput(`Unknown level "${query.areaLevel}"; one of ${codes.join(', ')}.`, field);
}
const keyList = (groupBy: Dimension[]) => groupBy.map((_d, i) => sql.raw(`d${i}`));
const needsDistinct = (query: AggregateQuery) => query.measures.includes('PRODUCT_COUNT') || query.measures.includes('PRODUCER_COUNT');
const families = (query: AggregateQuery) => new Set(query.measures.map((m) => FAMILY[m]));

function orderClause(query: AggregateQuery): SQL {
  const keys = keyList(query.groupBy);
  // One row without keys: nothing to order, but `order by 1` would name the first column, which may be JSON.
  const byKeys = keys.length ? keys : [sql`(select 1)`];
  if (!query.orderBy) return sql.join(byKeys, sql`, `);
  return sql`${sql.raw(COLUMN[query.orderBy.measure])} ${sql.raw(query.orderBy.descending ? 'desc nulls last' : 'asc nulls first')}, ${sql.join(byKeys, sql`, `)}`;
}

/** Groups of the activity rollup: events and scans. */
function activityGroups(query: AggregateQuery): SQL {
  const keys = keyList(query.groupBy);
  return sql`
    select ${sql.join([...keys, sql`sum(event_count)::bigint as events`, sql`sum(scan_count)::bigint as scans`], sql`, `)}
    from (select ${sql.join([...dimCols(query), sql`r.event_count`, sql`r.scan_count`], sql`, `)}
          from analytics.activity_monthly r where ${whereClause(query.roots, query.filter)}) c
    ${keys.length ? sql`group by ${sql.join(keys, sql`, `)}` : sql``}`;
}

/**
 * Groups of the recall rollup. A recall counts once per group however many
 * of its lots the group holds; its hours to identify, within a group, run
 * from opening to the last `recalled` event of the group's lots, and the
 * group reports the median over its recalls. Hours and recovered share come
 * from INTERNAL records (event times, holdings), so a group resting on too
 * few lots or producers is withheld from a viewer who may not read them
 * (`recall_suppressed`). A median and a ratio cannot be worked out from a
 * total minus the other groups, so no secondary suppression is needed here.
 * A lot in two recalls of one group counts twice towards the group's lots.
 */
function recallGroups(query: AggregateQuery, disclosure: Disclosure): SQL {
  const keys = keyList(query.groupBy);
  const withKeys = (rest: SQL[]) => sql.join([...keys, ...rest], sql`, `);
  const groupByKeys = keys.length ? sql`group by ${sql.join(keys, sql`, `)}` : sql``;
  const reason = primaryReasonSql(disclosure.rule, sql`s.readable`, sql`s.lots`, sql`s.producers`);
  return sql`
    with c as (
      select ${sql.join(
        [
          ...dimCols(query),
          sql`r.recall_id`,
          sql`r.owner_id`,
          sql`r.lot_count`,
          sql`r.opened_at`,
          sql`r.identified_at`,
          sql`r.quantity_held`,
          sql`r.quantity_recovered`,
          sql`${readableSql(disclosure.viewer, query.roots, sql`r.path`)} as readable`,
        ],
        sql`, `,
      )}
      from analytics.recall_facts r where ${whereClause(query.roots, query.filter)}
    ),
    per_recall as (
      select ${withKeys([
        sql`extract(epoch from max(identified_at) - min(opened_at))::float8 / 3600 as hours`,
        sql`sum(quantity_held) as held`,
        sql`sum(quantity_recovered) as recovered`,
      ])}
      from c group by ${withKeys([sql`recall_id`])}
    ),
    g as (
      select ${withKeys([
        sql`count(*)::bigint as recalls`,
        sql`percentile_cont(0.5) within group (order by hours) as hours`,
        sql`(sum(recovered) / nullif(sum(held), 0))::float8 as share`,
      ])}
      from per_recall ${groupByKeys}
    ),
    s as (
      select ${withKeys([sql`sum(lot_count)::bigint as lots`, sql`count(distinct owner_id)::int as producers`, sql`bool_and(readable) as readable`])}
      from c ${groupByKeys}
    )
    select ${sql.join([...keys.map((k) => sql`g.${k}`), sql`g.recalls`], sql`, `)},
      case when ${reason} is null then g.hours end as hours,
      case when ${reason} is null then g.share end as share,
      ${reason} as recall_suppressed
    from g ${keys.length ? sql`join s using (${sql.join(keys, sql`, `)})` : sql`cross join s`}`;
}

/**
 * Where a quantity series comes from: a rollup, the rows of it that belong
 * to the measure, and the stage each row reports under. Primary production
 * reads only PRIMARY lots, processed output only PROCESSED ones (AGGREGATED
 * lots hold their contents' kilograms again and enter no quantity figure).
 */
interface QuantitySource {
  table: string;
  where: SQL;
  /**
   * How a group's cells add up to the lots behind it, for small-cell
   * suppression. A production cell's lots are distinct from every other
   * cell's (a lot is one fact), so they add. A movement cell counts distinct
   * lots per month and organization, and one lot shipped on by three
   * organizations is in three cells: adding would count it three times, so a
   * group is credited with its largest cell, a floor of its distinct lots.
   */
  lots: SQL;
  stage: SQL;
  recalled: SQL;
  yieldInput: SQL;
  yieldOutput: SQL;
}

const PRIMARY: QuantitySource = {
  table: 'analytics.production_monthly',
  where: sql`r.origin = 'PRIMARY'`,
  lots: sql`sum(lot_count)`,
  stage: sql`''`,
  recalled: sql`r.recalled_lot_count`,
  yieldInput: sql`null::numeric`,
  yieldOutput: sql`null::numeric`,
};

const PROCESSED: QuantitySource = {
  table: 'analytics.production_monthly',
  where: sql`r.origin = 'PROCESSED'`,
  lots: sql`sum(lot_count)`,
  stage: sql`r.stage`,
  recalled: sql`r.recalled_lot_count`,
  yieldInput: sql`r.yield_input`,
  yieldOutput: sql`r.yield_output`,
};

const movement = (step: 'shipping' | 'retail_selling'): QuantitySource => ({
  table: 'analytics.movement_monthly',
  where: sql`r.step = ${step}`,
  lots: sql`max(lot_count)`,
  stage: sql`r.lot_stage`,
  recalled: sql`0`,
  yieldInput: sql`null::numeric`,
  yieldOutput: sql`null::numeric`,
});

/**
 * One JSON list per group of a staged quantity measure: per (stage, unit),
 * the quantity and, for processed output, the yield (output over input of
 * the transformations that made the lots, in one canonical unit). Both are
 * withheld together, as one cell, under the same rule as volumes.
 */
function stagedSide(query: AggregateQuery, disclosure: Disclosure, source: QuantitySource, column: string): SQL {
  const keys = keyList(query.groupBy);
  return sql`
    with s as (${productionUnits(query, disclosure, source)})
    select ${sql.join(
      [
        ...keys,
        sql`json_agg(json_build_object('stage', stage, 'unit', unit, 'quantity', case when reason is null then qty::text end,
          'yield', case when reason is null and yin > 0 then (yout / yin)::float8 end, 'reason', reason) order by stage, unit) as ${sql.raw(column)}`,
      ],
      sql`, `,
    )}
    from s ${keys.length ? sql`group by ${sql.join(keys, sql`, `)}` : sql``}`;
}

/**
 * Production per group and canonical unit, with each cell's suppression
 * decision in `reason` (null: shown). Primary: a cell the viewer may not
 * read in full that rests on fewer lots or producers than the rule asks.
 * Secondary: volumes add up, so a lone withheld cell in a line of the
 * table (the cells that differ in one grouping key, same unit) could be
 * worked out from that line's total, which a coarser query shows. So when a
 * line holds exactly one withheld cell, its smallest other cell the viewer
 * may not read is withheld too (SECONDARY). One pass per grouping key, two
 * rounds when there are several keys, as a secondary cell can leave a
 * crossing line with a lone withheld cell. Runs over the whole answer,
 * before any page is cut, so every page agrees.
 */
function productionUnits(query: AggregateQuery, disclosure: Disclosure, source: QuantitySource = PRIMARY): SQL {
  const keys = keyList(query.groupBy);
  const withKeys = (rest: SQL[]) => sql.join([...keys, ...rest], sql`, `);
  const columns = sql.join([...keys, sql`stage`, sql`unit`, sql`lots`, sql`recalled`, sql`qty`, sql`yin`, sql`yout`, sql`producers`, sql`readable`], sql`, `);
  const passes: SQL[] = [];
  const rounds = keys.length > 1 ? 2 : keys.length;
  for (let round = 0; round < rounds; round++) {
    keys.forEach((_k, i) => {
      const n = passes.length;
      const line = sql.join([sql`stage`, sql`unit`, ...keys.filter((_o, j) => j !== i)], sql`, `);
      const window = sql`partition by ${line}`;
      passes.push(sql`, s${sql.raw(String(n + 1))} as (
        select ${columns},
          case when reason is null and not readable and count(reason) over (${window}) = 1
            and row_number() over (${window} order by (reason is not null or readable), qty, lots, ${sql.join(keys, sql`, `)}) = 1
          then 'SECONDARY' else reason end as reason
        from s${sql.raw(String(n))}
      )`);
    });
  }
  return sql`
    with cells as (
      select ${sql.join(
        [
          ...dimCols(query),
          sql`${source.stage} as stage`,
          sql`r.unit`,
          sql`r.lot_count`,
          sql`${source.recalled} as recalled_lot_count`,
          sql`r.quantity`,
          sql`${source.yieldInput} as yield_input`,
          sql`${source.yieldOutput} as yield_output`,
          sql`r.owner_id`,
          sql`${readableSql(disclosure.viewer, query.roots, sql`r.path`)} as readable`,
        ],
        sql`, `,
      )}
      from ${sql.raw(source.table)} r
      where ${whereClause(query.roots, query.filter)} and ${source.where}
    ),
    per_unit as (
      select ${withKeys([
        sql`stage`,
        sql`unit`,
        sql`${source.lots} as lots`,
        sql`sum(recalled_lot_count) as recalled`,
        sql`sum(quantity) as qty`,
        sql`sum(yield_input) as yin`,
        sql`sum(yield_output) as yout`,
        sql`count(distinct owner_id) as producers`,
        sql`bool_and(readable) as readable`,
      ])}
      from cells group by ${withKeys([sql`stage`, sql`unit`])}
    ),
    s0 as (select ${columns}, ${primaryReasonSql(disclosure.rule, sql`readable`, sql`lots`, sql`producers`)} as reason from per_unit)
    ${sql.join(passes, sql``)}
    select ${columns}, reason from s${sql.raw(String(passes.length))}`;
}

/**
 * Joins the groups of each rollup a query needs on their keys: a group with
 * events but no production still shows (its lot count is 0). Without keys
 * every side is one row, so a cross join.
 */
function joinFamilies(query: AggregateQuery, sides: { name: string; body: SQL; columns: string[] }[]): SQL {
  const keys = query.groupBy.map((_d, i) => `d${i}`);
  const [first, ...rest] = sides;
  const join = (name: string) => (keys.length ? sql.raw(` full join ${name} using (${keys.join(', ')})`) : sql.raw(` cross join ${name}`));
  // A count missing on one side of the join is a real zero there.
  const columns = sides.flatMap((s) => s.columns).map((c) => (COUNTS.has(c) ? `coalesce(${c}, 0) as ${c}` : c));
  return sql`with ${sql.join(
    sides.map((s) => sql`${sql.raw(s.name)} as (${s.body})`),
    sql`, `,
  )}
    select ${sql.raw([...keys, ...columns].join(', '))} from ${sql.raw(first!.name)}${sql.join(
      rest.map((s) => join(s.name)),
      sql``,
    )}`;
}

const COUNTS = new Set(['lots', 'recalled', 'products', 'producers', 'events', 'scans', 'recalls']);
const ACTIVITY_COLUMNS = ['events', 'scans'];
const RECALL_COLUMNS = ['recalls', 'hours', 'share', 'recall_suppressed'];

/**
 * One page of grouped rows. Production: sums per group and unit, then per
 * group (with the per-unit volumes as JSON). Distinct counts need producer
 * and product ids, so they are computed — in a second pass over the same
 * cells — only when asked for; the rollup keeps both in its grain, so they
 * stay exact. Events, scans and recalls come from their own rollups, read
 * only when one of their measures is asked for.
 */
export async function runAggregate(db: Database, query: AggregateQuery, disclosure: Disclosure, limit: number, offset: number): Promise<AggregateRowData[]> {
  const keys = keyList(query.groupBy);
  const withKeys = (rest: SQL[]) => sql.join([...keys, ...rest], sql`, `);
  const groupByKeys = keys.length ? sql`group by ${sql.join(keys, sql`, `)}` : sql``;
  const distinct = needsDistinct(query);
  const orderUnit = query.orderBy?.unit ?? 'KGM';
  const joinOn = (a: string, b: string) =>
    keys.length
      ? sql.join(
          query.groupBy.map((_d, i) => sql.raw(`${a}.d${i} = ${b}.d${i}`)),
          sql` and `,
        )
      : sql`true`;
  const wanted = families(query);
  const sides: { name: string; body: SQL; columns: string[] }[] = [];
  if (wanted.has('production')) {
    sides.push({
      name: 'production',
      body: sql`
        with per_unit as (${productionUnits(query, disclosure)}),
        volumes as (
          select ${withKeys([
            // A withheld volume sorts as unknown (last), so the order does not rank it either.
            sql`sum(qty) filter (where unit = ${orderUnit} and reason is null) as order_qty`,
            sql`json_agg(json_build_object('unit', unit, 'quantity', case when reason is null then qty::text end, 'reason', reason) order by unit) as volumes`,
          ])}
          from per_unit ${groupByKeys}
        ),
        -- Lots are counted whatever their origin: a lot is one registration, not a kilogram.
        counts as (
          select ${withKeys([sql`sum(lot_count)::bigint as lots`, sql`sum(recalled_lot_count)::bigint as recalled`])}
          from (select ${sql.join([...dimCols(query), sql`r.lot_count`, sql`r.recalled_lot_count`], sql`, `)}
                from analytics.production_monthly r where ${whereClause(query.roots, query.filter)}) c
          ${groupByKeys}
        ),
        groups as (
          select ${
            keys.length
              ? sql`${sql.join(
                  keys.map((k) => sql`c.${k}`),
                  sql`, `,
                )},`
              : sql``
          } c.lots, c.recalled, v.order_qty, v.volumes
          from counts c left join volumes v on ${joinOn('v', 'c')}
        )
        ${
          distinct
            ? sql`, distincts as (
          select ${withKeys([sql`count(distinct product_id)::int as products`, sql`count(distinct owner_id)::int as producers`])}
          from (select ${sql.join([...dimCols(query), sql`r.product_id`, sql`r.owner_id`], sql`, `)}
                from analytics.production_monthly r where ${whereClause(query.roots, query.filter)}) c
          ${groupByKeys})`
            : sql``
        }
        select ${
          keys.length
            ? sql`${sql.join(
                keys.map((k) => sql`g.${k}`),
                sql`, `,
              )},`
            : sql``
        } g.lots, g.recalled, g.order_qty, g.volumes,
          ${distinct ? sql`d.products, d.producers` : sql`null::int as products, null::int as producers`}
        from groups g ${distinct ? sql`join distincts d on ${joinOn('d', 'g')}` : sql``}`,
      columns: ['lots', 'recalled', 'order_qty', 'volumes', 'products', 'producers'],
    });
  }
  if (wanted.has('activity')) sides.push({ name: 'activity', body: activityGroups(query), columns: ACTIVITY_COLUMNS });
  if (wanted.has('recalls')) sides.push({ name: 'recall_groups', body: recallGroups(query, disclosure), columns: RECALL_COLUMNS });
  if (wanted.has('processed')) sides.push({ name: 'processed_groups', body: stagedSide(query, disclosure, PROCESSED, 'processed'), columns: ['processed'] });
  if (wanted.has('shipped')) sides.push({ name: 'shipped_groups', body: stagedSide(query, disclosure, movement('shipping'), 'shipped'), columns: ['shipped'] });
  if (wanted.has('sold')) sides.push({ name: 'sold_groups', body: stagedSide(query, disclosure, movement('retail_selling'), 'sold'), columns: ['sold'] });
  const result = await db.execute(sql`
    select *, count(*) over () as total from (${joinFamilies(query, sides)}) a
    order by ${orderClause(query)}
    limit ${limit} offset ${offset}
  `);
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return rowsOf<Record<string, unknown>>(result).map((row) => ({
    keys: query.groupBy.map((_d, i) => String(row[`d${i}`] ?? '')),
    lotCount: Number(row.lots ?? 0),
    productCount: Number(row.products ?? 0),
    producerCount: Number(row.producers ?? 0),
    recalledLotCount: Number(row.recalled ?? 0),
    volumes: asJson<AggregateRowData['volumes'] | null>(row.volumes) ?? [],
    processed: asJson<StagedQuantity[] | null>(row.processed) ?? [],
    shipped: asJson<StagedQuantity[] | null>(row.shipped) ?? [],
    sold: asJson<StagedQuantity[] | null>(row.sold) ?? [],
    eventCount: Number(row.events ?? 0),
    scanCount: Number(row.scans ?? 0),
    recallCount: Number(row.recalls ?? 0),
    recallHoursToIdentify: num(row.hours),
    recallRecoveredShare: num(row.share),
    recallSuppressed: (row.recall_suppressed as SuppressionReason | null | undefined) ?? null,
    totalRows: Number(row.total),
  }));
}

/**
 * The export's statement: one row per group and unit (a tidy table a
 * spreadsheet can pivot), ordered by the keys so it can be streamed. Event,
 * scan and recall figures have no unit: with PRODUCTION_VOLUME they go on a
 * row of their own per group with an empty unit, so every column still sums.
 * Withheld figures are null with their reason in `qty_suppressed` /
 * `recall_suppressed`, decided as for the GraphQL answer.
 */
export function exportStatement(query: AggregateQuery, disclosure: Disclosure): SQL {
  const keys = keyList(query.groupBy);
  const perUnit = query.measures.includes('PRODUCTION_VOLUME');
  const distinct = needsDistinct(query);
  const wanted = families(query);
  const group = [...keys, ...(perUnit ? [sql`unit`] : [])];
  const distinctCols = distinct
    ? sql`count(distinct product_id)::int as products, count(distinct owner_id)::int as producers`
    : sql`null::int as products, null::int as producers`;
  const scoped = sql`
    select ${sql.join([...dimCols(query), sql`r.unit`, sql`r.lot_count`, sql`r.recalled_lot_count`, sql`r.product_id`, sql`r.owner_id`], sql`, `)}
    from analytics.production_monthly r
    where ${whereClause(query.roots, query.filter)}`;
  // Without volumes the production columns are counts: nothing to withhold.
  const production = perUnit
    ? sql`
      with u as (${productionUnits(query, disclosure)}),
      d as (
        select ${sql.join([...group, sql`sum(lot_count)::bigint as lots`, sql`sum(recalled_lot_count)::bigint as recalled`, distinctCols], sql`, `)}
        from (${scoped}) c group by ${sql.join(group, sql`, `)}
      )
      -- Lots of every origin, as the GraphQL LOT_COUNT counts them; the volume is primary production only, so a
      -- unit row whose lots are all processed or aggregated shows a true 0 (not a withheld figure: no reason).
      select ${sql.join(
        group.map((k) => sql`d.${k}`),
        sql`, `,
      )}, d.lots, d.recalled, d.products, d.producers,
        case when u.reason is null then coalesce(u.qty, 0)::text end as qty, u.reason as qty_suppressed
      from d left join u using (${sql.join(group, sql`, `)})`
    : sql`
      select ${group.length ? sql`${sql.join(group, sql`, `)},` : sql``}
        sum(lot_count)::bigint as lots, sum(recalled_lot_count)::bigint as recalled, ${distinctCols},
        null::text as qty, null::text as qty_suppressed
      from (${scoped}) c
      ${group.length ? sql`group by ${sql.join(group, sql`, `)}` : sql``}`;
  const others: { name: string; body: SQL; columns: string[] }[] = [];
  if (wanted.has('activity')) others.push({ name: 'activity', body: activityGroups(query), columns: ACTIVITY_COLUMNS });
  if (wanted.has('recalls')) others.push({ name: 'recall_groups', body: recallGroups(query, disclosure), columns: RECALL_COLUMNS });
  const order = sql.join([...keys, ...(perUnit ? [sql`unit nulls last`] : [])], sql`, `);
  const orderBy = keys.length || perUnit ? sql`order by ${order}` : sql``;
  if (!wanted.has('production')) return sql`select * from (${joinFamilies(query, others)}) a ${orderBy}`;
  if (!perUnit)
    return sql`select * from (${joinFamilies(query, [{ name: 'production', body: production, columns: ['lots', 'recalled', 'products', 'producers', 'qty', 'qty_suppressed'] }, ...others])}) a ${orderBy}`;
  if (others.length === 0) return sql`select * from (${production}) a ${orderBy}`;
  // Unit-less figures on their own row per group; production columns are empty there.
  const keyCols = keys.length ? sql`${sql.join(keys, sql`, `)},` : sql``;
  const otherCols = others.map((o) => (o.name === 'activity' ? sql`o.events, o.scans` : sql`o.recalls, o.hours, o.share, o.recall_suppressed`));
  const nullOthers = others.map((o) =>
    o.name === 'activity'
      ? sql`null::bigint as events, null::bigint as scans`
      : sql`null::bigint as recalls, null::float8 as hours, null::float8 as share, null::text as recall_suppressed`,
  );
  return sql`
    select * from (
      select ${keyCols} p.unit, p.lots, p.recalled, p.products, p.producers, p.qty, p.qty_suppressed, ${sql.join(nullOthers, sql`, `)} from (${production}) p
      union all
      select ${keyCols} null::text, null::bigint, null::bigint, null::int, null::int, null::text, null::text, ${sql.join(otherCols, sql`, `)} from (${joinFamilies(query, others)}) o
    ) a ${orderBy}`;
}
