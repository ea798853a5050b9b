/**
 * Child process: the peer, Hive Gateway, in its default configuration
 * (PEER=hive) or with the Rust query planner (PEER=hive-router), optionally
 * with its response cache (RESPONSE_CACHE_TTL_MS), reading the
 * same schema/supergraph.graphql with the subgraph URLs of this run. Our
 * subgraphs answer only gateway-signed requests, so every subgraph request
 * carries a signed anonymous viewer (24 h) — the same work ours does.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import InMemoryLRUCache from '@graphql-mesh/cache-inmemory-lru';
import { signViewer } from '@nguon/shared';
import { supergraphPath } from '@nguon/gateway/stack';

const env = process.env as Record<string, string>;
const subgraphs = JSON.parse(env.SUBGRAPHS!) as Record<string, string>;
let supergraph = readFileSync(supergraphPath, 'utf8');
for (const [name, url] of Object.entries(subgraphs)) {
  supergraph = supergraph.replace(new RegExp(`(join__graph\\(name: "${name}", url: ")[^"]*(")`), `$1${url}$2`);
}
const header = signViewer({ kind: 'anonymous', requestId: 'bench-peer' }, env.GATEWAY_SECRET!, 86_400);
const router = env.PEER === 'hive-router' ? await import('@graphql-hive/router-runtime') : undefined;
const runtime = createGatewayRuntime({
  supergraph,
  logging: 'error',
  propagateHeaders: { fromClientToSubgraphs: () => ({ 'x-nguon-viewer': header }) },
  ...(router ? { unifiedGraphHandler: router.unifiedGraphHandler } : {}),
  // Scenario 1c: Hive's response cache, shared by all (no session), the same TTL as ours.
  ...(Number(env.RESPONSE_CACHE_TTL_MS ?? 0) > 0
    ? { cache: new InMemoryLRUCache(), responseCaching: { session: () => null, ttl: Number(env.RESPONSE_CACHE_TTL_MS) } }
    : {}),
});
const server = createServer(runtime);
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ ready: `http://127.0.0.1:${port}/graphql` })}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
