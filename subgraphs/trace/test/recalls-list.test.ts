import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql, type Viewer } from '@nguon/shared';
import { startSeededSubgraph, type TestDatabase } from '@nguon/shared/testing';
import { demoOperator, demoOrgId, demoPaths } from '@nguon/demo/ids';
import { traceSubgraph } from '../src/server';
import { at, capture, cityOfficer, lot, ok, org, product, staffOf, useCatalog, type Subgraph } from './helpers';

/*
 * Recalls reach every holder (issue 15): holders net of what they shipped
 * on, one task per holder that only it (and the recall's owners and
 * supervisors) sees, a notification per holder in the opening transaction,
 * and a filtered list of recalls.
 */

let db: TestDatabase;
let subgraph: Subgraph;
let stop = async () => {};

const farm = org('htx_lua_thoi_thuan');
const mill = org('ct_luong_thuc_thot_not');
const store1 = org('st_mekong_xanh_ninh_kieu');
const store2 = org('ch_nong_san_an_toan_thot_not');
const farmB = org('htx_lua_tan_loc');

const districtOf = (slug: string) => {
  const op = demoOperator(slug);
  const path = demoPaths.district(op.department, op.district);
  return { id: demoOrgId(path), path };
};
const officerOf = (node: { id: string; path: string }): Viewer => ({
  kind: 'user',
  requestId: 't',
  userId: randomUUID(),
  grants: [{ role: 'OFFICER', orgId: node.id, path: node.path }],
});

beforeAll(async () => {
  ({ db, subgraph, stop } = await startSeededSubgraph(traceSubgraph({ notifications: { pollIntervalMs: 3_600_000 } }), inject('seededTemplate')));
  useCatalog(db);
});
afterAll(() => stop());

const move = (lotId: string, from: { id: string }, to: { id: string }, quantity: number, step: 'shipping' | 'receiving') => ({
  type: 'OBJECT_EVENT',
  action: 'OBSERVE',
  eventTime: at(),
  bizStep: step,
  disposition: step === 'shipping' ? 'in_transit' : 'sellable_accessible',
  quantities: [{ lotId, quantity, unit: 'KGM' }],
  sourceParties: [{ type: 'owning_party', organizationId: from.id }],
  destinationParties: [{ type: 'owning_party', organizationId: to.id }],
});
const transform = (inputs: string[], outputs: string[], quantity: number) => ({
  type: 'TRANSFORMATION_EVENT',
  eventTime: at(),
  bizStep: 'transforming',
  disposition: 'active',
  inputs: inputs.map((lotId) => ({ lotId, quantity, unit: 'KGM' })),
  outputs: outputs.map((lotId) => ({ lotId, quantity, unit: 'KGM' })),
});

/**
 * Paddy (1 000 kg) shipped whole to the mill, milled whole into rice, packed
 * whole into two packs (1 000 kg each, one product) shipped whole to two
 * stores. Only the stores still hold anything.
 */
async function chain() {
  const s = randomUUID().slice(0, 6);
  const packProduct = await product(db, mill);
  const paddy = await lot(subgraph, farm, `NP-${s}`);
  const rice = await lot(subgraph, mill, `NR-${s}`);
  const pack1 = await lot(subgraph, mill, `NK1-${s}`, packProduct);
  const pack2 = await lot(subgraph, mill, `NK2-${s}`, packProduct);
  await capture(subgraph, farm, [move(paddy, farm, mill, 1000, 'shipping')]);
  await capture(subgraph, mill, [
    move(paddy, farm, mill, 1000, 'receiving'),
    transform([paddy], [rice], 1000),
    transform([rice], [pack1, pack2], 1000),
    move(pack1, mill, store1, 1000, 'shipping'),
    move(pack2, mill, store2, 1000, 'shipping'),
  ]);
  await capture(subgraph, store1, [move(pack1, mill, store1, 1000, 'receiving')]);
  await capture(subgraph, store2, [move(pack2, mill, store2, 1000, 'receiving')]);
  return { paddy, rice, pack1, pack2, packProduct };
}

