import { sql, type SQL } from 'drizzle-orm';
import { inTransaction, rowsOf, type Database, type Logger } from '@nguon/shared';
import { seasonSql } from '../seasons';
import { canonicalQuantitySql, canonicalUnitSql } from '../units';

const PRODUCTION = 'production_monthly';

export interface RollupStatus {
  refreshedAt: Date;
  sourceRows: number;
  durationMs: number;
}

/** Vietnam-time calendar date of a timestamptz: months and seasons are local. */
const localDate = (ts: SQL) => sql`(${ts} at time zone 'Asia/Ho_Chi_Minh')::date`;

/**
 * How each lot that has an upstream lot was made (trace's genealogy), as the
 * CTEs `made_once`, `repeats` and `made` (use under `with recursive`). A lot
 * with at least one TRANSFORMATION edge into it is processed output, at the
 * stage named by the bizStep of the earliest transformation that made it
 * (`transforming` when the event gave none); a lot with only AGGREGATION
 * edges is a container of other lots. A lot absent here has no upstream lot:
 * a harvest or a first registration, i.e. primary production.
 *
 * A step can repeat along a chain (paddy → brown rice → white rice, both
 * `transforming`; a pack repacked): the white rice holds the brown rice's
 * kilograms again, so it may not be added to it. Its stage is therefore the
 * step with its pass along the chain, `transforming #2` (and `#3`…), and no
 * figure adds two passes of one step together (docs/statistics.md).
 *
 * Edges of events declared erroneous, and of the declarations themselves,
 * are not in `analytics.lot_edges`: a mistaken transformation makes nothing.
 */
const MADE = sql`
  made_once as (
    select le.child_lot_id as lot_id, bool_or(le.kind = 'TRANSFORMATION') as transformed,
      (array_agg(coalesce(ev.biz_step, 'transforming') order by ev.event_time, ev.id) filter (where le.kind = 'TRANSFORMATION'))[1] as step
    from analytics.lot_edges le join analytics.events ev on ev.id = le.event_id
    group by le.child_lot_id
  ),
  repeats(lot_id, step, pass) as (
    select lot_id, step, 1 from made_once where transformed
    union
    select c.lot_id, c.step, r.pass + 1
    from repeats r
    join analytics.lot_edges e on e.parent_lot_id = r.lot_id and e.kind = 'TRANSFORMATION'
    join made_once c on c.lot_id = e.child_lot_id and c.transformed and c.step = r.step
    where r.pass < 50
  ),
  made as (
    select m.lot_id, m.transformed,
      case when coalesce(p.pass, 1) > 1 then m.step || ' #' || p.pass else m.step end as step
    from made_once m left join (select lot_id, max(pass) as pass from repeats group by lot_id) p on p.lot_id = m.lot_id
  )`;

/** The stage a lot's quantity belongs to: PRIMARY, AGGREGATED, or the bizStep that made it (given `m`, a row of MADE or null). */
const LOT_STAGE = sql`case when m.lot_id is null then 'PRIMARY' when m.transformed then m.step else 'AGGREGATED' end`;

/**
 * Production per (month, owner, product, canonical unit, origin, stage).
 * Each lot is one fact, in the cell of how it was made (see MADE), so a
 * harvest and the rice milled from it sit in different cells and no figure
 * that reads one origin counts a kilogram twice. Yield: for a processed lot,
 * its transformation's inputs are apportioned over the event's outputs by
 * output quantity, and kept only when every input and output quantity of
 * the event is known and in one canonical unit — the lot's own. Nothing is
 * converted between kinds of unit (paddy kilograms to bag pieces).
 */
async function rebuildProduction(tx: Database) {
  await tx.execute(sql`delete from analytics.production_monthly`);
  const month = sql`date_trunc('month', f.fact_date)::date`;
  const unit = canonicalUnitSql(sql`f.unit`);
  const elUnit = canonicalUnitSql(sql`el.unit`);
  const elQty = canonicalQuantitySql(sql`el.quantity`, sql`el.unit`);
  await tx.execute(sql`
    insert into analytics.production_monthly
      (month, season, owner_id, product_id, unit, path, district_code, sector, category, origin, stage,
       lot_count, recalled_lot_count, quantity, yield_input, yield_output)
    with recursive ${MADE},
    transformations as (
      select el.event_id, min(${elUnit}) as unit,
        sum(${elQty}) filter (where el.role = 'INPUT') as input_qty,
        sum(${elQty}) filter (where el.role = 'OUTPUT') as output_qty,
        count(distinct ${elUnit}) = 1 and bool_and(el.quantity is not null and el.unit is not null) as comparable
      from analytics.event_lots el
      where el.role in ('INPUT', 'OUTPUT')
        and el.event_id in (select event_id from analytics.lot_edges where kind = 'TRANSFORMATION')
      group by el.event_id
    ),
    yields as (
      select el.lot_id, t.unit, sum(${elQty}) as out_qty, sum(t.input_qty * ${elQty} / t.output_qty) as in_qty
      from analytics.event_lots el join transformations t on t.event_id = el.event_id
      where el.role = 'OUTPUT' and t.comparable and t.input_qty > 0 and t.output_qty > 0
      group by el.lot_id, t.unit
    )
    select ${month}, ${seasonSql(sql`f.fact_date`)}, f.owner_id, f.product_id, ${unit},
      o.path, o.district_code, o.sector, p.category,
      case when m.lot_id is null then 'PRIMARY' when m.transformed then 'PROCESSED' else 'AGGREGATED' end,
      case when m.transformed then m.step else '' end,
      count(*)::int, (count(*) filter (where f.lot_status = 'RECALLED'))::int,
      sum(${canonicalQuantitySql(sql`f.quantity`, sql`f.unit`)}),
      sum(y.in_qty) filter (where m.transformed), sum(y.out_qty) filter (where m.transformed)
    from analytics.production_facts f
    join analytics.organizations o on o.id = f.owner_id
    join analytics.products p on p.id = f.product_id
    left join made m on m.lot_id = f.lot_id
    left join yields y on y.lot_id = f.lot_id and y.unit = ${unit}
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
  `);
}

