import { readFileSync } from 'node:fs';
import { runMain } from '@nguon/shared/env';
import { createLogger } from '@nguon/shared/logger';
import { limitsFromEnv, loadGatewayEnv, rateLimitsFromEnv } from './env';
import { edgeRoutes } from './routes';
import { startGateway, type SubgraphUrls } from './server';
import { subgraphsOf, supergraphPath } from './supergraph';

/** Production entry point: the gateway alone, in front of subgraphs running as their own processes. */
runMain('gateway', async () => {
  const supergraphSdl = readFileSync(supergraphPath, 'utf8');
  const env = loadGatewayEnv(subgraphsOf(supergraphSdl));
  const logger = createLogger('gateway', env.LOG_LEVEL);
  const subgraphs = env.subgraphUrls as SubgraphUrls;
  const gateway = await startGateway({
    supergraphSdl,
    subgraphs,
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
    edgeRoutes: edgeRoutes({
      gatewaySecret: env.GATEWAY_SECRET,
      analyticsUrl: subgraphs.analytics,
      epcis: { unregisteredLots: env.EPCIS_UNREGISTERED_LOTS },
    }),
    publicBaseUrl: env.PUBLIC_BASE_URL,
    clientKeySecret: env.CLIENT_KEY_SECRET,
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
