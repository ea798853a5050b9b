import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isPublicAddress, sql, type Database } from '@nguon/shared';
import { startSeededSubgraph, type TestDatabase } from '@nguon/shared/testing';
import { demoOperator, demoOrgId, demoPaths } from '@nguon/demo/ids';
import { traceSubgraph } from '../src/server';
import { enqueueNotifications, listNotifications, requeueNotification, supervisorsOf } from '../src/data/notifications';
import { issueSerials, NEVER_ISSUED_PER_LOT_HOUR, NEVER_ISSUED_REASON } from '../src/data/consumer';
import { NotificationWorker, webhookUrlProblem } from '../src/services/notifications';
import { lot, ok, org, useCatalog, type Subgraph } from './helpers';

/*
 * The notification outbox and its worker against real HTTP receivers on
 * 127.0.0.1 and the real database: dedupe, inbox rows without a webhook,
 * signed deliveries retried with back-off under one delivery id, dead
 * letters and their retry, timeouts, flagged items.
 */

let db: TestDatabase;
let tx: Database;
let subgraph: Subgraph;
let stop = async () => {};

const farm = org('htx_lua_thoi_thuan');
const store = org('st_mekong_xanh_ninh_kieu');
const mill = org('ct_luong_thuc_thot_not');

beforeAll(async () => {
  // The subgraph's own worker polls rarely here: these tests drive their own workers.
  ({ db, subgraph, stop } = await startSeededSubgraph(traceSubgraph({ notifications: { pollIntervalMs: 3_600_000 } }), inject('seededTemplate')));
  tx = db.connection.drizzle();
  useCatalog(db);
});
afterAll(() => stop());

