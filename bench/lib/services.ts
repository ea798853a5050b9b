/**
 * Child process: our four subgraphs on loopback over one PostgreSQL pool,
 * exactly as the production processes build them (shield, loaders, counters).
 * Prints {"ready": {...urls}} on stdout once all listen.
 */
import { connect, createLogger, startSubgraph } from '@nguon/shared';
import { analyticsSubgraph } from '@nguon/analytics';
import { catalogSubgraph } from '@nguon/catalog';
import { tenantsSubgraph } from '@nguon/tenants';
import { traceSubgraph } from '@nguon/trace';

const { DATABASE_URL, GATEWAY_SECRET, TOKEN_SECRET } = process.env as Record<string, string>;
const connection = await connect({ databaseUrl: DATABASE_URL, poolMax: 16, applicationName: 'nguon-bench-subgraphs' });
const logger = createLogger('bench', 'error');
const common = { connection, gatewaySecret: GATEWAY_SECRET!, logger, migrate: false, host: '127.0.0.1', port: 0 };
const tenants = await startSubgraph(tenantsSubgraph({ secret: TOKEN_SECRET!, ttlSeconds: 86_400 }), common);
const catalog = await startSubgraph(catalogSubgraph(), common);
const trace = await startSubgraph(traceSubgraph(), common);
const analytics = await startSubgraph(analyticsSubgraph(), common);
process.stdout.write(`${JSON.stringify({ ready: { tenants: tenants.url, catalog: catalog.url, trace: trace.url, analytics: analytics.url } })}\n`);
process.on('SIGTERM', async () => {
  await Promise.all([tenants, catalog, trace, analytics].map((s) => s.close()));
  await connection.close();
  process.exit(0);
});
