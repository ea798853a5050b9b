/**
 * The 10-minute mixed soak (issue 8 scenario 6, issue 9): 80 % consumer
 * provenance, 15 % lot lists, 5 % event capture, at half the capacity
 * measured in the same run, against the whole stack on a real PostgreSQL.
 * Reports errors (must be zero), p99 drift (first vs last minute) and RSS
 * drift of the server process.
 *
 *   npm run bench:soak [-- --minutes 10 --connections 16]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import postgres from 'postgres';
import { connect } from '@nguon/shared';
import { startStack } from '@nguon/gateway/stack';
import { runChild } from '../lib/child';
import { PROVENANCE } from '../lib/queries';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const MINUTES = arg('minutes', 10);
const CONNECTIONS = arg('connections', 16);
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const LIST = `query($first: Int!, $after: String) { lots(first: $first, after: $after) { nodes { lotCode product { gtin name { text } } owner { path } } pageInfo { endCursor } } }`;
const CAPTURE = `mutation($i: CaptureEventsInput!) { captureEvents(input: $i) { events { eventID } } }`;

const load = (job: object) => runChild<any>(new URL('./load.ts', import.meta.url), job);

const rssMb = () => Math.round(process.memoryUsage().rss / 1048576);
const name = `nguon_bench_soak_${Date.now().toString(36)}`;
const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const url = new URL(ADMIN_URL);
url.pathname = `/${name}`;
const connection = await connect({ databaseUrl: url.toString(), poolMax: 10, applicationName: 'bench-soak' });
try {
  const stack = await startStack({ connection, seedPassword: 'soak-password-1', gateway: { rateLimits: false } });
  const gql = async (query: string, variables: object, token?: string) =>
    (
      await fetch(stack.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      })
    ).json() as Promise<any>;
  const staffPath = 'ct.agri.thot_not.htx_lua_thoi_thuan';
  const signIn = await gql('mutation($e: String!, $p: String!) { signIn(input: { email: $e, password: $p }) { accessToken } }', {
    e: `staff.${staffPath.replace(/[._]/g, '-')}@demo.nguon.vn`,
    p: 'soak-password-1',
  });
  const token: string = signIn.data.signIn.accessToken;
  const org = await gql('query($p: String!) { organizationByPath(path: $p) { id lots(first: 5) { nodes { id } } } }', { p: staffPath });
  const orgId: string = org.data.organizationByPath.id;
  const ownLot: string = org.data.organizationByPath.lots.nodes[0].id;
  const lots = await gql('{ lots(first: 100) { nodes { id } pageInfo { endCursor } } }', {});
  const lotIds: string[] = lots.data.lots.nodes.map((l: { id: string }) => l.id);

  const provenance = lotIds.map((id) => JSON.stringify({ query: PROVENANCE, variables: { id } }));
  const lists = [10, 20, 50].map((first) => JSON.stringify({ query: LIST, variables: { first } }));
  // Unique events: enough for the whole run at 5 % of the rate; each capture is a batch of 1.
  const captures = Array.from({ length: 20_000 }, (_, i) =>
    JSON.stringify({
      query: CAPTURE,
      variables: {
        i: {
          organizationId: orgId,
          events: [
            {
              eventID: `urn:uuid:${crypto.randomUUID()}`,
              type: 'OBJECT_EVENT',
              action: 'OBSERVE',
              bizStep: 'inspecting',
              disposition: 'active',
              eventTime: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString().replace('Z', '+07:00').replace(/\.\d+/, ''),
              quantities: [{ lotId: ownLot }],
            },
          ],
        },
      },
    }),
  );
  const kinds = [
    { name: 'provenance', weight: 80, bodies: provenance },
    { name: 'list', weight: 15, bodies: lists },
    { name: 'capture', weight: 5, bodies: captures, headers: { authorization: `Bearer ${token}` } },
  ];

  console.log('measuring capacity (30 s, unthrottled)…');
  const capacity = await load({ url: stack.gateway.url, connections: CONNECTIONS, seconds: 30, rate: 0, kinds });
  const rate = Math.max(1, Math.floor(capacity.rps / 2));
  console.log(`capacity ≈ ${Math.round(capacity.rps)} req/s (errors ${capacity.errors}); soaking at ${rate} req/s for ${MINUTES} min…`);
  const rss: { minute: number; mb: number }[] = [{ minute: 0, mb: rssMb() }];
  const t0 = Date.now();
  const timer = setInterval(() => rss.push({ minute: Math.round((Date.now() - t0) / 60_000), mb: rssMb() }), 60_000);
  const soak = await load({
    url: stack.gateway.url,
    connections: CONNECTIONS,
    seconds: MINUTES * 60,
    rate,
    kinds: kinds.map((k) => (k.name === 'capture' ? { ...k, bodies: k.bodies.slice(capacity.perKind.capture ?? 0) } : k)),
  });
  clearInterval(timer);
  rss.push({ minute: MINUTES, mb: rssMb() });
  const minutes = soak.perMinute.filter((m: any) => m.count > rate * 30);
  const first = minutes[0];
  const last = minutes.at(-1);
  const result = {
    benchmark: 'soak',
    date: new Date().toISOString(),
    command: `npm run bench:soak -- --minutes ${MINUTES} --connections ${CONNECTIONS}`,
    node: process.version,
    capacityRps: capacity.rps,
    rate,
    soak: {
      requests: soak.requests,
      rps: soak.rps,
      p50: soak.p50,
      p99: soak.p99,
      errors: soak.errors,
      non2xx: soak.non2xx,
      gqlErrors: soak.gqlErrors,
      perKind: soak.perKind,
    },
    perMinute: soak.perMinute,
    p99Drift: first && last ? last.p99 / Math.max(first.p99, 1) - 1 : null,
    rss,
    rssDrift: rss[1] ? rss.at(-1)!.mb / rss[1].mb - 1 : null,
    note: 'Server process = the whole stack (gateway + four subgraphs) in one process; RSS drift measured from minute 1 (after warm-up) to the end.',
  };
  mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('../results/soak.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    JSON.stringify(
      { capacity: Math.round(capacity.rps), rate, errors: soak.errors, p99: soak.p99, p99Drift: result.p99Drift, rssDrift: result.rssDrift, rss },
      null,
      1,
    ),
  );
  await stack.close();
} finally {
  await connection.close();
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}
