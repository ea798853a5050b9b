import { z } from 'zod';
import { sql, type SQL } from 'drizzle-orm';
import { covers, envInt, inAnySubtree, internalRoots, parseEnv, type Viewer } from '@nguon/shared';

/**
 * Small-cell suppression (docs/statistics.md). A figure computed from
 * INTERNAL values (lot quantities, recall holdings) is withheld from a
 * viewer who may not read those values for every lot behind it when the
 * figure rests on fewer than `minLots` distinct lots or fewer than
 * `minProducers` distinct producers — otherwise an ANALYST could read one
 * lot's quantity, or one producer's output, off a cell. Counts of facts
 * (lots, products, producers, events, scans, recalls) are not suppressed.
 */
export interface SuppressionRule {
  /** Fewest distinct lots a shown cell rests on (AGGREGATE_MIN_CELL_LOTS). */
  minLots: number;
  /** Fewest distinct producers a shown cell rests on (AGGREGATE_MIN_CELL_PRODUCERS). */
  minProducers: number;
}

/** Why a value is withheld; the schema's `SuppressionReason`. */
export type SuppressionReason = 'FEW_LOTS' | 'FEW_PRODUCERS' | 'SECONDARY';

export const DEFAULT_SUPPRESSION: SuppressionRule = { minLots: 3, minProducers: 3 };

/** The environment variables of the rule; 1 turns a threshold off (every cell has a lot and a producer). */
export const suppressionEnv = {
  AGGREGATE_MIN_CELL_LOTS: envInt(DEFAULT_SUPPRESSION.minLots, 1),
  AGGREGATE_MIN_CELL_PRODUCERS: envInt(DEFAULT_SUPPRESSION.minProducers, 1),
};

/** Reads the rule from the environment; a bad value is a ConfigError at start, never a silent default. */
export function suppressionFromEnv(source: Record<string, string | undefined> = process.env): SuppressionRule {
  const env = parseEnv(z.object(suppressionEnv), source);
  return { minLots: env.AGGREGATE_MIN_CELL_LOTS, minProducers: env.AGGREGATE_MIN_CELL_PRODUCERS };
}

/** The primary rule in TypeScript, for figures computed outside the aggregate SQL (Product.stats, forecasts). */
export function primaryReason(rule: SuppressionRule, lots: number, producers: number): SuppressionReason | null {
  if (lots < rule.minLots) return 'FEW_LOTS';
  if (producers < rule.minProducers) return 'FEW_PRODUCERS';
  return null;
}

/**
 * The primary rule in SQL over a cell's distinct lot and producer counts;
 * null when the cell may be shown. An empty cell (no lots) has nothing to
 * withhold.
 */
export function primaryReasonSql(rule: SuppressionRule, readable: SQL, lots: SQL, producers: SQL): SQL {
  return sql`case when ${readable} or coalesce(${lots}, 0) = 0 then null::text
    when ${lots} < ${rule.minLots}::int then 'FEW_LOTS'
    when ${producers} < ${rule.minProducers}::int then 'FEW_PRODUCERS' end`;
}

/**
 * Whether the viewer may read the INTERNAL values of rows at `path` (the
 * rule of canReadInternal, as SQL). Constant `true` when the viewer's
 * internal rights cover every root the query reads, so the common OFFICER
 * or ADMIN case costs nothing per row.
 */
export function readableSql(viewer: Viewer, roots: readonly string[], path: SQL): SQL {
  const internal = internalRoots(viewer);
  if (roots.length > 0 && roots.every((root) => internal.some((i) => covers(i, root)))) return sql`true`;
  return inAnySubtree(path, internal);
}
