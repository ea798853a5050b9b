import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isOperatorKind, sql, type Viewer } from '@nguon/shared';
import { demoOrgId, demoPaths } from '@nguon/demo/ids';
import { startSeededSubgraph, type TestDatabase } from '@nguon/shared/testing';
import { traceSubgraph } from '../src/server';
import { capturerOf } from '../src/data/custody';
import { lotsByIds } from '../src/data/lots';
import { lotIdsOf, type NormalizedEvent } from '../src/epcis/event';
import { authorizeEvents } from '../src/services/authority';
import type { EventBody } from '../src/models';
import { at, CAPTURE, ok, org, staffOf, type Subgraph } from './helpers';

/**
 * Write authority over EPCIS events (docs/write-authority.md, "EPCIS
 * events"): who may say what about which lot. Each refusal names the event
 * and field, has its stable code, and stores nothing of the batch.
 */

let db: TestDatabase;
let subgraph: Subgraph;
let stop = async () => {};

const farmA = org('htx_lua_thoi_thuan');
const farmB = org('htx_lua_tan_loc');
const farFarm = org('htx_lua_thanh_an'); // another district
const mill = org('ct_luong_thuc_thot_not');
const store1 = org('st_mekong_xanh_ninh_kieu');
const store2 = org('ch_nong_san_an_toan_thot_not');
const thotNot = demoPaths.district('agri', 'thot_not');
const agri = demoPaths.department('agri');
const userOn = (role: 'OFFICER' | 'ADMIN' | 'STAFF', path: string): Viewer => ({
  kind: 'user',
  requestId: 't',
  userId: randomUUID(),
  grants: [{ role, orgId: demoOrgId(path), path }],
});

beforeAll(async () => {
  ({ db, subgraph, stop } = await startSeededSubgraph(traceSubgraph(), inject('seededTemplate')));
});
afterAll(() => stop());

/** A published lot of `owner`, written directly: lot creation has its own rules and tests; these tests are about events. */
async function lotOf(owner: { id: string }, status = 'PUBLISHED'): Promise<string> {
  const id = randomUUID();
  await db.connection.rows(sql`
    insert into trace.lots (id, lot_code, product_id, owner_id, quantity, unit, status)
    values (${id}, ${`L${id.slice(0, 8)}`}, ${randomUUID()}, ${owner.id}, 1000, 'KGM', ${status})`);
  return id;
}

const counts = async () => {
  const [row] = await db.connection.rows<{ events: number; edges: number; custody: number; lots: number }>(sql`
    select (select count(*)::int from trace.events) as events, (select count(*)::int from trace.lot_edges) as edges,
           (select count(*)::int from trace.custody) as custody, (select count(*)::int from trace.event_lots) as lots`);
  return row!;
};

async function captureAs(viewer: Viewer, organization: { id: string }, events: Record<string, unknown>[]) {
  const { body } = await subgraph.request(CAPTURE, { input: { organizationId: organization.id, events } }, viewer);
  return body;
}
const captureOk = async (o: { id: string; path: string }, events: Record<string, unknown>[]) =>
  (await ok(subgraph, CAPTURE, { input: { organizationId: o.id, events } }, staffOf(o))).captureEvents;

/** Refused with this code at this field, and nothing of the batch stored. */
async function expectRefused(viewer: Viewer, organization: { id: string }, events: Record<string, unknown>[], code: string, field: string) {
  const before = await counts();
  const body = await captureAs(viewer, organization, events);
  expect(body.errors?.[0]?.extensions).toMatchObject({ code, field: field.split('.') });
  expect(body.data?.captureEvents ?? null).toBeNull();
  expect(await counts()).toEqual(before);
  return body.errors![0]!;
}

