import { envFlag, envInt, envSecret, runSubgraphProcess } from '@nguon/shared';
import { tenantsSubgraph } from './server';

runSubgraphProcess(
  'tenants',
  4101,
  (env) => tenantsSubgraph({ secret: env.TOKEN_SECRET, ttlSeconds: env.TOKEN_TTL_SECONDS }, { webhookAllowPrivate: env.WEBHOOK_ALLOW_PRIVATE }),
  {
    TOKEN_SECRET: envSecret(),
    TOKEN_TTL_SECONDS: envInt(3600, 60),
    /** Accept http webhooks and loopback/private targets (development and tests only; docs/architecture.md §10). */
    WEBHOOK_ALLOW_PRIVATE: envFlag(),
  },
);
