/**
 * The benchmark suite (issue 8): our gateway against Hive Gateway (default and
 * Rust query planner) and a one-SQL-statement floor, on a fresh PostgreSQL
 * database filled by bench/generate.ts. Creates and drops its own database;
 * every server and the load generator run as separate processes on 127.0.0.1.
 *
 *   npm run bench                    S=1, 3 alternating rounds of 15 s per target
 *   npm run bench -- --quick         smoke: S=0.05, 1 round of 3 s (CI runs it)
 *   flags: --scale=N --rounds=N --seconds=N --connections=N --only=s1,s1c,s2,s3,s4,s5
 *   env:   BENCH_DATABASE_URL=postgres://… (server; a database is created on it)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { createInterface } from 'node:readline';
import postgres from 'postgres';
import { connect, inTransaction, signViewer, sql as dsql } from '@nguon/shared';
import { migrationsFolder as tenantsMigrations } from '@nguon/tenants';
import { migrationsFolder as catalogMigrations } from '@nguon/catalog';
import { migrationsFolder as traceMigrations } from '@nguon/trace';
import { migrationsFolder as analyticsMigrations, refreshRollups } from '@nguon/analytics';
import { seedTenants } from '@nguon/tenants/seed';
import { PgDialect } from 'drizzle-orm/pg-core';
import { traceSql } from '@nguon/trace/genealogy';
import { seasonSql } from '@nguon/analytics/seasons';
import { canonicalQuantitySql, canonicalUnitSql } from '@nguon/analytics/units';
import { generate, lotId, producerIdSql, type Shape } from './generate';
import { PROVENANCE, listQuery, listVariables } from './lib/queries';
import { writeReport } from './report';
import { runChild } from './lib/child';
import { buildEntry } from '@nguon/gateway/build';

const args = new Map(process.argv.slice(2).map((a) => [a.replace(/^--/, '').split('=')[0]!, a.split('=')[1] ?? 'true']));
const QUICK = args.has('quick');
const SCALE = Number(args.get('scale') ?? (QUICK ? 0.05 : 1));
const ROUNDS = Number(args.get('rounds') ?? (QUICK ? 1 : 3));
const SECONDS = Number(args.get('seconds') ?? (QUICK ? 3 : 15));
// The smoke (CI) checks the harness, answers and every scenario end to end; its numbers are not results.
const WARMUP = QUICK ? 1 : 5;
const CONNECTIONS = Number(args.get('connections') ?? 16);
const ONLY = args.get('only')?.split(',');
const SEED = 20240601;
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PASSWORD = randomBytes(12).toString('base64url');
const GATEWAY_SECRET = randomBytes(32).toString('base64url');
const TOKEN_SECRET = randomBytes(32).toString('base64url');
const ROOT = new URL('..', import.meta.url);
const RESULTS = new URL('./results/', import.meta.url);

const log = (msg: string) => console.log(`[bench] ${msg}`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const round = (x: number, d = 1) => +x.toFixed(d);
const wants = (s: string) => !ONLY || ONLY.includes(s);

// ---------------------------------------------------------------- processes

interface Proc {
  name: string;
  child: ChildProcess;
  url: string;
}
const procs: Proc[] = [];

async function startProc(name: string, file: string, env: Record<string, string>): Promise<Proc & { ready: any }> {
  // Built bundles (.mjs) run on plain node, as in production; TypeScript sources through tsx.
  const path = file.startsWith('/') ? file : new URL(file, import.meta.url).pathname;
  const child = spawn(process.execPath, [...(path.endsWith('.mjs') ? [] : ['--import', 'tsx']), path], {
    cwd: ROOT.pathname,
    env: { ...process.env, ...env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = await new Promise<any>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 120 s`)), 120_000);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const msg = JSON.parse(line);
        if (msg.ready) {
          clearTimeout(timer);
          resolve(msg.ready);
        }
      } catch {
        /* log lines */
      }
    });
  });
  const proc = { name, child, url: typeof ready === 'string' ? ready : '', ready };
  procs.push(proc);
  return proc;
}