/**
 * Shipped and sold quantities per (month, recording organization, product,
 * step, stage of the lot moved, canonical unit). A shipping event counts for
 * the organization that dispatched it, in the Vietnam-time month of its
 * eventTime; the matching receiving event is not counted, so a hop counts
 * once. Lines without a quantity or unit are left out (nothing to add).
 */
async function rebuildMovements(tx: Database) {
  await tx.execute(sql`delete from analytics.movement_monthly`);
  const day = localDate(sql`mv.event_time`);
  await tx.execute(sql`
    insert into analytics.movement_monthly
      (month, season, owner_id, product_id, step, lot_stage, unit, path, district_code, sector, category, lot_count, quantity)
    with recursive ${MADE}
    select date_trunc('month', ${day})::date, ${seasonSql(day)}, mv.organization_id, l.product_id, mv.biz_step, ${LOT_STAGE},
      ${canonicalUnitSql(sql`mv.unit`)}, o.path, o.district_code, o.sector, p.category,
      count(distinct mv.lot_id)::int, sum(${canonicalQuantitySql(sql`mv.quantity`, sql`mv.unit`)})
    from analytics.movements mv
    join analytics.lots l on l.id = mv.lot_id
    left join made m on m.lot_id = mv.lot_id
    join analytics.organizations o on o.id = mv.organization_id
    join analytics.products p on p.id = l.product_id
    where mv.quantity is not null and mv.unit is not null
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
  `);
}

/**
 * Events and scans per (month, organization, product). An event counts once,
 * for the organization that recorded it and the product of its primary lot —
 * the first OUTPUT (what a transformation made), else the first QUANTITY,
 * PARENT or INPUT — so the cells add up to the number of events. A scan
 * counts for its lot's owner and product. Events about no lot are not counted.
 */
async function rebuildActivity(tx: Database) {
  await tx.execute(sql`delete from analytics.activity_monthly`);
  const rank = sql`case el.role when 'OUTPUT' then 0 when 'QUANTITY' then 1 when 'PARENT' then 2 else 3 end`;
  await tx.execute(sql`
    insert into analytics.activity_monthly
      (month, season, owner_id, product_id, path, district_code, sector, category, event_count, scan_count)
    with primary_lot as (
      select distinct on (el.event_id) el.event_id, el.lot_id
      from analytics.event_lots el order by el.event_id, ${rank}, el.ordinal
    ),
    facts as (
      select ${localDate(sql`e.event_time`)} as day, e.organization_id as owner_id, l.product_id, 1 as events, 0 as scans
      from analytics.events e join primary_lot pl on pl.event_id = e.id join analytics.lots l on l.id = pl.lot_id
      union all
      select ${localDate(sql`s.scanned_at`)}, l.owner_id, l.product_id, 0, 1
      from analytics.scans s join analytics.lots l on l.id = s.lot_id
    )
    select date_trunc('month', f.day)::date, ${seasonSql(sql`f.day`)}, f.owner_id, f.product_id,
      o.path, o.district_code, o.sector, p.category, sum(f.events)::int, sum(f.scans)::int
    from facts f
    join analytics.organizations o on o.id = f.owner_id
    join analytics.products p on p.id = f.product_id
    group by 1, 2, 3, 4, 5, 6, 7, 8
  `);
}

/**
 * Recalls per (recall, owner of affected lots, product) in the month the
 * recall opened. Holdings with an unknown quantity held count for neither
 * held nor recovered, so the recovered share compares like with like.
 * `lot_count` (distinct affected lots) sizes the cell for small-cell suppression.
 */
