import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '@nguon/shared';
import type { AggregateFilter } from '../query';
import { whereClause, type Disclosure } from './aggregate';
import { primaryReasonSql, readableSql, type SuppressionReason } from '../suppression';

export interface SeasonUnitVolume {
  season: string;
  unit: string;
  volume: number;
  /** Why this season's volume is withheld from the viewer (small-cell suppression); null when shown. */
  reason: SuppressionReason | null;
}

/**
 * Primary production per season and unit for a forecast's target, from the
 * rollup, with each season's suppression decision. Processed lots are left
 * out as in PRODUCTION_VOLUME: a milled harvest would otherwise be forecast twice.
 */
export async function seasonVolumes(db: Database, roots: string[], filter: AggregateFilter, disclosure: Disclosure): Promise<SeasonUnitVolume[]> {
  const readable = readableSql(disclosure.viewer, roots, sql`r.path`);
  const rows = rowsOf<{ season: string; unit: string; volume: string; reason: SuppressionReason | null }>(
    await db.execute(sql`
      select r.season, r.unit, sum(r.quantity)::text as volume,
        ${primaryReasonSql(disclosure.rule, sql`bool_and(${readable})`, sql`sum(r.lot_count)`, sql`count(distinct r.owner_id)`)} as reason
      from analytics.production_monthly r
      where ${whereClause(roots, filter)} and r.origin = 'PRIMARY'
      group by r.season, r.unit order by r.season
    `),
  );
  return rows.map((r) => ({ season: r.season, unit: r.unit, volume: Number(r.volume), reason: r.reason ?? null }));
}