/** utime+stime in ms and peak RSS in MB of a process, from /proc (Linux). */
function usage(pid: number) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { cpuMs: ticks * 10, rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
}

async function metrics(urls: Record<string, string>) {
  let http = 0;
  let sqlStatements = 0;
  for (const url of Object.values(urls)) {
    // /metrics answers the gateway's signature only.
    const headers = { 'x-nguon-viewer': signViewer({ kind: 'anonymous', requestId: 'bench-metrics' }, GATEWAY_SECRET) };
    const text = await (await fetch(url.replace(/\/graphql$/, '/metrics'), { headers })).text();
    sqlStatements += Number(/nguon_sql_statements_total\{[^}]*\} (\d+)/.exec(text)?.[1] ?? 0);
    http += Number(/nguon_http_requests_total\{[^}]*\} (\d+)/.exec(text)?.[1] ?? 0);
  }
  return { http, sqlStatements };
}

const load = (job: { url: string; connections: number; seconds: number; bodies: string[]; headers?: Record<string, string> }) =>
  runChild<{ requests: number; rps: number; p50: number; p99: number; errors: number }>(new URL('./lib/load.ts', import.meta.url), job);

// ---------------------------------------------------------------- answers

/** Key order, and DateTime/Date spellings (ISO with or without offset), do not make answers different. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, normalise((value as any)[k])]),
    );
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return new Date(value).toISOString();
  return value;
}

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const json = (await response.json()) as any;
  if (json.errors) throw new Error(`${url}: ${JSON.stringify(json.errors).slice(0, 500)}`);
  return json.data;
}

// ---------------------------------------------------------------- main

async function main() {
  const startedAt = new Date();
  const t0 = performance.now();
  const name = `nguon_bench_${Date.now().toString(36)}`;
  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const dbUrl = new URL(SERVER);
  dbUrl.pathname = `/${name}`;
  const DATABASE_URL = dbUrl.toString();
  const connection = await connect({ databaseUrl: DATABASE_URL, poolMax: 4, applicationName: 'nguon-bench' });
  const raw = postgres(DATABASE_URL, { max: 4, onnotice: () => {} });
  const results: Record<string, unknown> = {};
  let shape: Shape | undefined;
  let loadSeconds = 0;
  try {
    // The services' own migrations, in the order the stack starts them (analytics' views read the others).
    for (const [folder, schema] of [
      [tenantsMigrations, 'tenants'],
      [catalogMigrations, 'catalog'],
      [traceMigrations, 'trace'],
      [analyticsMigrations, 'analytics'],
    ] as const)
      await connection.migrate(folder, schema);
    await inTransaction(connection.drizzle(), (tx) => seedTenants(tx, PASSWORD).then(() => undefined));
    log(`database ${name} migrated, Can Tho tree seeded; generating S=${SCALE}`);
    shape = await generate(raw, SCALE, SEED, (m) => log(`  ${m}`));
    await refreshRollups(connection.drizzle());
    loadSeconds = (performance.now() - t0) / 1000;
    log(`data ready in ${loadSeconds.toFixed(1)} s`);

    const env = { DATABASE_URL, GATEWAY_SECRET, TOKEN_SECRET };
    const services = await startProc('subgraphs', './lib/services.ts', env);
    const subgraphUrls = services.ready as Record<string, string>;
    const envWith = { ...env, SUBGRAPHS: JSON.stringify(subgraphUrls) };
    // Ours runs as the production build runs (gateway/build.ts: bundled, plain node, no tsx).
    const oursBuild = await buildEntry(new URL('./lib/ours.ts', import.meta.url).pathname, 'bench-ours');
    const ours = await startProc('ours', oursBuild, envWith);
    const peers: Proc[] = [];
    for (const peer of ['hive', 'hive-router']) {
      try {
        peers.push(await startProc(peer, './lib/hive.ts', { ...envWith, PEER: peer }));
      } catch (error) {
        log(`peer ${peer} could not start: ${(error as Error).message}`);
      }
    }
    // Scenario 1c: the same gateways with their anonymous response caches on (1 s, ours' production default).
    const cached: Proc[] = [];
    if (wants('s1c')) {
      cached.push(await startProc('ours-cached', oursBuild, { ...envWith, RESPONSE_CACHE_TTL_MS: '1000' }));
      try {
        cached.push(await startProc('hive-cached', './lib/hive.ts', { ...envWith, PEER: 'hive', RESPONSE_CACHE_TTL_MS: '1000' }));
      } catch (error) {
        log(`peer hive-cached could not start: ${(error as Error).message}`);
      }
    }
    const floor = await startProc('floor', './lib/floor.ts', env);
    log(`servers up: ${procs.map((p) => `${p.name} pid ${p.child.pid}`).join(', ')}`);

    const signIn = await post(
      ours.url,
      JSON.stringify({
        query: 'mutation($e: String!, $p: String!) { signIn(input: { email: $e, password: $p }) { accessToken } }',
        variables: { e: 'admin.ct@demo.nguon.vn', p: PASSWORD },
      }),
    );
    const bearer = { authorization: `Bearer ${signIn.signIn.accessToken}` };

    // Random variables: published lots (and their farm ancestors) drawn with the seed.
    const published = (await raw.unsafe(`select id from trace.lots where status = 'PUBLISHED' order by hashtext(id::text || '${SEED}') limit 5000`)).map(
      (r) => r.id as string,
    );
    const afterIds = (await raw.unsafe(`select id from trace.lots order by hashtext(id::text || 'a${SEED}') limit 5000`)).map((r) => r.id as string);

    /** Same normalised answers from every target on a sample, or the timing means nothing. */
    const check = async (label: string, bodies: string[], targets: { name: string; url: string }[]) => {
      for (const body of bodies.slice(0, 5)) {
        const answers = await Promise.all(targets.map(async (t) => JSON.stringify(normalise(await post(t.url, body)))));
        answers.forEach((a, i) => {
          if (a !== answers[0])
            throw new Error(`${label}: ${targets[i]!.name} answers differently from ${targets[0]!.name}:\n${a.slice(0, 400)}\n${answers[0]!.slice(0, 400)}`);
        });
      }
      log(`${label}: answers identical across ${targets.map((t) => t.name).join(', ')} (5 samples)`);
    };

    /** Alternating rounds (ours, peer, …, floor, ours, peer, …): throughput, latency, CPU and RSS per target. */
    const race = async (label: string, bodies: string[], targets: { name: string; url: string; pid: number }[]) => {
      const runs = new Map<string, any[]>(targets.map((t) => [t.name, []]));
      for (const t of targets) await load({ url: t.url, connections: CONNECTIONS, seconds: WARMUP, bodies }); // warm-up
      for (let r = 0; r < ROUNDS; r++) {
        for (const t of targets) {
          const before = { self: usage(t.pid), subgraphs: usage(services.child.pid!), m: await metrics(subgraphUrls) };
          const res = await load({ url: t.url, connections: CONNECTIONS, seconds: SECONDS, bodies });
          const after = { self: usage(t.pid), subgraphs: usage(services.child.pid!), m: await metrics(subgraphUrls) };
          const n = Math.max(1, res.requests);
          const uses = t.name !== 'floor';
          runs.get(t.name)!.push({
            ...res,
            cpuMsPerRequest: round((after.self.cpuMs - before.self.cpuMs) / n, 3),
            subgraphCpuMsPerRequest: uses ? round((after.subgraphs.cpuMs - before.subgraphs.cpuMs) / n, 3) : 0,
            subgraphCallsPerRequest: uses ? round((after.m.http - before.m.http) / n, 2) : 0,
            sqlPerRequest: uses ? round((after.m.sqlStatements - before.m.sqlStatements) / n, 2) : 1,
            peakRssMb: round(after.self.peakRssMb),
          });
          log(
            `${label} round ${r + 1} ${t.name.padEnd(12)} ${res.rps.toFixed(0).padStart(6)} req/s  p50 ${res.p50} ms  p99 ${res.p99} ms  errors ${res.errors}`,
          );
        }
      }
      const summary: Record<string, any> = Object.fromEntries(
        [...runs].map(([name, list]) => [
          name,
          {
            rps: round(median(list.map((x) => x.rps))),
            rpsMin: round(Math.min(...list.map((x) => x.rps))),
            rpsMax: round(Math.max(...list.map((x) => x.rps))),
            p50: median(list.map((x) => x.p50)),
            p99: median(list.map((x) => x.p99)),
            errors: list.reduce((s, x) => s + x.errors, 0),
            cpuMsPerRequest: median(list.map((x) => x.cpuMsPerRequest)),
            subgraphCpuMsPerRequest: median(list.map((x) => x.subgraphCpuMsPerRequest)),
            subgraphCallsPerRequest: median(list.map((x) => x.subgraphCallsPerRequest)),
            sqlPerRequest: median(list.map((x) => x.sqlPerRequest)),
            peakRssMb: Math.max(...list.map((x) => x.peakRssMb)),
            rounds: list,
          },
        ]),
      );
      return summary;
    };

    const gateways = [{ name: 'ours', url: ours.url, pid: ours.child.pid! }, ...peers.map((p) => ({ name: p.name, url: p.url, pid: p.child.pid! }))];
    const viewerHeader = signViewer({ kind: 'anonymous', requestId: 'bench-direct' }, GATEWAY_SECRET, 86_400);

    // 1. Consumer provenance, anonymous.
    if (wants('s1')) {
      const bodies = published.map((id) => JSON.stringify({ query: PROVENANCE, variables: { id } }));
      const targets = [...gateways, { name: 'floor', url: `${floor.url}/s1`, pid: floor.child.pid! }];
      await check('s1 provenance', bodies, targets);
      const summary = await race('s1', bodies, targets);
      // The direct subgraph calls the plan makes (trace → catalog ∥ tenants → tenants), one after the other, unloaded.
      const direct = async (id: string) => {
        const h = { 'x-nguon-viewer': viewerHeader };
        const t = performance.now();
        const lot = await post(
          subgraphUrls.trace!,
          JSON.stringify({
            query: `query($id: ID!) { lot(id: $id) { __typename id lotCode status producedOn expiresOn product { __typename id } owner { __typename id } timeline(lang: "vi") { eventID bizStep eventTime } } }`,
            variables: { id },
          }),
          h,
        );
        const products = await post(
          subgraphUrls.catalog!,
          JSON.stringify({
            query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { name(lang: "vi") { text lang } owner { __typename id } } } }`,
            variables: { r: [lot.lot.product] },
          }),
          h,
        );
        await post(
          subgraphUrls.tenants!,
          JSON.stringify({
            query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { name(lang: "vi") { text } } } }`,
            variables: { r: [lot.lot.owner] },
          }),
          h,
        );
        await post(
          subgraphUrls.tenants!,
          JSON.stringify({
            query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { name(lang: "vi") { text } } } }`,
            variables: { r: [products._entities[0].owner] },
          }),
          h,
        );
        return performance.now() - t;
      };
      const serial = async (fn: (id: string) => Promise<number>) => {
        const times: number[] = [];
        for (let i = 0; i < (QUICK ? 60 : 300); i++) times.push(await fn(published[i % published.length]!));
        return times.slice(10);
      };
      const viaGateway = await serial(async (id) => {
        const t = performance.now();
        await post(ours.url, JSON.stringify({ query: PROVENANCE, variables: { id } }));
        return performance.now() - t;
      });
      const directCalls = await serial(direct);
      const best = Math.max(...peers.map((p) => summary[p.name]?.rps ?? 0));
      results.s1 = {
        scenario: '1. consumer provenance of a random published lot, anonymous',
        connections: CONNECTIONS,
        targets: summary,
        unloaded: {
          gatewayP50Ms: round(median(viaGateway), 2),
          directSubgraphCallsSumP50Ms: round(median(directCalls), 2),
          ratio: round(median(viaGateway) / median(directCalls), 2),
        },
        oursOverStrongestPeer: best ? round(summary.ours.rps / best, 2) : null,
        federationTax: round(summary.floor.rps / summary.ours.rps, 2),
      };
      writeResult('s1', results.s1);
    }

    // 1c. The same provenance query over a hot set (10 lots: a promotion on every shelf of a chain), caches on.
    // With a 1 s lifetime each hot lot costs at most one miss a second, so hits dominate once throughput ≫ 10/s.
    if (wants('s1c') && cached.length) {
      const hot = published.slice(0, 10).map((id) => JSON.stringify({ query: PROVENANCE, variables: { id } }));
      const targets = cached.map((p) => ({ name: p.name, url: p.url, pid: p.child.pid! }));
      await check('s1c cached provenance', hot, [...targets, { name: 'ours', url: ours.url }]);
      const summary = await race('s1c', hot, targets);
      const peer = summary['hive-cached']?.rps ?? 0;
      results.s1c = {
        scenario: '1c. consumer provenance over 10 hot lots, response caches on (1 s TTL)',
        connections: CONNECTIONS,
        targets: summary,
        oursOverStrongestPeer: peer ? round(summary['ours-cached'].rps / peer, 2) : null,
      };
      writeResult('s1c', results.s1c);
    }

    // 2. N lots with product and owner.
    if (wants('s2')) {
      const perN: Record<string, unknown> = {};
      for (const n of [10, 100, 1000]) {
        const pages = Math.ceil(n / 100);
        const bodies = Array.from({ length: 2000 }, (_, i) =>
          JSON.stringify({
            query: listQuery(n),
            variables: listVariables(
              n,
              Array.from({ length: pages }, (_, k) => afterIds[(i * pages + k) % afterIds.length]!),
            ),
          }),
        );
        const targets = [...gateways, { name: 'floor', url: `${floor.url}/s2-${n}`, pid: floor.child.pid! }];
        await check(`s2 N=${n}`, bodies, targets);
        const summary = await race(`s2 N=${n}`, bodies, targets);
        const best = Math.max(...peers.map((p) => summary[p.name]?.rps ?? 0));
        perN[n] = {
          targets: summary,
          oursOverStrongestPeer: best ? round(summary.ours.rps / best, 2) : null,
          federationTax: round(summary.floor.rps / summary.ours.rps, 2),
        };
      }
      results.s2 = { scenario: '2. list of N lots with product and owner, anonymous (pages of ≤100 as aliases)', connections: CONNECTIONS, byN: perN };
      writeResult('s2', results.s2);
    }

    const serialTimes = async (runs: number, fn: () => Promise<unknown>) => {
      await fn();
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await fn();
        times.push(performance.now() - t);
      }
      return { medianMs: round(median(times), 2), p90Ms: round(pct(times, 0.9), 2), runs };
    };

    // 3. Downstream trace of a random farm lot: ours vs the same recursive SQL.
    if (wants('s3')) {
      const farm = Array.from({ length: 50 }, (_, i) => lotId((i * 7919 + SEED) % shape!.farm));
      const query = `query($id: ID!) { trace(lotId: $id, direction: DOWNSTREAM, maxDepth: 50) { lots { id depth lot { lotCode status } } edges { parentLotId childLotId kind eventID } } }`;
      let k = 0;
      const viaGraph = await serialTimes(QUICK ? 30 : 200, async () => {
        const data = await post(ours.url, JSON.stringify({ query, variables: { id: farm[k++ % farm.length] } }), bearer);
        if (!data.trace) throw new Error('trace returned null');
      });
      k = 0;
      const viaSql = await serialTimes(QUICK ? 30 : 200, () => connection.rows(traceSql([farm[k++ % farm.length]!], 'DOWNSTREAM', 50)));
      const sample = await post(ours.url, JSON.stringify({ query, variables: { id: farm[0] } }), bearer);
      const sqlRows = await connection.rows(traceSql([farm[0]!], 'DOWNSTREAM', 50));
      if (sample.trace.lots.length !== sqlRows.length) throw new Error(`s3: graph reached ${sample.trace.lots.length} lots, SQL ${sqlRows.length}`);
      results.s3 = {
        scenario: '3. downstream trace of a random farm lot (city ADMIN)',
        reachedLots: sqlRows.length,
        ours: viaGraph,
        sql: viaSql,
        ratio: round(viaGraph.medianMs / viaSql.medianMs, 2),
      };
      writeResult('s3', results.s3);
    }

    // 4. Event ingestion, batches of 1 000 through captureEvents vs a batched INSERT of the same rows.
    if (wants('s4')) {
      const [org] = await raw.unsafe(`select ${producerIdSql('0')} as id`);
      const orgId = String(org!.id);
      const lots = (await raw.unsafe(`select id from trace.lots where owner_id = $1 limit 20`, [orgId])).map((r) => r.id as string);
      let batch = 0;
      const events = () => {
        const b = batch++;
        return Array.from({ length: 1000 }, (_, i) => ({
          type: 'OBJECT_EVENT',
          action: 'OBSERVE',
          eventTime: new Date(Date.UTC(2025, 0, 1) + (b * 1000 + i) * 1000).toISOString().replace('Z', '+00:00'),
          eventTimeZoneOffset: '+07:00',
          bizStep: 'inspecting',
          disposition: 'active',
          readPoint: `urn:epc:id:sgln:8936040.${String(i).padStart(5, '0')}.0`,
          quantities: [{ lotId: lots[i % lots.length]!, quantity: 1, unit: 'KGM' }],
        }));
      };
      const mutation = `mutation($input: CaptureEventsInput!) { captureEvents(input: $input) { createdCount duplicateCount } }`;
      const runs = QUICK ? 3 : 10;
      const viaGraph = await serialTimes(runs, async () => {
        const data = await post(ours.url, JSON.stringify({ query: mutation, variables: { input: { organizationId: orgId, events: events() } } }), bearer);
        if (data.captureEvents.createdCount !== 1000) throw new Error(`s4: created ${data.captureEvents.createdCount}`);
      });
      // The same rows (event + event_lots), multi-row INSERTs of 1 000 in one transaction, no hashing or validation.
      let seqBase = 1e12;
      const viaSql = await serialTimes(runs, async () => {
        const rows = events().map((e, i) => {
          const id = crypto.randomUUID();
          return {
            id,
            event_id: `urn:uuid:${id}`,
            event_hash: `ni:///sha-256;${id}`,
            organization_id: orgId,
            seq: seqBase + i,
            prev_hash: '',
            chain_hash: '',
            type: e.type,
            action: e.action,
            biz_step: e.bizStep,
            disposition: e.disposition,
            event_time: new Date(e.eventTime),
            event_time_zone_offset: '+07:00',
            body: { ...e, quantityList: e.quantities },
            lot: e.quantities[0]!.lotId,
          };
        });
        seqBase += 1000;
        await raw.begin(async (tx) => {
          await tx`insert into trace.events ${tx(rows.map(({ lot, body, ...r }) => ({ ...r, body: tx.json(body as never) })))}`;
          await tx`insert into trace.event_lots ${tx(rows.map((r) => ({ event_id: r.id, lot_id: r.lot, role: 'QUANTITY', ordinal: 0, quantity: 1, unit: 'KGM' })))}`;
        });
      });
      results.s4 = {
        scenario: '4. event ingestion, batches of 1 000 events (captureEvents, city ADMIN)',
        oursEventsPerSecond: round(1000 / (viaGraph.medianMs / 1000)),
        sqlEventsPerSecond: round(1000 / (viaSql.medianMs / 1000)),
        ours: viaGraph,
        sql: viaSql,
        ratio: round(viaSql.medianMs / viaGraph.medianMs, 2),
      };
      writeResult('s4', results.s4);
    }

    // 5. Analytics aggregate over the whole city (bench/analytics' question) vs raw SQL over the source tables.
    if (wants('s5')) {
      const query = `query($input: AggregateInput!) { aggregate(input: $input) { totalRows rows { keys { value } values { measure value unit } } } }`;
      const input = { measures: ['PRODUCTION_VOLUME', 'LOT_COUNT'], groupBy: ['DISTRICT', 'SEASON'], first: 5000 };
      const { sql: rawText } = new PgDialect().sqlToQuery(dsql`
        select coalesce(o.district_code, '') as district, ${seasonSql(dsql`coalesce(l.produced_on, l.created_at::date)`)} as season,
          ${canonicalUnitSql(dsql`l.unit`)} as unit, count(*)::bigint as lots, sum(${canonicalQuantitySql(dsql`l.quantity`, dsql`l.unit`)})::text as volume
        from trace.lots l
        join tenants.organization_scope o on o.id = l.owner_id
        join catalog.products p on p.id = l.product_id
        group by 1, 2, 3`);
      let answer: any;
      const viaGraph = await serialTimes(QUICK ? 5 : 15, async () => (answer = await post(ours.url, JSON.stringify({ query, variables: { input } }), bearer)));
      let rows: any[] = [];
      const viaSql = await serialTimes(QUICK ? 3 : 7, async () => (rows = await raw.unsafe(rawText)));
      const graphLots = answer.aggregate.rows.reduce((s: number, r: any) => s + r.values.find((v: any) => v.measure === 'LOT_COUNT').value, 0);
      const sqlLots = rows.reduce((s, r) => s + Number(r.lots), 0);
      if (graphLots !== sqlLots) throw new Error(`s5: lots ${graphLots} vs ${sqlLots}`);
      results.s5 = {
        scenario: '5. aggregate PRODUCTION_VOLUME + LOT_COUNT by DISTRICT × SEASON over all lots (EVENT_COUNT is still pending in analytics)',
        groups: answer.aggregate.totalRows,
        ours: viaGraph,
        sql: viaSql,
        ratio: round(viaGraph.medianMs / viaSql.medianMs, 2),
      };
      writeResult('s5', results.s5);
    }
  } finally {
    for (const p of procs.reverse()) {
      p.child.kill('SIGTERM');
      await new Promise((r) => (p.child.exitCode !== null ? r(null) : p.child.once('exit', r)));
    }
    await raw.end();
    await connection.close();
    if (process.env.BENCH_KEEP) log(`kept database ${name}`);
    else await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
  const run = {
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    date: startedAt.toISOString(),
    quick: QUICK,
    scale: SCALE,
    shape,
    rounds: ROUNDS,
    secondsPerRound: SECONDS,
    warmupSeconds: WARMUP,
    connections: CONNECTIONS,
    dataLoadSeconds: round(loadSeconds),
    totalSeconds: round((performance.now() - t0) / 1000),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: round(totalmem() / 2 ** 30), node: process.version },
    versions: versions(),
  };
  writeResult(QUICK ? 'run-quick' : 'run', run);
  writeReport(RESULTS, QUICK);
  log(`done in ${run.totalSeconds} s; results in bench/results/, table in BENCHMARKS.md`);
}

function versions() {
  const v = (pkg: string) => {
    try {
      return JSON.parse(readFileSync(new URL(`../node_modules/${pkg}/package.json`, import.meta.url), 'utf8')).version as string;
    } catch {
      return 'absent';
    }
  };
  return Object.fromEntries(
    ['@apollo/gateway', '@apollo/server', '@graphql-hive/gateway', '@graphql-hive/router-runtime', 'autocannon', 'graphql', 'postgres', 'undici'].map((p) => [
      p,
      v(p),
    ]),
  );
}

function writeResult(key: string, value: unknown) {
  mkdirSync(RESULTS, { recursive: true });
  const file = new URL(`${QUICK && !key.startsWith('run') ? 'quick-' : ''}${key}.json`, RESULTS);
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

main().catch((error) => {
  console.error(error);
  for (const p of procs) p.child.kill('SIGTERM');
  process.exit(1);
});
