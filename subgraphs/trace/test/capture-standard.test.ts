import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql, withCheckDigit } from '@nguon/shared';
import { canonicalEventHash, toEpcUrn } from '@nguon/gs1/epc';
import { startSeededSubgraph, type SeededSubgraph, type TestDatabase } from '@nguon/shared/testing';
import { traceSubgraph } from '../src/server';
import { hashMatches } from '../src/epcis/event';
import type { EventBody } from '../src/models';
import { at, lot, org, staffOf, useCatalog, type Subgraph } from './helpers';

/*
 * Capture as the EPCIS 2.0 standard has it (issue 19): classes without a
 * lot, parties by GLN, user vocabularies and extensions kept, the sender's
 * eventID kept when its content deduplicates, and the CBV 2.0 event hash over
 * standard identifiers only — the same on two installations.
 */

let one: SeededSubgraph;
let db: TestDatabase;
let subgraph: Subgraph;

const farm = org('htx_lua_thoi_thuan');
const mill = org('ct_luong_thuc_thot_not');
const store = org('st_mekong_xanh_ninh_kieu');

beforeAll(async () => {
  one = await startSeededSubgraph(traceSubgraph(), inject('seededTemplate'));
  ({ db, subgraph } = one);
  useCatalog(db);
});
afterAll(() => one.stop());

/** A fresh GLN or GTIN body of `digits` digits under a prefix no demo data uses, with its check digit. */
const key = (digits: number) => withCheckDigit(`958${String(Math.floor(Math.random() * 10 ** (digits - 4))).padStart(digits - 4, '0')}`);
const freshGln = () => key(13);
const freshGtin = () => `0${key(13)}`;

async function setGln(d: TestDatabase, organization: { id: string }, gln: string | null) {
  await d.connection.rows(sql`update tenants.organizations set gln = ${gln} where id = ${organization.id}::uuid`);
}

/** A published product of `owner` with a GTIN, written into catalog directly; its id. */
async function productWithGtin(d: TestDatabase, owner: { id: string }, gtin: string): Promise<string> {
  const id = randomUUID();
  await d.connection.rows(sql`insert into catalog.products (id, owner_id, internal_code, category, name, status, gtin)
    values (${id}, ${owner.id}, ${`T-${id}`}, (select code from catalog.categories order by code limit 1), '{"vi":"Gạo thử"}'::jsonb, 'PUBLISHED', ${gtin})`);
  return id;
}

const EVENT = `id eventID eventHash bizStep disposition readPoint
  quantities { lotId epcClass quantity unit }
  sourceParties { type id organization { id } } destinationParties { type id organization { id } }
  bizTransactions { type id } errorDeclaration { correctedEventID correctiveEventIDs reason } extensions`;
const CAPTURE_FULL = `mutation($input: CaptureEventsInput!) { captureEvents(input: $input) { createdCount duplicateCount events { ${EVENT} } } }`;

async function captureAs(s: Subgraph, by: { id: string; path: string }, events: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  return (await s.request(CAPTURE_FULL, { input: { organizationId: by.id, events, ...extra } }, staffOf(by))).body;
}
async function captured(s: Subgraph, by: { id: string; path: string }, events: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  const body = await captureAs(s, by, events, extra);
  expect(body.errors).toBeUndefined();
  return body.data.captureEvents as { createdCount: number; duplicateCount: number; events: any[] };
}

const counts = async (d: TestDatabase = db) => {
  const [row] = await d.connection.rows<{ events: number; lots: number; custody: number; aliases: number }>(sql`
    select (select count(*)::int from trace.events) as events, (select count(*)::int from trace.event_lots) as lots,
           (select count(*)::int from trace.custody) as custody, (select count(*)::int from trace.event_aliases) as aliases`);
  return row!;
};

/** Refused with this code at this field, and nothing written. */
async function refused(by: { id: string; path: string }, events: Record<string, unknown>[], code: string, field: string, extra: Record<string, unknown> = {}) {
  const before = await counts();
  const body = await captureAs(subgraph, by, events, extra);
  expect(body.errors?.[0]?.extensions).toMatchObject({ code, field: field.split('.') });
  expect(await counts()).toEqual(before);
  return body.errors![0]!;
}

