import { envInt, runSubgraphProcess } from '@nguon/shared';
import { analyticsSubgraph } from './server';

runSubgraphProcess('analytics', 4104, (env) => analyticsSubgraph({ rollupMaxAgeMs: env.ANALYTICS_ROLLUP_MAX_AGE_MS }), {
  ANALYTICS_ROLLUP_MAX_AGE_MS: envInt(60_000, 1_000),
});
