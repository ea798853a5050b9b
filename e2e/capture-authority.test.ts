import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@nguon/shared';
import { PRODUCTS } from '@nguon/demo/cantho';
import { demoGtin, demoOperator, demoOrgId, demoPaths, demoProductId } from '@nguon/demo/ids';
import { demoEmail, startTestStack, type TestStack } from './helpers';

/**
 * Write authority over captured events (docs/write-authority.md), as
 * clients meet it: through the graph and through the EPCIS REST capture
 * routes. Each case is a hole found from the outside.
 */

let stack: TestStack;
let base: string;
beforeAll(async () => {
  stack = await startTestStack();
  base = stack.gateway.url.replace(/\/graphql$/, '');
});
afterAll(() => stack?.stop());

const operator = (slug: string) => {
  const path = demoPaths.operator(demoOperator(slug));
  return { id: demoOrgId(path), path, email: demoEmail('STAFF', path) };
};
const farmA = operator('htx_lua_thoi_thuan');
const farmB = operator('htx_lua_tan_loc');
const mill = operator('ct_luong_thuc_thot_not');
const store = operator('ch_ocop_o_mon');
const otherDepartment = operator('ct_thuc_pham_tay_do'); // industry & trade, not agriculture

interface SeedLot {
  id: string;
  gtin: string;
  lotCode: string;
}
/** A published seeded lot of the organization, and its LGTIN parts. */
async function seededLot(owner: { id: string }, skip = 0): Promise<SeedLot> {
  const rows = await stack.db.connection.rows<{ id: string; product_id: string; lot_code: string }>(
    sql`select id, product_id, lot_code from trace.lots where owner_id = ${owner.id} and status = 'PUBLISHED' order by lot_code offset ${skip} limit 1`,
  );
  const row = rows[0]!;
  const product = PRODUCTS.find((p) => demoProductId(p) === row.product_id)!;
  return { id: row.id, gtin: demoGtin(product), lotCode: row.lot_code };
}
const lgtin = (l: SeedLot) => `https://id.gs1.org/01/${l.gtin}/10/${encodeURIComponent(l.lotCode)}`;

const eventCount = async () => Number((await stack.db.connection.rows<{ n: number }>(sql`select count(*)::int as n from trace.events`))[0]!.n);

let minute = 0;
const time = () =>
  `2026-04-0${1 + Math.floor(minute / 600)}T${String(8 + Math.floor((minute % 600) / 60)).padStart(2, '0')}:${String(minute++ % 60).padStart(2, '0')}:00+07:00`;

const CAPTURE = `mutation($input: CaptureEventsInput!) { captureEvents(input: $input) { createdCount duplicateCount events { id eventID } } }`;
async function captureGraph(who: { id: string; email: string }, events: Record<string, unknown>[]) {
  return stack.gql(CAPTURE, { input: { organizationId: who.id, events } }, { token: await stack.tokenFor(who.email) });
}
async function postEvent(who: { id: string; email: string }, event: Record<string, unknown>) {
  const res = await fetch(`${base}/epcis/events?organizationId=${who.id}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await stack.tokenFor(who.email)}`, 'content-type': 'application/ld+json' },
    body: JSON.stringify({ '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'], ...event }),
  });
  return { status: res.status, type: res.headers.get('content-type'), body: res.status === 201 ? null : ((await res.json()) as any) };
}
async function postDocument(who: { id: string; email: string }, events: Record<string, unknown>[]) {
  const res = await fetch(`${base}/epcis/capture?organizationId=${who.id}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await stack.tokenFor(who.email)}`, 'content-type': 'application/ld+json' },
    body: JSON.stringify({
      '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: time(),
      epcisBody: { eventList: events },
    }),
  });
  return { status: res.status, body: res.status === 202 ? null : ((await res.json()) as any) };
}

const inspection = (l: SeedLot, quantity = 10) => ({
  type: 'ObjectEvent',
  eventTime: time(),
  eventTimeZoneOffset: '+07:00',
  action: 'OBSERVE',
  bizStep: 'inspecting',
  disposition: 'conformant',
  quantityList: [{ epcClass: lgtin(l), quantity, uom: 'KGM' }],
});
const graphInspection = (lotId: string, quantity = 10) => ({
  type: 'OBJECT_EVENT',
  action: 'OBSERVE',
  eventTime: time(),
  bizStep: 'inspecting',
  disposition: 'conformant',
  quantities: [{ lotId, quantity, unit: 'KGM' }],
});

