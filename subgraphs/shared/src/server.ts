import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { Connection, Database } from './db';
import { QueryCounter } from './db';
import { maskError } from './errors';
import { handleGraphQL, HttpError, sendError, sendJson } from './http';
import { parseAcceptLanguage } from './i18n';
import type { Logger } from './logger';
import { protect, type FieldClassMap } from './permissions';
import { REQUEST_ID_HEADER, VIEWER_HEADER, verifyViewer, type Viewer } from './viewer';
import { uuidv7 } from './ids';
import { rejectNulCharacters } from './text';
import { drainServer, IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_HEADER } from './http';
import { logRequest, REQUEST_ID_FORMAT } from './logger';

/** What every resolver of every subgraph gets; subgraphs add their loaders. */
export interface BaseContext {
  viewer: Viewer;
  db: Database;
  /** Languages the client asked for, best first (Accept-Language). */
  langs: string[];
  requestId: string;
  logger: Logger;
  /** The client's Idempotency-Key, when the gateway forwarded one with a mutation (see idempotency.ts). */
  idempotencyKey?: string | undefined;
}

/**
 * What every service function takes first (docs/architecture.md §3): the
 * request's database and viewer, and its Idempotency-Key where a mutation
 * honours one. A resolver passes its context; background work builds one.
 */
export type ServiceContext = Pick<BaseContext, 'db' | 'viewer' | 'idempotencyKey'>;

export interface SubgraphDefinition<C extends BaseContext> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<C>;
  /** The permission class of every field (docs/permissions.md §4). */
  fieldClasses: FieldClassMap;
  /** Folder of drizzle-kit SQL migrations and the Postgres schema that owns them. */
  migrations: { folder: string; schema: string };
  /** Extends the base context, typically with per-request DataLoaders. */
  context(base: BaseContext): C;
  /** Extra HTTP routes served beside /graphql, behind the same gateway signature. */
  routes?: Record<string, (req: IncomingMessage, res: ServerResponse, base: BaseContext) => Promise<void>>;
  /** Starts background work (an outbox worker) once the subgraph listens; optional. */
  onStart?(services: SubgraphServices): Promise<void> | void;
  /** Stops it before the subgraph closes; startSubgraph awaits it. */
  onStop?(): Promise<void> | void;
}

/** What a subgraph's background work gets: the same database and logger its requests use. */
export interface SubgraphServices {
  /**
   * The database for background work (outbox workers): outside the statement
   * counter, which counts what requests cost (`/metrics`, the batching tests),
   * so a worker's poll never shows as a request's statement.
   */
  db: Database;
  logger: Logger;
}

export interface SubgraphOptions {
  connection: Connection;
  gatewaySecret: string;
  logger: Logger;
  port?: number;
  host?: string;
  /** Largest request body accepted, in bytes. */
  bodyLimit?: number;
  migrate?: boolean;
  /** How long close() lets in-flight requests run before cutting their connections. */
  shutdownGraceMs?: number;
}

export interface RunningSubgraph {
  name: string;
  url: string;
  port: number;
  counter: QueryCounter;
  schema: GraphQLSchema;
  close(): Promise<void>;
}

export function buildSchema<C extends BaseContext>(definition: SubgraphDefinition<C>): GraphQLSchema {
  const schema = buildSubgraphSchema([{ typeDefs: definition.typeDefs, resolvers: definition.resolvers as GraphQLResolverMap<unknown> }]);
  return protect(schema, definition.fieldClasses);
}

/**
 * Starts one subgraph: migrations, Apollo Server, and a plain node:http
 * server with /graphql and /metrics (gateway-signed requests only), /health
 * and /ready. Returns once it listens.
 */
