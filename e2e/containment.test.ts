import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCheckDigit } from '@nguon/gs1';
import { demoOperator, demoOrgId, demoPaths } from '@nguon/demo/ids';
import { demoEmail, startTestStack, type TestStack } from './helpers';

/*
 * Containment (issue 19, item 5): what is aggregated onto a pallet travels
 * with it. The demo mill puts a pack lot on an SSCC pallet, ships the pallet
 * to the Thốt Nốt store, which receives it and takes the pack off; a second
 * lot goes into a case that goes onto another pallet, shipped to the Ninh
 * Kiều supermarket. The lots themselves are never named by the shipping and
 * receiving: only the pallets are.
 */

const operatorPath = (slug: string) => demoPaths.operator(demoOperator(slug));
const MILL = operatorPath('ct_luong_thuc_thot_not');
const STORE_A = operatorPath('st_mekong_xanh_ninh_kieu');
const STORE_B = operatorPath('ch_nong_san_an_toan_thot_not');
const mill = demoOrgId(MILL);
const storeA = demoOrgId(STORE_A);
const storeB = demoOrgId(STORE_B);
const ACTORS = {
  mill: demoEmail('STAFF', MILL),
  storeA: demoEmail('STAFF', STORE_A),
  storeB: demoEmail('STAFF', STORE_B),
  officer: demoEmail('OFFICER', 'ct.agri.thot_not'),
};
type Actor = keyof typeof ACTORS;

const sscc = (serial: number) => `https://id.gs1.org/00/${withCheckDigit(`0893${String(4_000_000_000_000 + (process.pid % 1000) * 10 + serial)}`)}`;
const PALLET = sscc(1);
const CASE = sscc(2);
const PALLET2 = sscc(3);
const NAMES = ['add', 'ship', 'receive', 'unpack', 'after', 'case', 'casePallet', 'ship2', 'receive2'] as const;
/** The eventIDs of the story, fresh per run. */
const E = Object.fromEntries(NAMES.map((n) => [n, `urn:uuid:${crypto.randomUUID()}`])) as Record<(typeof NAMES)[number], string>;

let stack: TestStack;
let base: string;
let pack: { id: string; url: string };
let nested: { id: string; url: string };

async function ok(actor: Actor, query: string, variables: Record<string, unknown> = {}) {
  const result = await stack.gql(query, variables, { token: await stack.tokenFor(ACTORS[actor]) });
  expect(result.errors, `${actor}: ${JSON.stringify(result.errors)}`).toBeUndefined();
  return result.data;
}
const CAPTURE = `mutation($input: CaptureEventsInput!) { captureEvents(input: $input) { createdCount } }`;
const capture = (actor: Actor, organizationId: string, events: Record<string, unknown>[]) => ok(actor, CAPTURE, { input: { organizationId, events } });
const moved = (eventID: string, eventTime: string, epc: string, bizStep: 'shipping' | 'receiving', from: string, to: string) => ({
  eventID,
  type: 'OBJECT_EVENT',
  action: 'OBSERVE',
  eventTime,
  bizStep,
  epcs: [epc],
  sourceParties: [{ type: 'owning_party', organizationId: from }],
  destinationParties: [{ type: 'owning_party', organizationId: to }],
});
/** The lot's history as its maker reads it: signed in, so never the gateway's one-second anonymous cache of an earlier answer. */
const timeline = async (lotId: string) =>
  (await ok('mill', `query($id: ID!) { lot(id: $id) { timeline { eventID } } }`, { id: lotId })).lot.timeline.map((t: { eventID: string }) => t.eventID);