describe('capture authority through the gateway and the EPCIS REST routes', () => {
  it('refuses a producer’s transformation into another department’s lot, so its own recall leaves that lot alone', async () => {
    const [own, theirs] = [await seededLot(farmA), await seededLot(otherDepartment)];
    const before = await eventCount();
    const viaGraph = await captureGraph(farmA, [
      {
        type: 'TRANSFORMATION_EVENT',
        eventTime: time(),
        bizStep: 'transforming',
        inputs: [{ lotId: own.id, quantity: 100, unit: 'KGM' }],
        outputs: [{ lotId: theirs.id, quantity: 80, unit: 'KGM' }],
      },
    ]);
    expect(viaGraph.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_OWNER', field: ['input', 'events', '0', 'outputs', '0', 'lotId'] });
    const viaRest = await postEvent(farmA, {
      type: 'TransformationEvent',
      eventTime: time(),
      eventTimeZoneOffset: '+07:00',
      // EPCIS documents carry CBV words or URIs: the graph's local 'transforming' is not one.
      bizStep: 'commissioning',
      inputQuantityList: [{ epcClass: lgtin(own), quantity: 100, uom: 'KGM' }],
      outputQuantityList: [{ epcClass: lgtin(theirs), quantity: 80, uom: 'KGM' }],
    });
    expect(viaRest.status).toBe(403);
    expect(viaRest.type).toBe('application/problem+json');
    expect(viaRest.body).toMatchObject({ type: 'epcisException:SecurityException', status: 403, code: 'NOT_OWNER', field: 'input.events.0.outputs.0.lotId' });
    expect(await eventCount()).toBe(before);

    const opened = await stack.gql(
      `mutation($input: OpenRecallInput!) { openRecall(input: $input) { recall { id } } }`,
      { input: { lotIds: [own.id], reason: 'Nấm mốc', severity: 'CLASS_III' } },
      { token: await stack.tokenFor(farmA.email) },
    );
    expect(opened.errors).toBeUndefined();
    const page = await stack.gql(`query($id: ID!) { lot(id: $id) { status activeRecall { reason } } }`, { id: theirs.id });
    expect(page.data.lot).toEqual({ status: 'PUBLISHED', activeRecall: null });
  });

  it('keeps a producer’s errorDeclaration on a sibling producer’s event unlinked, exactly like one on an event held elsewhere, and the sibling’s export stays clean', async () => {
    const [own, sibling] = [await seededLot(farmA, 1), await seededLot(farmB, 1)];
    const siblingEvent = `urn:uuid:${randomUUID()}`;
    expect((await captureGraph(farmB, [{ ...graphInspection(sibling.id), eventID: siblingEvent }])).errors).toBeUndefined();
    const elsewhere = `urn:uuid:${randomUUID()}`;
    const declare = (eventID: string, quantity: number) => ({
      ...inspection(own, quantity),
      eventID,
      errorDeclaration: { declarationTime: time(), reason: 'incorrect_data' },
    });
    const [a, b] = [await postEvent(farmA, declare(siblingEvent, 11)), await postEvent(farmA, declare(elsewhere, 12))];
    expect([a.status, b.status]).toEqual([201, 201]);
    const viaGraph = await captureGraph(farmA, [
      { ...graphInspection(own.id, 13), errorDeclaration: { declarationTime: time(), reason: 'incorrect_data', correctedEventID: siblingEvent } },
    ]);
    expect(viaGraph.errors).toBeUndefined();
    const timeline = await stack.gql(`query($id: ID!) { lot(id: $id) { timeline { eventID correctedBy } } }`, { id: sibling.id });
    expect(timeline.data.lot.timeline.find((t: any) => t.eventID === siblingEvent).correctedBy).toEqual([]);

    const res = await fetch(`${base}/epcis/events/${encodeURIComponent(siblingEvent)}`, {
      headers: { authorization: `Bearer ${await stack.tokenFor(farmB.email)}` },
    });
    const exported = (await res.json()) as any;
    expect(res.status).toBe(200);
    expect(JSON.stringify(exported)).not.toMatch(/errorDeclaration|correctiveEventIDs/);
  });

  it('refuses a STAFF’s inspection or destroying of another company’s lot on every route, leaving its public journey untouched', async () => {
    const lot = await seededLot(farmA, 2);
    const journey = `query($id: ID!) { lot(id: $id) { timeline { eventID bizStep } } }`;
    const before = (await stack.gql(journey, { id: lot.id })).data.lot.timeline;
    const events = await eventCount();

    const graph = await captureGraph(store, [graphInspection(lot.id)]);
    expect(graph.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_CUSTODIAN', field: ['input', 'events', '0', 'quantities', '0', 'lotId'] });
    const one = await postEvent(store, { ...inspection(lot), bizStep: 'destroying', disposition: 'destroyed' });
    expect(one.status).toBe(403);
    expect(one.body).toMatchObject({ type: 'epcisException:SecurityException', code: 'NOT_CUSTODIAN', field: 'input.events.0.quantities.0.lotId' });
    const document = await postDocument(store, [inspection(lot, 1), inspection(lot, 2)]);
    expect(document.status).toBe(403);
    expect(document.body).toMatchObject({ type: 'epcisException:SecurityException', code: 'NOT_CUSTODIAN', field: 'input.events.0.quantities.0.lotId' });

    expect(await eventCount()).toBe(events);
    expect((await stack.gql(journey, { id: lot.id })).data.lot.timeline).toEqual(before);
  });

  it('gives one CONFLICT for another organization’s eventID whether the guessed body is right or wrong, on both routes', async () => {
    const lot = await seededLot(farmA, 3);
    const eventID = `urn:uuid:${randomUUID()}`;
    const secret = { ...inspection(lot, 37), eventID };
    expect((await postEvent(farmA, secret)).status).toBe(201);
    // The mill receives the lot first, so custody does not stop its guesses before the eventID check.
    const parties = (step: string) => ({
      type: 'OBJECT_EVENT',
      action: 'OBSERVE',
      eventTime: time(),
      bizStep: step,
      quantities: [{ lotId: lot.id, quantity: 100, unit: 'KGM' }],
      sourceParties: [{ type: 'owning_party', organizationId: farmA.id }],
      destinationParties: [{ type: 'owning_party', organizationId: mill.id }],
    });
    expect((await captureGraph(farmA, [parties('shipping')])).errors).toBeUndefined();
    expect((await captureGraph(mill, [parties('receiving')])).errors).toBeUndefined();

    const events = await eventCount();
    const right = await postEvent(mill, secret);
    const wrong = await postEvent(mill, { ...secret, quantityList: [{ epcClass: lgtin(lot), quantity: 38, uom: 'KGM' }] });
    expect(right.status).toBe(409);
    expect(right.body).toEqual(wrong.body);
    expect(right.body).toMatchObject({ type: 'epcisException:ResourceAlreadyExistsException', field: 'input.events.0.eventID' });
    expect(right.body.eventID).toBeUndefined();

    const asGraph = (quantity: number) => ({ ...graphInspection(lot.id, quantity), eventTime: secret.eventTime, eventID });
    const [g1, g2] = [await captureGraph(mill, [asGraph(37)]), await captureGraph(mill, [asGraph(38)])];
    expect(g1.errors?.[0]).toMatchObject({ message: g2.errors?.[0]?.message, extensions: { code: 'CONFLICT', field: ['input', 'events', '0', 'eventID'] } });
    expect(g1.data?.captureEvents ?? null).toBeNull();
    expect(await eventCount()).toBe(events);

    // Its owner sending it again is a duplicate, as before.
    const again = await postEvent(farmA, secret);
    expect(again.status).toBe(409);
    expect(again.body.eventID).toBe(eventID);
  });
  it('hands custody over through the EPCIS REST routes when the parties are organizations of the graph, as the exports name them', async () => {
    const lot = await seededLot(farmA, 4);
    const org = (o: { id: string }) => `urn:nguon:org:${o.id}`;
    const hop = (step: string, from: { id: string }, to: { id: string }) => ({
      type: 'ObjectEvent',
      eventTime: time(),
      eventTimeZoneOffset: '+07:00',
      action: 'OBSERVE',
      bizStep: step,
      quantityList: [{ epcClass: lgtin(lot), quantity: 100, uom: 'KGM' }],
      sourceList: [{ type: 'owning_party', source: org(from) }],
      destinationList: [{ type: 'owning_party', destination: org(to) }],
    });
    const events = await eventCount();
    // No one ships on another's behalf, on this route either.
    expect(await postEvent(farmB, hop('shipping', farmB, mill))).toMatchObject({ status: 403, body: { code: 'NOT_CUSTODIAN' } });
    expect(await postEvent(farmA, hop('shipping', farmB, mill))).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN', field: 'input.events.0.sourceParties.0.organizationId' },
    });
    expect(await eventCount()).toBe(events);
    // The shipment addressed to the mill lets the mill, and only the mill, receive it.
    expect((await postEvent(farmA, hop('shipping', farmA, mill))).status).toBe(201);
    expect(await postEvent(store, hop('receiving', farmA, store))).toMatchObject({ status: 403, body: { code: 'NOT_CUSTODIAN' } });
    expect((await postEvent(mill, hop('receiving', farmA, mill))).status).toBe(201);
    expect(await eventCount()).toBe(events + 2);
    const custody = await stack.db.connection.rows<{ to_org_id: string; kind: string }>(
      sql`select to_org_id, kind from trace.custody where lot_id = ${lot.id} order by kind`,
    );
    expect(custody).toEqual([
      { to_org_id: mill.id, kind: 'RECEIVING' },
      { to_org_id: mill.id, kind: 'SHIPPING' },
    ]);
  });
});