export async function startSubgraph<C extends BaseContext>(definition: SubgraphDefinition<C>, options: SubgraphOptions): Promise<RunningSubgraph> {
  const { connection, logger } = options;
  if (options.migrate !== false) await connection.migrate(definition.migrations.folder, definition.migrations.schema);

  const counter = new QueryCounter();
  const db = connection.drizzle(counter);
  const schema = buildSchema(definition);
  const apollo = new ApolloServer<C>({
    schema,
    formatError: maskError(logger),
    includeStacktraceInErrorResponses: false,
    introspection: true,
    stopOnTerminationSignals: false,
    // Cache-control hints and inline traces are per-field hooks nothing here reads (the gateway caches
    // whole anonymous answers itself): left on, they wrap every resolver of every request.
    plugins: [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginLandingPageDisabled(), rejectNulCharacters],
  });
  await apollo.start();

  let requests = 0;
  let draining = false;
  let closing: Promise<void> | undefined;
  const bodyLimit = options.bodyLimit ?? 8 * 1024 * 1024;

  // The gateway's request id: from the signed viewer, else a well-formed header, else a new one.
  const requestIdOf = (req: IncomingMessage, viewer?: Viewer | null): string => {
    const header = req.headers[REQUEST_ID_HEADER];
    if (viewer?.requestId && REQUEST_ID_FORMAT.test(viewer.requestId)) return viewer.requestId;
    return typeof header === 'string' && REQUEST_ID_FORMAT.test(header) ? header : uuidv7();
  };

  const baseContext = (req: IncomingMessage, viewer: Viewer, requestId: string): BaseContext => {
    const key = req.headers[IDEMPOTENCY_KEY_HEADER];
    return {
      viewer,
      db,
      langs: parseAcceptLanguage(req.headers['accept-language']),
      requestId,
      logger: logger.child({ requestId }),
      ...(typeof key === 'string' && IDEMPOTENCY_KEY.test(key) ? { idempotencyKey: key } : {}),
    };
  };

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const started = performance.now();
    let requestId = requestIdOf(req);
    let viewerKind: Viewer['kind'] | undefined;
    res.on('finish', () => logRequest(logger, req, res, { path, requestId, viewer: viewerKind, started }));
    if (draining && path !== '/health' && path !== '/ready' && path !== '/metrics') {
      // Closing: finish what is running, take nothing new, and let the caller reconnect elsewhere.
      return sendError(res, 503, 'SERVICE_UNAVAILABLE', 'This service is shutting down.', { connection: 'close', 'retry-after': '1' });
    }
    const handle = async () => {
      if (path === '/health') return sendJson(res, 200, { status: 'ok', service: definition.name });
      if (path === '/ready') {
        try {
          await connection.ping();
          return sendJson(res, draining ? 503 : 200, { status: draining ? 'draining' : 'ready', service: definition.name });
        } catch {
          return sendJson(res, 503, { status: 'database unreachable', service: definition.name });
        }
      }
      if (path === '/metrics') {
        // Counters of what this service did are for the gateway's operators (tests, bench), not for any
        // caller who can reach the port: the same signature as /graphql. /health and /ready stay open.
        if (!verifyViewer(req.headers[VIEWER_HEADER] as string | undefined, options.gatewaySecret)) {
          return sendError(res, 401, 'UNAUTHENTICATED', 'This service answers the Nguồn gateway only.');
        }
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(
          `# TYPE nguon_sql_statements_total counter\nnguon_sql_statements_total{service="${definition.name}"} ${counter.statements}\n` +
            `# TYPE nguon_http_requests_total counter\nnguon_http_requests_total{service="${definition.name}"} ${requests}\n`,
        );
        return;
      }
      const route = path === '/graphql' ? null : definition.routes?.[path];
      if (path !== '/graphql' && !route) return sendError(res, 404, 'NOT_FOUND', 'No such route.');
      // Only the gateway can produce this signature: a direct call, or one with
      // a forged viewer, gets nothing — `_entities` included.
      const viewer = verifyViewer(req.headers[VIEWER_HEADER] as string | undefined, options.gatewaySecret);
      if (!viewer) return sendError(res, 401, 'UNAUTHENTICATED', 'This service answers the Nguồn gateway only.');
      requests++;
      requestId = requestIdOf(req, viewer);
      viewerKind = viewer.kind;
      const base = baseContext(req, viewer, requestId);
      if (route) return route(req, res, base);
      await handleGraphQL(apollo, req, res, async () => definition.context(base), bodyLimit);
    };
    handle().catch((error: unknown) => {
      if (error instanceof HttpError) return sendError(res, error.status, error.code, error.message);
      logger.error({ err: error, requestId }, 'request failed');
      if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
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
  logger.info({ port }, `${definition.name} subgraph listening`);
  await definition.onStart?.({ db: connection.drizzle(), logger });

  return {
    name: definition.name,
    url: `http://${host}:${port}/graphql`,
    port,
    counter,
    schema,
    close() {
      // Idempotent: a test (or a signal handler) may close a subgraph that is already closing.
      closing ??= (async () => {
        draining = true;
        await definition.onStop?.();
        await drainServer(server, options.shutdownGraceMs ?? 10_000);
        await apollo.stop();
      })();
      return closing;
    },
  };
}
