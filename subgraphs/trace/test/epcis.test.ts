import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from '@nguon/shared';
import { startSeededSubgraph, type TestDatabase } from '@nguon/shared/testing';
import { traceSubgraph } from '../src/server';
import { anonymous, at, capture, CAPTURE, cityOfficer, lot, ok, org, staffOf, useCatalog, type Subgraph } from './helpers';

let db: TestDatabase;
let subgraph: Subgraph;

const farmA = org('htx_lua_thoi_thuan');
const farmB = org('htx_lua_tan_loc');
const mill = org('ct_luong_thuc_thot_not');
const store1 = org('st_mekong_xanh_ninh_kieu');
const store2 = org('ch_nong_san_an_toan_thot_not');

let stop = async () => {};
beforeAll(async () => {
  ({ db, subgraph, stop } = await startSeededSubgraph(traceSubgraph(), inject('seededTemplate')));
  useCatalog(db);
});
afterAll(() => stop());

const eventCount = async (organizationId?: string) => {
  const [row] = await db.connection.rows<{ n: number }>(
    organizationId
      ? sql`select count(*)::int as n from trace.events where organization_id = ${organizationId}`
      : sql`select count(*)::int as n from trace.events`,
  );
  return Number(row!.n);
};

const ship = (lotId: string, from: { id: string }, to: { id: string }, quantity: number) => ({
  type: 'OBJECT_EVENT',
  action: 'OBSERVE',
  eventTime: at(),
  bizStep: 'shipping',
  disposition: 'in_transit',
  quantities: [{ lotId, quantity, unit: 'KGM' }],
  sourceParties: [{ type: 'owning_party', organizationId: from.id }],
  destinationParties: [{ type: 'owning_party', organizationId: to.id }],
  bizTransactions: [{ type: 'desadv', id: `DA-${randomUUID().slice(0, 8)}` }],
});
const receive = (lotId: string, from: { id: string }, to: { id: string }, quantity: number) => ({
  ...ship(lotId, from, to, quantity),
  bizStep: 'https://ref.gs1.org/cbv/BizStep-receiving',
  disposition: 'https://ref.gs1.org/cbv/Disp-sellable_accessible',
});
const transform = (inputs: string[], outputs: string[], bizStep = 'commissioning') => ({
  type: 'TRANSFORMATION_EVENT',
  eventTime: at(),
  bizStep,
  disposition: 'active',
  inputs: inputs.map((lotId) => ({ lotId, quantity: 500, unit: 'KGM' })),
  outputs: outputs.map((lotId) => ({ lotId, quantity: 300, unit: 'KGM' })),
});
const commission = (lotId: string) => ({
  type: 'OBJECT_EVENT',
  action: 'ADD',
  eventTime: at(),
  bizStep: 'commissioning',
  disposition: 'active',
  quantities: [{ lotId, quantity: 1000, unit: 'KGM' }],
  ilmd: { harvestDate: '2026-01-01', variety: 'ST25' },
  certificationInfo: ['VietGAP-TT-13-05-92-0123'],
});

/**
 * Paddy from two farms milled into rice, packed into two packages shipped to
 * two stores; beside it an unrelated chain from a third paddy lot to a third
 * package at the first store.
 */
async function riceChain() {
  const s = randomUUID().slice(0, 6);
  const paddyA = await lot(subgraph, farmA, `PA-${s}`);
  const paddyB = await lot(subgraph, farmB, `PB-${s}`);
  const paddyC = await lot(subgraph, farmB, `PC-${s}`);
  const rice = await lot(subgraph, mill, `R-${s}`);
  const other = await lot(subgraph, mill, `RO-${s}`);
  const [pack1, pack2, pack3] = [await lot(subgraph, mill, `K1-${s}`), await lot(subgraph, mill, `K2-${s}`), await lot(subgraph, mill, `K3-${s}`)];
  await capture(subgraph, farmA, [commission(paddyA), ship(paddyA, farmA, mill, 1000)]);
  await capture(subgraph, farmB, [commission(paddyB), commission(paddyC), ship(paddyB, farmB, mill, 1000), ship(paddyC, farmB, mill, 1000)]);
  await capture(subgraph, mill, [
    receive(paddyA, farmA, mill, 1000),
    receive(paddyB, farmB, mill, 1000),
    transform([paddyA, paddyB], [rice], 'transforming'),
    transform([paddyC], [other], 'transforming'),
    transform([rice], [pack1, pack2], 'packing'),
    transform([other], [pack3], 'packing'),
    ship(pack1, mill, store1, 100),
    ship(pack2, mill, store2, 120),
    ship(pack3, mill, store1, 80),
  ]);
  await capture(subgraph, store1, [receive(pack1, mill, store1, 100), receive(pack3, mill, store1, 80)]);
  await capture(subgraph, store2, [receive(pack2, mill, store2, 120)]);
  return { paddyA, paddyB, paddyC, rice, other, pack1, pack2, pack3 };
}

