import { sql } from 'drizzle-orm';
import { inTransaction, rowsOf, type Database, type Logger } from '@nguon/shared';
import { seasonSql } from '../seasons';
import { canonicalQuantitySql, canonicalUnitSql } from '../units';

const PRODUCTION = 'production_monthly';

export interface RollupStatus {
  refreshedAt: Date;
  sourceRows: number;
  durationMs: number;
}

/**
 * Rebuilds the production rollup from the read-contract views in one
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
    await tx.execute(sql`delete from analytics.production_monthly`);
    const month = sql`date_trunc('month', f.fact_date)::date`;
    const unit = canonicalUnitSql(sql`f.unit`);
    await tx.execute(sql`
      insert into analytics.production_monthly
        (month, season, owner_id, product_id, unit, path, district_code, sector, category, lot_count, recalled_lot_count, quantity)
      select ${month}, ${seasonSql(sql`f.fact_date`)}, f.owner_id, f.product_id, ${unit},
        o.path, o.district_code, o.sector, p.category, count(*)::int, (count(*) filter (where f.lot_status = 'RECALLED'))::int,
        sum(${canonicalQuantitySql(sql`f.quantity`, sql`f.unit`)})
      from analytics.production_facts f
      join analytics.organizations o on o.id = f.owner_id
      join analytics.products p on p.id = f.product_id
      group by 1, 2, 3, 4, 5, 6, 7, 8, 9
    `);
    // Fresh statistics, or the planner takes the rebuilt table for empty and sorts on disk.
    await tx.execute(sql`analyze analytics.production_monthly`);
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

  constructor(private readonly maxAgeMs: number, private readonly logger?: Logger) {}

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
