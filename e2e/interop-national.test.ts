import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, startSubgraph } from '@nguon/shared';
import { demoOperator, demoOrgId, demoPaths } from '@nguon/demo/ids';
import { NationalPortalWorker, traceSubgraph } from '@nguon/trace';
import { demoEmail, startTestStack, type TestStack } from './helpers';

let stack: TestStack;
let base: string;
let apiKey: string;
let officer: string;
let staff: string;
let productId: string;
const millPath = demoPaths.operator(demoOperator('ct_luong_thuc_thot_not'));
const millId = demoOrgId(millPath);

beforeAll(async () => {
  stack = await startTestStack();
  base = stack.gateway.url.replace(/\/graphql$/, '');
  const admin = await stack.tokenFor(demoEmail('ADMIN', 'ct'));
  officer = await stack.tokenFor(demoEmail('OFFICER', 'ct'));
  staff = await stack.tokenFor(demoEmail('STAFF', millPath));
  const created = await stack.gql(
    'mutation($i: CreateApiClientInput!) { createApiClient(input: $i) { key } }',
    { i: { organizationId: demoOrgId('ct'), name: 'Cổng truy xuất quốc gia (đẩy dữ liệu)', scopes: ['INTERNAL_READ'] } },
    { token: admin },
  );
  apiKey = created.data.createApiClient.key;
  // A lot can be published only when its product is (docs/write-authority.md): take one of the mill's published products.
  const lots = await stack.gql(`query($o: ID!) { lots(ownerId: $o, first: 20) { nodes { product { id status } } } }`, { o: millId }, { token: officer });
  productId = (lots.data.lots.nodes as { product: { id: string; status: string } }[]).find((l) => l.product.status === 'PUBLISHED')!.product.id;
});
afterAll(() => stack?.stop());

let codes = 0;
/** A new lot of the mill's product, published at once or as a draft then published; returns its id. */
async function publishNewLot(atOnce: boolean): Promise<string> {
  const input = {
    productId,
    ownerId: millId,
    lotCode: `NP-${process.pid % 1000}-${++codes}`,
    quantity: 100,
    unit: 'KGM',
    producedOn: '2026-11-01',
    publish: atOnce,
  };
  const created = await stack.gql(`mutation($input: CreateLotInput!) { createLot(input: $input) { lot { id } } }`, { input }, { token: staff });
  const id = created.data.createLot.lot.id as string;
  if (!atOnce) {
    const published = await stack.gql(`mutation($id: ID!) { publishLot(input: { lotId: $id }) { lot { status } } }`, { id }, { token: staff });
    expect(published.data.publishLot.lot.status).toBe('PUBLISHED');
  }
  return id;
}

const OUTBOX = `query($status: NationalOutboxStatus) { nationalOutbox { pendingCount deliveredCount deadCount entries(status: $status, first: 100) { nodes { id lotId status attempts lastError lot { lotCode } } } } }`;
const outbox = async (status?: string) => (await stack.gql(OUTBOX, { status }, { token: officer })).data.nationalOutbox;