const OPEN = `mutation($input: OpenRecallInput!) { openRecall(input: $input) { recall { id status holders { id } } } }`;
const RECALLS = `query($filter: RecallFilter, $first: Int, $after: String) {
  recalls(filter: $filter, first: $first, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }`;

const notificationRows = (recallId: string) =>
  db.connection.rows<{ organization_id: string; kind: string; status: string; payload: any }>(
    sql`select organization_id, kind, status, payload from trace.notifications where subject_id = ${recallId} order by organization_id, kind`,
  );

describe('holders and tasks', () => {
  it('lists only those still holding, tells each of them and the root owner once, and shows each store its own task', async () => {
    const c = await chain();
    const opened = await ok(subgraph, OPEN, { input: { lotIds: [c.paddy], reason: 'Aflatoxin vượt ngưỡng', severity: 'CLASS_I' } }, cityOfficer);
    const recall = opened.openRecall.recall;
    // The farm shipped its paddy, the mill milled and shipped everything: only the stores hold goods.
    expect(new Set(recall.holders.map((h: any) => h.id))).toEqual(new Set([store1.id, store2.id]));

    const rows = await notificationRows(recall.id);
    expect(rows.map((r) => [r.organization_id, r.kind, r.status]).sort()).toEqual(
      [
        [farm.id, 'RECALL_OPENED', 'NO_ENDPOINT'],
        [store1.id, 'RECALL_OPENED', 'NO_ENDPOINT'],
        [store2.id, 'RECALL_OPENED', 'NO_ENDPOINT'],
      ].sort(),
    );
    const toStore1 = rows.find((r) => r.organization_id === store1.id)!.payload;
    expect(toStore1).toMatchObject({
      recallId: recall.id,
      reason: 'Aflatoxin vượt ngưỡng',
      severity: 'CLASS_I',
      lots: [{ lotId: c.pack1, quantityHeld: 1000 }],
    });

    const VIEW = `query($id: ID!) { recall(id: $id) { reason progress
      tasks { holder { id } quantityHeld quantityRecovered progress done }
      myTask { holder { id } lots { lotId } quantityHeld quantityRecovered unit progress done } } }`;
    const asStore1 = await ok(subgraph, VIEW, { id: recall.id }, staffOf(store1));
    expect(asStore1.recall).toEqual({
      reason: 'Aflatoxin vượt ngưỡng',
      progress: 0,
      tasks: [{ holder: { id: store1.id }, quantityHeld: 1000, quantityRecovered: 0, progress: 0, done: false }],
      myTask: { holder: { id: store1.id }, lots: [{ lotId: c.pack1 }], quantityHeld: 1000, quantityRecovered: 0, unit: 'KGM', progress: 0, done: false },
    });
    // Another holder's details stay with the recall's owners and supervisors.
    const denied = await subgraph.request(`query($id: ID!) { recall(id: $id) { affectedLots { lotId } } }`, { id: recall.id }, staffOf(store1));
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // Store 1 brings back 400 kg: its task reads 40 %, the recall 20 % (400 of the 2 000 kg still out).
    await ok(
      subgraph,
      `mutation($input: RecordRecallRecoveryInput!) { recordRecallRecovery(input: $input) { recall { status } } }`,
      { input: { recallId: recall.id, lotId: c.pack1, holderId: store1.id, quantity: 400 } },
      staffOf(store1),
    );
    const officer = await ok(subgraph, VIEW, { id: recall.id }, cityOfficer);
    expect(officer.recall.progress).toBeCloseTo(0.2);
    expect(officer.recall.myTask).toBeNull();
    expect(officer.recall.tasks).toEqual(
      [
        { holder: { id: store1.id }, quantityHeld: 1000, quantityRecovered: 400, progress: 0.4, done: false },
        { holder: { id: store2.id }, quantityHeld: 1000, quantityRecovered: 0, progress: 0, done: false },
      ].sort((a, b) => a.holder.id.localeCompare(b.holder.id)),
    );

    // A store that holds nothing of it sees the public warning only.
    const outsider = await subgraph.request(`query($id: ID!) { recall(id: $id) { reason progress } }`, { id: recall.id }, staffOf(org('ch_ocop_o_mon')));
    expect(outsider.body.errors?.[0]).toMatchObject({ path: ['recall', 'progress'], extensions: { code: 'FORBIDDEN' } });
    // The officer over store 1's district (not over the farm) sees that store's task, not store 2's.
    const district1 = await ok(
      subgraph,
      `query($id: ID!) { recall(id: $id) { tasks { holder { id } } } }`,
      { id: recall.id },
      officerOf(districtOf('st_mekong_xanh_ninh_kieu')),
    );
    expect(district1.recall.tasks.map((t: any) => t.holder.id)).toEqual([store1.id]);
  });

  it('shows a producer’s own ADMIN only its own notification rows of its voluntary recall; its overseers see every holder’s', async () => {
    const c = await chain();
    const farmAdmin: Viewer = { kind: 'user', requestId: 't', userId: randomUUID(), grants: [{ role: 'ADMIN', orgId: farm.id, path: farm.path }] };
    const opened = await ok(subgraph, OPEN, { input: { lotIds: [c.paddy], reason: 'Tự thu hồi', severity: 'CLASS_III' } }, farmAdmin);
    const recallId = opened.openRecall.recall.id;
    const NOTIFIED = `query($id: ID!) { recall(id: $id) { notifications { organization { id } } } }`;
    const orgsSeen = async (viewer: Viewer) =>
      new Set((await ok(subgraph, NOTIFIED, { id: recallId }, viewer)).recall.notifications.map((n: any) => n.organization.id));
    expect(await orgsSeen(farmAdmin)).toEqual(new Set([farm.id]));
    expect(await orgsSeen(officerOf(districtOf('htx_lua_thoi_thuan')))).toEqual(new Set([farm.id, store1.id, store2.id]));
  });

  it('tells only organizations new to a recall when it is extended', async () => {
    const c = await chain();
    const opened = await ok(subgraph, OPEN, { input: { lotIds: [c.paddy], reason: 'Nấm mốc', severity: 'CLASS_II' } }, cityOfficer);
    const recallId = opened.openRecall.recall.id;
    const s = randomUUID().slice(0, 6);
    const other = await lot(subgraph, farmB, `NX-${s}`);
    await capture(subgraph, farmB, [move(other, farmB, store1, 300, 'shipping')]);
    await ok(
      subgraph,
      `mutation($input: ExtendRecallInput!) { extendRecall(input: $input) { recall { id } } }`,
      { input: { recallId, lotIds: [other], reason: 'Cùng nguồn lúa' } },
      cityOfficer,
    );
    const rows = await notificationRows(recallId);
    const extended = rows.filter((r) => r.kind === 'RECALL_EXTENDED').map((r) => r.organization_id);
    // Farm B is new (owner of the added lot); store 1 already knew of the recall.
    expect(extended).toEqual([farmB.id]);
    expect(rows.filter((r) => r.kind === 'RECALL_OPENED')).toHaveLength(3);
  });
});

