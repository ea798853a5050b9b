import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from '@nguon/shared';
import { startSeededSubgraph, type TestDatabase } from '@nguon/shared/testing';
import { traceSubgraph } from '../src/server';
import { at, capture, cityOfficer, ok, org, type Subgraph } from './helpers';

/*
 * Lot.origin and Lot.item (issue 15): the journey a consumer page shows
 * upstream of a lot, and the counterfeit check of one serial.
 */

let db: TestDatabase;
let subgraph: Subgraph;
let stop = async () => {};
beforeAll(async () => {
  ({ db, subgraph, stop } = await startSeededSubgraph(traceSubgraph(), inject('seededTemplate')));
});
afterAll(() => stop());

const farmA = org('htx_lua_thoi_thuan');
const farmB = org('htx_lua_tan_loc');
const hiddenFarm = org('htx_lua_thanh_an');
const mill = org('ct_luong_thuc_thot_not');

interface LotSpec {
  owner: { id: string };
  code: string;
  status?: string;
  areaId?: string | null;
  season?: string | null;
  producedOn?: string | null;
  productId?: string;
}

/** A lot written directly: genealogy edges below are the subject here, not lot creation (tested elsewhere). */
async function lotRow(spec: LotSpec) {
  const id = randomUUID();
  const productId = spec.productId ?? randomUUID();
  await db.connection.rows(sql`insert into trace.lots (id, lot_code, product_id, owner_id, season, quantity, unit, produced_on, status, production_area_id)
    values (${id}, ${spec.code}, ${productId}, ${spec.owner.id}, ${spec.season ?? null}, 1000, 'KGM', ${spec.producedOn ?? null},
            ${spec.status ?? 'PUBLISHED'}, ${spec.areaId ?? null})`);
  return { id, productId, code: spec.code, ownerId: spec.owner.id };
}

async function edge(parent: string, child: string, kind: 'TRANSFORMATION' | 'AGGREGATION') {
  await db.connection.rows(
    sql`insert into trace.lot_edges (parent_lot_id, child_lot_id, event_id, kind) values (${parent}, ${child}, ${randomUUID()}, ${kind})`,
  );
}

const ORIGIN = `query($id: ID!, $depth: Int) {
  lot(id: $id) {
    origin(maxDepth: $depth) {
      depth relation disclosed lotCode season producedOn
      product { id } producer { id } productionArea { id }
      steps(lang: "vi") { bizStepLabel }
    }
  }
}`;

