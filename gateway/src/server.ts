import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { HTTPGraphQLRequest } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { Agent } from 'undici';
import { maskError } from '@nguon/shared/errors';
import {
  drainServer,
  executeGraphQL,
  HttpError,
  IDEMPOTENCY_KEY,
  IDEMPOTENCY_KEY_HEADER,
  readGraphQLRequest,
  sendError,
  sendJson,
  writeGraphQLAnswer,
} from '@nguon/shared/http';
import { uuidv7 } from '@nguon/shared/ids';
import { createLogger, logRequest, REQUEST_ID_FORMAT, type Logger } from '@nguon/shared/logger';
import type { Viewer } from '@nguon/shared/viewer';
import { AuthError, Authenticator, CredentialsUnavailable, LookUpRefused } from './auth';
import { clientKeyFor, gatewayHmac, newClientKeySecret } from './clientKey';
import { keepAliveFetcher, SignedDataSource, type GatewayContext } from './datasource';
import type { EdgeContext, EdgeRoute } from './edge';
import { Problem, sendProblem } from './http/problem';
import { DEFAULT_LIMITS, nestsDeeperThan, queryLimits, type LimitsConfig } from './limits';
import { DEFAULT_RATE_LIMITS, rateLimited, RateLimiter, type RateDecision, type RateLimitConfig } from './ratelimit';
import { landingPage } from './routes/landing';
import { AnonymousResponseCache, FRESH_HEADERS, REPLAYED_HEADERS } from './responsecache';
import { subgraphsOf } from './supergraph';

/**
 * Where each subgraph the supergraph joins listens, by name. Tenants (sign-in,
 * credential checks) and analytics (the aggregate CSV) are named because the
 * edge calls them directly too; every other subgraph is reached by name.
 */
export type SubgraphUrls = Record<string, string> & { tenants: string; analytics: string };

export interface GatewayOptions {
  supergraphSdl: string;
  subgraphs: SubgraphUrls;
  gatewaySecret: string;
  tokenSecret: string;
  port?: number;
  host?: string;
  subgraphTimeoutMs?: number;
  bodyLimitBytes?: number;
  apiKeyCacheSeconds?: number;
  /** How long a signed-in user's current grants are reused (docs/sessions.md); default DEFAULT_GRANTS_CACHE_SECONDS. */
  grantsCacheSeconds?: number;
  introspection?: 'signed-in' | 'always' | 'never';
  /** Query limits per class of viewer (README, "Configuration"); defaults: DEFAULT_LIMITS. */
  limits?: LimitsConfig;
  /** Token buckets per client address / user / API key; `false` turns rate limiting off. */
  rateLimits?: RateLimitConfig | false;
  /** How long close() lets in-flight requests finish before cutting connections. */
  shutdownGraceMs?: number;
  /** HTTP routes at the public edge (resolver, consumer page, EPCIS REST), tried in order before /graphql. */
  edgeRoutes?: EdgeRoute[];
  /**
   * How long an anonymous query's answer is reused, from the start of its read
   * (default 1000 ms: a recall shows within a second); 0 turns it off.
   */
  responseCacheTtlMs?: number;
  /** The URL clients reach the gateway at; Digital Link URIs are built on it. Default: where it listens. */
  publicBaseUrl?: string;
  /**
   * A key only the gateway holds (CLIENT_KEY_SECRET; README, "Configuration"):
   * it keys the hash of an anonymous caller's address the subgraphs store and
   * the report form's token. Random per process when unset.
   */
  clientKeySecret?: string;
  logger?: Logger;
}

export interface RunningGateway {
  url: string;
  port: number;
  /** Where consumers reach this gateway (Digital Link URIs are built on it). */
  publicBaseUrl: string;
  /** Shared with the gateway's other routes (consumer page, resolver): one budget per caller. */
  rateLimiter: RateLimiter | null;
  close(): Promise<void>;
}

/** Introspection is for signed-in users (analysts, frontend teams), not anonymous scrapers. */
function introspectionPolicy(mode: 'signed-in' | 'always' | 'never'): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, contextValue }) {
          if (mode === 'always') return;
          const query = request.query ?? '';
          // `__type` as a whole word: every client asks `__typename`, which is not introspection.
          if (!/__schema\b|__type\b/.test(query)) return;
          if (mode === 'never' || contextValue.viewer.kind === 'anonymous') {
            throw new GraphQLError('Introspection is available to signed-in users.', {
              extensions: { code: 'FORBIDDEN', http: { status: 403 } },
            });
          }
        },
      };
    },
  };
}

/** Thrown by an edge route's `authenticate()` after the gateway has answered the request itself (429, 503). */
class Answered extends Error {}

