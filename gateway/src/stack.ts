import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createLogger, inTransaction, startSubgraph, type Connection, type Logger, type RunningSubgraph } from '@nguon/shared';
import { analyticsSubgraph } from '@nguon/analytics';
import { catalogSubgraph } from '@nguon/catalog';
import { seedCatalog } from '@nguon/catalog/seed';
import { tenantsSubgraph } from '@nguon/tenants';
import { isSeeded, seedTenants, type DemoAccount, type DemoLayout } from '@nguon/tenants/seed';
import { traceSubgraph } from '@nguon/trace';
import { seedTrace } from '@nguon/trace/seed';
import type { EpcisCaptureConfig } from './epcis/capture';
import { edgeRoutes } from './routes';
import { startGateway, type GatewayOptions, type RunningGateway } from './server';

import { supergraphPath } from './supergraph';

export { supergraphPath };

export interface StackOptions {
  connection: Connection;
  /** Gateway port; 0 picks a free one. */
  port?: number;
  host?: string;
  /** Seed the Can Tho demo data when the database is empty, with this password for every demo account. */
  seedPassword?: string;
  /** Which demo tree to seed (DEMO_LAYOUT): the article's districts (2019, default) or the 2025 communes/wards. */
  demoLayout?: DemoLayout;
  tokenSecret?: string;
  /** Key of items' verification-code HMAC: it must outlive restarts, or issued codes stop verifying. */
  verificationSecret?: string;
  tokenTtlSeconds?: number;
  subgraphTimeoutMs?: number;
  apiKeyCacheSeconds?: number;
  /** Public base URL of the resolver; default: where the gateway listens. */
  publicBaseUrl?: string;
  /** Who may introspect; default `signed-in`, as for the gateway on its own (README, "Configuration"). */
  introspection?: 'signed-in' | 'always' | 'never';
  /**
   * Webhooks may be plain http and reach loopback/private addresses
   * (WEBHOOK_ALLOW_PRIVATE): `npm start` on embedded PGlite and the end-to-end
   * tests, whose receivers listen on 127.0.0.1. Default: the environment's setting.
   */
  webhookAllowPrivate?: boolean;
  /** Query limits, rate limits and shutdown grace of the gateway (defaults: the production defaults). */
  gateway?: Pick<GatewayOptions, 'limits' | 'rateLimits' | 'shutdownGraceMs' | 'responseCacheTtlMs' | 'clientKeySecret'>;
  /** EPCIS capture settings (EPCIS_UNREGISTERED_LOTS); default: refuse unregistered lots. */
  epcis?: EpcisCaptureConfig;
  logger?: Logger;
}

export interface Stack {
  gateway: RunningGateway;
  subgraphs: Record<'tenants' | 'catalog' | 'trace' | 'analytics', RunningSubgraph>;
  /** Demo accounts created by this start (empty when the data was already there). */
  seededAccounts: DemoAccount[];
  gatewaySecret: string;
  tokenSecret: string;
  close(): Promise<void>;
}

/**
 * The whole federated graph in one process: four subgraphs on loopback ports
 * over one database connection, and the gateway in front, talking real HTTP.
 * `npm start` and the end-to-end tests both run this.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const logger = options.logger ?? createLogger('nguon', 'warn');
  const gatewaySecret = randomBytes(32).toString('base64url');
  const tokenSecret = options.tokenSecret ?? randomBytes(32).toString('base64url');
  const webhookAllowPrivate = options.webhookAllowPrivate ?? ['1', 'true'].includes(process.env.WEBHOOK_ALLOW_PRIVATE ?? '');
  const common = { connection: options.connection, gatewaySecret, port: 0, host: '127.0.0.1' };
  // Order matters once: analytics' views read the other services' tables.
  const tenants = await startSubgraph(tenantsSubgraph({ secret: tokenSecret, ttlSeconds: options.tokenTtlSeconds ?? 3600 }, { webhookAllowPrivate }), {
    ...common,
    logger: logger.child({ service: 'tenants' }),
  });
  const catalog = await startSubgraph(catalogSubgraph(), { ...common, logger: logger.child({ service: 'catalog' }) });
  // The gateway's address is known only once it listens; trace reads it when it builds a Digital Link.
  let publicBaseUrl = options.publicBaseUrl ?? '';
  const trace = await startSubgraph(
    traceSubgraph({
      publicBaseUrl: () => publicBaseUrl,
      verificationSecret: options.verificationSecret ?? randomBytes(32).toString('base64url'),
      webhookAllowPrivate,
    }),
    { ...common, logger: logger.child({ service: 'trace' }) },
  );
  const analytics = await startSubgraph(analyticsSubgraph(), { ...common, logger: logger.child({ service: 'analytics' }) });
  const subgraphs = { tenants, catalog, trace, analytics };

  let seededAccounts: DemoAccount[] = [];
  if (options.seedPassword) {
    const db = options.connection.drizzle();
    if (!(await isSeeded(db))) {
      // One transaction: a seed cut short leaves nothing, and the next start seeds again.
      seededAccounts = await inTransaction(db, async (tx) => {
        const accounts = await seedTenants(tx, options.seedPassword!, options.demoLayout);
        await seedCatalog(tx);
        await seedTrace(tx, options.demoLayout);
        return accounts;
      });
    }
  }

  const gateway = await startGateway({
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    subgraphs: { ...Object.fromEntries(Object.entries(subgraphs).map(([name, s]) => [name, s.url])), tenants: tenants.url, analytics: analytics.url },
    gatewaySecret,
    tokenSecret,
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    subgraphTimeoutMs: options.subgraphTimeoutMs,
    apiKeyCacheSeconds: options.apiKeyCacheSeconds,
    introspection: options.introspection ?? 'signed-in',
    edgeRoutes: edgeRoutes({ gatewaySecret, analyticsUrl: analytics.url, epcis: options.epcis }),
    publicBaseUrl: options.publicBaseUrl,
    ...options.gateway,
    logger: logger.child({ service: 'gateway' }),
  });
  publicBaseUrl = gateway.publicBaseUrl;

  return {
    gateway,
    subgraphs,
    seededAccounts,
    gatewaySecret,
    tokenSecret,
    async close() {
      await gateway.close();
      await Promise.all(Object.values(subgraphs).map((s) => s.close()));
    },
  };
}
