/**
 * Benchmark (not a test): one aggregate — production volume and lot count by
 * district and season for the whole city — over 10 000 000 generated
 * production facts, answered (a) through the gateway over HTTP by a signed-in
 * city officer (gateway → analytics subgraph → rollup) and (b) as raw SQL over
 * the source tables, in one run, with both answers checked equal.
 * Creates and drops its own PostgreSQL database.
 *
 *   npm run bench:analytics     (BENCH_DATABASE_URL=postgres://…, BENCH_FACTS=10000000)
 *
 * Facts are lots (the production source today): 1 000 generated producers
 * under the 27 district nodes, 5 000 products, 2 000 lots each, produced over
 * 2021–2026. Rows are generated inside the server in 1M-row statements, in
 * key order so every index is appended to.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import postgres from 'postgres';
import { connect, createLogger, sql } from '@nguon/shared';
import { DEPARTMENTS, DISTRICTS } from '@nguon/demo/cantho';
import { demoOrgId } from '@nguon/demo/ids';
import { refreshRollups } from '@nguon/analytics';
import { seasonSql } from '@nguon/analytics/seasons';
import { canonicalQuantitySql, canonicalUnitSql } from '@nguon/analytics/units';
import { startStack } from '@nguon/gateway/stack';
import { PgDialect } from 'drizzle-orm/pg-core';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const FACTS = Number(process.env.BENCH_FACTS ?? 10_000_000);
const PRODUCERS = 1_000;
const PRODUCTS = 5_000;
const CHUNK = 1_000_000;
const RUNS = 7;
const RAW_RUNS = 3;
const PASSWORD = randomBytes(12).toString('base64url');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const uuidSql = (prefix: string, n: string) => `('${prefix}-' || lpad(to_hex(${n}), 12, '0'))::uuid`;
const producerId = (n: string) => uuidSql('00000000-0000-7000-9000', n);
const productId = (n: string) => uuidSql('00000000-0000-7000-8000', n);
const log = (msg: string) => console.log(`[bench:analytics] ${msg}`);

/**
 * The aggregate as an analyst would write it without the analytics service: straight over the source tables.
 * Production volume is primary production (docs/statistics.md): only lots made from no other lot add their
 * quantity; every lot counts in the lot count.
 */
const rawSql = () => {
  const { sql: text } = new PgDialect().sqlToQuery(sql`
    select coalesce(o.district_code, '') as district, ${seasonSql(sql`coalesce(l.produced_on, l.created_at::date)`)} as season,
      ${canonicalUnitSql(sql`l.unit`)} as unit, count(*)::bigint as lots,
      sum(${canonicalQuantitySql(sql`l.quantity`, sql`l.unit`)})
        filter (where not exists (select 1 from trace.lot_edges e where e.child_lot_id = l.id))::text as volume
    from trace.lots l
    join tenants.organization_scope o on o.id = l.owner_id
    join catalog.products p on p.id = l.product_id
    group by 1, 2, 3`);
  return text;
};

const QUERY = `query($input: AggregateInput!) { aggregate(input: $input) { totalRows rows { keys { value } values { measure value unit } } } }`;
const INPUT = { measures: ['PRODUCTION_VOLUME', 'LOT_COUNT'], groupBy: ['DISTRICT', 'SEASON'], first: 5000 };

