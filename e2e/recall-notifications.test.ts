import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stableId } from '@nguon/shared';
import { PRODUCTS } from '@nguon/demo/cantho';
import { demoOperator, demoOrgId, demoPaths, demoProductId } from '@nguon/demo/ids';
import { demoEmail, startTestStack, type TestStack } from './helpers';

/*
 * Recalls that reach every holder (issue 15), through the gateway, with a
 * real webhook receiver per organization on 127.0.0.1. The demo rice chain:
 * Thốt Nốt Food Grain milled rice (XAT-DX26-01) and packed it into two packs
 * shipped to a Ninh Kiều supermarket (pack A) and a Thốt Nốt store (pack B);
 * here the mill also ships its last 200 kg of rice to the Thốt Nốt store, so
 * it holds nothing of what it made.
 */

const operatorPath = (slug: string) => demoPaths.operator(demoOperator(slug));
const MILL = operatorPath('ct_luong_thuc_thot_not');
const STORE_A = operatorPath('st_mekong_xanh_ninh_kieu');
const STORE_B = operatorPath('ch_nong_san_an_toan_thot_not');
const org = (path: string) => ({ id: demoOrgId(path), path });
const mill = org(MILL);
const storeA = org(STORE_A);
const storeB = org(STORE_B);
const millProduct = demoProductId(PRODUCTS.find((p) => p.operator === 'ct_luong_thuc_thot_not')!);
const rice = stableId('lot', `${millProduct}/XAT-DX26-01`);
const packA = stableId('lot', `${millProduct}/GOI-DX26-A`);
const packB = stableId('lot', `${millProduct}/GOI-DX26-B`);

const ACTORS = {
  millStaff: demoEmail('STAFF', MILL),
  storeAStaff: demoEmail('STAFF', STORE_A),
  storeBStaff: demoEmail('STAFF', STORE_B),
  /** ADMIN of store A's district: sets its webhook. */
  ninhKieuAdmin: demoEmail('ADMIN', 'ct.industry_trade.ninh_kieu'),
  /** ADMIN and OFFICER of the mill's and store B's district. */
  thotNotAdmin: demoEmail('ADMIN', 'ct.agri.thot_not'),
  thotNotOfficer: demoEmail('OFFICER', 'ct.agri.thot_not'),
} as const;
type Actor = keyof typeof ACTORS;

let stack: TestStack;
const saved: Record<string, string | undefined> = {};
beforeAll(async () => {
  // Fast retries: the worker polls every 20 ms and backs off from 20 ms; four attempts before a dead letter.
  for (const [key, value] of Object.entries({ NOTIFY_INTERVAL_MS: '20', NOTIFY_BACKOFF_MS: '20', NOTIFY_BACKOFF_MAX_MS: '100', NOTIFY_MAX_ATTEMPTS: '4' })) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await Promise.all(receivers.map((r) => r.close()));
});

async function as(actor: Actor, query: string, variables: Record<string, unknown> = {}) {
  return stack.gql(query, variables, { token: await stack.tokenFor(ACTORS[actor]) });
}
async function ok(actor: Actor, query: string, variables: Record<string, unknown> = {}) {
  const result = await as(actor, query, variables);
  expect(result.errors, `${actor}: ${JSON.stringify(result.errors)}`).toBeUndefined();
  return result.data;
}

interface Request {
  answered: number;
  headers: IncomingMessage['headers'];
  body: string;
}
interface Receiver {
  url: string;
  requests: Request[];
  /** Status codes to answer, in order; the last repeats. */
  plan: number[];
  close: () => Promise<void>;
}
const receivers: Receiver[] = [];

