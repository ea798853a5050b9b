/** Child process: our gateway (gateway/src/server.ts), rate limits off, generous query limits, response cache per RESPONSE_CACHE_TTL_MS. */
import { readFileSync } from 'node:fs';
import { createLogger } from '@nguon/shared';
import { startGateway } from '@nguon/gateway';
import { DEFAULT_LIMITS } from '@nguon/gateway/limits';
import { edgeRoutes } from '@nguon/gateway/routes';
import { supergraphPath } from '@nguon/gateway/supergraph';

const env = process.env as Record<string, string>;
const subgraphs = JSON.parse(env.SUBGRAPHS!);
const generous = { maxDepth: 20, maxAliases: 100, maxTokens: 20_000, maxDirectives: 50, maxCost: 10_000_000 };
const gateway = await startGateway({
  supergraphSdl: readFileSync(supergraphPath, 'utf8'),
  subgraphs,
  gatewaySecret: env.GATEWAY_SECRET!,
  tokenSecret: env.TOKEN_SECRET!,
  port: 0,
  subgraphTimeoutMs: 60_000,
  introspection: 'always',
  limits: { ...DEFAULT_LIMITS, anonymous: generous, signedIn: generous, maxPageSize: 100, defaultListSize: 20 },
  rateLimits: false,
  // Off unless asked: the uncached scenarios must do every request's work (scenario 1c turns it on).
  responseCacheTtlMs: Number(env.RESPONSE_CACHE_TTL_MS ?? 0),
  edgeRoutes: edgeRoutes({ gatewaySecret: env.GATEWAY_SECRET!, analyticsUrl: subgraphs.analytics }),
  logger: createLogger('gateway', 'error'),
});
process.stdout.write(`${JSON.stringify({ ready: gateway.url })}\n`);
process.on('SIGTERM', async () => {
  await gateway.close();
  process.exit(0);
});