const observe = (quantities: Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({
  type: 'OBJECT_EVENT',
  action: 'OBSERVE',
  eventTime: at(),
  bizStep: 'inspecting',
  disposition: 'conformant',
  quantities,
  ...extra,
});

describe('the standard event hash', () => {
  it('hashes the same event captured on two installations alike, over the LGTIN and PGLNs, whatever the lot ids', async () => {
    const two = await startSeededSubgraph(traceSubgraph(), inject('seededTemplate'));
    try {
      const [gtin, farmGln, millGln, lotCode] = [freshGtin(), freshGln(), freshGln(), `H${randomUUID().slice(0, 6).toUpperCase()}`];
      const eventTime = at();
      const hashes: string[] = [];
      const lotIds: string[] = [];
      for (const installation of [one, two]) {
        await setGln(installation.db, farm, farmGln);
        await setGln(installation.db, mill, millGln);
        const paddy = await lot(installation.subgraph, farm, lotCode, await productWithGtin(installation.db, farm, gtin));
        lotIds.push(paddy);
        const { events } = await captured(installation.subgraph, farm, [
          {
            type: 'OBJECT_EVENT',
            action: 'OBSERVE',
            eventTime,
            bizStep: 'shipping',
            disposition: 'in_transit',
            quantities: [{ lotId: paddy, quantity: 500, unit: 'KGM' }],
            sourceParties: [{ type: 'owning_party', organizationId: farm.id }],
            destinationParties: [{ type: 'owning_party', organizationId: mill.id }],
            bizTransactions: [{ type: 'desadv', id: 'urn:epcglobal:cbv:bt:8935123000011:DA-1' }],
          },
        ]);
        hashes.push(events[0].eventHash);
        expect(events[0].quantities[0].epcClass).toBe(`https://id.gs1.org/01/${gtin}/10/${lotCode}`);
        expect(events[0].sourceParties[0].id).toBe(`https://id.gs1.org/417/${farmGln}`);
      }
      expect(lotIds[0]).not.toBe(lotIds[1]);
      expect(hashes[0]).toBe(hashes[1]);
      // It is the CBV 2.0 hash of the event in standard identifiers only.
      const standard = {
        type: 'ObjectEvent',
        eventTime,
        eventTimeZoneOffset: '+07:00',
        action: 'OBSERVE',
        bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping',
        disposition: 'https://ref.gs1.org/cbv/Disp-in_transit',
        quantityList: [{ epcClass: `https://id.gs1.org/01/${gtin}/10/${lotCode}`, quantity: 500, uom: 'KGM' }],
        sourceList: [{ type: 'https://ref.gs1.org/cbv/SDT-owning_party', source: `https://id.gs1.org/417/${farmGln}` }],
        destinationList: [{ type: 'https://ref.gs1.org/cbv/SDT-owning_party', destination: `https://id.gs1.org/417/${millGln}` }],
        bizTransactionList: [{ type: 'https://ref.gs1.org/cbv/BTT-desadv', bizTransaction: 'urn:epcglobal:cbv:bt:8935123000011:DA-1' }],
      };
      expect(hashes[0]).toBe(canonicalEventHash(standard));
    } finally {
      await setGln(db, farm, null);
      await setGln(db, mill, null);
      await two.stop();
    }
  });

  it('still verifies events stored under the hashes of earlier releases, and only while their content is unchanged', () => {
    // Bodies and hashes as the second release (internal ids) and the first (sorted JSON) wrote them.
    const L = '0190c7d6-1234-7abc-8def-0123456789ab';
    const O = '0190c7d6-1234-7abc-8def-0123456789ac';
    const shipped: EventBody = {
      type: 'OBJECT_EVENT',
      action: 'OBSERVE',
      eventTime: '2026-01-01T07:00:00+07:00',
      eventTimeZoneOffset: '+07:00',
      bizStep: 'shipping',
      disposition: 'in_transit',
      quantityList: [{ lotId: L, quantity: 5, unit: 'KGM' }],
      sourceList: [{ type: 'owning_party', organizationId: O }],
      destinationList: [{ type: 'owning_party', organizationId: L }],
      bizTransactionList: [{ type: 'desadv', id: 'DA-1' }],
      readPoint: 'urn:epc:id:sgln:0614141.00777.0',
      extensions: { 'ex:foo': 'bar' },
    };
    const packed: EventBody = {
      type: 'AGGREGATION_EVENT',
      action: 'ADD',
      eventTime: '2026-01-01T07:00:00.123+07:00',
      eventTimeZoneOffset: '+07:00',
      parentLotId: O,
      quantityList: [{ lotId: L, quantity: null, unit: null }],
      epcList: ['https://id.gs1.org/00/106141412345678908'],
      sensorElementList: [{ sensorReport: [{ type: 'gs1:Temperature', value: 3 }] }],
    };
    expect(hashMatches(shipped, 'ni:///sha-256;14e2841a1172adfacfdd052f50c86890e33cdff01206d9b8488c9e3c9edab71d?ver=CBV2.0')).toBe(true);
    expect(hashMatches(shipped, 'ni:///sha-256;9f07258c65a9c5b310a1813aa6af662252f28292aadea87650bc52f1f89eaeca?ver=CBV2.0')).toBe(true);
    expect(hashMatches(packed, 'ni:///sha-256;5229d5654c307b1b5f00f7e1daf1c90a7d1fe44251a88ce1d546a8797e0d158d?ver=CBV2.0')).toBe(true);
    expect(hashMatches({ ...packed, action: 'DELETE' }, 'ni:///sha-256;5229d5654c307b1b5f00f7e1daf1c90a7d1fe44251a88ce1d546a8797e0d158d?ver=CBV2.0')).toBe(
      false,
    );
  });
});

describe('classes, parties and vocabularies as EPCIS 2.0 has them', () => {
  it('keeps a class that is none of our lots in the event only, and turns an LGTIN of one of ours into that lot under its write authority', async () => {
    const gtin = freshGtin();
    const code = `C${randomUUID().slice(0, 6).toUpperCase()}`;
    const own = await lot(subgraph, farm, code, await productWithGtin(db, farm, gtin));
    const theirsGtin = freshGtin();
    const theirs = await lot(subgraph, mill, code, await productWithGtin(db, mill, theirsGtin));
    const lgtin = (g: string, c: string) => toEpcUrn({ kind: 'lgtin', gtin: g, lot: c });

    const { events } = await captured(subgraph, farm, [
      observe([
        { epcClass: `https://id.gs1.org/01/${gtin}`, quantity: 3, unit: 'KGM' },
        { epcClass: lgtin(gtin, code), quantity: 4, unit: 'KGM' },
        { epcClass: lgtin(gtin, 'NOT-HERE'), quantity: 5 },
      ]),
    ]);
    expect(events[0].quantities).toEqual([
      { lotId: null, epcClass: `https://id.gs1.org/01/${gtin}`, quantity: 3, unit: 'KGM' },
      { lotId: own, epcClass: `https://id.gs1.org/01/${gtin}/10/${code}`, quantity: 4, unit: 'KGM' },
      { lotId: null, epcClass: `https://id.gs1.org/01/${gtin}/10/NOT-HERE`, quantity: 5, unit: null },
    ]);
    const rows = await db.connection.rows<{ lot_id: string }>(sql`select lot_id from trace.event_lots where event_id = ${events[0].id}::uuid`);
    expect(rows.map((r) => r.lot_id)).toEqual([own]);

    // Spelt as a class, another organization's lot is still that lot: the farm may not commission it.
    await refused(
      farm,
      [{ type: 'OBJECT_EVENT', action: 'ADD', eventTime: at(), bizStep: 'commissioning', quantities: [{ epcClass: lgtin(theirsGtin, code), quantity: 1 }] }],
      'NOT_OWNER',
      'input.events.0.quantities.0.lotId',
    );
    await refused(farm, [observe([{ lotId: own, epcClass: lgtin(gtin, code) }])], 'BAD_USER_INPUT', 'input.events.0.quantities.0.lotId');
    expect(theirs).not.toBe(own);
  });

  it('names every missing lot of a batch at once', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const error = await refused(farm, [observe([{ lotId: a }]), observe([{ lotId: b }])], 'BAD_USER_INPUT', 'input.events.0.quantities.0.lotId');
    expect(error.message).toContain(a);
    expect(error.message).toContain(b);
  });

  it('matches parties given by GLN to our organizations for custody and authority, keeps unknown ones, and refuses them all by name when strict', async () => {
    const [farmGln, millGln, stranger, other] = [freshGln(), freshGln(), freshGln(), freshGln()];
    await setGln(db, farm, farmGln);
    await setGln(db, mill, millGln);
    try {
      const paddy = await lot(subgraph, farm, `G${randomUUID().slice(0, 6).toUpperCase()}`);
      const ship = (source: string, destination: string, extra: Record<string, unknown>[] = []) => ({
        type: 'OBJECT_EVENT',
        action: 'OBSERVE',
        eventTime: at(),
        bizStep: 'shipping',
        disposition: 'in_transit',
        quantities: [{ lotId: paddy, quantity: 100, unit: 'KGM' }],
        sourceParties: [{ type: 'owning_party', id: source }],
        destinationParties: [{ type: 'https://ref.gs1.org/cbv/SDT-owning_party', id: destination }, ...extra],
      });
      const pgln = (gln: string) => toEpcUrn({ kind: 'pgln', gln });
      const sgln = (gln: string) => toEpcUrn({ kind: 'sgln', gln, extension: '0' });

      // Shipping on another's behalf is refused whether the source is given by id or by GLN.
      await refused(farm, [ship(pgln(millGln), farmGln)], 'FORBIDDEN', 'input.events.0.sourceParties.0.id');
      const strict = await refused(
        farm,
        [ship(pgln(farmGln), pgln(millGln), [{ type: 'location', id: sgln(stranger) }]), ship(pgln(farmGln), `https://id.gs1.org/417/${other}`)],
        'UNKNOWN_PARTY',
        'input.events.0.destinationParties.1.id',
        { strictParties: true },
      );
      expect(strict.extensions!.parties).toEqual([`https://id.gs1.org/414/${stranger}`, `https://id.gs1.org/417/${other}`]);
      expect(strict.message).toContain(stranger);
      expect(strict.message).toContain(other);

      const { events } = await captured(subgraph, farm, [ship(pgln(farmGln), pgln(millGln), [{ type: 'location', id: sgln(stranger) }])]);
      expect(events[0].sourceParties).toEqual([{ type: 'owning_party', id: `https://id.gs1.org/417/${farmGln}`, organization: { id: farm.id } }]);
      expect(events[0].destinationParties).toEqual([
        { type: 'owning_party', id: `https://id.gs1.org/417/${millGln}`, organization: { id: mill.id } },
        { type: 'location', id: `https://id.gs1.org/414/${stranger}`, organization: null },
      ]);
      // The mill, matched by its GLN, received custody: it may now receive the lot; a store may not.
      const [hop] = await db.connection.rows<{ to_org_id: string }>(sql`select to_org_id from trace.custody where event_id = ${events[0].id}::uuid`);
      expect(hop!.to_org_id).toBe(mill.id);
      const receive = { ...ship(pgln(farmGln), pgln(millGln)), bizStep: 'receiving', disposition: 'in_progress' };
      expect((await captured(subgraph, mill, [receive])).createdCount).toBe(1);
      await refused(
        store,
        [{ ...receive, destinationParties: [{ type: 'owning_party', organizationId: store.id }] }],
        'NOT_CUSTODIAN',
        'input.events.0.quantities.0.lotId',
      );
    } finally {
      await setGln(db, farm, null);
      await setGln(db, mill, null);
    }
  });

  it('keeps user vocabularies, any read point URI and extensions with their @context as sent, and refuses a bare word outside CBV', async () => {
    const paddy = await lot(subgraph, farm, `V${randomUUID().slice(0, 6).toUpperCase()}`);
    const extensions = {
      '@context': [{ ex: 'https://ns.example.com/epcis/' }],
      'ex:moisture': { '@value': '14.2', unit: '%' },
      persistentDisposition: { set: ['https://ref.gs1.org/cbv/Disp-completeness_verified'] },
    };
    const { events } = await captured(subgraph, farm, [
      observe([{ lotId: paddy, quantity: 1, unit: 'KGM' }], {
        bizStep: 'https://ns.example.com/voc/BizStep-drying',
        disposition: 'urn:epcglobal:cbv:disp:in_progress',
        readPoint: 'geo:10.0452,105.7469',
        bizTransactions: [{ type: 'https://ns.example.com/voc/BTT-contract', id: 'urn:example:contract:7' }, { id: 'urn:example:po:8' }],
        extensions,
      }),
    ]);
    expect(events[0]).toMatchObject({
      bizStep: 'https://ns.example.com/voc/BizStep-drying',
      disposition: 'in_progress',
      readPoint: 'geo:10.0452,105.7469',
      bizTransactions: [
        { type: 'https://ns.example.com/voc/BTT-contract', id: 'urn:example:contract:7' },
        { type: null, id: 'urn:example:po:8' },
      ],
      extensions,
    });
    for (const [event, field] of [
      [observe([{ lotId: paddy }], { bizStep: 'drying' }), 'bizStep'],
      [observe([{ lotId: paddy }], { disposition: 'wet' }), 'disposition'],
      [observe([{ lotId: paddy }], { bizTransactions: [{ type: 'contract', id: 'x' }] }), 'bizTransactions.0.type'],
      [observe([{ lotId: paddy }], { sourceParties: [{ type: 'seller', organizationId: farm.id }] }), 'sourceParties.0.type'],
      [observe([{ lotId: paddy }], { readPoint: 'warehouse 3' }), 'readPoint'],
    ] as const)
      await refused(farm, [event], 'BAD_USER_INPUT', `input.events.0.${field}`);
  });

  it('captures an object event carrying only sensor data at a read point, and an error declaration naming no event or one held elsewhere', async () => {
    const paddy = await lot(subgraph, farm, `S${randomUUID().slice(0, 6).toUpperCase()}`);
    const sensors = [{ sensorReport: [{ type: 'gs1:Temperature', value: 31.5, uom: 'CEL' }] }];
    const sensorOnly = { type: 'OBJECT_EVENT', action: 'OBSERVE', eventTime: at(), sensorReadings: sensors };
    expect((await captured(subgraph, farm, [{ ...sensorOnly, readPoint: 'geo:10.0452,105.7469' }])).createdCount).toBe(1);
    await refused(farm, [sensorOnly], 'BAD_USER_INPUT', 'input.events.0.quantities');

    const elsewhere = `urn:uuid:${randomUUID()}`;
    const { events } = await captured(subgraph, farm, [
      observe([{ lotId: paddy, quantity: 2 }], { errorDeclaration: { declarationTime: at(), reason: 'https://ref.gs1.org/cbv/ER-did_not_occur' } }),
      observe([{ lotId: paddy, quantity: 3 }], {
        errorDeclaration: { declarationTime: at(), correctedEventID: elsewhere, correctiveEventIDs: [`urn:uuid:${randomUUID()}`] },
      }),
    ]);
    expect(events[0].errorDeclaration).toEqual({ correctedEventID: null, correctiveEventIDs: [], reason: 'did_not_occur' });
    expect(events[1].errorDeclaration).toMatchObject({ correctedEventID: elsewhere, reason: null });
    expect(events[1].errorDeclaration.correctiveEventIDs).toHaveLength(1);
  });
});

