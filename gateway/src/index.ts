import { readFileSync } from 'node:fs';
import { runMain } from '@nguon/shared/env';
import { createLogger } from '@nguon/shared/logger';
import { limitsFromEnv, loadGatewayEnv, rateLimitsFromEnv } from './env';
import { edgeRoutes } from './routes';
import { startGateway } from './server';
import { supergraphPath } from './supergraph';

/** Production entry point: the gateway alone, in front of subgraphs running as their own processes. */
runMain('gateway', async () => {
  const env = loadGatewayEnv();
  const logger = createLogger('gateway', env.LOG_LEVEL);
  const gateway = await startGateway({
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    subgraphs: { tenants: env.TENANTS_URL, catalog: env.CATALOG_URL, trace: env.TRACE_URL, analytics: env.ANALYTICS_URL },
    gatewaySecret: env.GATEWAY_SECRET,
    tokenSecret: env.TOKEN_SECRET,
    port: env.PORT,
    host: env.HOST,
    subgraphTimeoutMs: env.SUBGRAPH_TIMEOUT_MS,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    apiKeyCacheSeconds: env.API_KEY_CACHE_SECONDS,
    grantsCacheSeconds: env.GRANTS_CACHE_SECONDS,
    responseCacheTtlMs: env.RESPONSE_CACHE_TTL_MS,
    introspection: env.INTROSPECTION,
    limits: limitsFromEnv(env),
    rateLimits: rateLimitsFromEnv(env),
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    edgeRoutes: edgeRoutes({ gatewaySecret: env.GATEWAY_SECRET, analyticsUrl: env.ANALYTICS_URL }),
    publicBaseUrl: env.PUBLIC_BASE_URL,
    logger,
  });
  const stop = async () => {
    logger.info('shutting down');
    await gateway.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
});