const qty = (lotId: string, quantity = 100) => [{ lotId, quantity, unit: 'KGM' }];
const commission = (lotId: string) => ({
  type: 'OBJECT_EVENT',
  action: 'ADD',
  eventTime: at(),
  bizStep: 'commissioning',
  disposition: 'active',
  quantities: qty(lotId, 1000),
});
const inspect = (lotId: string, quantity = 10) => ({
  type: 'OBJECT_EVENT',
  action: 'OBSERVE',
  eventTime: at(),
  bizStep: 'inspecting',
  disposition: 'conformant',
  quantities: qty(lotId, quantity),
});
const ship = (lotId: string, from: { id: string }, to: { id: string }) => ({
  type: 'OBJECT_EVENT',
  action: 'OBSERVE',
  eventTime: at(),
  bizStep: 'shipping',
  disposition: 'in_transit',
  quantities: qty(lotId),
  sourceParties: [{ type: 'owning_party', organizationId: from.id }],
  destinationParties: [{ type: 'owning_party', organizationId: to.id }],
});
const receive = (lotId: string, from: { id: string }, to: { id: string }) => ({
  ...ship(lotId, from, to),
  bizStep: 'receiving',
  disposition: 'sellable_accessible',
});
const transform = (inputs: string[], outputs: string[]) => ({
  type: 'TRANSFORMATION_EVENT',
  eventTime: at(),
  bizStep: 'transforming',
  disposition: 'active',
  inputs: inputs.map((l) => qty(l)[0]),
  outputs: outputs.map((l) => qty(l)[0]),
});
const aggregate = (parent: string, children: string[], action = 'ADD') => ({
  type: 'AGGREGATION_EVENT',
  action,
  eventTime: at(),
  bizStep: action === 'DELETE' ? 'unpacking' : 'packing',
  disposition: 'in_progress',
  parentLotId: parent,
  ...(children.length ? { quantities: children.map((c) => qty(c)[0]) } : {}),
});

describe('capture authority: the demo seed', () => {
  // First in the file: later tests add events (and a recall) whose custody later acts change.
  it('writes every chain of the demo seed within the rules: farms own their harvests, the mill holds what it received', async () => {
    const all = await db.connection.rows<{ organization_id: string; event_id: string; event_time: string; body: EventBody }>(
      sql`select organization_id, event_id, event_time, body from trace.events order by organization_id, seq`,
    );
    // The seed's recall appends its `recalled` events through openRecall's own write, not capture: those are checked by the recall rules.
    const recalled = (e: { body: EventBody }) => /(^|:)recalled$/.test(String((e.body as { disposition?: string }).disposition ?? ''));
    const chains = all.filter((e) => !recalled(e));
    expect(all.length - chains.length).toBeGreaterThan(0);
    expect(chains.length).toBeGreaterThan(50);
    const byOrg = new Map<string, NormalizedEvent[]>();
    for (const r of chains)
      byOrg.set(r.organization_id, [...(byOrg.get(r.organization_id) ?? []), { eventID: r.event_id, body: r.body, eventTime: new Date(r.event_time) }]);
    const db_ = db.connection.drizzle();
    for (const [organizationId, batch] of byOrg) {
      const org = (await capturerOf(db_, organizationId))!;
      const lots = new Map((await lotsByIds(db_, [...new Set(batch.flatMap((e) => lotIdsOf(e.body)))])).map((l) => [l.id, l]));
      // Every captured event of the seed must pass.
      await expect(
        authorizeEvents(db_, { id: organizationId, path: org.path, supervising: !isOperatorKind(org.kind) }, batch, lots, `seed.${org.path}`),
      ).resolves.toBeUndefined();
    }
  });
});

