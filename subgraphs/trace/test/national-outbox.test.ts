import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from '@nguon/shared';
import { startSeededSubgraph, type TestDatabase } from '@nguon/shared/testing';
import { NationalPortalWorker, traceSubgraph } from '../src/server';
import { cityOfficer, ok, org, product, staffOf, type Subgraph } from './helpers';

let db: TestDatabase;
let subgraph: Subgraph;
const farm = org('htx_lua_thoi_thuan');

let stop = async () => {};
beforeAll(async () => {
  ({ db, subgraph, stop } = await startSeededSubgraph(traceSubgraph(), inject('seededTemplate')));
});
afterAll(() => stop());

const OUTBOX = `{ nationalOutbox { pendingCount deliveredCount deadCount entries(first: 100) { nodes { lotId status attempts } } } }`;
const CREATE = `mutation($input: CreateLotInput!) { createLot(input: $input) { lot { id status } } }`;
const PUBLISH = `mutation($id: ID!) { publishLot(input: { lotId: $id }) { lot { status } } }`;

describe('national portal outbox', () => {
  it('starts empty: the seeded demo lots are never queued for the national portal', async () => {
    expect(await ok(subgraph, OUTBOX, {}, cityOfficer)).toEqual({
      nationalOutbox: { pendingCount: 0, deliveredCount: 0, deadCount: 0, entries: { nodes: [] } },
    });
  });

  it('queues a lot when it is published, once, and never a draft', async () => {
    const productId = await product(db, farm);
    const input = { productId, ownerId: farm.id, quantity: 10, unit: 'KGM' };
    const draft = (await ok(subgraph, CREATE, { input: { ...input, lotCode: 'OB-1' } }, staffOf(farm))).createLot.lot.id;
    const atOnce = (await ok(subgraph, CREATE, { input: { ...input, lotCode: 'OB-2', publish: true } }, staffOf(farm))).createLot.lot.id;
    let queued = (await ok(subgraph, OUTBOX, {}, cityOfficer)).nationalOutbox.entries.nodes.map((e: { lotId: string }) => e.lotId);
    expect(queued).toContain(atOnce);
    expect(queued).not.toContain(draft);

    await ok(subgraph, PUBLISH, { id: draft }, staffOf(farm));
    const again = await subgraph.request(PUBLISH, { id: draft }, staffOf(farm));
    expect(again.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    queued = (await ok(subgraph, OUTBOX, {}, cityOfficer)).nationalOutbox.entries.nodes.map((e: { lotId: string }) => e.lotId);
    expect(queued.filter((id: string) => id === draft)).toHaveLength(1);
  });

  it('shows the queue to supervisors of the lots only', async () => {
    const staff = await subgraph.request(OUTBOX, {}, staffOf(farm));
    expect(staff.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const otherDistrict = org('htx_dau_ha_chau');
    const districtPath = otherDistrict.path.split('.').slice(0, -1).join('.');
    const officer = {
      kind: 'user' as const,
      requestId: 't',
      userId: randomUUID(),
      grants: [{ role: 'OFFICER' as const, orgId: randomUUID(), path: districtPath }],
    };
    if (!farm.path.startsWith(`${districtPath}.`)) expect((await ok(subgraph, OUTBOX, {}, officer)).nationalOutbox.pendingCount).toBe(0);
    expect((await ok(subgraph, OUTBOX, {}, cityOfficer)).nationalOutbox.pendingCount).toBe(2);
  });
});

describe('a lot taken off the public after it was queued', () => {
  /** A stand-in for the gateway's record export (the lot's status as the graph has it now) and the portal (what was posted). */
  let server: Server;
  let base = '';
  const posted: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const record = /^\/exports\/vn-minimum\/lots\/([0-9a-f-]{36})\.json$/.exec(req.url ?? '');
        if (req.method === 'GET' && record) {
          const [lot] = await db.connection.rows<{ id: string; status: string }>(sql`select id, status from trace.lots where id = ${record[1]}`);
          res.writeHead(lot ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(lot ? { recordId: lot.id, lot } : {}));
          return;
        }
        if (req.method === 'POST' && req.url === '/portal') posted.push(JSON.parse(Buffer.concat(chunks).toString('utf8')).lotId);
        res.writeHead(req.method === 'POST' ? 201 : 404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const worker = () =>
    new NationalPortalWorker(db.connection.drizzle(), {
      portalUrl: `${base}/portal`,
      gatewayUrl: base,
      apiKey: 'test',
      baseDelayMs: 1,
      maxDelayMs: 1,
      pollIntervalMs: 60_000,
    });
  const entryOf = async (lotId: string) =>
    (await db.connection.rows<{ status: string; attempts: number }>(sql`select status, attempts from trace.national_outbox where lot_id = ${lotId}`))[0];

  it('is not pushed while held UNDER_REVIEW by a quantity correction, and is pushed once approved', async () => {
    // A 10 ha field with a norm of 5 000 kg/ha: capacity 10 × 5 000 × 1.2 = 60 000 kg.
    const areaId = randomUUID();
    const season = 'Đông Xuân 2031-2032';
    await db.connection.rows(sql`insert into catalog.production_areas (id, owner_id, code, name, crop, hectares)
      values (${areaId}, ${farm.id}, ${`T-${areaId}`}, '{"vi":"Ruộng thử"}'::jsonb, 'Lúa', 10)`);
    await db.connection.rows(
      sql`insert into catalog.season_norms (id, area_id, season, expected_yield_per_hectare, yield_unit) values (${randomUUID()}, ${areaId}, ${season}, 5000, 'KGM')`,
    );
    const productId = await product(db, farm);
    const made = await ok(
      subgraph,
      CREATE,
      { input: { productId, ownerId: farm.id, lotCode: 'OB-HELD', quantity: 50_000, unit: 'KGM', productionAreaId: areaId, season, publish: true } },
      staffOf(farm),
    );
    const lotId = made.createLot.lot.id;
    expect(made.createLot.lot.status).toBe('PUBLISHED');
    expect(await entryOf(lotId)).toMatchObject({ status: 'PENDING', attempts: 0 });

    const CORRECT = `mutation($input: CorrectLotQuantityInput!) { correctLotQuantity(input: $input) { lot { status } } }`;
    const held = await ok(subgraph, CORRECT, { input: { lotId, quantity: 90_000, reason: 'Cộng thêm ruộng thuê', onNormExceeded: 'REVIEW' } }, staffOf(farm));
    expect(held.correctLotQuantity.lot.status).toBe('UNDER_REVIEW');

    await worker().drain();
    expect(posted).not.toContain(lotId);
    // The other queued lots went; the held one waits untried.
    expect(posted.length).toBeGreaterThan(0);
    expect(await entryOf(lotId)).toMatchObject({ status: 'PENDING', attempts: 0 });

    const REVIEW = `mutation($input: ReviewLotInput!) { reviewLot(input: $input) { lot { status } } }`;
    const approved = await ok(subgraph, REVIEW, { input: { lotId, decision: 'APPROVE', reason: 'Đã xác minh' } }, cityOfficer);
    expect(approved.reviewLot.lot.status).toBe('PUBLISHED');
    await worker().drain();
    expect(posted.filter((id) => id === lotId)).toHaveLength(1);
    expect(await entryOf(lotId)).toMatchObject({ status: 'DELIVERED', attempts: 1 });
  });

  it('sends nothing when the record read shows the lot is no longer public, and counts no attempt', async () => {
    const productId = await product(db, farm);
    const lotId = (
      await ok(subgraph, CREATE, { input: { productId, ownerId: farm.id, lotCode: 'OB-RACE', quantity: 10, unit: 'KGM', publish: true } }, staffOf(farm))
    ).createLot.lot.id;
    // The lot leaves the public after the worker claimed its entry, before it reads the record.
    const db2 = db.connection.drizzle();
    const claiming = new NationalPortalWorker(
      new Proxy(db2, {
        get(target, key) {
          const value = Reflect.get(target, key, target);
          if (key !== 'execute') return typeof value === 'function' ? value.bind(target) : value;
          return async (...args: unknown[]) => {
            const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            await db.connection.rows(sql`update trace.lots set status = 'UNDER_REVIEW' where id = ${lotId}`);
            return result;
          };
        },
      }),
      { portalUrl: `${base}/portal`, gatewayUrl: base, apiKey: 'test', pollIntervalMs: 60_000 },
    );
    const result = await claiming.pass();
    expect(result).toMatchObject({ delivered: 0, held: 1 });
    expect(posted).not.toContain(lotId);
    expect(await entryOf(lotId)).toMatchObject({ status: 'PENDING', attempts: 0 });
  });
});