/** A webhook receiver on 127.0.0.1 that answers by `plan` and records every request. */
async function receiver(plan: number[]): Promise<Receiver> {
  const r: Receiver = { url: '', requests: [], plan, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answered = r.plan[Math.min(r.requests.length, r.plan.length - 1)]!;
      r.requests.push({ answered, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/nguon`;
  r.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  receivers.push(r);
  return r;
}

/** Distinct delivery ids the receiver accepted with a 2xx. */
const accepted = (r: Receiver) => new Set(r.requests.filter((q) => q.answered >= 200 && q.answered < 300).map((q) => q.headers['x-nguon-delivery']));

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const SET_WEBHOOK = `mutation($input: SetOrganizationWebhookInput!) { setOrganizationWebhook(input: $input) { secret webhook { url enabled updatedAt } } }`;

async function setWebhook(actor: Actor, organizationId: string, url: string): Promise<string> {
  const data = await ok(actor, SET_WEBHOOK, { input: { organizationId, url } });
  expect(data.setOrganizationWebhook.webhook).toMatchObject({ url, enabled: true });
  return data.setOrganizationWebhook.secret as string;
}

const verify = (secret: string, q: Request) => q.headers['x-nguon-signature'] === `sha256=${createHmac('sha256', secret).update(q.body).digest('hex')}`;

describe('webhooks', () => {
  it('are set by an ADMIN over the organization, https or loopback only, and the secret is never read back', async () => {
    const hook = await receiver([200]);
    const refused = await as('storeAStaff', SET_WEBHOOK, { input: { organizationId: storeA.id, url: hook.url } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // This stack allows http and loopback receivers (WEBHOOK_ALLOW_PRIVATE); other schemes are refused even so.
    const plain = await as('ninhKieuAdmin', SET_WEBHOOK, { input: { organizationId: storeA.id, url: 'ftp://hooks.example.vn/x' } });
    expect(plain.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'url'] });
    const first = await setWebhook('ninhKieuAdmin', storeA.id, hook.url);
    const second = await setWebhook('ninhKieuAdmin', storeA.id, hook.url);
    expect(second).not.toBe(first);
    const read = await ok('ninhKieuAdmin', `query($id: ID!) { organization(id: $id) { webhook { url enabled } } }`, { id: storeA.id });
    expect(read.organization.webhook).toEqual({ url: hook.url, enabled: true });
    const staffRead = await as('storeAStaff', `query($id: ID!) { organization(id: $id) { webhook { url } } }`, { id: storeA.id });
    expect(staffRead.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('a recall on rice that went mill → packs → two stores', () => {
  let recallId: string;
  const hooks: Record<'mill' | 'storeA' | 'storeB', { r: Receiver; secret: string }> = {} as never;

  beforeAll(async () => {
    // The mill ships its last 200 kg of rice to store B: it now holds nothing it made.
    const ship = await ok('millStaff', `mutation($input: CaptureEventsInput!) { captureEvents(input: $input) { createdCount } }`, {
      input: {
        organizationId: mill.id,
        events: [
          {
            type: 'OBJECT_EVENT',
            action: 'OBSERVE',
            eventTime: '2026-03-22T08:00:00+07:00',
            bizStep: 'shipping',
            disposition: 'in_transit',
            quantities: [{ lotId: rice, quantity: 200, unit: 'KGM' }],
            sourceParties: [{ type: 'owning_party', organizationId: mill.id }],
            destinationParties: [{ type: 'owning_party', organizationId: storeB.id }],
          },
        ],
      },
    });
    expect(ship.captureEvents.createdCount).toBe(1);
    for (const [key, actor, o] of [
      ['mill', 'thotNotAdmin', mill],
      ['storeA', 'ninhKieuAdmin', storeA],
      ['storeB', 'thotNotAdmin', storeB],
    ] as const) {
      // Every receiver fails twice before it accepts.
      const r = await receiver([500, 500, 200]);
      hooks[key] = { r, secret: await setWebhook(actor, o.id, r.url) };
    }
    const opened = await ok('thotNotOfficer', `mutation($input: OpenRecallInput!) { openRecall(input: $input) { recall { id holders { id } } } }`, {
      input: { lotIds: [rice], reason: 'Gạo nhiễm mọt, bao bì không đạt', severity: 'CLASS_II' },
    });
    recallId = opened.openRecall.recall.id;
    expect(new Set(opened.openRecall.recall.holders.map((h: { id: string }) => h.id))).toEqual(new Set([storeA.id, storeB.id]));
  });

  it('delivers exactly one accepted, signed notification to each holder and the root lot’s owner, retries carrying the same delivery id', async () => {
    await waitFor('every receiver to accept', () => Object.values(hooks).every((h) => accepted(h.r).size === 1));
    // Let any stray retry arrive before counting.
    await new Promise((r) => setTimeout(r, 300));
    for (const [name, { r, secret }] of Object.entries(hooks)) {
      expect(accepted(r).size, name).toBe(1);
      expect(
        r.requests.map((q) => q.answered),
        name,
      ).toEqual([500, 500, 200]);
      expect(new Set(r.requests.map((q) => q.headers['x-nguon-delivery'])).size, name).toBe(1);
      for (const q of r.requests) {
        expect(verify(secret, q), name).toBe(true);
        expect(q.headers['x-nguon-event']).toBe('RECALL_OPENED');
      }
      const body = JSON.parse(r.requests[2]!.body);
      expect(body).toMatchObject({
        kind: 'RECALL_OPENED',
        subjectId: recallId,
        payload: { recallId, reason: 'Gạo nhiễm mọt, bao bì không đạt', severity: 'CLASS_II' },
      });
    }
    const lotsOf = (name: keyof typeof hooks) =>
      JSON.parse(hooks[name].r.requests[2]!.body)
        .payload.lots.map((l: { lotId: string }) => l.lotId)
        .sort();
    expect(lotsOf('storeA')).toEqual([packA]);
    expect(lotsOf('storeB')).toEqual([rice, packB].sort());

    const seen = await ok('thotNotOfficer', `query($id: ID!) { recall(id: $id) { notifications { organization { id } status attempts } } }`, { id: recallId });
    expect(seen.recall.notifications).toHaveLength(3);
    for (const n of seen.recall.notifications) expect(n).toMatchObject({ status: 'DELIVERED', attempts: 3 });
  });

  it('shows a store the recall, its progress and its own task, not the other store’s', async () => {
    await ok('storeAStaff', `mutation($input: RecordRecallRecoveryInput!) { recordRecallRecovery(input: $input) { recall { status } } }`, {
      input: { recallId, lotId: packA, holderId: storeA.id, quantity: 250 },
    });
    const VIEW = `query($id: ID!) { recall(id: $id) { reason status progress tasks { holder { id } } myTask { holder { id } quantityHeld quantityRecovered progress done } } }`;
    const a = await ok('storeAStaff', VIEW, { id: recallId });
    expect(a.recall).toEqual({
      reason: 'Gạo nhiễm mọt, bao bì không đạt',
      status: 'IN_PROGRESS',
      // 250 of the 1 200 kg held: pack A 500, pack B 500 and 200 kg of rice.
      progress: 250 / 1200,
      tasks: [{ holder: { id: storeA.id } }],
      myTask: { holder: { id: storeA.id }, quantityHeld: 500, quantityRecovered: 250, progress: 0.5, done: false },
    });
    const b = await ok('storeBStaff', VIEW, { id: recallId });
    expect(b.recall.tasks).toEqual([{ holder: { id: storeB.id } }]);
    expect(b.recall.myTask).toMatchObject({ holder: { id: storeB.id }, quantityHeld: 700, quantityRecovered: 0 });
    const lotsOfOthers = await as('storeAStaff', `query($id: ID!) { recall(id: $id) { affectedLots { lotId } } }`, { id: recallId });
    expect(lotsOfOthers.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const officer = await ok('thotNotOfficer', `query($id: ID!) { recall(id: $id) { tasks { holder { id } } } }`, { id: recallId });
    expect(new Set(officer.recall.tasks.map((t: { holder: { id: string } }) => t.holder.id))).toEqual(new Set([storeA.id, storeB.id]));
  });

  it('lists recalls by filter and refuses a bad filter', async () => {
    const LIST = `query($filter: RecallFilter) { recalls(filter: $filter, first: 50) { nodes { id } } }`;
    const ids = async (actor: Actor, filter: Record<string, unknown>) => (await ok(actor, LIST, { filter })).recalls.nodes.map((n: { id: string }) => n.id);
    expect(await ids('storeAStaff', {})).toContain(recallId);
    expect(await ids('storeAStaff', { status: ['IN_PROGRESS'], severity: ['CLASS_II'] })).toContain(recallId);
    expect(await ids('storeAStaff', { severity: ['CLASS_I'] })).not.toContain(recallId);
    expect(await ids('thotNotOfficer', { under: storeA.id, productId: millProduct })).toEqual([recallId]);
    const bad = await as('thotNotOfficer', LIST, { filter: { openedFrom: '2026-06-01T00:00:00Z', openedTo: '2026-01-01T00:00:00Z' } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['filter', 'openedTo'] });
  });

  it('dead-letters a notification no receiver accepts, shows it to the officer, and delivers it once retried', async () => {
    const failing = await receiver([500]);
    const secret = await setWebhook('thotNotAdmin', mill.id, failing.url);
    // The pack's product is serialised (a serial issued), so a serial never issued that is scanned tells the mill (the producer of the pack) of a suspected counterfeit.
    await ok('millStaff', `mutation($input: IssueSerialsInput!) { issueSerials(input: $input) { serials { serial } } }`, {
      input: { lotId: packB, from: 1, to: 1, verificationCodes: false },
    });
    const scan = await stack.gql(`mutation($input: RecordScanInput!) { recordScan(input: $input) { recorded } }`, {
      input: { lotId: packB, serial: 'KHONG-CO-THAT', lang: 'vi' },
    });
    expect(scan.errors).toBeUndefined();
    const DEAD = `query { notifications(filter: { status: [DEAD], kind: [ITEM_FLAGGED] }) { nodes { id organization { id } status attempts lastError } } }`;
    let dead: { id: string; organization: { id: string }; attempts: number; lastError: string }[] = [];
    await waitFor('the dead letter', async () => {
      dead = (await ok('thotNotOfficer', DEAD)).notifications.nodes.filter((n: { organization: { id: string } }) => n.organization.id === mill.id);
      return dead.length === 1;
    });
    expect(dead[0]).toMatchObject({ attempts: 4, lastError: 'HTTP_STATUS_5XX' });
    expect(failing.requests).toHaveLength(4);
    expect(failing.requests.every((q) => verify(secret, q) && q.headers['x-nguon-event'] === 'ITEM_FLAGGED')).toBe(true);

    // The stores' staff see their own notifications only, and may not retry the mill's.
    const mine = await ok('storeAStaff', `query { notifications { nodes { organization { id } } } }`);
    expect(new Set(mine.notifications.nodes.map((n: { organization: { id: string } }) => n.organization.id))).toEqual(new Set([storeA.id]));
    const RETRY = `mutation($id: ID!) { retryNotification(id: $id) { id status attempts } }`;
    expect((await as('storeAStaff', RETRY, { id: dead[0]!.id })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    failing.plan = [200];
    const retried = await ok('thotNotOfficer', RETRY, { id: dead[0]!.id });
    expect(retried.retryNotification).toMatchObject({ id: dead[0]!.id, status: 'PENDING', attempts: 0 });
    await waitFor('the retried delivery', () => accepted(failing).size === 1);
    expect([...accepted(failing)]).toEqual([dead[0]!.id]);
    const again = await as('thotNotOfficer', RETRY, { id: dead[0]!.id });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});
