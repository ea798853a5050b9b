import { z } from 'zod';
import { envInt, envLogLevel, envPort, envSecret, parseEnv } from '@nguon/shared/env';
import { DEFAULT_LIMITS, type LimitsConfig } from './limits';
import { DEFAULT_RATE_LIMITS, type RateLimitConfig } from './ratelimit';

const url = (fallback: string) => z.string().url().default(fallback);

/** Gateway configuration (README, "Configuration"); validated at start, every problem reported at once. */
export const gatewayEnvSchema = z.object({
  PORT: envPort(4000),
  HOST: z.string().default('0.0.0.0'),
  GATEWAY_SECRET: envSecret(),
  TOKEN_SECRET: envSecret(),
  // Held by the gateway alone (never GATEWAY_SECRET, which the subgraphs share): keys stored address hashes and report-form tokens.
  // Unset: random per process, so per-address limits start over at each restart and are per gateway instance (docs/architecture.md §10).
  CLIENT_KEY_SECRET: envSecret().optional(),
  PUBLIC_BASE_URL: z.string().url().optional(),
  SUBGRAPH_TIMEOUT_MS: envInt(10_000, 100),
  BODY_LIMIT_BYTES: envInt(4 * 1024 * 1024, 1024),
  API_KEY_CACHE_SECONDS: envInt(5, 0),
  // How long a signed-in user's current grants are reused (docs/sessions.md).
  GRANTS_CACHE_SECONDS: envInt(2, 0),
  RESPONSE_CACHE_TTL_MS: envInt(1000, 0),
  INTROSPECTION: z.enum(['signed-in', 'always', 'never']).default('signed-in'),
  // Query limits: anonymous clients / signed-in users and machine clients.
  QUERY_DEPTH_ANONYMOUS: envInt(DEFAULT_LIMITS.anonymous.maxDepth, 1),
  QUERY_DEPTH_SIGNED_IN: envInt(DEFAULT_LIMITS.signedIn.maxDepth, 1),
  QUERY_ALIASES_ANONYMOUS: envInt(DEFAULT_LIMITS.anonymous.maxAliases, 0),
  QUERY_ALIASES_SIGNED_IN: envInt(DEFAULT_LIMITS.signedIn.maxAliases, 0),
  QUERY_TOKENS_ANONYMOUS: envInt(DEFAULT_LIMITS.anonymous.maxTokens, 10),
  QUERY_TOKENS_SIGNED_IN: envInt(DEFAULT_LIMITS.signedIn.maxTokens, 10),
  QUERY_DIRECTIVES_ANONYMOUS: envInt(DEFAULT_LIMITS.anonymous.maxDirectives, 0),
  QUERY_DIRECTIVES_SIGNED_IN: envInt(DEFAULT_LIMITS.signedIn.maxDirectives, 0),
  QUERY_COST_ANONYMOUS: envInt(DEFAULT_LIMITS.anonymous.maxCost, 1),
  QUERY_COST_SIGNED_IN: envInt(DEFAULT_LIMITS.signedIn.maxCost, 1),
  QUERY_MAX_PAGE_SIZE: envInt(DEFAULT_LIMITS.maxPageSize, 1),
  QUERY_DEFAULT_LIST_SIZE: envInt(DEFAULT_LIMITS.defaultListSize, 1),
  QUERY_VARIABLES_DEPTH: envInt(DEFAULT_LIMITS.maxVariablesDepth, 1),
  // Rate limits (token buckets); a rate of 0 turns that class's limit off.
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: envInt(DEFAULT_RATE_LIMITS.anonymous.perMinute, 0),
  RATE_LIMIT_ANONYMOUS_BURST: envInt(DEFAULT_RATE_LIMITS.anonymous.burst, 1),
  RATE_LIMIT_USER_PER_MINUTE: envInt(DEFAULT_RATE_LIMITS.user.perMinute, 0),
  RATE_LIMIT_USER_BURST: envInt(DEFAULT_RATE_LIMITS.user.burst, 1),
  RATE_LIMIT_CLIENT_PER_MINUTE: envInt(DEFAULT_RATE_LIMITS.client.perMinute, 0),
  RATE_LIMIT_CLIENT_BURST: envInt(DEFAULT_RATE_LIMITS.client.burst, 1),
  RATE_LIMIT_MAX_BUCKETS: envInt(DEFAULT_RATE_LIMITS.maxBuckets, 100),
  TRUST_PROXY_HOPS: envInt(0, 0),
  SHUTDOWN_GRACE_MS: envInt(10_000, 0),
  // EPCIS capture of an event naming a lot not registered here: refuse (policy problem), or accept it as a class (docs/architecture.md, EPCIS).
  EPCIS_UNREGISTERED_LOTS: z.enum(['refuse', 'accept']).default('refuse'),
  LOG_LEVEL: envLogLevel(),
});