async function main() {
  const started = performance.now();
  const name = `nguon_bench_analytics_${Date.now().toString(36)}`;
  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const connection = await connect({ databaseUrl: url.toString(), poolMax: 6, applicationName: 'nguon-bench' });
  const raw = postgres(url.toString(), { max: 1, onnotice: () => {} });
  let stack: Awaited<ReturnType<typeof startStack>> | undefined;
  try {
    stack = await startStack({ connection, seedPassword: PASSWORD, logger: createLogger('bench', 'warn'), subgraphTimeoutMs: 60_000 });
    log(`stack up with demo data (${((performance.now() - started) / 1000).toFixed(1)} s)`);

    // Generated producers under every district node of every department.
    const districtNodes = DEPARTMENTS.flatMap((d) => DISTRICTS.map((x) => ({ path: `ct.${d.slug}.${x.slug}`, sector: d.sector, code: x.code })));
    const producers = Array.from({ length: PRODUCERS }, (_, i) => {
      const node = districtNodes[i % districtNodes.length]!;
      return { i, node };
    });
    await raw.unsafe(
      `
      insert into tenants.organizations (id, parent_id, kind, sector, name, slug, path, depth, district_code)
      select ${producerId('i')}, (d->>'parent')::uuid, 'PRODUCER', d->>'sector', jsonb_build_object('vi', 'Cơ sở ' || i, 'en', 'Producer ' || i),
        'bench_p' || i, (d->>'path') || '.bench_p' || i, 3, d->>'code'
      from jsonb_array_elements($1::text::jsonb) with ordinality as t(d, n), lateral (select (n - 1)::int as i) x`,
      [JSON.stringify(producers.map((p) => ({ parent: demoOrgId(p.node.path), sector: p.node.sector, code: p.node.code, path: p.node.path })))],
    );
    const categories = (await raw`select code from catalog.categories order by code`).map((r) => r.code as string);
    await raw.unsafe(
      `
      insert into catalog.products (id, owner_id, internal_code, category, name, unit, status)
      select ${productId('p')}, ${producerId('p / 5')}, 'BENCH-' || p, ($1::text[])[1 + p % array_length($1::text[], 1)],
        jsonb_build_object('vi', 'Sản phẩm ' || p), case when p % 10 = 0 then 'H87' else 'KGM' end, 'PUBLISHED'
      from generate_series(0, ${PRODUCTS - 1}) p`,
      [categories],
    );

    const perProduct = Math.ceil(FACTS / PRODUCTS);
    const t0 = performance.now();
    for (let from = 0; from < FACTS; from += CHUNK) {
      const to = Math.min(FACTS, from + CHUNK) - 1;
      await raw.unsafe(`
        insert into trace.lots (id, lot_code, product_id, owner_id, quantity, unit, produced_on, status)
        select ${uuidSql('10000000-0000-7000-8000', 'g')}, 'B' || g, ${productId(`g / ${perProduct}`)}, ${producerId(`g / ${perProduct} / 5`)},
          20 + (g * 37) % 480, case when (g / ${perProduct}) % 10 = 0 then 'H87' else 'KGM' end,
          date '2021-01-01' + ((g * 7919) % 2000)::int,
          case when g % 997 = 0 then 'RECALLED' when g % 50 = 0 then 'DRAFT' else 'PUBLISHED' end
        from generate_series(${from}::bigint, ${to}::bigint) g`);
      log(`${(to + 1).toLocaleString('en')} facts (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
    const generateMs = performance.now() - t0;
    await raw.unsafe('analyze');

    const r0 = performance.now();
    const rollup = await refreshRollups(connection.drizzle());
    const refreshMs = performance.now() - r0;
    const [{ cells }] = (await raw`select count(*)::int as cells from analytics.production_monthly`) as unknown as [{ cells: number }];
    log(`rollup rebuilt in ${(refreshMs / 1000).toFixed(1)} s: ${cells.toLocaleString('en')} cells`);

    const signIn = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($e: String!, $p: String!) { signIn(input: { email: $e, password: $p }) { accessToken } }',
        variables: { e: 'officer.ct@demo.nguon.vn', p: PASSWORD },
      }),
    });
    const token = ((await signIn.json()) as any).data.signIn.accessToken as string;
    const ask = async () => {
      const t = performance.now();
      const response = await fetch(stack!.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: QUERY, variables: { input: INPUT } }),
      });
      const body = (await response.json()) as any;
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return { ms: performance.now() - t, body };
    };
    await ask(); // warm-up: plans, connections, JIT
    const gatewayRuns: number[] = [];
    let answer: any;
    for (let i = 0; i < RUNS; i++) {
      const { ms, body } = await ask();
      gatewayRuns.push(ms);
      answer = body;
    }

    const text = rawSql();
    const rawRuns: number[] = [];
    let rawRows: any[] = [];
    for (let i = 0; i < RAW_RUNS; i++) {
      const t = performance.now();
      rawRows = await raw.unsafe(text);
      rawRuns.push(performance.now() - t);
    }

    // Same figures both ways, or the comparison means nothing.
    const gatewayLots = answer.data.aggregate.rows.reduce((s: number, r: any) => s + r.values.find((v: any) => v.measure === 'LOT_COUNT').value, 0);
    const rawLots = rawRows.reduce((s, r) => s + Number(r.lots), 0);
    const gatewayKgm = answer.data.aggregate.rows.reduce((s: number, r: any) => s + (r.values.find((v: any) => v.unit === 'KGM')?.value ?? 0), 0);
    const rawKgm = rawRows.filter((r) => r.unit === 'KGM').reduce((s, r) => s + Number(r.volume), 0);
    if (gatewayLots !== rawLots || Math.abs(gatewayKgm - rawKgm) > 1e-6 * rawKgm)
      throw new Error(`answers differ: lots ${gatewayLots} vs ${rawLots}, KGM ${gatewayKgm} vs ${rawKgm}`);

    const result = {
      benchmark:
        'analytics aggregate: PRODUCTION_VOLUME + LOT_COUNT by DISTRICT × SEASON, whole city, city OFFICER (exact values; an ANALYST sees small cells suppressed, docs/statistics.md)',
      database: 'PostgreSQL (fresh database, dropped afterwards)',
      facts: FACTS,
      producers: PRODUCERS,
      products: PRODUCTS,
      rollupCells: cells,
      groups: answer.data.aggregate.totalRows,
      generateSeconds: +(generateMs / 1000).toFixed(1),
      rollupRefreshSeconds: +(refreshMs / 1000).toFixed(2),
      rollupSourceRows: rollup?.sourceRows ?? null,
      gatewayMs: { median: +median(gatewayRuns).toFixed(1), runs: gatewayRuns.map((x) => +x.toFixed(1)) },
      rawSqlMs: { median: +median(rawRuns).toFixed(1), runs: rawRuns.map((x) => +x.toFixed(1)) },
      ratioRawOverGateway: +(median(rawRuns) / median(gatewayRuns)).toFixed(1),
      answersEqual: true,
      totalSeconds: +((performance.now() - started) / 1000).toFixed(1),
      when: new Date().toISOString(),
    };
    mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
    writeFileSync(new URL('../results/analytics.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await stack?.close();
    await raw.end();
    await connection.close();
    // BENCH_KEEP=1 leaves the database for EXPLAIN sessions.
    if (process.env.BENCH_KEEP) console.log(`kept database ${name}`);
    else await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
