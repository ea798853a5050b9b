import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import type { SubgraphDefinition } from '@nguon/shared';
import type { Context } from './context';
import { RollupKeeper } from './data/rollups';
import { EXPORT_PATH, exportRoute } from './export';
import { createLoaders } from './loaders';
import { fieldClasses } from './permissions';
import { resolvers } from './resolvers';
import { suppressionFromEnv, type SuppressionRule } from './suppression';

export const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));
export { refreshRollups, RollupKeeper } from './data/rollups';
export { EXPORT_PATH } from './export';
export { DEFAULT_SUPPRESSION, suppressionFromEnv, type SuppressionRule } from './suppression';

export interface AnalyticsOptions {
  /** Oldest a rollup may be before a read triggers a rebuild (ANALYTICS_ROLLUP_MAX_AGE_MS). */
  rollupMaxAgeMs?: number;
  /** Share one keeper (tests, the benchmark) to refresh on demand. */
  rollups?: RollupKeeper;
  /** Small-cell suppression thresholds; default from AGGREGATE_MIN_CELL_LOTS / AGGREGATE_MIN_CELL_PRODUCERS (3 each). */
  suppression?: SuppressionRule;
}

/** The analytics subgraph: read-only aggregates over the other services' read contracts. */
export function analyticsSubgraph(options: AnalyticsOptions = {}): SubgraphDefinition<Context> {
  const rollups = options.rollups ?? new RollupKeeper(options.rollupMaxAgeMs ?? 60_000);
  // Read here too, not only in index.ts, so the embedded stack (npm start) honours the same variables.
  const suppression = options.suppression ?? suppressionFromEnv();
  return {
    name: 'analytics',
    typeDefs,
    resolvers,
    fieldClasses,
    migrations: { folder: migrationsFolder, schema: 'analytics' },
    context: (base) => ({ ...base, loaders: createLoaders(base), rollups, suppression }),
    routes: { [EXPORT_PATH]: exportRoute(rollups, suppression) },
  };
}