export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;

export function limitsFromEnv(env: GatewayEnv): LimitsConfig {
  return {
    anonymous: {
      maxDepth: env.QUERY_DEPTH_ANONYMOUS,
      maxAliases: env.QUERY_ALIASES_ANONYMOUS,
      maxTokens: env.QUERY_TOKENS_ANONYMOUS,
      maxDirectives: env.QUERY_DIRECTIVES_ANONYMOUS,
      maxCost: env.QUERY_COST_ANONYMOUS,
    },
    signedIn: {
      maxDepth: env.QUERY_DEPTH_SIGNED_IN,
      maxAliases: env.QUERY_ALIASES_SIGNED_IN,
      maxTokens: env.QUERY_TOKENS_SIGNED_IN,
      maxDirectives: env.QUERY_DIRECTIVES_SIGNED_IN,
      maxCost: env.QUERY_COST_SIGNED_IN,
    },
    maxPageSize: env.QUERY_MAX_PAGE_SIZE,
    defaultListSize: env.QUERY_DEFAULT_LIST_SIZE,
    maxVariablesDepth: env.QUERY_VARIABLES_DEPTH,
  };
}

/** A rate of 0 means unlimited: an effectively bottomless bucket. */
const bucket = (perMinute: number, burst: number) =>
  perMinute === 0 ? { perMinute: Number.MAX_SAFE_INTEGER, burst: Number.MAX_SAFE_INTEGER } : { perMinute, burst };

export function rateLimitsFromEnv(env: GatewayEnv): RateLimitConfig {
  return {
    anonymous: bucket(env.RATE_LIMIT_ANONYMOUS_PER_MINUTE, env.RATE_LIMIT_ANONYMOUS_BURST),
    user: bucket(env.RATE_LIMIT_USER_PER_MINUTE, env.RATE_LIMIT_USER_BURST),
    client: bucket(env.RATE_LIMIT_CLIENT_PER_MINUTE, env.RATE_LIMIT_CLIENT_BURST),
    trustProxyHops: env.TRUST_PROXY_HOPS,
    maxBuckets: env.RATE_LIMIT_MAX_BUCKETS,
  };
}

/** The variable that overrides where the gateway finds a subgraph: TENANTS_URL, TRACE_URL, … */
export const subgraphUrlVariable = (name: string) => `${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`;

/**
 * The gateway's configuration, with one `<NAME>_URL` for every subgraph the
 * supergraph joins (defaulting to the URL composition recorded for it), so a
 * new subgraph needs no change here.
 */
export function loadGatewayEnv(
  subgraphs: { name: string; url: string }[],
  source: Record<string, string | undefined> = process.env,
): GatewayEnv & { subgraphUrls: Record<string, string> } {
  const urls = Object.fromEntries(subgraphs.map((s) => [subgraphUrlVariable(s.name), url(s.url)]));
  const env = parseEnv(gatewayEnvSchema.extend(urls), source) as GatewayEnv & Record<string, string>;
  return { ...env, subgraphUrls: Object.fromEntries(subgraphs.map((s) => [s.name, env[subgraphUrlVariable(s.name)]!])) };
}