describe('Lot.origin', () => {
  const areaA = randomUUID();
  const areaB = randomUUID();
  let chain: Record<'a' | 'b' | 'hidden' | 'rice' | 'pack' | 'pallet', Awaited<ReturnType<typeof lotRow>>>;

  beforeAll(async () => {
    const suffix = randomUUID().slice(0, 6).toUpperCase();
    chain = {
      a: await lotRow({ owner: farmA, code: `A-${suffix}`, areaId: areaA, season: 'Đông Xuân 2025-2026', producedOn: '2026-02-10' }),
      b: await lotRow({ owner: farmB, code: `B-${suffix}`, areaId: areaB, season: 'Đông Xuân 2025-2026', producedOn: '2026-02-12' }),
      hidden: await lotRow({ owner: hiddenFarm, code: `SECRET-${suffix}`, status: 'DRAFT', areaId: randomUUID(), season: 'Hè Thu 2026' }),
      rice: await lotRow({ owner: mill, code: `XAT-${suffix}`, producedOn: '2026-03-18' }),
      pack: await lotRow({ owner: mill, code: `GOI-${suffix}`, producedOn: '2026-03-20' }),
      pallet: await lotRow({ owner: mill, code: `PAL-${suffix}`, producedOn: '2026-03-21' }),
    };
    for (const farm of [chain.a, chain.b, chain.hidden]) await edge(farm.id, chain.rice.id, 'TRANSFORMATION');
    await edge(chain.rice.id, chain.pack.id, 'TRANSFORMATION');
    await edge(chain.pack.id, chain.pallet.id, 'AGGREGATION');
    // The farms' own harvests, captured for real: the stages' steps are their timelines.
    for (const [farm, lot] of [
      [farmA, chain.a],
      [farmB, chain.b],
    ] as const) {
      await capture(subgraph, farm, [
        {
          type: 'OBJECT_EVENT',
          action: 'ADD',
          eventTime: at(),
          bizStep: 'harvesting',
          disposition: 'active',
          quantities: [{ lotId: lot.id, quantity: 1000, unit: 'KGM' }],
        },
      ]);
    }
  });

  it('names both farms and their areas upstream of a pack, nearest first, with the pallet it travelled in', async () => {
    const data = await ok(subgraph, ORIGIN, { id: chain.pack.id }, { kind: 'anonymous', requestId: 't' });
    const origin = data.lot.origin;
    expect(origin.map((s: { depth: number; relation: string }) => [s.depth, s.relation])).toEqual([
      [1, 'CONTAINER'],
      [1, 'INPUT'],
      [2, 'INPUT'],
      [2, 'INPUT'],
      [2, 'INPUT'],
    ]);
    expect(origin[0]).toMatchObject({ disclosed: true, lotCode: chain.pallet.code, producer: { id: mill.id } });
    expect(origin[1]).toMatchObject({ disclosed: true, lotCode: chain.rice.code, producer: { id: mill.id }, productionArea: null });
    const farms = origin.filter((s: { depth: number; disclosed: boolean }) => s.depth === 2 && s.disclosed);
    expect(farms).toEqual(
      expect.arrayContaining([
        {
          depth: 2,
          relation: 'INPUT',
          disclosed: true,
          lotCode: chain.a.code,
          season: 'Đông Xuân 2025-2026',
          producedOn: '2026-02-10',
          product: { id: chain.a.productId },
          producer: { id: farmA.id },
          productionArea: { id: areaA },
          steps: [{ bizStepLabel: 'Thu hoạch' }],
        },
        expect.objectContaining({ lotCode: chain.b.code, producer: { id: farmB.id }, productionArea: { id: areaB }, steps: [{ bizStepLabel: 'Thu hoạch' }] }),
      ]),
    );
    expect(farms).toHaveLength(2);
    // The newer harvest first among equals.
    expect(farms[0].lotCode).toBe(chain.b.code);
  });

  it('shows a draft upstream lot as not disclosed, and nothing of it leaks', async () => {
    const data = await ok(subgraph, ORIGIN, { id: chain.pack.id }, { kind: 'anonymous', requestId: 't' });
    const hidden = data.lot.origin.filter((s: { disclosed: boolean }) => !s.disclosed);
    expect(hidden).toEqual([
      {
        depth: 2,
        relation: 'INPUT',
        disclosed: false,
        lotCode: null,
        season: null,
        producedOn: null,
        product: null,
        producer: null,
        productionArea: null,
        steps: [],
      },
    ]);
    const json = JSON.stringify(data);
    for (const secret of [chain.hidden.code, chain.hidden.id, chain.hidden.productId, hiddenFarm.id, 'Hè Thu 2026']) expect(json).not.toContain(secret);
    // Signed in above the hidden farm changes nothing: the origin is what the public sees.
    const officer = await ok(subgraph, ORIGIN, { id: chain.pack.id }, cityOfficer);
    expect(JSON.stringify(officer)).not.toContain(chain.hidden.code);
  });

  it("lists the journey's parties and places once each, for one look-up per service, and nothing of a draft stage", async () => {
    const JOURNEY = `query($id: ID!) { lot(id: $id) {
      journeyOrganizations { id } journeyAreas { id }
      origin { producerId productionAreaId disclosed steps { organizationId } }
    } }`;
    const data = await ok(subgraph, JOURNEY, { id: chain.pack.id }, { kind: 'anonymous', requestId: 't' });
    const parties = data.lot.journeyOrganizations.map((o: { id: string }) => o.id);
    expect(new Set(parties).size).toBe(parties.length);
    expect(parties).toEqual(expect.arrayContaining([mill.id, farmA.id, farmB.id]));
    expect(parties).not.toContain(hiddenFarm.id);
    expect(data.lot.journeyAreas.map((a: { id: string }) => a.id).sort()).toEqual([areaA, areaB].sort());
    // Every id the stages carry is one the lists name.
    for (const stage of data.lot.origin) {
      if (stage.disclosed) expect(parties).toContain(stage.producerId);
      for (const step of stage.steps) expect(parties).toContain(step.organizationId);
      if (!stage.disclosed) expect(stage).toEqual({ producerId: null, productionAreaId: null, disclosed: false, steps: [] });
    }
  });

  it('gives a pallet its contents and an item lot its container; maxDepth bounds the walk', async () => {
    const pallet = await ok(subgraph, ORIGIN, { id: chain.pallet.id, depth: 1 }, { kind: 'anonymous', requestId: 't' });
    expect(pallet.lot.origin.map((s: { relation: string; lotCode: string }) => [s.relation, s.lotCode])).toEqual([['CONTENT', chain.pack.code]]);
    const farm = await ok(subgraph, ORIGIN, { id: chain.a.id }, { kind: 'anonymous', requestId: 't' });
    expect(farm.lot.origin).toEqual([]);
    const tooDeep = await subgraph.request(ORIGIN, { id: chain.pack.id, depth: 21 });
    expect(tooDeep.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('ends a cycle in bad data', async () => {
    const x = await lotRow({ owner: mill, code: `CYC-X-${randomUUID().slice(0, 4)}` });
    const y = await lotRow({ owner: mill, code: `CYC-Y-${randomUUID().slice(0, 4)}` });
    await edge(x.id, y.id, 'TRANSFORMATION');
    await edge(y.id, x.id, 'TRANSFORMATION');
    await edge(y.id, x.id, 'AGGREGATION');
    const data = await ok(subgraph, ORIGIN, { id: x.id, depth: 20 }, { kind: 'anonymous', requestId: 't' });
    expect(data.lot.origin.map((s: { lotCode: string; depth: number }) => [s.depth, s.lotCode])).toEqual([[1, y.code]]);
  });
});

const ITEM = `query($id: ID!, $serial: String!) { lot(id: $id) { item(serial: $serial) { serial state reasonCode vi: reason(lang: "vi") en: reason(lang: "en") } } }`;

describe('Lot.item', () => {
  let serialised: Awaited<ReturnType<typeof lotRow>>;
  let plain: Awaited<ReturnType<typeof lotRow>>;
  beforeAll(async () => {
    serialised = await lotRow({ owner: mill, code: `SER-${randomUUID().slice(0, 6)}` });
    // Another lot of the same product issued the product's serials: the product is serialised.
    const sibling = await lotRow({ owner: mill, code: `SER2-${randomUUID().slice(0, 6)}`, productId: serialised.productId });
    plain = await lotRow({ owner: mill, code: `PLN-${randomUUID().slice(0, 6)}` });
    await db.connection.rows(sql`insert into trace.serial_items (lot_id, serial, flagged_at, flag_reason) values
      (${serialised.id}, '1', null, null),
      (${serialised.id}, '2', now(), 'scanned more than 30 times in a day'),
      (${serialised.id}, '3', now(), 'scanned 1200 km apart within 5 minutes'),
      (${sibling.id}, '100', null, null),
      (${plain.id}, '777', now(), 'serial never issued for this lot')`);
  });

  const check = async (lotId: string, serial: string) => (await ok(subgraph, ITEM, { id: lotId, serial }, { kind: 'anonymous', requestId: 't' })).lot.item;

  it('answers ISSUED, FLAGGED with a stable reason, and NOT_ISSUED', async () => {
    expect(await check(serialised.id, '1')).toEqual({ serial: '1', state: 'ISSUED', reasonCode: null, vi: null, en: null });
    expect(await check(serialised.id, '2')).toMatchObject({
      state: 'FLAGGED',
      reasonCode: 'SCANNED_TOO_OFTEN',
      en: 'This code was scanned too many times in one day.',
    });
    expect(await check(serialised.id, '3')).toMatchObject({ state: 'FLAGGED', reasonCode: 'SCANNED_FAR_APART', vi: expect.stringMatching(/quá xa nhau/) });
    // Issued for the sibling lot, not for this one.
    expect(await check(serialised.id, '100')).toMatchObject({ state: 'NOT_ISSUED', reasonCode: 'NOT_ISSUED' });
    expect(await check(serialised.id, '4')).toMatchObject({
      state: 'NOT_ISSUED',
      reasonCode: 'NOT_ISSUED',
      vi: expect.stringMatching(/không được nhà sản xuất cấp/),
    });
  });

  it('does not call a package of a product without serials a counterfeit', async () => {
    // '777' was scanned once and flagged as never issued, but the product issues no serials at all.
    expect(await check(plain.id, '777')).toMatchObject({ state: 'ISSUED', reasonCode: 'NOT_SERIALISED' });
    expect(await check(plain.id, '1')).toMatchObject({ state: 'ISSUED', reasonCode: 'NOT_SERIALISED' });
  });

  it('has LOCKED in its vocabulary (lockSerials sets it: test/serial-locks.test.ts)', async () => {
    const { body } = await subgraph.request('{ __type(name: "ItemState") { enumValues { name } } }');
    expect(body.data.__type.enumValues.map((v: { name: string }) => v.name)).toEqual(['ISSUED', 'NOT_ISSUED', 'LOCKED', 'FLAGGED']);
  });

  it('gives suspicious items a stable reason code and label beside the stored reason', async () => {
    const data = await ok(
      subgraph,
      `query($id: ID!) { lot(id: $id) { suspiciousItems { serial reason reasonCode reasonLabel(lang: "en") } } }`,
      { id: serialised.id },
      cityOfficer,
    );
    expect(data.lot.suspiciousItems).toEqual([
      expect.objectContaining({ serial: '2', reason: 'scanned more than 30 times in a day', reasonCode: 'SCANNED_TOO_OFTEN' }),
      expect.objectContaining({ serial: '3', reasonCode: 'SCANNED_FAR_APART', reasonLabel: expect.stringMatching(/too far apart/) }),
    ]);
  });
});

describe('scan counting', () => {
  const SCAN = `mutation($input: RecordScanInput!) { recordScan(input: $input) { recorded scanId } }`;
  const count = async (lotId: string) =>
    (
      await db.connection.rows<{ n: number; placed: number }>(
        sql`select count(*)::int as n, count(lat)::int as placed from trace.scans where lot_id = ${lotId}`,
      )
    )[0]!;

  it('counts the page beacon once when the reader then shares their area', async () => {
    const lot = await lotRow({ owner: mill, code: `SCN-${randomUUID().slice(0, 6)}` });
    const anonymous = { kind: 'anonymous' as const, requestId: 't' };
    const first = await ok(subgraph, SCAN, { input: { lotId: lot.id, lang: 'vi' } }, anonymous);
    const scanId = first.recordScan.scanId as string;
    await ok(subgraph, SCAN, { input: { lotId: lot.id, lang: 'vi', latitude: 10.03, longitude: 105.78, scanId } }, anonymous);
    expect(await count(lot.id)).toEqual({ n: 1, placed: 1 });
    // Another reader's page is another scan; a second share with nothing placeless left counts too.
    await ok(subgraph, SCAN, { input: { lotId: lot.id, lang: 'vi' } }, anonymous);
    await ok(subgraph, SCAN, { input: { lotId: lot.id, lang: 'en' } }, anonymous);
    expect(await count(lot.id)).toEqual({ n: 3, placed: 1 });
  });

  it("never places another reader's scan: a place without the scan's id is a scan of its own", async () => {
    const lot = await lotRow({ owner: mill, code: `SCN-${randomUUID().slice(0, 6)}` });
    const other = await lotRow({ owner: mill, code: `SCN-${randomUUID().slice(0, 6)}` });
    const anonymous = { kind: 'anonymous' as const, requestId: 't' };
    const shopper = await ok(subgraph, SCAN, { input: { lotId: lot.id, lang: 'vi' } }, anonymous);
    // Someone else sends a far-away place right after: without the id, or with the id on another lot.
    await ok(subgraph, SCAN, { input: { lotId: lot.id, lang: 'vi', latitude: 21.03, longitude: 105.85 } }, anonymous);
    await ok(subgraph, SCAN, { input: { lotId: other.id, lang: 'vi', latitude: 21.03, longitude: 105.85, scanId: shopper.recordScan.scanId } }, anonymous);
    const [row] = await db.connection.rows<{ lat: string | null }>(sql`select lat from trace.scans where id = ${shopper.recordScan.scanId}::uuid`);
    expect(row!.lat).toBeNull();
    expect(await count(lot.id)).toEqual({ n: 2, placed: 1 });
  });
});
