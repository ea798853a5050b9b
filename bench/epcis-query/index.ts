/**
 * Benchmark (not a test): `GET /epcis/events` with three filters over
 * 1 000 000 events (issue 19: within 2× the equivalent SQL), through the
 * whole stack (gateway REST binding → Query.events → trace subgraph, with
 * the federated lot/product fields an EPCIS document needs), against the one
 * SQL statement a hand-written repository would run for the same page.
 * Both in one run, alternating. Creates and drops its own PostgreSQL database.
 *
 *   npm run bench:epcis-query [-- --events 1000000 --rounds 20 --per-page 50]
 *   (DATABASE_URL=postgres://… to point elsewhere)
 *
 * Events are generated in the server, one every 365 days / N from
 * 2025-01-01, cycling through types, business steps, dispositions, 20 read
 * points and one lot of a demo product per 1 000 events, so each filter finds a full page.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import postgres from 'postgres';
import { connect } from '@nguon/shared';
import { demoOperator, demoOrgId, demoPaths } from '@nguon/demo/ids';
import { startStack } from '@nguon/gateway/stack';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const EVENTS = arg('events', 1_000_000);
const ROUNDS = arg('rounds', 20);
const PER_PAGE = arg('per-page', 50);
/** One lot per 1 000 events: each lot's events fill a page in a 100-day window. */
const LOTS = Math.max(1, Math.floor(EVENTS / 1_000));
const PASSWORD = 'bench-password-1';
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const START = Date.parse('2025-01-01T00:00:00Z');
const STEP_MS = Math.floor((365 * 86_400_000) / EVENTS);
const day = (d: number) => new Date(START + d * 86_400_000).toISOString();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const ms = (x: number) => +x.toFixed(2);

const millPath = demoPaths.operator(demoOperator('ct_luong_thuc_thot_not'));
const mill = demoOrgId(millPath);