/** /graphql answers a refusal GraphQL-shaped; every other path is a REST route and answers RFC 7807 (docs/architecture.md §7). */
function refuse(res: ServerResponse, path: string, problem: Problem): void {
  if (path === '/graphql') sendError(res, problem.status, problem.code, problem.message, { ...problem.headers });
  else sendProblem(res, problem, path);
}

/** Tenants could not check the credentials: the caller may retry at once. */
const unavailable = (error: CredentialsUnavailable) => new Problem(error.code, error.message, { headers: { 'retry-after': '1' } });

/** What authenticating a request came to. */
type Authentication =
  | { viewer: Viewer }
  | { refused: 'rate-limited'; decision: Extract<RateDecision, { allowed: false }> }
  | { refused: 'unauthenticated'; error: AuthError }
  | { refused: 'unavailable'; error: CredentialsUnavailable };

/**
 * The JSON values graphql-js walks recursively (each variable's value, and
 * `extensions`), from a POST body or a GET query string. A GET parameter that
 * is not JSON is left for Apollo Server to refuse.
 */
function requestJsonValues(request: HTTPGraphQLRequest): unknown[] {
  let variables: unknown;
  let extensions: unknown;
  if (request.body && typeof request.body === 'object') {
    ({ variables, extensions } = request.body as { variables?: unknown; extensions?: unknown });
  } else {
    const params = new URLSearchParams(request.search);
    const parsed = (name: string) => {
      const text = params.get(name);
      try {
        return text === null ? undefined : JSON.parse(text);
      } catch {
        return undefined;
      }
    };
    variables = parsed('variables');
    extensions = parsed('extensions');
  }
  const values = variables && typeof variables === 'object' && !Array.isArray(variables) ? Object.values(variables) : [variables];
  return [...values, extensions];
}