/** A national portal stand-in: records by id (duplicates counted, not stored twice), with scripted failures. */
function receiver() {
  const stored = new Map<string, any>();
  const state = { requests: 0, duplicates: 0, failNext: 0, loseAckNext: 0, problems: [] as string[] };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      state.requests++;
      if (state.failNext > 0) return (state.failNext--, res.writeHead(503).end());
      const payload = JSON.parse(body);
      if (req.headers['idempotency-key'] !== payload.recordId) state.problems.push(`header ${req.headers['idempotency-key']} ≠ ${payload.recordId}`);
      if (payload.record?.recordId !== payload.lotId || payload.record?.completeness?.items?.length !== 10)
        state.problems.push(`bad record for ${payload.lotId}`);
      if (stored.has(payload.recordId)) state.duplicates++;
      else stored.set(payload.recordId, payload);
      // Stored, but the acknowledgement is lost on the way back: the sender must retry and we must not store twice.
      if (state.loseAckNext > 0) return (state.loseAckNext--, res.writeHead(503).end());
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":true}');
    });
  });
  return { stored, state, server };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('national portal push', () => {
  it('queues each published lot with its publication, and only those (seeded lots are not queued)', async () => {
    const before = await outbox();
    const ids = [await publishNewLot(false), await publishNewLot(true)];
    const after = await outbox();
    expect(after.pendingCount - before.pendingCount).toBe(2);
    expect(after.entries.nodes.filter((e: any) => ids.includes(e.lotId)).map((e: any) => e.status)).toEqual(['PENDING', 'PENDING']);
    // A draft is not queued.
    const draft = await stack.gql(
      `mutation($input: CreateLotInput!) { createLot(input: $input) { lot { id } } }`,
      { input: { productId, ownerId: millId, lotCode: `NP-DRAFT-${process.pid % 1000}`, quantity: 1, unit: 'KGM' } },
      { token: staff },
    );
    expect((await outbox()).entries.nodes.some((e: any) => e.lotId === draft.data.createLot.lot.id)).toBe(false);
    // The queue is for supervisors.
    const denied = await stack.gql(OUTBOX, {}, { token: staff });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('delivers every record exactly once to a portal that is down for a while, then comes back', async () => {
    for (let i = 0; i < 3; i++) await publishNewLot(i % 2 === 0);
    const pending = (await outbox('PENDING')).entries.nodes as { id: string }[];
    expect(pending.length).toBeGreaterThanOrEqual(3);

    const port = await freePort();
    const worker = new NationalPortalWorker(stack.db.connection.drizzle(), {
      portalUrl: `http://127.0.0.1:${port}/records`,
      gatewayUrl: base,
      apiKey,
      baseDelayMs: 5,
      maxDelayMs: 20,
      maxAttempts: 1000,
      requestTimeoutMs: 5000,
    });
    // Down: nothing listens, every connection is refused.
    for (let i = 0; i < 2; i++) {
      await worker.drain();
      await tick();
    }
    expect((await outbox()).pendingCount).toBe(pending.length);
    const refused = (await outbox('PENDING')).entries.nodes;
    expect(refused.filter((e: any) => !(e.attempts >= 1 && /fetch failed|ECONNREFUSED/.test(e.lastError)))).toEqual([]);

    // Back, but overloaded for a few requests, and one acknowledgement gets lost.
    const portal = receiver();
    portal.state.failNext = 3;
    portal.state.loseAckNext = 1;
    await new Promise<void>((r) => portal.server.listen(port, '127.0.0.1', r));
    try {
      for (let i = 0; i < 300 && (await outbox()).pendingCount > 0; i++) {
        await worker.drain();
        await tick();
      }
    } finally {
      await new Promise<void>((r) => portal.server.close(() => r()));
    }
    expect(portal.state.problems).toEqual([]);
    const after = await outbox();
    expect(after.pendingCount).toBe(0);
    expect(after.deadCount).toBe(0);
    expect(portal.stored.size).toBe(pending.length);
    for (const e of pending) expect(portal.stored.has(e.id)).toBe(true);
    expect(portal.state.duplicates).toBe(1);
    const one = [...portal.stored.values()][0];
    expect(one.record).toMatchObject({ $schema: expect.stringContaining('vn-minimum'), producerName: expect.stringMatching(/Thốt Nốt/) });
  });

  it('gives up after the attempt cap and shows the dead letter to officers', async () => {
    const lotId = await publishNewLot(true);
    const portal = receiver();
    portal.state.failNext = Infinity;
    await new Promise<void>((r) => portal.server.listen(0, '127.0.0.1', r));
    const worker = new NationalPortalWorker(stack.db.connection.drizzle(), {
      portalUrl: `http://127.0.0.1:${(portal.server.address() as AddressInfo).port}/records`,
      gatewayUrl: base,
      apiKey,
      baseDelayMs: 2,
      maxDelayMs: 5,
      maxAttempts: 3,
    });
    try {
      for (let i = 0; i < 100 && (await outbox()).pendingCount > 0; i++) {
        await worker.drain();
        await tick();
      }
    } finally {
      await new Promise<void>((r) => portal.server.close(() => r()));
    }
    const dead = (await outbox('DEAD')).entries.nodes.find((e: any) => e.lotId === lotId);
    expect(dead).toMatchObject({ status: 'DEAD', attempts: 3, lastError: 'portal answered 503', lot: { lotCode: expect.stringMatching(/^NP-/) } });
    expect(portal.stored.size).toBe(0);
  });

  it('a trace subgraph started with a portal pushes on its own and stops with the subgraph', async () => {
    const portal = receiver();
    await new Promise<void>((r) => portal.server.listen(0, '127.0.0.1', r));
    const subgraph = await startSubgraph(
      traceSubgraph({
        nationalPortal: {
          portalUrl: `http://127.0.0.1:${(portal.server.address() as AddressInfo).port}/records`,
          gatewayUrl: stack.gateway.url,
          apiKey,
          pollIntervalMs: 20,
          baseDelayMs: 5,
          maxDelayMs: 20,
        },
      }),
      { connection: stack.db.connection, gatewaySecret: stack.gatewaySecret, logger: createLogger('trace-worker', 'warn'), migrate: false },
    );
    try {
      const lotId = await publishNewLot(true);
      for (let i = 0; i < 250 && ![...portal.stored.values()].some((p) => p.lotId === lotId); i++) await tick();
      expect([...portal.stored.values()].filter((p) => p.lotId === lotId)).toHaveLength(1);
    } finally {
      await subgraph.close();
      await new Promise<void>((r) => portal.server.close(() => r()));
    }
  });
});