describe('capture authority: ownership and custody of the lots an event names', () => {
  it('refuses a transformation whose output is another organization’s lot, so a recall of the input never reaches it', async () => {
    const paddy = await lotOf(farmA);
    const theirs = await lotOf(mill);
    await captureOk(farmA, [commission(paddy)]);
    await expectRefused(staffOf(farmA), farmA, [transform([paddy], [theirs])], 'NOT_OWNER', 'input.events.0.outputs.0.lotId');
    const [edges] = await db.connection.rows<{ n: number }>(sql`select count(*)::int as n from trace.lot_edges where child_lot_id = ${theirs}`);
    expect(edges!.n).toBe(0);

    await ok(
      subgraph,
      `mutation($input: OpenRecallInput!) { openRecall(input: $input) { recall { id } } }`,
      { input: { lotIds: [paddy], reason: 'Dư lượng thuốc', severity: 'CLASS_II' } },
      staffOf(farmA),
    );
    const [row] = await db.connection.rows<{ status: string }>(sql`select status from trace.lots where id = ${theirs}`);
    expect(row!.status).toBe('PUBLISHED');
  });

  it('refuses any STAFF appending an inspection or a destroying to a lot its organization neither owns nor holds', async () => {
    const paddy = await lotOf(farmA);
    await captureOk(farmA, [commission(paddy)]);
    await expectRefused(staffOf(store1), store1, [inspect(paddy)], 'NOT_CUSTODIAN', 'input.events.0.quantities.0.lotId');
    await expectRefused(
      staffOf(farmB),
      farmB,
      [{ ...inspect(paddy), bizStep: 'destroying', disposition: 'destroyed' }],
      'NOT_CUSTODIAN',
      'input.events.0.quantities.0.lotId',
    );
    await expectRefused(staffOf(farmB), farmB, [commission(paddy)], 'NOT_OWNER', 'input.events.0.quantities.0.lotId');
    const journey = await ok(subgraph, `query($id: ID!) { lot(id: $id) { timeline { bizStep } } }`, { id: paddy }, staffOf(farmA));
    expect(journey.lot.timeline.map((t: { bizStep: string }) => t.bizStep)).toEqual(['commissioning']);
  });

  it('names the offending event of a batch and writes none of the valid events before it', async () => {
    const mine = await lotOf(store2);
    const theirs = await lotOf(farmB);
    await expectRefused(
      staffOf(store2),
      store2,
      [commission(mine), inspect(mine), inspect(mine, 11), inspect(theirs)],
      'NOT_CUSTODIAN',
      'input.events.3.quantities.0.lotId',
    );
  });

  it('lets a shipment addressed to the capturer be received, processed and shipped on, and refuses it to anyone else', async () => {
    const paddy = await lotOf(farmA);
    const rice = await lotOf(mill);
    await captureOk(farmA, [commission(paddy), ship(paddy, farmA, mill)]);
    await expectRefused(staffOf(store2), store2, [receive(paddy, farmA, store2)], 'NOT_CUSTODIAN', 'input.events.0.quantities.0.lotId');
    // The mill receives, mills the paddy into its own rice and ships that on, in one batch.
    const done = await captureOk(mill, [receive(paddy, farmA, mill), inspect(paddy), transform([paddy], [rice]), ship(rice, mill, store2)]);
    expect(done.createdCount).toBe(4);
    await captureOk(store2, [receive(rice, mill, store2), inspect(rice)]);
    // The store never held the paddy: only the rice made from it.
    await expectRefused(staffOf(store2), store2, [inspect(paddy)], 'NOT_CUSTODIAN', 'input.events.0.quantities.0.lotId');
  });

  it('accepts a receipt when the capturer is any destination party of the shipping event, not only the one custody recorded', async () => {
    const pack = await lotOf(mill);
    const shipping = {
      ...ship(pack, mill, store2),
      destinationParties: [
        { type: 'possessing_party', organizationId: store1.id },
        { type: 'owning_party', organizationId: store2.id },
      ],
    };
    await captureOk(mill, [shipping]);
    expect((await captureOk(store2, [receive(pack, mill, store2)])).createdCount).toBe(1);
  });

  it('refuses shipping on another’s behalf and receiving for another organization', async () => {
    const paddy = await lotOf(farmA);
    await expectRefused(staffOf(farmA), farmA, [commission(paddy), ship(paddy, farmB, mill)], 'FORBIDDEN', 'input.events.1.sourceParties.0.organizationId');
    await captureOk(farmA, [ship(paddy, farmA, mill)]);
    await expectRefused(staffOf(mill), mill, [receive(paddy, farmA, store2)], 'FORBIDDEN', 'input.events.0.destinationParties.0.organizationId');
  });

  it('refuses an event placed at premises another organization registered (its GLN), in every form of the GLN', async () => {
    // GLNs with valid check digits: the mill's, and one the farm registered under its own node.
    const millGln = '8935123000014';
    const farmGln = '8935123000021';
    const [before] = await db.connection.rows<{ mill: string | null; farm: string | null }>(
      sql`select (select gln from tenants.organizations where id = ${mill.id}::uuid) as mill, (select gln from tenants.organizations where id = ${farmA.id}::uuid) as farm`,
    );
    await db.connection.rows(sql`update tenants.organizations set gln = ${millGln} where id = ${mill.id}::uuid`);
    await db.connection.rows(sql`update tenants.organizations set gln = ${farmGln} where id = ${farmA.id}::uuid`);
    try {
      const paddy = await lotOf(farmA);
      const atPlace = (location: string, key = 'bizLocation') => ({ ...inspect(paddy), bizStep: 'storing', disposition: 'in_progress', [key]: location });
      for (const [location, key] of [
        [millGln, 'bizLocation'],
        ['urn:epc:id:sgln:8935123.00001.0', 'readPoint'],
        [`https://id.gs1.org/414/${millGln}`, 'bizLocation'],
      ] as const) {
        await expectRefused(staffOf(farmA), farmA, [atPlace(location, key)], 'FORBIDDEN', `input.events.0.${key}`);
      }
      // Its own premises, and a GLN no organization registered, are fine.
      expect((await captureOk(farmA, [atPlace(farmGln), atPlace('8935123000038', 'readPoint')])).createdCount).toBe(2);
      // The district above the farm inspects at the farm's premises.
      const inspection = { ...inspect(paddy), bizLocation: farmGln };
      expect(
        (await ok(subgraph, CAPTURE, { input: { organizationId: demoOrgId(thotNot), events: [inspection] } }, userOn('OFFICER', thotNot))).captureEvents
          .createdCount,
      ).toBe(1);
    } finally {
      // The demo GLNs come back for the tests after this one.
      await db.connection.rows(sql`update tenants.organizations set gln = ${before!.mill} where id = ${mill.id}::uuid`);
      await db.connection.rows(sql`update tenants.organizations set gln = ${before!.farm} where id = ${farmA.id}::uuid`);
    }
  });

  it('follows containment: whoever holds a pallet holds what is on it until it is disaggregated', async () => {
    const pallet = await lotOf(mill);
    const [packA, packB] = [await lotOf(mill), await lotOf(mill)];
    await captureOk(mill, [aggregate(pallet, [packA, packB])]);
    await expectRefused(staffOf(store1), store1, [inspect(packA)], 'NOT_CUSTODIAN', 'input.events.0.quantities.0.lotId');
    await captureOk(mill, [ship(pallet, mill, store1)]);
    await captureOk(store1, [receive(pallet, mill, store1)]);
    expect((await captureOk(store1, [inspect(packA)])).createdCount).toBe(1);
    await expectRefused(staffOf(store2), store2, [inspect(packA)], 'NOT_CUSTODIAN', 'input.events.0.quantities.0.lotId');
    // The store unpacks B itself: it keeps holding what it unpacked.
    await captureOk(store1, [aggregate(pallet, [packB], 'DELETE')]);
    expect((await captureOk(store1, [inspect(packB)])).createdCount).toBe(1);
    // Receiving the pallet moved custody of what was on it (docs/architecture.md §6, containment): a disaggregation
    // recorded later by someone else does not take back what the store received.
    await captureOk(mill, [aggregate(pallet, [packA], 'DELETE')]);
    expect((await captureOk(store1, [inspect(packA, 12)])).createdCount).toBe(1);
    // Children of an aggregate need custody; the parent of an ADD needs it too.
    const strange = await lotOf(farmB);
    await expectRefused(staffOf(store1), store1, [aggregate(pallet, [strange])], 'NOT_CUSTODIAN', 'input.events.0.quantities.0.lotId');
    await expectRefused(staffOf(farmB), farmB, [aggregate(pallet, [strange])], 'NOT_CUSTODIAN', 'input.events.0.parentLotId');
  });

  it('refuses a client-captured recalled disposition: only opening a recall writes one', async () => {
    const pack = await lotOf(mill);
    await expectRefused(staffOf(mill), mill, [{ ...inspect(pack), bizStep: 'holding', disposition: 'recalled' }], 'FORBIDDEN', 'input.events.0.disposition');
  });

  it('refuses a capture job at once, with no job, when it names a lot the capturer does not hold', async () => {
    const paddy = await lotOf(farmA);
    const [before] = await db.connection.rows<{ n: number }>(sql`select count(*)::int as n from trace.capture_jobs`);
    const { body } = await subgraph.request(
      `mutation($input: CaptureEventsInput!) { submitCaptureJob(input: $input) { id } }`,
      { input: { organizationId: store1.id, events: [inspect(paddy)] } },
      staffOf(store1),
    );
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_CUSTODIAN', field: ['input', 'events', '0', 'quantities', '0', 'lotId'] });
    const [after] = await db.connection.rows<{ n: number }>(sql`select count(*)::int as n from trace.capture_jobs`);
    expect(after!.n).toBe(before!.n);
  });
});