describe('recalls(filter)', () => {
  it('lists the recalls a viewer is party to, newest first, filtered and paged', async () => {
    const c = await chain();
    const first = (await ok(subgraph, OPEN, { input: { lotIds: [c.pack1], reason: 'Bao bì rách', severity: 'CLASS_III' } }, cityOfficer)).openRecall.recall;
    const second = (await ok(subgraph, OPEN, { input: { lotIds: [c.pack2], reason: 'Sai nhãn', severity: 'CLASS_II' } }, cityOfficer)).openRecall.recall;
    const ids = async (viewer: Viewer, filter: Record<string, unknown> = {}, first = 100) =>
      (await ok(subgraph, RECALLS, { filter, first }, viewer)).recalls.nodes.map((n: any) => n.id);

    // Each store sees the recall of its own pack; the city officer both, newest first.
    const mine = await ids(staffOf(store1));
    expect(mine).toContain(first.id);
    expect(mine).not.toContain(second.id);
    const all = await ids(cityOfficer);
    expect(all.indexOf(second.id)).toBeLessThan(all.indexOf(first.id));
    expect(all.indexOf(first.id)).toBeGreaterThanOrEqual(0);

    expect(await ids(cityOfficer, { severity: ['CLASS_III'] })).toContain(first.id);
    expect(await ids(cityOfficer, { severity: ['CLASS_III'] })).not.toContain(second.id);
    expect(await ids(cityOfficer, { status: ['CLOSED'] })).not.toContain(first.id);
    expect(await ids(cityOfficer, { status: ['OPEN'], productId: c.packProduct })).toEqual([second.id, first.id]);
    // Under store 1's district: only the recall it holds goods of (the mill, owner of both packs, is elsewhere).
    expect(await ids(cityOfficer, { under: districtOf('st_mekong_xanh_ninh_kieu').id, productId: c.packProduct })).toEqual([first.id]);
    // Under the mill's district: both, by their root lots' owner.
    expect(await ids(cityOfficer, { under: districtOf('ct_luong_thuc_thot_not').id, productId: c.packProduct })).toEqual([second.id, first.id]);
    expect(await ids(cityOfficer, { openedFrom: new Date(Date.now() + 3_600_000).toISOString(), productId: c.packProduct })).toEqual([]);
    expect(await ids(cityOfficer, { openedFrom: new Date(Date.now() - 3_600_000).toISOString(), productId: c.packProduct })).toEqual([second.id, first.id]);

    // Paging: one at a time, the cursor continues.
    const page1 = (await ok(subgraph, RECALLS, { filter: { productId: c.packProduct }, first: 1 }, cityOfficer)).recalls;
    expect(page1.nodes.map((n: any) => n.id)).toEqual([second.id]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await ok(subgraph, RECALLS, { filter: { productId: c.packProduct }, first: 1, after: page1.pageInfo.endCursor }, cityOfficer)).recalls;
    expect(page2.nodes.map((n: any) => n.id)).toEqual([first.id]);
    expect(page2.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a bad filter with BAD_USER_INPUT naming the field, and anonymous callers', async () => {
    const bad = async (filter: Record<string, unknown>, field: string) => {
      const { body } = await subgraph.request(RECALLS, { filter }, cityOfficer);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: field.split('.') });
    };
    await bad({ openedFrom: '2026-05-01T00:00:00Z', openedTo: '2026-04-01T00:00:00Z' }, 'filter.openedTo');
    await bad({ under: 'not-an-id' }, 'filter.under');
    await bad({ under: randomUUID() }, 'filter.under');
    await bad({ productId: 'x' }, 'filter.productId');
    const { body } = await subgraph.request(RECALLS, {}, { kind: 'anonymous', requestId: 't' });
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('has the seeded recalled lot come from a real recall record', async () => {
    const [row] = await db.connection.rows<{ id: string; reason: string; severity: string; authority_path: string; held: string }>(
      sql`select r.id, r.reason, r.severity, r.authority_path, rl.quantity_held::text as held from trace.recalls r
          join trace.recall_lots rl on rl.recall_id = r.id and rl.root
          join trace.lots l on l.id = rl.lot_id and l.status = 'RECALLED'
          where r.opened_by is null order by r.opened_at limit 1`,
    );
    expect(row?.reason).toMatch(/aflatoxin/);
    expect(row?.authority_path).toBe(districtOf('htx_lua_tan_loc').path);
    expect(Number(row?.held)).toBeGreaterThan(0);
    const data = await ok(
      subgraph,
      `query($id: ID!) { recall(id: $id) { reason rootLots { status activeRecall { reason } } } }`,
      { id: row!.id },
      { kind: 'anonymous', requestId: 't' },
    );
    expect(data.recall.rootLots[0]).toEqual({ status: 'RECALLED', activeRecall: { reason: row!.reason } });
  });
});