/**
 * The public edge: authenticates, then lets @apollo/gateway plan and run the
 * operation over the subgraphs named in the committed supergraph. It never
 * introspects subgraphs and holds no domain logic.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  // @apollo/gateway 2.14 otherwise exports anonymous usage metrics to Apollo and
  // probes cloud metadata endpoints (AWS, GCP, Azure) at construction. A city's
  // gateway talks to its own subgraphs only; the variable is the only switch.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const logger = options.logger ?? createLogger('gateway');
  const timeoutMs = options.subgraphTimeoutMs ?? 10_000;
  const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, connections: 64, pipelining: 1 });
  const fetcher = keepAliveFetcher(agent, timeoutMs);
  const urls: Record<string, string> = { ...options.subgraphs };
  const unknown = subgraphsOf(options.supergraphSdl).filter((s) => !urls[s.name]);
  if (unknown.length) throw new Error(`No URL configured for subgraph ${unknown.map((s) => `"${s.name}"`).join(', ')}`);

  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name }) => {
      const url = urls[name];
      if (!url) throw new Error(`No URL configured for subgraph "${name}"`);
      return new SignedDataSource(url, fetcher, options.gatewaySecret, name, logger);
    },
    logger,
  });

  const limits = options.limits ?? DEFAULT_LIMITS;
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // Parsing stops at the loosest token limit; the per-viewer limit is checked before planning.
    parseOptions: { maxTokens: Math.max(limits.anonymous.maxTokens, limits.signedIn.maxTokens) },
    formatError: maskError(logger),
    includeStacktraceInErrorResponses: false,
    introspection: options.introspection !== 'never',
    // Shutdown is ours (drain HTTP, then stop): Apollo's own signal handlers would race it.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginLandingPageLocalDefault({ embed: true, footer: false }),
      introspectionPolicy(options.introspection ?? 'signed-in'),
      queryLimits(limits),
    ],
  });
  await apollo.start();

  const tenantsBase = new URL(options.subgraphs.tenants);
  const authenticator = new Authenticator({
    tokenSecret: options.tokenSecret,
    gatewaySecret: options.gatewaySecret,
    apiKeyVerifyUrl: `${tenantsBase.origin}/internal/api-keys/verify`,
    apiKeyCacheSeconds: options.apiKeyCacheSeconds ?? 5,
    grantsCacheSeconds: options.grantsCacheSeconds,
  });

  const requestIdOf = (req: IncomingMessage) => {
    const given = req.headers['x-request-id'];
    return typeof given === 'string' && REQUEST_ID_FORMAT.test(given) ? given : uuidv7();
  };
  const limiter = options.rateLimits === false ? null : new RateLimiter(options.rateLimits ?? DEFAULT_RATE_LIMITS);
  const { maxVariablesDepth } = limits;
  const clientKeySecret = options.clientKeySecret || newClientKeySecret();
  /**
   * An anonymous caller's address as a keyed hash, never the address: the
   * subgraphs rate-limit anonymous writes (complaints) per address with it.
   * Keyed with the gateway's own secret, not GATEWAY_SECRET, which every
   * subgraph holds (clientKey.ts); an IPv6 address counts by its /64.
   */
  const withClientKey = (viewer: Viewer, req: IncomingMessage): Viewer => {
    if (viewer.kind !== 'anonymous' || viewer.clientKey) return viewer;
    const address = limiter?.clientAddress(req) ?? req.socket.remoteAddress ?? 'unknown';
    return { ...viewer, clientKey: clientKeyFor(clientKeySecret, address) };
  };
  const tooDeep = () => new Problem('BAD_USER_INPUT', `Variables and extensions may nest objects and arrays at most ${maxVariablesDepth} levels deep.`);

  /**
   * Rate limit, then credentials. A credential whose check starts a tenants
   * look-up (an API key in neither cache, with no look-up of it in flight)
   * first draws one request from the address's budget, given back when the
   * key is valid (its own bucket pays then): an address cycling made-up keys
   * is refused with 429 once that budget is spent, and never has more
   * look-ups in flight than its burst. A cached valid key never touches the
   * address's budget. Failed credentials keep their draw; those that did not
   * draw before failing (a bearer token, verified locally; a key known to be
   * unknown) draw after: guessing is not free. A look-up that fails or times
   * out is the gateway's problem, not the caller's: 503, never a 500.
   */
  const authenticateRequest = async (req: IncomingMessage, requestId: string): Promise<Authentication> => {
    // The address's draw for a tenants look-up this request started, if it started one.
    const draw: { decision?: RateDecision } = {};
    const beforeLookUp = limiter ? () => (draw.decision = limiter.check(req)).allowed : undefined;
    try {
      const viewer = await authenticator.authenticate(
        { authorization: req.headers.authorization, apiKey: req.headers['x-api-key'] as string | undefined },
        requestId,
        { beforeLookUp },
      );
      if (draw.decision) limiter?.refund(req);
      return { viewer: withClientKey(viewer, req) };
    } catch (error) {
      if (error instanceof LookUpRefused && draw.decision && !draw.decision.allowed) return { refused: 'rate-limited', decision: draw.decision };
      if (error instanceof CredentialsUnavailable) {
        logger.warn({ err: error, requestId }, 'credential look-up failed');
        return { refused: 'unavailable', error };
      }
      // Anything else is a bug, not an answer about the credentials: a logged 500.
      if (!(error instanceof AuthError)) throw error;
      const decision = draw.decision ?? limiter?.check(req);
      if (decision && !decision.allowed) return { refused: 'rate-limited', decision };
      return { refused: 'unauthenticated', error };
    }
  };
  const cacheTtlMs = options.responseCacheTtlMs ?? 1000;
  const cache = cacheTtlMs > 0 ? new AnonymousResponseCache({ ttlMs: cacheTtlMs }) : null;
  let draining = false;
  let publicBaseUrl = options.publicBaseUrl?.replace(/\/+$/, '') ?? '';

  /** What an edge route may use: the caller's viewer, the graph as that viewer, the rate limiter. */
  const edgeContext = (req: IncomingMessage, res: ServerResponse, path: string, requestId: string, seen: (viewer: Viewer) => void): EdgeContext => ({
    requestId,
    publicBaseUrl,
    async authenticate() {
      const outcome = await authenticateRequest(req, requestId);
      if ('viewer' in outcome) {
        seen(outcome.viewer);
        return outcome.viewer;
      }
      // Bad credentials are thrown for the route to word (EPCIS words its own); a 429 or 503 is answered here.
      if (outcome.refused === 'unauthenticated') throw new Problem('UNAUTHENTICATED', outcome.error.message);
      sendProblem(res, outcome.refused === 'rate-limited' ? rateLimited(outcome.decision) : unavailable(outcome.error), path);
      throw new Answered('answered by the gateway');
    },
    async execute(document, variables, viewer, opts = {}) {
      if (nestsDeeperThan(Object.values(variables as object), maxVariablesDepth)) throw tooDeep();
      const response = await apollo.executeOperation(
        { query: document.toString(), variables: variables as Record<string, unknown> },
        // A route may build its own anonymous viewer (the scan beacon): it gets the caller's key too.
        {
          contextValue: {
            viewer: withClientKey(viewer, req),
            requestId,
            acceptLanguage: opts.acceptLanguage ?? req.headers['accept-language'],
            idempotencyKey: undefined,
          },
        },
      );
      if (response.body.kind !== 'single') throw new Error('incremental delivery is not used at the edge');
      const { data, errors } = response.body.singleResult;
      return { data: data as never, errors: errors as never };
    },
    sign: (purpose, message) => gatewayHmac(clientKeySecret, purpose, message),
    allow(viewer) {
      if (!limiter) return true;
      const decision = limiter.check(req, viewer);
      if (!decision.allowed) sendProblem(res, rateLimited(decision), path);
      return decision.allowed;
    },
  });

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const requestId = requestIdOf(req);
    const started = performance.now();
    let viewer: Viewer | undefined;
    res.setHeader('x-request-id', requestId);
    res.on('finish', () => logRequest(logger, req, res, { path, requestId, viewer: viewer?.kind, started }));
    const handle = async () => {
      if (path === '/health') return sendJson(res, 200, { status: 'ok', service: 'gateway' });
      if (path === '/ready') return sendJson(res, draining ? 503 : 200, { status: draining ? 'draining' : 'ready', service: 'gateway' });
      if (draining)
        return refuse(
          res,
          path,
          new Problem('SERVICE_UNAVAILABLE', 'The gateway is shutting down; retry.', { headers: { connection: 'close', 'retry-after': '1' } }),
        );
      if (path === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
        if (limiter) {
          const decision = limiter.check(req);
          if (!decision.allowed) return refuse(res, path, rateLimited(decision));
        }
        const html = landingPage();
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
        return void res.end(req.method === 'HEAD' ? undefined : html);
      }
      if (path !== '/graphql') {
        if (options.edgeRoutes?.length) {
          const edge = edgeContext(req, res, path, requestId, (v) => (viewer = v));
          for (const route of options.edgeRoutes) if (await route(req, res, edge)) return;
        }
        return refuse(res, path, new Problem('NOT_FOUND', 'No such route.'));
      }
      const outcome = await authenticateRequest(req, requestId);
      if (!('viewer' in outcome)) {
        if (outcome.refused === 'rate-limited') return refuse(res, path, rateLimited(outcome.decision));
        if (outcome.refused === 'unavailable') return refuse(res, path, unavailable(outcome.error));
        return refuse(res, path, new Problem('UNAUTHENTICATED', outcome.error.message));
      }
      viewer = outcome.viewer;
      if (limiter) {
        const decision = limiter.check(req, viewer);
        if (!decision.allowed) return refuse(res, path, rateLimited(decision));
      }
      const key = req.headers[IDEMPOTENCY_KEY_HEADER];
      if (key !== undefined && !(typeof key === 'string' && IDEMPOTENCY_KEY.test(key))) {
        return refuse(res, path, new Problem('BAD_USER_INPUT', 'An Idempotency-Key has 1–200 visible ASCII characters.'));
      }
      const context: GatewayContext = { viewer, requestId, acceptLanguage: req.headers['accept-language'], idempotencyKey: key };
      const request = await readGraphQLRequest(req, options.bodyLimitBytes ?? 4 * 1024 * 1024);
      // Before any work: coercing a 10 000-deep variable overflowed the stack (answered SERVICE_UNAVAILABLE).
      if (nestsDeeperThan(requestJsonValues(request), maxVariablesDepth)) throw tooDeep();
      const execute = () => executeGraphQL(apollo, request, async () => context);
      const cacheKey =
        cache && viewer.kind === 'anonymous' && key === undefined ? cache.keyOf(request.method, request.search, request.body, context.acceptLanguage) : null;
      if (cache && cacheKey) {
        const { answer, fromCache } = await cache.answer(cacheKey, execute);
        if (fromCache) res.setHeader('x-nguon-cache', 'hit');
        return writeGraphQLAnswer(res, answer, fromCache ? REPLAYED_HEADERS : answer.status === 200 ? FRESH_HEADERS : {});
      }
      // Answers for a signed-in viewer are theirs alone.
      await writeGraphQLAnswer(res, await execute(), viewer.kind === 'anonymous' ? {} : { 'cache-control': 'private, no-store' });
    };
    handle().catch((error: unknown) => {
      if (error instanceof Answered) return;
      if (!res.headersSent && error instanceof Problem) return refuse(res, path, error);
      if (!res.headersSent && error instanceof HttpError) return refuse(res, path, new Problem(error.code, error.message, { status: error.status }));
      logger.error({ err: error, requestId }, 'request failed');
      if (!res.headersSent) refuse(res, path, new Problem('INTERNAL_SERVER_ERROR', `Internal server error (reference ${requestId}).`));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  if (!publicBaseUrl) publicBaseUrl = `http://${host}:${port}`;
  logger.info({ port }, 'gateway listening');

  return {
    url: `http://${host}:${port}/graphql`,
    port,
    publicBaseUrl,
    rateLimiter: limiter,
    async close() {
      draining = true;
      await drainServer(server, options.shutdownGraceMs ?? 10_000);
      await apollo.stop();
      await agent.close();
    },
  };
}
