import { envInt, envSecret, runSubgraphProcess } from '@nguon/shared';
import { tenantsSubgraph } from './server';

runSubgraphProcess('tenants', 4101, (env) => tenantsSubgraph({ secret: env.TOKEN_SECRET, ttlSeconds: env.TOKEN_TTL_SECONDS }), {
  TOKEN_SECRET: envSecret(),
  TOKEN_TTL_SECONDS: envInt(3600, 60),
});