interface Delivery {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook receiver: answers `plan[i]` to the i-th request (then the last entry), recording every request. */
async function receiver(plan: (number | 'hang')[]): Promise<{ url: string; got: Delivery[]; close: () => Promise<void> }> {
  const got: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = plan[Math.min(got.length, plan.length - 1)]!;
      got.push({ status: answer === 'hang' ? 0 : answer, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (answer === 'hang') return; // never answers
      res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    got,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function setWebhook(orgId: string, url: string, secret: string, enabled = true) {
  await db.connection
    .rows(sql`insert into tenants.organization_webhooks (organization_id, url, secret, enabled) values (${orgId}, ${url}, ${secret}, ${enabled})
    on conflict (organization_id) do update set url = excluded.url, secret = excluded.secret, enabled = excluded.enabled`);
}
async function clearWebhook(orgId: string) {
  await db.connection.rows(sql`delete from tenants.organization_webhooks where organization_id = ${orgId}`);
}
const rowsOfKey = (prefix: string) =>
  db.connection.rows<{ id: string; organization_id: string; status: string; attempts: number; last_error: string | null; kind: string }>(
    sql`select id, organization_id, status, attempts, last_error, kind from trace.notifications where dedupe_key like ${`${prefix}%`} order by organization_id`,
  );

/** Drains until `done` holds or two seconds pass: back-off delays are a few milliseconds here. */
async function drainUntil(worker: NotificationWorker, done: () => Promise<boolean> | boolean) {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    await worker.drain();
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the outbox did not settle');
}

describe('outbox', () => {
  it('stores one row per dedupe key and keeps rows for organizations without a webhook as NO_ENDPOINT', async () => {
    const key = `test:${randomUUID()}`;
    await setWebhook(store.id, 'https://example.invalid/hook', 's');
    await clearWebhook(farm.id);
    const subject = randomUUID();
    const rows = [
      { organizationId: store.id, kind: 'RECALL_OPENED' as const, subjectId: subject, dedupeKey: `${key}:store`, payload: { n: 1 } },
      { organizationId: farm.id, kind: 'RECALL_OPENED' as const, subjectId: subject, dedupeKey: `${key}:farm`, payload: { n: 1 } },
    ];
    await enqueueNotifications(tx, rows);
    await enqueueNotifications(tx, rows);
    const stored = await rowsOfKey(key);
    expect(stored.map((r) => [r.organization_id, r.status]).sort()).toEqual(
      [
        [store.id, 'PENDING'],
        [farm.id, 'NO_ENDPOINT'],
      ].sort(),
    );
    await db.connection.rows(sql`delete from trace.notifications where dedupe_key like ${`${key}%`}`);
    await clearWebhook(store.id);
  });

  it('names a producer’s district and department as its supervisors, not the city', async () => {
    const op = demoOperator('htx_lua_thoi_thuan');
    const supervisors = await supervisorsOf(tx, farm.id);
    expect(supervisors).toEqual([demoOrgId(demoPaths.department(op.department)), demoOrgId(demoPaths.district(op.department, op.district))]);
    expect(await supervisorsOf(tx, 'not-a-uuid')).toEqual([]);
  });

  it('reads `_` in a slug as itself, not as a LIKE wildcard', async () => {
    const op = demoOperator('ct_luong_thuc_thot_not');
    const district = demoPaths.district(op.department, op.district);
    expect(district).toContain('_');
    // A node whose path matches the district's with `_` as a wildcard, but does not lie under it.
    const lookalike = { id: randomUUID(), path: `${district.replace('_', 'x')}.lookalike` };
    await db.connection.rows(sql`insert into tenants.organizations (id, kind, name, slug, path, depth)
      values (${lookalike.id}, 'OPERATOR', '{"vi":"Giả"}'::jsonb, 'lookalike', ${lookalike.path}, 3)`);
    expect(await supervisorsOf(tx, lookalike.id)).toEqual([demoOrgId(demoPaths.department(op.department))]);
    const key = `test:${randomUUID()}`;
    await enqueueNotifications(tx, [{ organizationId: lookalike.id, kind: 'RECALL_OPENED', subjectId: randomUUID(), dedupeKey: key, payload: {} }]);
    const seen = await listNotifications(tx, { ownOrgs: [], roots: [district] }, { organizationId: lookalike.id }, 10, null);
    expect(seen).toEqual([]);
    await db.connection.rows(sql`delete from trace.notifications where dedupe_key = ${key}`);
    await db.connection.rows(sql`delete from tenants.organizations where id = ${lookalike.id}`);
  });

  it('accepts only https to a public address, unless private targets are allowed', () => {
    expect(webhookUrlProblem('https://hooks.example.vn/n')).toBeNull();
    expect(webhookUrlProblem('https://8.8.8.8/n')).toBeNull();
    for (const url of [
      'http://127.0.0.1:9/x',
      'http://localhost:9/x',
      'http://hooks.example.vn/n',
      'https://127.0.0.1:9/x',
      'https://localhost/x',
      'https://10.0.0.5/x',
      'https://172.20.1.1/x',
      'https://192.168.1.1/x',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/x',
      'https://0.0.0.0/x',
      'https://224.0.0.1/x',
      'https://[::1]/x',
      'https://[fe80::1]/x',
      'https://[fc00::1]/x',
      'https://[::ffff:127.0.0.1]/x',
      'https://[::ffff:a9fe:a9fe]/x',
      'https://2130706433/x', // 127.0.0.1 as one number: the URL parser normalises it
    ]) {
      expect(webhookUrlProblem(url), url).not.toBeNull();
    }
    expect(webhookUrlProblem('http://127.0.0.1:9/x', true)).toBeNull();
    expect(webhookUrlProblem('https://10.0.0.5/x', true)).toBeNull();
    expect(webhookUrlProblem('ftp://127.0.0.1/x', true)).toMatch(/https/);
    expect(webhookUrlProblem('https://u:p@example.vn/')).toMatch(/credentials/);
    expect(webhookUrlProblem('nonsense')).toMatch(/not a URL/);
  });

  it('tells public addresses from loopback, private, link-local, CGNAT, ULA, multicast and mapped ones', () => {
    for (const ip of ['8.8.8.8', '203.113.1.1', '2001:4860:4860::8888', '::ffff:8.8.8.8']) expect(isPublicAddress(ip), ip).toBe(true);
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '100.127.0.1',
      '0.1.2.3',
      '239.1.1.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'febf::1',
      'fd12:3456::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '64:ff9b::a00:1',
      'not an address',
    ])
      expect(isPublicAddress(ip), ip).toBe(false);
  });
});

describe('worker', () => {
  it('delivers a signed notification once after two failures, every attempt under the same delivery id', async () => {
    const hook = await receiver([500, 500, 200]);
    const secret = `whsec_${randomUUID()}`;
    await setWebhook(store.id, hook.url, secret);
    const key = `test:${randomUUID()}`;
    const subject = randomUUID();
    await enqueueNotifications(tx, [{ organizationId: store.id, kind: 'RECALL_OPENED', subjectId: subject, dedupeKey: key, payload: { reason: 'x' } }]);
    const worker = new NotificationWorker(tx, { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 5, requestTimeoutMs: 2_000, allowPrivate: true });
    await drainUntil(worker, async () => (await rowsOfKey(key))[0]!.status === 'DELIVERED');

    expect(hook.got.map((d) => d.status)).toEqual([500, 500, 200]);
    const [row] = await rowsOfKey(key);
    expect(row).toMatchObject({ status: 'DELIVERED', attempts: 3, last_error: null });
    expect(new Set(hook.got.map((d) => d.headers['x-nguon-delivery']))).toEqual(new Set([row!.id]));
    for (const d of hook.got) {
      expect(d.headers['content-type']).toBe('application/json');
      expect(d.headers['x-nguon-event']).toBe('RECALL_OPENED');
      const expected = `sha256=${createHmac('sha256', secret).update(d.body).digest('hex')}`;
      expect(d.headers['x-nguon-signature']).toBe(expected);
    }
    expect(JSON.parse(hook.got[2]!.body)).toMatchObject({
      id: row!.id,
      kind: 'RECALL_OPENED',
      subjectId: subject,
      organizationId: store.id,
      payload: { reason: 'x' },
    });

    // Delivered means done: further passes send nothing.
    await worker.drain();
    expect(hook.got).toHaveLength(3);
    await hook.close();
    await clearWebhook(store.id);
  });

  it('dead-letters after the last attempt, and a retry sends it again', async () => {
    const hook = await receiver([503]);
    await setWebhook(mill.id, hook.url, 'secret');
    const key = `test:${randomUUID()}`;
    await enqueueNotifications(tx, [{ organizationId: mill.id, kind: 'ITEM_FLAGGED', subjectId: randomUUID(), dedupeKey: key, payload: {} }]);
    const worker = new NotificationWorker(tx, { baseDelayMs: 5, maxDelayMs: 10, maxAttempts: 3, allowPrivate: true });
    await drainUntil(worker, async () => (await rowsOfKey(key))[0]!.status === 'DEAD');
    const [dead] = await rowsOfKey(key);
    expect(dead).toMatchObject({ status: 'DEAD', attempts: 3, last_error: 'HTTP_STATUS_5XX' });
    expect(hook.got).toHaveLength(3);

    // Nothing more is tried until someone retries it.
    await worker.drain();
    expect(hook.got).toHaveLength(3);
    expect(await requeueNotification(tx, dead!.id)).toBe(true);
    expect(await requeueNotification(tx, dead!.id)).toBe(false);
    await hook.close();
    const healthy = await receiver([204]);
    await setWebhook(mill.id, healthy.url, 'secret');
    await drainUntil(worker, async () => (await rowsOfKey(key))[0]!.status === 'DELIVERED');
    expect(healthy.got).toHaveLength(1);
    await healthy.close();
    await clearWebhook(mill.id);
  });

  it('gives up on a receiver that does not answer in time, and keeps rows whose webhook was disabled for the inbox', async () => {
    const hook = await receiver(['hang']);
    await setWebhook(mill.id, hook.url, 'secret');
    const key = `test:${randomUUID()}`;
    await enqueueNotifications(tx, [{ organizationId: mill.id, kind: 'RECALL_OPENED', subjectId: randomUUID(), dedupeKey: key, payload: {} }]);
    const worker = new NotificationWorker(tx, { baseDelayMs: 60_000, maxAttempts: 5, requestTimeoutMs: 200, allowPrivate: true });
    const result = await worker.drain();
    expect(result.failed).toBe(1);
    const [row] = await rowsOfKey(key);
    expect(row).toMatchObject({ status: 'PENDING', attempts: 1, last_error: 'TIMEOUT' });
    await hook.close();

    // Disabled meanwhile: the retry is not sent; the row goes to the inbox.
    await setWebhook(mill.id, hook.url, 'secret', false);
    await db.connection.rows(sql`update trace.notifications set next_attempt_at = now() where id = ${row!.id}`);
    await worker.drain();
    expect((await rowsOfKey(key))[0]).toMatchObject({ status: 'NO_ENDPOINT', attempts: 1 });
    await clearWebhook(mill.id);
  });
});

describe('worker against internal targets (SSRF)', () => {
  /** Queues one notification to `orgId` and runs one pass of `worker`; the row after it. */
  async function attempt(worker: NotificationWorker, orgId: string) {
    const key = `test:${randomUUID()}`;
    await enqueueNotifications(tx, [{ organizationId: orgId, kind: 'RECALL_OPENED', subjectId: randomUUID(), dedupeKey: key, payload: {} }]);
    await worker.pass();
    const [row] = await rowsOfKey(key);
    await db.connection.rows(sql`delete from trace.notifications where dedupe_key = ${key}`);
    return row!;
  }

  it('refuses loopback and private targets unless allowed, and a name resolving to one, without connecting', async () => {
    const hook = await receiver([200]);
    const port = new URL(hook.url).port;
    const strict = new NotificationWorker(tx, { maxAttempts: 5 });
    await setWebhook(mill.id, hook.url, 'secret');
    expect(await attempt(strict, mill.id)).toMatchObject({ status: 'PENDING', last_error: 'REFUSED_URL' });

    // A public-looking name whose DNS answers a private address (or one public and one private).
    const answers: Record<string, string[]> = { 'hooks.rebind.test': ['127.0.0.1'], 'mixed.rebind.test': ['93.184.216.34', '10.0.0.7'] };
    const resolve = async (host: string) => (answers[host] ?? []).map((address) => ({ address, family: 4 }));
    const vetting = new NotificationWorker(tx, { maxAttempts: 5, resolve });
    for (const host of Object.keys(answers)) {
      await setWebhook(mill.id, `https://${host}:${port}/hook`, 'secret');
      expect(await attempt(vetting, mill.id), host).toMatchObject({ status: 'PENDING', last_error: 'REFUSED_ADDRESS' });
    }
    expect(hook.got).toHaveLength(0);

    // Allowed (development, tests): the connection goes to the address vetted, not to a second lookup.
    const allowing = new NotificationWorker(tx, { maxAttempts: 5, resolve, allowPrivate: true });
    await setWebhook(mill.id, `http://hooks.rebind.test:${port}/hook`, 'secret');
    expect(await attempt(allowing, mill.id)).toMatchObject({ status: 'DELIVERED', last_error: null });
    expect(hook.got).toHaveLength(1);
    await hook.close();
    await clearWebhook(mill.id);
  });

  it('records a coarse category, never the receiver’s or the network’s words', async () => {
    const worker = new NotificationWorker(tx, { maxAttempts: 5, allowPrivate: true });
    const notFound = await receiver([404]);
    await setWebhook(mill.id, notFound.url, 'secret');
    expect(await attempt(worker, mill.id)).toMatchObject({ last_error: 'HTTP_STATUS_4XX' });
    const redirect = await receiver([302]);
    await setWebhook(mill.id, redirect.url, 'secret');
    expect(await attempt(worker, mill.id)).toMatchObject({ last_error: 'HTTP_STATUS_3XX' });
    // A port nobody listens on (the closed receiver's): unreachable, not "connection refused".
    await notFound.close();
    await redirect.close();
    await setWebhook(mill.id, notFound.url, 'secret');
    expect(await attempt(worker, mill.id)).toMatchObject({ last_error: 'UNREACHABLE' });
    await clearWebhook(mill.id);
  });
});

describe('flagged items', () => {
  const SCAN = `mutation($input: RecordScanInput!) { recordScan(input: $input) { recorded } }`;
  const ITEM = `query($id: ID!, $serial: String!) { lot(id: $id) { item(serial: $serial) { state reasonCode } } }`;
  const anonymous = { kind: 'anonymous' as const, requestId: 't' };
  const scan = (lotId: string, serial: string) => ok(subgraph, SCAN, { input: { lotId, serial, lang: 'vi' } }, anonymous);
  const neverIssuedRows = (lotId: string) =>
    db.connection.rows<{ serial: string }>(sql`select serial from trace.serial_items where lot_id = ${lotId} and flag_reason = ${NEVER_ISSUED_REASON}`);

  it('tells the producer and its supervisors once per lot and hour when serials never issued are scanned', async () => {
    const lotId = await lot(subgraph, farm, `FLG-${randomUUID().slice(0, 6)}`);
    await issueSerials(tx, 'secret', lotId, ['REAL-1'], false);
    await scan(lotId, 'FAKE-1');
    await scan(lotId, 'FAKE-1');
    await scan(lotId, 'FAKE-2');
    await scan(lotId, 'FAKE-3');
    const rows = await rowsOfKey(`item:${lotId}:not-issued:`);
    const expected = [farm.id, ...(await supervisorsOf(tx, farm.id))].sort();
    expect(rows.map((r) => r.organization_id).sort()).toEqual(expected);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['ITEM_FLAGGED']));
    const [first] = await db.connection.rows<{ payload: { serial: string; note: string } }>(
      sql`select payload from trace.notifications where dedupe_key like ${`item:${lotId}:not-issued:%`} limit 1`,
    );
    expect(first!.payload).toMatchObject({ serial: 'FAKE-1', note: expect.stringMatching(/more may follow/) });
    expect((await neverIssuedRows(lotId)).map((r) => r.serial).sort()).toEqual(['FAKE-1', 'FAKE-2', 'FAKE-3']);
  });

  it('stores and tells nothing for a product that is not serialised', async () => {
    const lotId = await lot(subgraph, farm, `NSR-${randomUUID().slice(0, 6)}`);
    for (let i = 0; i < 5; i++) await scan(lotId, `RANDOM-${i}`);
    expect(await neverIssuedRows(lotId)).toEqual([]);
    expect(await db.connection.rows(sql`select id from trace.notifications where subject_id = ${lotId}`)).toEqual([]);
    const data = await ok(subgraph, ITEM, { id: lotId, serial: 'RANDOM-1' }, anonymous);
    expect(data.lot.item).toEqual({ state: 'ISSUED', reasonCode: 'NOT_SERIALISED' });
  });

  it('keeps at most NEVER_ISSUED_PER_LOT_HOUR rows per lot and hour, and still answers NOT_ISSUED beyond it', async () => {
    const lotId = await lot(subgraph, farm, `CAP-${randomUUID().slice(0, 6)}`);
    await issueSerials(tx, 'secret', lotId, ['REAL-1'], false);
    await db.connection.rows(sql`insert into trace.serial_items (lot_id, serial, flagged_at, flag_reason)
      select ${lotId}::uuid, 'PRE-' || n, now(), ${NEVER_ISSUED_REASON} from generate_series(1, ${NEVER_ISSUED_PER_LOT_HOUR}) n`);
    await scan(lotId, 'OVER-1');
    expect(await neverIssuedRows(lotId)).toHaveLength(NEVER_ISSUED_PER_LOT_HOUR);
    expect(await rowsOfKey(`item:${lotId}:`)).toEqual([]);
    const data = await ok(subgraph, ITEM, { id: lotId, serial: 'OVER-1' }, anonymous);
    expect(data.lot.item).toEqual({ state: 'NOT_ISSUED', reasonCode: 'NOT_ISSUED' });
  });
});
