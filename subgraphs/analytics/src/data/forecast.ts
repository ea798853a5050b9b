import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '@nguon/shared';
import type { AggregateFilter } from '../query';
import { whereClause } from './aggregate';

export interface SeasonUnitVolume {
  season: string;
  unit: string;
  volume: number;
}

/** Produced volume per season and unit for a forecast's target, from the rollup. */
export async function seasonVolumes(db: Database, roots: string[], filter: AggregateFilter): Promise<SeasonUnitVolume[]> {
  const rows = rowsOf<{ season: string; unit: string; volume: string }>(
    await db.execute(sql`
      select r.season, r.unit, sum(r.quantity)::text as volume
      from analytics.production_monthly r
      where ${whereClause(roots, filter)}
      group by r.season, r.unit order by r.season
    `),
  );
  return rows.map((r) => ({ season: r.season, unit: r.unit, volume: Number(r.volume) }));
}