beforeAll(async () => {
  stack = await startTestStack();
  base = stack.gateway.url.replace(/\/graphql$/, '');
  const mine = await ok('mill', 'query($o: ID!) { lots(ownerId: $o, first: 20) { nodes { product { id status } } } }', { o: mill });
  const product = (mine.lots.nodes as any[]).find((l) => l.product.status === 'PUBLISHED')!.product;
  const made: { id: string; url: string }[] = [];
  for (const [code, quantity] of [
    [`PALLET-${process.pid % 1000}`, 100],
    [`CASE-${process.pid % 1000}`, 40],
  ] as const) {
    const created = await ok('mill', 'mutation($input: CreateLotInput!) { createLot(input: $input) { lot { id digitalLink } } }', {
      input: { productId: product.id, ownerId: mill, lotCode: code, quantity, unit: 'KGM', producedOn: '2026-03-01', publish: true },
    });
    made.push({ id: created.createLot.lot.id, url: created.createLot.lot.digitalLink });
  }
  [pack, nested] = made as [typeof pack, typeof nested];

  await capture('mill', mill, [
    {
      eventID: E.add,
      type: 'AGGREGATION_EVENT',
      action: 'ADD',
      eventTime: '2026-03-10T08:00:00+07:00',
      bizStep: 'packing',
      parentID: PALLET,
      quantities: [{ lotId: pack.id, quantity: 100, unit: 'KGM' }],
    },
    {
      eventID: E.case,
      type: 'AGGREGATION_EVENT',
      action: 'ADD',
      eventTime: '2026-03-10T09:00:00+07:00',
      bizStep: 'packing',
      parentID: CASE,
      quantities: [{ lotId: nested.id, quantity: 40, unit: 'KGM' }],
    },
    // The case goes onto the second pallet: the nested lot follows both.
    {
      eventID: E.casePallet,
      type: 'AGGREGATION_EVENT',
      action: 'ADD',
      eventTime: '2026-03-10T10:00:00+07:00',
      bizStep: 'packing',
      parentID: PALLET2,
      epcs: [CASE],
    },
    moved(E.ship, '2026-03-11T08:00:00+07:00', PALLET, 'shipping', mill, storeB),
    moved(E.ship2, '2026-03-11T08:30:00+07:00', PALLET2, 'shipping', mill, storeA),
  ]);
  await capture('storeB', storeB, [moved(E.receive, '2026-03-12T08:00:00+07:00', PALLET, 'receiving', mill, storeB)]);
  await capture('storeA', storeA, [moved(E.receive2, '2026-03-12T09:00:00+07:00', PALLET2, 'receiving', mill, storeA)]);
  // The store takes the pack off the pallet: naming the pack needs custody of it, which it has only through the pallet.
  await capture('storeB', storeB, [
    {
      eventID: E.unpack,
      type: 'AGGREGATION_EVENT',
      action: 'DELETE',
      eventTime: '2026-03-13T08:00:00+07:00',
      bizStep: 'unpacking',
      parentID: PALLET,
      quantities: [{ lotId: pack.id, quantity: 100, unit: 'KGM' }],
    },
  ]);
  // The empty pallet goes back to the mill: after the DELETE, the pallet's journey is no longer the pack's.
  await capture('storeB', storeB, [moved(E.after, '2026-03-14T08:00:00+07:00', PALLET, 'shipping', storeB, mill)]);
});
afterAll(() => stack?.stop());