describe('the sender’s eventID', () => {
  it('is kept as an alias when its content deduplicates against an event stored under another eventID, and refused when another event has it', async () => {
    const paddy = await lot(subgraph, farm, `A${randomUUID().slice(0, 6).toUpperCase()}`);
    const content = observe([{ lotId: paddy, quantity: 9, unit: 'KGM' }]);
    const [first, second, third] = [`urn:uuid:${randomUUID()}`, `urn:uuid:${randomUUID()}`, `urn:uuid:${randomUUID()}`];
    const stored = (await captured(subgraph, farm, [{ ...content, eventID: first }])).events[0];
    const aliases = async () =>
      db.connection.rows<{ event_id: string; stored_event_id: string; organization_id: string }>(
        sql`select event_id, stored_event_id, organization_id from trace.event_aliases where stored_event_id = ${stored.id}::uuid order by event_id`,
      );

    for (let i = 0; i < 2; i++) {
      const again = await captured(subgraph, farm, [{ ...content, eventID: second }]);
      expect(again).toMatchObject({ createdCount: 0, duplicateCount: 1 });
      expect(again.events[0]).toMatchObject({ id: stored.id, eventID: first });
    }
    // Twice in one batch too: the first stores, the second is an alias of it.
    const other = observe([{ lotId: paddy, quantity: 10, unit: 'KGM' }]);
    const batch = await captured(subgraph, farm, [
      { ...other, eventID: third },
      { ...other, eventID: `urn:uuid:${randomUUID()}` },
    ]);
    expect(batch).toMatchObject({ createdCount: 1, duplicateCount: 1 });
    expect(batch.events[1].id).toBe(batch.events[0].id);
    expect(await aliases()).toEqual([{ event_id: second, stored_event_id: stored.id, organization_id: farm.id }]);

    // An eventID another stored event has (or an alias names) is not an alias: CONFLICT, nothing written.
    await refused(farm, [{ ...content, eventID: third }], 'CONFLICT', 'input.events.0.eventID');
    await refused(farm, [{ ...other, eventID: second }], 'CONFLICT', 'input.events.0.eventID');
    expect(await aliases()).toHaveLength(1);
  });
});
