/**
 * Benchmark (not a test): trace(DOWNSTREAM) over a genealogy of 1 000 000
 * lots, through the trace subgraph over HTTP (GraphQL, shield, loaders) and
 * the same recursive SQL run directly, for reached sets of ~10, ~1 000 and
 * ~10 000 lots. Creates and drops its own PostgreSQL database.
 *
 *   npm run bench:trace            (BENCH_DATABASE_URL=postgres://… to point elsewhere)
 *
 * The graph is a 10-ary tree over lots 0…999 999 (lot c comes from lot
 * (c-1)/10 through a transformation event), so a lot h levels above the last full level reaches
 * (10^(h+1)-1)/9 lots downstream: 11, 1 111 and 11 111 for the three sizes.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import postgres from 'postgres';
import { connect, createLogger, inTransaction, signViewer, startSubgraph, type Viewer } from '@nguon/shared';
import { demoOrgId } from '@nguon/demo/ids';
import { migrationsFolder as tenantsMigrations } from '@nguon/tenants';
import { seedTenants } from '@nguon/tenants/seed';
import { traceSubgraph } from '@nguon/trace';
import { traceSql } from '@nguon/trace/genealogy';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const LOTS = 1_000_000;
const RUNS = 7;
const SECRET = randomBytes(32).toString('base64url');
/** Heap index → lot id, the same in SQL and here. */
const lotId = (i: number) => `md5('lot${i}')::uuid`;

const cases = [
  { label: '~10', root: 11_111, expected: 11 },
  { label: '~1 000', root: 111, expected: 1_111 },
  { label: '~10 000', root: 11, expected: 11_111 },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const name = `nguon_bench_trace_${Date.now().toString(36)}`;
  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const connection = await connect({ databaseUrl: url.toString(), poolMax: 4, applicationName: 'nguon-bench' });
  const raw = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    const t0 = performance.now();
    await connection.migrate(tenantsMigrations, 'tenants');
    await inTransaction(connection.drizzle(), (tx) => seedTenants(tx, 'bench-password').then(() => undefined));
    const subgraph = await startSubgraph(traceSubgraph(), { connection, gatewaySecret: SECRET, logger: createLogger('trace', 'silent') });
    const owner = demoOrgId('ct.agri.thot_not.ct_luong_thuc_thot_not');

    // Generated in the server: a million rows never cross the wire.
    await raw.unsafe(`
      insert into trace.lots (id, lot_code, product_id, owner_id, quantity, unit, status)
      select md5('lot' || i)::uuid, 'B' || i, md5('product' || (i % 1000))::uuid, '${owner}', 100, 'KGM', 'PUBLISHED'
      from generate_series(0, ${LOTS - 1}) i`);
    await raw.unsafe(`
      insert into trace.events (id, event_id, event_hash, organization_id, seq, prev_hash, chain_hash, type, biz_step, event_time, event_time_zone_offset, body)
      select md5('ev' || p)::uuid, 'urn:uuid:' || md5('ev' || p)::uuid, 'ni:///sha-256;' || md5('h' || p), '${owner}', p + 1, '', '',
             'TRANSFORMATION_EVENT', 'transforming', now(), '+07:00', '{}'::jsonb
      from generate_series(0, ${Math.floor((LOTS - 2) / 10)}) p`);
    await raw.unsafe(`
      insert into trace.lot_edges (parent_lot_id, child_lot_id, event_id, kind)
      select md5('lot' || ((c - 1) / 10))::uuid, md5('lot' || c)::uuid, md5('ev' || ((c - 1) / 10))::uuid, 'TRANSFORMATION'
      from generate_series(1, ${LOTS - 1}) c`);
    await raw.unsafe('analyze trace.lots; analyze trace.lot_edges; analyze trace.events');
    const setupSeconds = (performance.now() - t0) / 1000;
    console.log(`graph of ${LOTS.toLocaleString('en')} lots ready in ${setupSeconds.toFixed(1)} s`);

    const viewer: Viewer = { kind: 'user', requestId: 'bench', userId: 'bench', grants: [{ role: 'OFFICER', orgId: demoOrgId('ct'), path: 'ct' }] };
    const header = signViewer(viewer, SECRET);
    const query = `query($id: ID!) { trace(lotId: $id, direction: DOWNSTREAM, maxDepth: 50) { lots { id depth lot { lotCode status } } edges { parentLotId childLotId kind eventID } } }`;
    const graphql = async (id: string) => {
      const response = await fetch(subgraph.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-nguon-viewer': header },
        body: JSON.stringify({ query, variables: { id } }),
      });
      const body = (await response.json()) as { data?: { trace: { lots: unknown[] } }; errors?: unknown };
      if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
      return body.data.trace.lots.length;
    };
    const direct = async (id: string) => (await connection.rows<{ lot_id: string }>(traceSql([id], 'DOWNSTREAM', 50))).length;

    const results = [];
    for (const c of cases) {
      const [row] = await raw.unsafe(`select ${lotId(c.root)} as id`);
      const id = String(row!.id);
      const measure = async (fn: (id: string) => Promise<number>) => {
        await fn(id); // warm caches and plans
        const times: number[] = [];
        let reached = 0;
        for (let i = 0; i < RUNS; i++) {
          const started = performance.now();
          reached = await fn(id);
          times.push(performance.now() - started);
        }
        return { reached, medianMs: +median(times).toFixed(2), minMs: +Math.min(...times).toFixed(2) };
      };
      const sqlRun = await measure(direct);
      const gqlRun = await measure(graphql);
      if (sqlRun.reached !== c.expected || gqlRun.reached !== c.expected)
        throw new Error(`expected ${c.expected} lots, got ${sqlRun.reached}/${gqlRun.reached}`);
      results.push({ reachedSet: c.label, reached: sqlRun.reached, sql: sqlRun, graphql: gqlRun });
    }
    await subgraph.close();

    const report = {
      benchmark: 'trace downstream',
      lots: LOTS,
      edges: LOTS - 1,
      runs: RUNS,
      database: 'PostgreSQL',
      setupSeconds: +setupSeconds.toFixed(1),
      at: new Date().toISOString(),
      results,
    };
    mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
    writeFileSync(new URL('../results/trace.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
    console.log('\nreached set   lots     SQL median (min) ms     GraphQL median (min) ms');
    for (const r of results) {
      console.log(
        `${r.reachedSet.padEnd(12)}  ${String(r.reached).padStart(6)}   ${`${r.sql.medianMs} (${r.sql.minMs})`.padEnd(22)}  ${r.graphql.medianMs} (${r.graphql.minMs})`,
      );
    }
    console.log('\nwritten to bench/results/trace.json');
  } finally {
    await raw.end();
    await connection.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