describe('a lot aggregated onto a pallet follows the pallet', () => {
  it('has the pallet’s shipping and receiving on its timeline, up to the disaggregation and not after', async () => {
    expect(await timeline(pack.id)).toEqual([E.add, E.ship, E.receive, E.unpack]);
  });

  it('follows a case onto a pallet: the case’s lot has the outer pallet’s journey too', async () => {
    expect(await timeline(nested.id)).toEqual([E.case, E.casePallet, E.ship2, E.receive2]);
  });

  it('moves custody with the pallet: the trace shows the pallet’s hops for the lot, and the store holds it', async () => {
    const TRACE = `query($id: ID!) { trace(lotId: $id, direction: DOWNSTREAM) { custody { lotId bizStep quantity unit eventID from { id } to { id } } } }`;
    const hops = (await ok('officer', TRACE, { id: pack.id })).trace.custody;
    expect(hops).toEqual([
      { lotId: pack.id, bizStep: 'shipping', quantity: 100, unit: 'KGM', eventID: E.ship, from: { id: mill }, to: { id: storeB } },
      { lotId: pack.id, bizStep: 'receiving', quantity: 100, unit: 'KGM', eventID: E.receive, from: { id: mill }, to: { id: storeB } },
    ]);
    const inCase = (await ok('officer', TRACE, { id: nested.id })).trace.custody;
    expect(inCase.map((h: { eventID: string; to: { id: string } }) => [h.eventID, h.to.id])).toEqual([
      [E.ship2, storeA],
      [E.receive2, storeA],
    ]);
    // The other store never had the pack: naming it is refused.
    const refused = await stack.gql(
      CAPTURE,
      {
        input: {
          organizationId: storeA,
          events: [{ type: 'OBJECT_EVENT', action: 'OBSERVE', eventTime: '2026-03-15T08:00:00+07:00', bizStep: 'storing', quantities: [{ lotId: pack.id }] }],
        },
      },
      { token: await stack.tokenFor(ACTORS.storeA) },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_CUSTODIAN');
  });

  it('shows the pallet’s shipping in the journey of the consumer page', async () => {
    const labels = await stack.gql(`query($id: ID!) { lot(id: $id) { timeline(lang: "en") { eventID bizStepLabel } } }`, { id: pack.id });
    const label = (eventID: string) => labels.data.lot.timeline.find((t: { eventID: string }) => t.eventID === eventID).bizStepLabel as string;
    const url = pack.url.replace(/^https?:\/\/[^/]+/, base);
    const response = await fetch(`${url}${url.includes('?') ? '&' : '?'}lang=en`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    const journey = html.slice(html.indexOf('id="timeline"'));
    expect(journey).toContain(label(E.ship));
    expect(journey).toContain(label(E.receive));
  });

  it('exports the pallet’s events in the lot’s EPCIS document', async () => {
    const response = await fetch(`${base}/epcis/export/lots/${pack.id}`, { headers: { authorization: `Bearer ${await stack.tokenFor(ACTORS.mill)}` } });
    expect(response.status).toBe(200);
    const document = (await response.json()) as { epcisBody: { eventList: { eventID: string }[] } };
    const ids = document.epcisBody.eventList.map((e) => e.eventID);
    expect(ids).toEqual(expect.arrayContaining([E.add, E.ship, E.receive, E.unpack]));
    expect(ids).not.toContain(E.after);
  });

  it('reaches the stores that received the pallets when the lots are recalled', async () => {
    const opened = await ok(
      'officer',
      `mutation($input: OpenRecallInput!) { openRecall(input: $input) { recall { holders { id } affectedLots { lotId holder { id } quantityHeld } } } }`,
      { input: { lotIds: [pack.id, nested.id], reason: 'Bao bì rách trên pallet', severity: 'CLASS_II' } },
    );
    const rows = opened.openRecall.recall.affectedLots.map((l: { lotId: string; holder: { id: string }; quantityHeld: number }) => [
      l.lotId,
      l.holder.id,
      l.quantityHeld,
    ]);
    expect(rows).toEqual(
      expect.arrayContaining([
        [pack.id, storeB, 100],
        [nested.id, storeA, 40],
      ]),
    );
    // The mill shipped both pallets on and keeps only its root rows, at nothing held; the pallet's return after unpacking moves no pack.
    expect(rows.filter((r: unknown[]) => r[1] === mill).map((r: unknown[]) => r[2])).toEqual([0, 0]);
  });

  it('ignores what an outsider says about the pallet: no custody, no place in the pack’s history', async () => {
    // Store A never held the pallet: its "receiving" of it during the journey must not give it the pack.
    const claim = `urn:uuid:${crypto.randomUUID()}`;
    const before = await timeline(pack.id);
    await capture('storeA', storeA, [moved(claim, '2026-03-12T12:00:00+07:00', PALLET, 'receiving', mill, storeA)]);
    expect(await timeline(pack.id)).toEqual(before);
    expect(before).not.toContain(claim);
    const refused = await stack.gql(
      CAPTURE,
      {
        input: {
          organizationId: storeA,
          events: [{ type: 'OBJECT_EVENT', action: 'OBSERVE', eventTime: '2026-03-15T09:00:00+07:00', bizStep: 'storing', quantities: [{ lotId: pack.id }] }],
        },
      },
      { token: await stack.tokenFor(ACTORS.storeA) },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_CUSTODIAN');
  });
});
