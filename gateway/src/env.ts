import { z } from 'zod';
import { envInt, envLogLevel, envPort, envSecret, parseEnv } from '@nguon/shared';

const url = (fallback: string) => z.string().url().default(fallback);

/** Gateway configuration (README, "Configuration"); validated at start, every problem reported at once. */
export const gatewayEnvSchema = z.object({
  PORT: envPort(4000),
  HOST: z.string().default('0.0.0.0'),
  GATEWAY_SECRET: envSecret(),
  TOKEN_SECRET: envSecret(),
  TENANTS_URL: url('http://tenants:4101/graphql'),
  CATALOG_URL: url('http://catalog:4102/graphql'),
  TRACE_URL: url('http://trace:4103/graphql'),
  ANALYTICS_URL: url('http://analytics:4104/graphql'),
  PUBLIC_BASE_URL: z.string().url().optional(),
  SUBGRAPH_TIMEOUT_MS: envInt(10_000, 100),
  BODY_LIMIT_BYTES: envInt(4 * 1024 * 1024, 1024),
  API_KEY_CACHE_SECONDS: envInt(5, 0),
  INTROSPECTION: z.enum(['signed-in', 'always', 'never']).default('signed-in'),
  LOG_LEVEL: envLogLevel(),
});

export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;

export const loadGatewayEnv = (source: Record<string, string | undefined> = process.env) => parseEnv(gatewayEnvSchema, source);
