import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { GraphQLError } from 'graphql';
import { Agent } from 'undici';
import { createLogger, handleGraphQL, HttpError, maskError, sendError, sendJson, uuidv7, type Logger } from '@nguon/shared';
import { AuthError, Authenticator } from './auth';
import { keepAliveFetcher, SignedDataSource, type GatewayContext } from './datasource';
import { landingPage } from './routes/landing';

export interface SubgraphUrls {
  tenants: string;
  catalog: string;
  trace: string;
  analytics: string;
}

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
  introspection?: 'signed-in' | 'always' | 'never';
  logger?: Logger;
}

export interface RunningGateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Introspection is for signed-in users (analysts, frontend teams), not anonymous scrapers. */
function introspectionPolicy(mode: 'signed-in' | 'always' | 'never'): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, contextValue }) {
          if (mode === 'always') return;
          const query = request.query ?? '';
          if (!query.includes('__schema') && !query.includes('__type')) return;
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

/**
 * The public edge: authenticates, then lets @apollo/gateway plan and run the
 * operation over the subgraphs named in the committed supergraph. It never
 * introspects subgraphs and holds no domain logic.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger('gateway');
  const timeoutMs = options.subgraphTimeoutMs ?? 10_000;
  const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, connections: 64, pipelining: 1 });
  const fetcher = keepAliveFetcher(agent, timeoutMs);
  const urls: Record<string, string> = { ...options.subgraphs };

  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name }) => {
      const url = urls[name];
      if (!url) throw new Error(`No URL configured for subgraph "${name}"`);
      return new SignedDataSource(url, fetcher, options.gatewaySecret);
    },
    logger,
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
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
    ],
  });
  await apollo.start();

  const tenantsBase = new URL(options.subgraphs.tenants);
  const authenticator = new Authenticator({
    tokenSecret: options.tokenSecret,
    gatewaySecret: options.gatewaySecret,
    apiKeyVerifyUrl: `${tenantsBase.origin}/internal/api-keys/verify`,
    apiKeyCacheSeconds: options.apiKeyCacheSeconds ?? 5,
  });

  const requestIdOf = (req: IncomingMessage) => {
    const given = req.headers['x-request-id'];
    return typeof given === 'string' && REQUEST_ID.test(given) ? given : uuidv7();
  };

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    const handle = async () => {
      if (path === '/health') return sendJson(res, 200, { status: 'ok', service: 'gateway' });
      if (path === '/ready') return sendJson(res, 200, { status: 'ready', service: 'gateway' });
      if (path === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
        const html = landingPage();
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
        return void res.end(req.method === 'HEAD' ? undefined : html);
      }
      if (path !== '/graphql') return sendError(res, 404, 'NOT_FOUND', 'No such route.');
      let viewer;
      try {
        viewer = await authenticator.authenticate(
          { authorization: req.headers.authorization, apiKey: req.headers['x-api-key'] as string | undefined },
          requestId,
        );
      } catch (error) {
        if (error instanceof AuthError) return sendError(res, 401, 'UNAUTHENTICATED', error.message, { 'www-authenticate': 'Bearer' });
        throw error;
      }
      const acceptLanguage = req.headers['accept-language'];
      await handleGraphQL(apollo, req, res, async () => ({ viewer, requestId, acceptLanguage }), options.bodyLimitBytes ?? 4 * 1024 * 1024);
    };
    handle().catch((error: unknown) => {
      if (error instanceof HttpError) return sendError(res, error.status, error.code, error.message);
      logger.error({ err: error, requestId }, 'request failed');
      if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', `Internal server error (reference ${requestId}).`);
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
  logger.info({ port }, 'gateway listening');

  return {
    url: `http://${host}:${port}/graphql`,
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await apollo.stop();
      await agent.close();
    },
  };
}