describe('capture authority: supervising nodes capture inspections only', () => {
  it('lets a district OFFICER inspect a lot in its subtree into the district’s chain', async () => {
    const paddy = await lotOf(farmA);
    const district = { id: demoOrgId(thotNot), path: thotNot };
    const done = await ok(subgraph, CAPTURE, { input: { organizationId: district.id, events: [inspect(paddy)] } }, userOn('OFFICER', thotNot));
    expect(done.captureEvents.createdCount).toBe(1);
    // A department ADMIN too, from the department's own chain.
    const viaDepartment = await ok(subgraph, CAPTURE, { input: { organizationId: demoOrgId(agri), events: [inspect(paddy, 3)] } }, userOn('ADMIN', agri));
    expect(viaDepartment.captureEvents.createdCount).toBe(1);
  });

  it('refuses a supervising node anything but an inspection of its own subtree, and its STAFF everything', async () => {
    const paddy = await lotOf(farmA);
    const far = await lotOf(farFarm);
    const district = { id: demoOrgId(thotNot) };
    const officer = userOn('OFFICER', thotNot);
    await expectRefused(officer, district, [inspect(far)], 'FORBIDDEN', 'input.events.0.quantities.0.lotId');
    await expectRefused(officer, district, [{ ...inspect(paddy), bizStep: 'destroying' }], 'FORBIDDEN', 'input.events.0.bizStep');
    await expectRefused(officer, district, [commission(paddy)], 'FORBIDDEN', 'input.events.0.action');
    await expectRefused(officer, district, [transform([paddy], [far])], 'FORBIDDEN', 'input.events.0.type');
    const before = await counts();
    const staff = await captureAs(userOn('STAFF', agri), { id: demoOrgId(agri) }, [inspect(paddy)]);
    expect(staff.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
  });
});

describe('capture authority: no oracle over another organization’s events', () => {
  it('links a correction to the capturer’s own event only: one naming a sibling producer’s event is kept unlinked, exactly like one naming an event held elsewhere', async () => {
    const paddy = await lotOf(farmA);
    const theirs = await lotOf(farmB);
    const sibling = await captureOk(farmB, [commission(theirs)]);
    await captureOk(farmA, [commission(paddy)]);
    const declare = (correctedEventID: string, quantity: number) => ({
      ...inspect(paddy, quantity),
      errorDeclaration: { declarationTime: at(), reason: 'incorrect_data', correctedEventID },
    });
    const target = sibling.events[0].eventID as string;
    const elsewhere = `urn:uuid:${randomUUID()}`;
    const linkOf = async (eventID: string) => {
      const [row] = await db.connection.rows<{ corrects: string | null }>(
        sql`select corrects_event_id as corrects from trace.events where event_id = ${eventID}`,
      );
      return row!.corrects;
    };
    const a = await captureOk(farmA, [declare(target, 21)]);
    const b = await captureOk(farmA, [declare(elsewhere, 22)]);
    expect([a.createdCount, b.createdCount]).toEqual([1, 1]);
    expect([await linkOf(a.events[0].eventID), await linkOf(b.events[0].eventID)]).toEqual([null, null]);
    const [row] = await db.connection.rows<{ n: number }>(sql`select count(*)::int as n from trace.events where corrects_event_id = ${target}`);
    expect(row!.n).toBe(0);
    // Its own events it corrects, linked.
    const own = await captureOk(farmA, [inspect(paddy, 7)]);
    const correction = await captureOk(farmA, [declare(own.events[0].eventID, 8)]);
    expect(await linkOf(correction.events[0].eventID)).toBe(own.events[0].eventID);
  });

  it('answers another organization’s eventID or content with one CONFLICT whether the guess is right or wrong, never its id', async () => {
    const paddy = await lotOf(farmA);
    const eventID = `urn:uuid:${randomUUID()}`;
    const secret = { ...inspect(paddy, 37), eventID };
    await captureOk(farmA, [commission(paddy), secret, ship(paddy, farmA, mill)]);
    await captureOk(mill, [receive(paddy, farmA, mill)]);
    // The mill holds the lot now, so its guesses pass custody and reach the eventID and hash checks.
    const right = await expectRefused(staffOf(mill), mill, [secret], 'CONFLICT', 'input.events.0.eventID');
    const wrong = await expectRefused(staffOf(mill), mill, [{ ...secret, quantities: qty(paddy, 38) }], 'CONFLICT', 'input.events.0.eventID');
    expect(right.message).toBe(wrong.message);
    expect(JSON.stringify(right)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-7/); // no stored (v7) id
    // The same content under no eventID (or a fresh one) matches by hash: the same answer.
    const { eventID: _, ...content } = secret;
    const byHash = await expectRefused(staffOf(mill), mill, [content], 'CONFLICT', 'input.events.0.eventID');
    expect(byHash.message.replace(/\S+ was/, '<id> was')).toBe(right.message.replace(/\S+ was/, '<id> was'));
    await expectRefused(staffOf(mill), mill, [{ ...content, eventID: `urn:uuid:${randomUUID()}` }], 'CONFLICT', 'input.events.0.eventID');
    // The owner resending its own event is still an idempotent duplicate.
    const again = await captureOk(farmA, [secret]);
    expect([again.createdCount, again.duplicateCount]).toEqual([0, 1]);
  });
});
