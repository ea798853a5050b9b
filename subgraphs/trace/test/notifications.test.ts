import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql, type Database } from '@nguon/shared';
import { startSeededSubgraph, type TestDatabase } from '@nguon/shared/testing';
import { demoOperator, demoOrgId, demoPaths } from '@nguon/demo/ids';
import { traceSubgraph } from '../src/server';
import { enqueueNotifications, requeueNotification, supervisorsOf } from '../src/data/notifications';
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

  it('accepts https anywhere and http only to the loopback address', () => {
    expect(webhookUrlProblem('https://hooks.example.vn/n')).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:9/x')).toBeNull();
    expect(webhookUrlProblem('http://localhost:9/x')).toBeNull();
    expect(webhookUrlProblem('http://10.0.0.5/x')).toMatch(/https/);
    expect(webhookUrlProblem('ftp://127.0.0.1/x')).toMatch(/https/);
    expect(webhookUrlProblem('https://u:p@example.vn/')).toMatch(/credentials/);
    expect(webhookUrlProblem('nonsense')).toMatch(/not a URL/);
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
    const worker = new NotificationWorker(tx, { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 5, requestTimeoutMs: 2_000 });
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
    const worker = new NotificationWorker(tx, { baseDelayMs: 5, maxDelayMs: 10, maxAttempts: 3 });
    await drainUntil(worker, async () => (await rowsOfKey(key))[0]!.status === 'DEAD');
    const [dead] = await rowsOfKey(key);
    expect(dead).toMatchObject({ status: 'DEAD', attempts: 3, last_error: 'webhook answered 503' });
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
    const worker = new NotificationWorker(tx, { baseDelayMs: 60_000, maxAttempts: 5, requestTimeoutMs: 200 });
    const result = await worker.drain();
    expect(result.failed).toBe(1);
    const [row] = await rowsOfKey(key);
    expect(row).toMatchObject({ status: 'PENDING', attempts: 1, last_error: 'no answer within 200 ms' });
    await hook.close();

    // Disabled meanwhile: the retry is not sent; the row goes to the inbox.
    await setWebhook(mill.id, hook.url, 'secret', false);
    await db.connection.rows(sql`update trace.notifications set next_attempt_at = now() where id = ${row!.id}`);
    await worker.drain();
    expect((await rowsOfKey(key))[0]).toMatchObject({ status: 'NO_ENDPOINT', attempts: 1 });
    await clearWebhook(mill.id);
  });
});

describe('flagged items', () => {
  it('tells the producer and its supervisors once when a serial never issued is scanned', async () => {
    const lotId = await lot(subgraph, farm, `FLG-${randomUUID().slice(0, 6)}`);
    const SCAN = `mutation($input: RecordScanInput!) { recordScan(input: $input) { recorded } }`;
    const anonymous = { kind: 'anonymous' as const, requestId: 't' };
    await ok(subgraph, SCAN, { input: { lotId, serial: 'FAKE-1', lang: 'vi' } }, anonymous);
    await ok(subgraph, SCAN, { input: { lotId, serial: 'FAKE-1', lang: 'vi' } }, anonymous);
    const rows = await rowsOfKey(`item:${lotId}:FAKE-1:`);
    const expected = [farm.id, ...(await supervisorsOf(tx, farm.id))].sort();
    expect(rows.map((r) => r.organization_id).sort()).toEqual(expected);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['ITEM_FLAGGED']));
  });
});