async function rebuildRecalls(tx: Database) {
  await tx.execute(sql`delete from analytics.recall_facts`);
  const held = canonicalQuantitySql(sql`rl.quantity_held`, sql`rl.unit`);
  const recovered = canonicalQuantitySql(sql`rl.quantity_recovered`, sql`rl.unit`);
  await tx.execute(sql`
    insert into analytics.recall_facts
      (recall_id, month, season, owner_id, product_id, path, district_code, sector, category, lot_count, opened_at, identified_at, quantity_held, quantity_recovered)
    with holdings as (
      select rl.recall_id, l.owner_id, l.product_id, count(distinct rl.lot_id)::int as lots,
        sum(${held}) as held, sum(${recovered}) filter (where rl.quantity_held is not null) as recovered
      from analytics.recall_lots rl join analytics.lots l on l.id = rl.lot_id
      group by 1, 2, 3
    ),
    identified as (
      select ri.recall_id, l.owner_id, l.product_id, max(ri.identified_at) as identified_at
      from analytics.recall_identifications ri join analytics.lots l on l.id = ri.lot_id
      group by 1, 2, 3
    )
    select h.recall_id, date_trunc('month', ${localDate(sql`r.opened_at`)})::date, ${seasonSql(localDate(sql`r.opened_at`))},
      h.owner_id, h.product_id, o.path, o.district_code, o.sector, p.category, h.lots,
      r.opened_at, i.identified_at, h.held, h.recovered
    from holdings h
    join analytics.recalls r on r.id = h.recall_id
    join analytics.organizations o on o.id = h.owner_id
    join analytics.products p on p.id = h.product_id
    left join identified i on i.recall_id = h.recall_id and i.owner_id = h.owner_id and i.product_id = h.product_id
  `);
}

/**
 * Rebuilds the rollups (production, movements, activity, recalls) from the read-contract views in one
 * transaction: readers see the previous rollup until it commits, never a
 * half-built one. Several replicas may try at once; a transaction-scoped
 * advisory lock lets one rebuild and the others return straight away.
 * Returns null when another session held the lock.
 */
export async function refreshRollups(db: Database): Promise<RollupStatus | null> {
  const started = Date.now();
  return inTransaction(db, async (tx) => {
    const [lock] = rowsOf<{ locked: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(hashtext('nguon.analytics.rollups')) as locked`));
    if (!lock?.locked) return null;
    await rebuildProduction(tx);
    await rebuildMovements(tx);
    await rebuildActivity(tx);
    await rebuildRecalls(tx);
    // Fresh statistics, or the planner takes the rebuilt tables for empty and sorts on disk.
    for (const table of ['production_monthly', 'movement_monthly', 'activity_monthly', 'recall_facts']) await tx.execute(sql.raw(`analyze analytics.${table}`));
    const [count] = rowsOf<{ rows: number }>(await tx.execute(sql`select coalesce(sum(lot_count), 0)::int as rows from analytics.production_monthly`));
    const status: RollupStatus = { refreshedAt: new Date(), sourceRows: count?.rows ?? 0, durationMs: Date.now() - started };
    await tx.execute(sql`
      insert into analytics.rollup_state (name, refreshed_at, source_rows, duration_ms)
      values (${PRODUCTION}, ${status.refreshedAt.toISOString()}, ${status.sourceRows}, ${status.durationMs})
      on conflict (name) do update set refreshed_at = excluded.refreshed_at, source_rows = excluded.source_rows, duration_ms = excluded.duration_ms
    `);
    return status;
  });
}

export async function rollupStatus(db: Database): Promise<RollupStatus | null> {
  const [row] = rowsOf<{ refreshed_at: string | Date; source_rows: number; duration_ms: number }>(
    await db.execute(sql`select refreshed_at, source_rows, duration_ms from analytics.rollup_state where name = ${PRODUCTION}`),
  );
  return row ? { refreshedAt: new Date(row.refreshed_at), sourceRows: Number(row.source_rows), durationMs: Number(row.duration_ms) } : null;
}

/**
 * The freshness policy, one per subgraph process. Aggregates read the rollup,
 * which is at most `maxAgeMs` old plus one rebuild: a read that finds it
 * older starts a rebuild in the background and answers from the previous
 * rollup (stale-while-revalidate), so no analyst waits for a rebuild — except
 * the very first read on an empty database, which builds it. Every answer
 * carries `asOf`, the instant its rollup was built.
 */
export class RollupKeeper {
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly maxAgeMs: number,
    private readonly logger?: Logger,
  ) {}

  async ensureFresh(db: Database): Promise<Date> {
    const status = await rollupStatus(db);
    if (!status) {
      const built = (await this.refresh(db)) ?? (await rollupStatus(db));
      return built?.refreshedAt ?? new Date();
    }
    if (Date.now() - status.refreshedAt.getTime() > this.maxAgeMs && !this.running) {
      // Not awaited on purpose: this request answers from the current rollup.
      void this.refresh(db).catch((err: unknown) => this.logger?.error({ err }, 'rollup refresh failed'));
    }
    return status.refreshedAt;
  }

  /** Rebuilds now (one rebuild at a time per process); tests and operators call this after bulk loads. */
  refresh(db: Database): Promise<RollupStatus | null> {
    if (this.running) return this.running.then(() => rollupStatus(db));
    const run = refreshRollups(db).finally(() => {
      this.running = null;
    });
    this.running = run;
    return run;
  }
}
