import { envInt, runSubgraphProcess } from '@nguon/shared';
import { analyticsSubgraph } from './server';
import { suppressionEnv } from './suppression';

runSubgraphProcess(
  'analytics',
  4104,
  (env) =>
    analyticsSubgraph({
      rollupMaxAgeMs: env.ANALYTICS_ROLLUP_MAX_AGE_MS,
      suppression: { minLots: env.AGGREGATE_MIN_CELL_LOTS, minProducers: env.AGGREGATE_MIN_CELL_PRODUCERS },
    }),
  {
    ANALYTICS_ROLLUP_MAX_AGE_MS: envInt(60_000, 1_000),
    ...suppressionEnv,
  },
);