const TRACE = `query($lotId: ID!, $direction: TraceDirection!) {
  trace(lotId: $lotId, direction: $direction, maxDepth: 10) {
    lots { id depth lot { id status owner { id } } }
    edges { parentLotId childLotId kind eventID }
    custody { lotId from { id } to { id } bizStep }
  }
}`;

describe('genealogy, trace and recall', () => {
  it('traces one farm lot downstream to both stores and a store package upstream to both farms', async () => {
    const c = await riceChain();
    const down = (await ok(subgraph, TRACE, { lotId: c.paddyA, direction: 'DOWNSTREAM' }, cityOfficer)).trace;
    expect(new Map(down.lots.map((l: any) => [l.id, l.depth]))).toEqual(
      new Map([
        [c.paddyA, 0],
        [c.rice, 1],
        [c.pack1, 2],
        [c.pack2, 2],
      ]),
    );
    const receivers = new Set(down.custody.filter((h: any) => h.bizStep === 'receiving').map((h: any) => h.to.id));
    expect(receivers).toEqual(new Set([mill.id, store1.id, store2.id]));
    const packageHolders = new Set(down.custody.filter((h: any) => [c.pack1, c.pack2].includes(h.lotId)).map((h: any) => h.to.id));
    expect(packageHolders).toEqual(new Set([store1.id, store2.id]));
    expect(down.edges).toHaveLength(3);

    const up = (await ok(subgraph, TRACE, { lotId: c.pack1, direction: 'UPSTREAM' }, cityOfficer)).trace;
    expect(new Set(up.lots.map((l: any) => l.id))).toEqual(new Set([c.pack1, c.rice, c.paddyA, c.paddyB]));
    const farms = new Set(up.lots.filter((l: any) => l.depth === 2).map((l: any) => l.lot.owner.id));
    expect(farms).toEqual(new Set([farmA.id, farmB.id]));
  });

  it('opens a recall on one farm lot that marks exactly the affected packages and stores', async () => {
    const c = await riceChain();
    const opened = await ok(
      subgraph,
      `mutation($input: OpenRecallInput!) { openRecall(input: $input) { recall { id status severity affectedLots { lotId holder { id } root quantityHeld } holders { id } } } }`,
      { input: { lotIds: [c.paddyA], reason: 'Dư lượng thuốc bảo vệ thực vật vượt ngưỡng', severity: 'CLASS_II' } },
      cityOfficer,
    );
    const recall = opened.openRecall.recall;
    expect(new Set(recall.affectedLots.map((l: any) => l.lotId))).toEqual(new Set([c.paddyA, c.rice, c.pack1, c.pack2]));
    // Holders are net of shipments (issue 15): farm A shipped all of its paddy to the mill, so it holds none.
    expect(new Set(recall.holders.map((h: any) => h.id))).toEqual(new Set([mill.id, store1.id, store2.id]));
    const atStore1 = recall.affectedLots.filter((l: any) => l.holder.id === store1.id);
    expect(atStore1).toEqual([{ lotId: c.pack1, holder: { id: store1.id }, root: false, quantityHeld: 100 }]);

    const statuses = await db.connection.rows<{ id: string; status: string }>(
      sql`select id, status from trace.lots where id in (${sql.join(
        Object.values(c).map((id) => sql`${id}`),
        sql`, `,
      )})`,
    );
    const recalled = new Set(statuses.filter((r) => r.status === 'RECALLED').map((r) => r.id));
    expect(recalled).toEqual(new Set([c.paddyA, c.rice, c.pack1, c.pack2]));

    // Consumers see the warning at once, with the recalled event on the timeline.
    const consumer = await ok(
      subgraph,
      `query($id: ID!) { lot(id: $id) { status activeRecall { reason severity } timeline(lang: "en") { bizStep disposition dispositionLabel } } }`,
      { id: c.pack2 },
      anonymous,
    );
    expect(consumer.lot.status).toBe('RECALLED');
    expect(consumer.lot.activeRecall).toEqual({ reason: 'Dư lượng thuốc bảo vệ thực vật vượt ngưỡng', severity: 'CLASS_II' });
    expect(consumer.lot.timeline.at(-1)).toEqual({ bizStep: 'holding', disposition: 'recalled', dispositionLabel: 'Recalled' });

    // Progress: store 2 returns its 120 kg, the rest is written off at closing.
    const recover = `mutation($input: RecordRecallRecoveryInput!) { recordRecallRecovery(input: $input) { recall { status } } }`;
    const progressed = await ok(subgraph, recover, { input: { recallId: recall.id, lotId: c.pack2, holderId: store2.id, quantity: 120 } }, staffOf(store2));
    expect(progressed.recordRecallRecovery.recall.status).toBe('IN_PROGRESS');
    const progress = await ok(subgraph, `query($id: ID!) { recall(id: $id) { progress } }`, { id: recall.id }, cityOfficer);
    expect(progress.recall.progress).toBeGreaterThan(0);
    const early = await subgraph.request(
      `mutation($input: CloseRecallInput!) { closeRecall(input: $input) { recall { status } } }`,
      { input: { recallId: recall.id } },
      cityOfficer,
    );
    expect(early.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const closed = await ok(
      subgraph,
      `mutation($input: CloseRecallInput!) { closeRecall(input: $input) { recall { status closedAt } } }`,
      { input: { recallId: recall.id, writeOffOutstanding: true, reason: 'Hàng còn lại đã tiêu hủy tại cửa hàng' } },
      cityOfficer,
    );
    expect(closed.closeRecall.recall.status).toBe('CLOSED');
  });

  it('lets the owner recall its own lot but not a store of another district', async () => {
    const c = await riceChain();
    const open = `mutation($input: OpenRecallInput!) { openRecall(input: $input) { recall { status } } }`;
    const stranger = await subgraph.request(open, { input: { lotIds: [c.paddyB], reason: 'x', severity: 'CLASS_III' } }, staffOf(store1));
    expect(stranger.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await ok(subgraph, open, { input: { lotIds: [c.paddyB], reason: 'Ẩm mốc', severity: 'CLASS_III' } }, staffOf(farmB))).toEqual({
      openRecall: { recall: { status: 'OPEN' } },
    });
  });
});

describe('capture', () => {
  const farm = org('htx_lua_thanh_an');

  it('writes nothing from a batch of 5 000 events with one invalid event, names it, and stores a valid batch once when sent twice', async () => {
    const paddy = await lot(subgraph, farm, `B-${randomUUID().slice(0, 6)}`);
    const start = Date.UTC(2025, 0, 1);
    const events = Array.from({ length: 5000 }, (_, i) => ({
      type: 'OBJECT_EVENT',
      action: 'OBSERVE',
      eventTime: `${new Date(start + i * 60_000 + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`,
      bizStep: 'inspecting',
      disposition: 'conformant',
      quantities: [{ lotId: paddy, quantity: 10, unit: 'KGM' }],
      sensorReadings: [{ sensorReport: [{ type: 'Humidity', value: 14 + (i % 3) }] }],
    }));
    const before = await eventCount(farm.id);
    const broken = events.map((e, i) => (i === 1234 ? { ...e, bizStep: 'teleporting' } : e));
    const refused = await subgraph.request(CAPTURE, { input: { organizationId: farm.id, events: broken } }, staffOf(farm));
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'events', '1234', 'bizStep'] });
    expect(await eventCount(farm.id)).toBe(before);

    const first = await capture(subgraph, farm, events);
    expect([first.createdCount, first.duplicateCount]).toEqual([5000, 0]);
    const second = await capture(subgraph, farm, events);
    expect([second.createdCount, second.duplicateCount]).toEqual([0, 5000]);
    expect(second.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect(await eventCount(farm.id)).toBe(before + 5000);
  });

  it('stores an event sent again under the same eventID or with the same content once', async () => {
    const paddy = await lot(subgraph, farm, `I-${randomUUID().slice(0, 6)}`);
    const event = { ...commission(paddy), eventID: `urn:uuid:${randomUUID()}` };
    const first = await capture(subgraph, farm, [event]);
    const again = await capture(subgraph, farm, [event, { ...event, eventID: undefined }]);
    expect(again).toMatchObject({ createdCount: 0, duplicateCount: 2 });
    expect(again.events.map((e) => e.id)).toEqual([first.events[0]!.id, first.events[0]!.id]);
    const clash = await subgraph.request(CAPTURE, { input: { organizationId: farm.id, events: [{ ...event, disposition: 'destroyed' }] } }, staffOf(farm));
    expect(clash.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('refuses bad input with a clear error naming the field and writes nothing', async () => {
    const paddy = await lot(subgraph, farm, `X-${randomUUID().slice(0, 6)}`);
    const good = commission(paddy);
    const cases: [Record<string, unknown>, string[], RegExp][] = [
      [{ ...good, bizStep: 'teleporting' }, ['input', 'events', '0', 'bizStep'], /CBV 2\.0 business step/],
      [{ ...good, disposition: 'happy' }, ['input', 'events', '0', 'disposition'], /disposition/],
      [{ ...good, eventTime: '2026-03-01T07:30:00' }, ['input', 'events', '0', 'eventTime'], /offset/],
      [{ ...good, quantities: [{ lotId: paddy, quantity: -5, unit: 'KGM' }] }, ['input', 'events', '0', 'quantities', '0', 'quantity'], /negative/],
      [
        { type: 'TRANSFORMATION_EVENT', eventTime: at(), inputs: [], outputs: [{ lotId: paddy, quantity: 1 }] },
        ['input', 'events', '0', 'inputs'],
        /at least one input/,
      ],
      [{ ...good, quantities: [{ lotId: randomUUID(), quantity: 1 }] }, ['input', 'events', '0', 'quantities', '0', 'lotId'], /not found/],
    ];
    const before = await eventCount();
    for (const [event, field, message] of cases) {
      const { body } = await subgraph.request(CAPTURE, { input: { organizationId: farm.id, events: [good, event].reverse() } }, staffOf(farm));
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(body.errors?.[0]?.message).toMatch(message);
    }
    const createLot = `mutation($input: CreateLotInput!) { createLot(input: $input) { lot { id } } }`;
    for (const lotCode of ['A'.repeat(21), 'LÚA-01', 'LOT 01']) {
      const { body } = await subgraph.request(
        createLot,
        { input: { productId: randomUUID(), ownerId: farm.id, lotCode, quantity: 1, unit: 'KGM' } },
        staffOf(farm),
      );
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'lotCode'] });
    }
    expect(await eventCount()).toBe(before);
  });

  it('lets only the organization capture into its own chain', async () => {
    const paddy = await lot(subgraph, farm, `P-${randomUUID().slice(0, 6)}`);
    const input = { organizationId: farm.id, events: [commission(paddy)] };
    expect((await subgraph.request(CAPTURE, { input }, anonymous)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await subgraph.request(CAPTURE, { input }, staffOf(mill))).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('tamper evidence and timelines', () => {
  const shop = org('ch_thuc_pham_sach_an_khanh');
  const VERIFY = `query($id: ID!) { verifyChain(organizationId: $id) { valid eventCount firstBrokenEventID problem } }`;

  it('names the event edited directly in SQL as the first broken link of the chain', async () => {
    const pack = await lot(subgraph, shop, `T-${randomUUID().slice(0, 6)}`);
    const { events } = await capture(subgraph, shop, [
      commission(pack),
      { ...commission(pack), action: 'OBSERVE', bizStep: 'stocking' },
      { ...commission(pack), action: 'OBSERVE', bizStep: 'retail_selling', disposition: 'retail_sold' },
    ]);
    expect((await ok(subgraph, VERIFY, { id: shop.id }, cityOfficer)).verifyChain).toMatchObject({ valid: true, firstBrokenEventID: null });

    const target = events[1]!.eventID;
    const refused = await db.connection.rows(sql`update trace.events set biz_step = 'shipping' where event_id = ${target}`).catch((e: Error) => e);
    expect(String((refused as { cause?: Error }).cause?.message ?? refused)).toMatch(/append-only/);
    await db.connection.rows(sql`alter table trace.events disable trigger events_append_only`);
    await db.connection.rows(sql`update trace.events set body = jsonb_set(body, '{disposition}', '"destroyed"') where event_id = ${target}`);
    await db.connection.rows(sql`alter table trace.events enable trigger events_append_only`);

    const result = (await ok(subgraph, VERIFY, { id: shop.id }, cityOfficer)).verifyChain;
    expect(result).toMatchObject({ valid: false, firstBrokenEventID: target });
    expect(result.problem).toMatch(/content/);
    expect((await subgraph.request(VERIFY, { id: shop.id }, staffOf(farmA))).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('keeps one unbroken chain when one organization captures concurrently', async () => {
    const store = org('ch_ocop_o_mon');
    const pack = await lot(subgraph, store, `C-${randomUUID().slice(0, 6)}`);
    await Promise.all(Array.from({ length: 6 }, () => capture(subgraph, store, [commission(pack), commission(pack)])));
    expect((await ok(subgraph, VERIFY, { id: store.id }, cityOfficer)).verifyChain).toEqual({
      valid: true,
      eventCount: 12,
      firstBrokenEventID: null,
      problem: null,
    });
  });

  it('shows consumers a translated public timeline with a correction beside the event it corrects', async () => {
    const s = randomUUID().slice(0, 6);
    const paddy = await lot(subgraph, farmA, `TL-${s}`);
    const [harvest, wrong] = (await capture(subgraph, farmA, [commission(paddy), { ...ship(paddy, farmA, mill, 1000), disposition: 'damaged' }])).events;
    await capture(subgraph, farmA, [
      { ...commission(paddy), action: 'OBSERVE', bizStep: 'inspecting', disposition: 'conformant' },
      { ...ship(paddy, farmA, mill, 1000), errorDeclaration: { declarationTime: at(), reason: 'incorrect_data', correctedEventID: wrong!.eventID } },
    ]);
    const query = `query($id: ID!, $lang: String) { lot(id: $id) { timeline(lang: $lang) { eventID bizStep bizStepLabel dispositionLabel corrects correctedBy certificationInfo } } }`;
    const en = (await ok(subgraph, query, { id: paddy, lang: 'en' }, anonymous)).lot.timeline;
    expect(en.map((t: any) => t.bizStepLabel)).toEqual(['Commissioning', 'Shipping', 'Shipping', 'Inspecting']);
    expect(en[0]).toMatchObject({ eventID: harvest!.eventID, certificationInfo: ['VietGAP-TT-13-05-92-0123'] });
    expect(en[1]).toMatchObject({ eventID: wrong!.eventID, dispositionLabel: 'Damaged', correctedBy: [en[2].eventID] });
    expect(en[2]).toMatchObject({ corrects: wrong!.eventID });
    const vi = (await ok(subgraph, query, { id: paddy, lang: 'vi' }, anonymous)).lot.timeline;
    expect(vi[1].bizStepLabel).toBe('Xuất hàng');

    const internal = await subgraph.request(`query($e: String!) { event(eventID: $e) { bizStep quantities { quantity } } }`, { e: wrong!.eventID }, anonymous);
    expect(internal.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(internal.body.data.event).toBeNull();
  });
});