const name = `nguon_bench_epcis_${Date.now().toString(36)}`;
const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const url = new URL(ADMIN_URL);
url.pathname = `/${name}`;
const connection = await connect({ databaseUrl: url.toString(), poolMax: 10, applicationName: 'bench-epcis-query' });
const raw = postgres(url.toString(), { max: 1, onnotice: () => {} });
try {
  const t0 = performance.now();
  const stack = await startStack({ connection, seedPassword: PASSWORD, gateway: { rateLimits: false } });
  const [product] = await raw<{ id: string; gtin: string }[]>`
    select id, gtin from catalog.product_scope where owner_id = ${mill} and gtin is not null order by gtin limit 1`;
  if (!product) throw new Error('the demo mill has no product with a GTIN');

  // Generated in the server: a million rows never cross the wire.
  await raw.unsafe(
    `insert into trace.lots (id, lot_code, product_id, owner_id, quantity, unit, status)
     select md5('bench-lot' || k)::uuid, 'BENCH-' || k, $1::uuid, $2::uuid, 1000, 'KGM', 'PUBLISHED' from generate_series(0, ${LOTS - 1}) k`,
    [product.id, mill],
  );
  await raw.unsafe(
    `insert into trace.events (id, event_id, event_hash, organization_id, seq, prev_hash, chain_hash, type, action, biz_step, disposition,
                               event_time, event_time_zone_offset, record_time, body)
     select md5('bench-ev' || i)::uuid, 'urn:uuid:' || md5('bench-ev' || i)::uuid, 'ni:///sha-256;' || md5('bench-h' || i) || md5('bench-g' || i) || '?ver=CBV2.0',
            $1::uuid, 1000000000 + i, '', '', t.type, 'OBSERVE', t.step, t.disposition, t.at, '+07:00', t.at,
            jsonb_build_object('type', t.type, 'action', 'OBSERVE', 'eventTime', to_char(t.at at time zone '+07:00', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+07:00"'),
                               'eventTimeZoneOffset', '+07:00', 'bizStep', t.step, 'disposition', t.disposition, 'readPoint', t.read_point,
                               'quantityList', jsonb_build_array(jsonb_build_object('lotId', md5('bench-lot' || (i % ${LOTS}))::uuid, 'quantity', 10, 'unit', 'KGM')))
     from generate_series(0, ${EVENTS - 1}) i
     cross join lateral (select
       case when i % 4 = 3 then 'TRANSACTION_EVENT' else 'OBJECT_EVENT' end as type,
       (array['commissioning','shipping','receiving','storing','inspecting','packing','transporting'])[i % 7 + 1] as step,
       (array['active','in_transit','in_progress','sellable_accessible'])[i % 4 + 1] as disposition,
       'urn:epc:id:sgln:893604133.' || lpad((i % 20)::text, 3, '0') || '.0' as read_point,
       timestamptz '2025-01-01T00:00:00Z' + (i::bigint * ${STEP_MS}) * interval '1 millisecond' as at) t`,
    [mill],
  );
  await raw.unsafe(
    `insert into trace.event_lots (event_id, lot_id, role, ordinal, quantity, unit)
     select md5('bench-ev' || i)::uuid, md5('bench-lot' || (i % ${LOTS}))::uuid, 'QUANTITY', 0, 10, 'KGM' from generate_series(0, ${EVENTS - 1}) i`,
  );
  await raw.unsafe('analyze trace.events; analyze trace.event_lots; analyze trace.lots');
  const setupSeconds = (performance.now() - t0) / 1000;
  console.log(`${EVENTS.toLocaleString('en')} events ready in ${setupSeconds.toFixed(1)} s`);

  const signIn = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($e: String!, $p: String!) { signIn(input: { email: $e, password: $p }) { accessToken } }',
      variables: { e: `staff.${millPath.replace(/[._]/g, '-')}@demo.nguon.vn`, p: PASSWORD },
    }),
  }).then((r) => r.json() as Promise<any>);
  const token = signIn.data?.signIn?.accessToken;
  if (!token) throw new Error(`sign-in failed: ${JSON.stringify(signIn.errors)}`);
  const base = stack.gateway.url.replace(/\/graphql$/, '');
  const lotIndex = Math.min(7, LOTS - 1);
  const lotCode = `BENCH-${lotIndex}`;
  const [lot] = await raw<{ id: string }[]>`select md5(${`bench-lot${lotIndex}`})::uuid as id`;

  const cases: { label: string; params: Record<string, string>; sql: string; args: string[] }[] = [
    {
      label: 'eventType + EQ_bizStep + GE_eventTime',
      params: { eventType: 'ObjectEvent', EQ_bizStep: 'shipping', GE_eventTime: day(300) },
      sql: `select e.* from trace.events e where e.type = 'OBJECT_EVENT' and e.biz_step = 'shipping' and e.event_time >= $1::timestamptz
            order by e.event_time, e.id limit ${PER_PAGE}`,
      args: [day(300)],
    },
    {
      label: 'MATCH_epcClass + GE/LT_eventTime',
      params: { MATCH_epcClass: `https://id.gs1.org/01/${product.gtin}/10/${lotCode}`, GE_eventTime: day(100), LT_eventTime: day(200) },
      sql: `select e.* from trace.events e where e.id in (select event_id from trace.event_lots where lot_id = $1::uuid and role = 'QUANTITY')
            and e.event_time >= $2::timestamptz and e.event_time < $3::timestamptz order by e.event_time, e.id limit ${PER_PAGE}`,
      args: [lot!.id, day(100), day(200)],
    },
    {
      label: 'EQ_disposition + EQ_readPoint + LT_eventTime',
      params: { EQ_disposition: 'in_transit', EQ_readPoint: 'urn:epc:id:sgln:893604133.001.0', LT_eventTime: day(50) },
      sql: `select e.* from trace.events e where e.disposition = 'in_transit' and e.body->>'readPoint' = $1 and e.event_time < $2::timestamptz
            order by e.event_time, e.id limit ${PER_PAGE}`,
      args: ['urn:epc:id:sgln:893604133.001.0', day(50)],
    },
  ];

  const rest = async (params: Record<string, string>) => {
    const res = await fetch(`${base}/epcis/events?${new URLSearchParams({ ...params, perPage: String(PER_PAGE) })}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as any;
    if (res.status !== 200) throw new Error(`GET /epcis/events: ${res.status} ${JSON.stringify(body)}`);
    return (body.epcisBody.queryResults.resultsBody.eventList as { eventID: string }[]).map((e) => e.eventID);
  };
  const direct = async (text: string, args: string[]) => (await raw.unsafe<{ event_id: string }[]>(text, args)).map((r) => r.event_id);

  const results = [];
  for (const c of cases) {
    // Warm caches and plans; both sides must give the same page.
    const [a, b] = [await rest(c.params), await direct(c.sql, c.args)];
    if (a.length === 0 || JSON.stringify(a) !== JSON.stringify(b))
      throw new Error(`${c.label}: REST gave ${a.length} events, SQL ${b.length}; the pages must be the same and not empty`);
    await rest(c.params);
    await direct(c.sql, c.args);
    const restMs: number[] = [];
    const sqlMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternating which goes first, so neither always runs on the other's warm cache.
      const order = round % 2 === 0 ? ['rest', 'sql'] : ['sql', 'rest'];
      for (const which of order) {
        const started = performance.now();
        if (which === 'rest') await rest(c.params);
        else await direct(c.sql, c.args);
        (which === 'rest' ? restMs : sqlMs).push(performance.now() - started);
      }
    }
    const r = {
      filter: c.label,
      pageEvents: a.length,
      query: new URLSearchParams(c.params).toString(),
      rest: { medianMs: ms(median(restMs)), meanMs: ms(mean(restMs)), minMs: ms(Math.min(...restMs)) },
      sql: { medianMs: ms(median(sqlMs)), meanMs: ms(mean(sqlMs)), minMs: ms(Math.min(...sqlMs)) },
      ratioOfMedians: +(median(restMs) / median(sqlMs)).toFixed(2),
      ratioOfMeans: +(mean(restMs) / mean(sqlMs)).toFixed(2),
    };
    results.push(r);
    console.log(`${c.label}: REST ${r.rest.medianMs} ms, SQL ${r.sql.medianMs} ms (median), ratio ${r.ratioOfMedians} (means ${r.ratioOfMeans})`);
  }
  await stack.close();

  const report = {
    benchmark: 'epcis-query',
    date: new Date().toISOString(),
    command: `npm run bench:epcis-query -- --events ${EVENTS} --rounds ${ROUNDS} --per-page ${PER_PAGE}`,
    node: process.version,
    database: 'PostgreSQL',
    events: EVENTS,
    lots: LOTS,
    perPage: PER_PAGE,
    rounds: ROUNDS,
    setupSeconds: +setupSeconds.toFixed(1),
    results,
  };
  mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('../results/epcis-query.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
  console.log('\nwritten to bench/results/epcis-query.json');
} finally {
  await raw.end();
  await connection.close();
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}
