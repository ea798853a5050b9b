/**
 * Consumer page benchmark (issue 6): requests per second for the consumer
 * page of published lots — cold (every request renders through the graph)
 * and cached (the gateway's one-second page cache) — next to the GraphQL
 * query the page runs, in one run, load from a separate process.
 *
 *   npm run bench:consumer [-- --seconds 10 --connections 16]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { connect } from '@nguon/shared';
import { PROVENANCE_PAGE_QUERY } from '@nguon/gateway/routes/resolver';
import { startStack } from '@nguon/gateway/stack';
import { runChild } from '../lib/child';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 10);
const CONNECTIONS = arg('connections', 16);
const ROUNDS = arg('rounds', 3);
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const load = (job: object) => runChild<{ requests: number; rps: number; p50: number; p99: number; errors: number }>(new URL('./load.ts', import.meta.url), job);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const name = `nguon_bench_consumer_${Date.now().toString(36)}`;
const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const url = new URL(ADMIN_URL);
url.pathname = `/${name}`;
const connection = await connect({ databaseUrl: url.toString(), poolMax: 10, applicationName: 'bench-consumer' });
try {
  // Two gateways on the same subgraphs: one keeps anonymous pages for a second, one renders every time
  // (no page cache, no anonymous response cache: every request goes through the graph).
  const stack = await startStack({ connection, seedPassword: 'bench-password-1', gateway: { rateLimits: false } });
  const coldRoutes = (await import('@nguon/gateway/routes/resolver')).digitalLinkRoutes({ pageCacheTtlMs: 0 });
  const { startGateway } = await import('@nguon/gateway');
  const { readFileSync } = await import('node:fs');
  const cold = await startGateway({
    supergraphSdl: readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'),
    subgraphs: {
      tenants: stack.subgraphs.tenants.url,
      catalog: stack.subgraphs.catalog.url,
      trace: stack.subgraphs.trace.url,
      analytics: stack.subgraphs.analytics.url,
    },
    gatewaySecret: stack.gatewaySecret,
    tokenSecret: stack.tokenSecret,
    rateLimits: false,
    // Uncached means uncached: neither the page cache nor the anonymous response cache answers.
    responseCacheTtlMs: 0,
    edgeRoutes: coldRoutes,
  });
  const lots = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ lots(first: 100) { nodes { lotCode digitalLink product { gtin } } } }' }),
  }).then((r) => r.json() as Promise<any>);
  const published = (lots.data.lots.nodes as any[]).filter((l) => l.digitalLink);
  const paths = published.map((l) => new URL(l.digitalLink).pathname);
  const bodies = published.map((l) =>
    JSON.stringify({ query: PROVENANCE_PAGE_QUERY.toString(), variables: { gtin: l.product.gtin, lot: l.lotCode, lang: 'vi' } }),
  );
  const hot = paths.slice(0, 1);
  // The pages with an upstream journey (issue 15's target): lots made from other lots or packed from them.
  const madeFrom = new Set(
    (await connection.rows<{ lot_code: string }>(sql`select distinct l.lot_code from trace.lot_edges e join trace.lots l on l.id = e.child_lot_id`)).map(
      (r) => r.lot_code,
    ),
  );
  const deep = published.filter((l) => madeFrom.has(l.lotCode)).map((l) => new URL(l.digitalLink).pathname);
  const origin = (gatewayUrl: string) => new URL(gatewayUrl).origin;
  console.log(`${published.length} published lots (${deep.length} made from others); ${ROUNDS} rounds × ${SECONDS}s, ${CONNECTIONS} connections`);

  // Warm-up: query plans, prepared statements, JIT.
  await load({ origin: origin(cold.url), paths, connections: CONNECTIONS, seconds: 2, method: 'GET' });
  const runs = { pageCold: [] as any[], pageColdMadeFrom: [] as any[], pageCached: [] as any[], graphQuery: [] as any[] };
  for (let round = 0; round < ROUNDS; round++) {
    runs.pageCold.push(await load({ origin: origin(cold.url), paths, connections: CONNECTIONS, seconds: SECONDS, method: 'GET' }));
    if (deep.length > 0)
      // One connection: concurrent requests for the same page would share the gateway's de-duplicated subgraph fetches.
      runs.pageColdMadeFrom.push(await load({ origin: origin(cold.url), paths: deep, connections: 1, seconds: SECONDS, method: 'GET' }));
    runs.pageCached.push(await load({ origin: origin(stack.gateway.url), paths: hot, connections: CONNECTIONS, seconds: SECONDS, method: 'GET' }));
    runs.graphQuery.push(
      await load({
        origin: origin(stack.gateway.url),
        paths: paths.map(() => '/graphql'),
        bodies,
        connections: CONNECTIONS,
        seconds: SECONDS,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      }),
    );
    console.log(
      `round ${round + 1}: cold ${runs.pageCold.at(-1).rps} rps, cold made-from ${runs.pageColdMadeFrom.at(-1)?.rps ?? '—'} rps, cached ${runs.pageCached.at(-1).rps} rps, graph query ${runs.graphQuery.at(-1).rps} rps`,
    );
  }
  const summary = Object.fromEntries(
    Object.entries(runs)
      .filter(([, rs]) => rs.length > 0)
      .map(([k, rs]) => [
        k,
        {
          rpsMedian: median(rs.map((r) => r.rps)),
          rpsMin: Math.min(...rs.map((r) => r.rps)),
          rpsMax: Math.max(...rs.map((r) => r.rps)),
          p50Median: median(rs.map((r) => r.p50)),
          p99Median: median(rs.map((r) => r.p99)),
          errors: rs.reduce((s, r) => s + r.errors, 0),
        },
      ]),
  );
  const result = {
    benchmark: 'consumer-page',
    date: new Date().toISOString(),
    command: `npm run bench:consumer -- --seconds ${SECONDS} --connections ${CONNECTIONS} --rounds ${ROUNDS}`,
    node: process.version,
    lots: published.length,
    summary,
    ratios: {
      coldPageOverGraphQuery: summary.pageCold!.rpsMedian / summary.graphQuery!.rpsMedian,
      cachedOverCold: summary.pageCached!.rpsMedian / summary.pageCold!.rpsMedian,
    },
    runs,
  };
  mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('../results/consumer.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  console.table(
    Object.fromEntries(
      Object.entries(summary).map(([k, v]) => [
        k,
        { 'req/s (median)': Math.round(v.rpsMedian), 'p50 ms': v.p50Median, 'p99 ms': v.p99Median, errors: v.errors },
      ]),
    ),
  );
  await cold.close();
  await stack.close();
} finally {
  await connection.close();
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}
