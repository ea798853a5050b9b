import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { inTransaction, rowsOf, sql, stableId, type Viewer } from '@nguon/shared';
import { startSeededSubgraph, type TestDatabase, type TestSubgraph } from '@nguon/shared/testing';
import { demoOperator, demoOrgId, demoPaths } from '@nguon/demo/ids';
import { analyticsSubgraph, RollupKeeper } from '../src/server';

/**
 * Stage-aware measures on the demo rice chain (subgraphs/trace/src/seed.ts),
 * worked out by hand from the seeded lots:
 *
 *   DX26-001  Thới Thuận cooperative, paddy (harvest)   4 629 KGM  2026-02
 *   DX26-004  Tân Lộc cooperative, paddy (harvest)      5 084 KGM  2026-02
 *   DX26-089  Thốt Nốt Food Grain, export ST25 rice     7 367 KGM  2026-02
 *             registered with no recorded input: a first registration, so
 *             primary (the system knows of no harvest it was milled from)
 *   DX26-001 and DX26-004 each ship 1 000 KGM to the mill (2026-03-15).
 *   XAT-DX26-01  milled rice, TRANSFORMATION `transforming` of 2 × 1 000 KGM paddy
 *                → 1 200 KGM (2026-03-18): yield 1 200 / 2 000 = 0.6
 *   GOI-DX26-A/B packs, TRANSFORMATION `packing` of 1 000 KGM milled rice
 *                → 2 × 500 KGM (2026-03-20): yield 1 000 / 1 000 = 1
 *   Each pack ships 500 KGM to a store (2026-03-21).
 *
 * So over February–March 2026 for the three products of the chain:
 *   primary production   = 4 629 + 5 084 + 7 367 = 17 080 KGM (each kilogram
 *                          once; the old figure added the 1 200 + 1 000 KGM
 *                          made from the paddy again: 19 280)
 *   processed output     = transforming 1 200 KGM, packing 1 000 KGM
 *   shipped              = PRIMARY 2 × 1 000 = 2 000 KGM, packing 2 × 500 = 1 000 KGM
 *   sold                 = nothing recorded (no retail_selling event): no value, not 0
 *   lots                 = 6 (a lot is one registration, whatever its stage)
 */
const rollups = new RollupKeeper(60_000);
let db: TestDatabase;
let subgraph: TestSubgraph;
let stop = async () => {};

const officer = (path: string): Viewer => ({
  kind: 'user',
  requestId: 't',
  userId: `u-officer-${path}`,
  grants: [{ role: 'OFFICER', orgId: demoOrgId(path), path }],
});
/** An officer reads INTERNAL values: exact figures, no small-cell suppression. */
const CITY_OFFICER = officer('ct');
const orgOf = (slug: string) => demoOrgId(demoPaths.operator(demoOperator(slug)));
const THOI_THUAN = orgOf('htx_lua_thoi_thuan');
const TAN_LOC = orgOf('htx_lua_tan_loc');
const MILL = orgOf('ct_luong_thuc_thot_not');

/** A draft product with the largest harvest of the city: it would top the seasonality ranking with no public name. */
const DRAFT_PRODUCT = stableId('test-product', 'stages-draft');

let chainProducts: string[] = [];

beforeAll(async () => {
  ({ db, subgraph, stop } = await startSeededSubgraph(analyticsSubgraph({ rollups }), inject('seededTemplate')));
  const conn = db.connection.drizzle();
  const lots = rowsOf<{ product_id: string }>(
    await conn.execute(sql`select distinct product_id::text from trace.lots
      where (lot_code = 'DX26-001' and owner_id = ${THOI_THUAN}::uuid) or (lot_code = 'DX26-004' and owner_id = ${TAN_LOC}::uuid)
        or (lot_code = 'XAT-DX26-01' and owner_id = ${MILL}::uuid)`),
  );
  chainProducts = lots.map((l) => l.product_id);
  await inTransaction(conn, async (tx) => {
    await tx.execute(sql`insert into catalog.products (id, owner_id, internal_code, category, name, unit, status)
      values (${DRAFT_PRODUCT}::uuid, ${THOI_THUAN}::uuid, 'NG-TEST-STAGE-DRAFT', 'rice', '{"vi": "Lúa nháp"}'::jsonb, 'KGM', 'DRAFT')`);
    await tx.execute(sql`insert into trace.lots (id, lot_code, product_id, owner_id, quantity, unit, produced_on, status)
      values (${stableId('lot', 'stages-draft')}::uuid, 'DRAFT-1', ${DRAFT_PRODUCT}::uuid, ${THOI_THUAN}::uuid, '900000', 'KGM', '2025-07-10', 'PUBLISHED')`);
  });
  await rollups.refresh(conn);
});
afterAll(() => stop());

const AGGREGATE = `query($input: AggregateInput!) { aggregate(input: $input) {
  rows { values { measure value unit stage inputUnit suppressed } }
  basis { figure counts period { from to } asOf } asOf } }`;
const aggregate = async (input: Record<string, unknown>) => {
  const { body } = await subgraph.request(AGGREGATE, { input }, CITY_OFFICER);
  expect(body.errors).toBeUndefined();
  return body.data.aggregate;
};
const values = (answer: any, measure: string) =>
  answer.rows
    .flatMap((r: any) => r.values)
    .filter((v: any) => v.measure === measure)
    .map((v: any) => ({ stage: v.stage, unit: v.unit, inputUnit: v.inputUnit, value: v.value }));

const CHAIN_WINDOW = { from: '2026-02-01', to: '2026-03-31' };

describe('stage-aware measures on the demo rice chain', () => {
  it('runs on the lots worked out by hand above', async () => {
    expect(chainProducts).toHaveLength(3);
    const lots = rowsOf<{ lot_code: string; quantity: string; unit: string; month: string }>(
      await db.connection.drizzle().execute(sql`select lot_code, quantity::text, unit, to_char(produced_on, 'YYYY-MM') as month from trace.lots
        where product_id in (${sql.join(
          chainProducts.map((id) => sql`${id}::uuid`),
          sql`, `,
        )}) and produced_on between '2026-02-01' and '2026-03-31' order by lot_code`),
    );
    expect(lots.map((l) => [l.lot_code, Number(l.quantity), l.unit, l.month])).toEqual([
      ['DX26-001', 4629, 'KGM', '2026-02'],
      ['DX26-004', 5084, 'KGM', '2026-02'],
      ['DX26-089', 7367, 'KGM', '2026-02'],
      ['GOI-DX26-A', 500, 'KGM', '2026-03'],
      ['GOI-DX26-B', 500, 'KGM', '2026-03'],
      ['XAT-DX26-01', 1200, 'KGM', '2026-03'],
    ]);
  });

  it('counts the farm harvest once as primary production, not again as milled or packed rice', async () => {
    const answer = await aggregate({
      measures: ['PRODUCTION_VOLUME', 'LOT_COUNT'],
      filter: { ...CHAIN_WINDOW, productIds: chainProducts },
    });
    expect(values(answer, 'PRODUCTION_VOLUME')).toEqual([{ stage: null, unit: 'KGM', inputUnit: null, value: 4629 + 5084 + 7367 }]);
    expect(values(answer, 'LOT_COUNT')).toEqual([{ stage: null, unit: 'count', inputUnit: null, value: 6 }]);
  });

  it('reports processed output per stage, separately, with its yield', async () => {
    const answer = await aggregate({
      measures: ['PROCESSED_OUTPUT', 'PROCESSING_YIELD'],
      filter: { ...CHAIN_WINDOW, productIds: chainProducts },
    });
    expect(values(answer, 'PROCESSED_OUTPUT')).toEqual([
      { stage: 'packing', unit: 'KGM', inputUnit: null, value: 1000 },
      { stage: 'transforming', unit: 'KGM', inputUnit: null, value: 1200 },
    ]);
    expect(values(answer, 'PROCESSING_YIELD')).toEqual([
      { stage: 'packing', unit: 'ratio', inputUnit: 'KGM', value: 1 },
      { stage: 'transforming', unit: 'ratio', inputUnit: 'KGM', value: 0.6 },
    ]);
  });

  it('counts each dispatch once, by the stage of what was shipped, and gives no sales figure when none was recorded', async () => {
    const answer = await aggregate({ measures: ['SHIPPED_QUANTITY', 'SOLD_QUANTITY'] });
    expect(values(answer, 'SHIPPED_QUANTITY')).toEqual([
      { stage: 'PRIMARY', unit: 'KGM', inputUnit: null, value: 2000 },
      { stage: 'packing', unit: 'KGM', inputUnit: null, value: 1000 },
    ]);
    expect(values(answer, 'SOLD_QUANTITY')).toEqual([]);
  });

  it('credits each dispatch and each processed lot to the organization that made it', async () => {
    const { body } = await subgraph.request(
      `query($input: AggregateInput!) { aggregate(input: $input) { rows { keys { value } values { measure value unit stage } } } }`,
      {
        input: {
          measures: ['SHIPPED_QUANTITY', 'PROCESSED_OUTPUT', 'PRODUCTION_VOLUME'],
          groupBy: ['PRODUCER'],
          filter: { ...CHAIN_WINDOW, producerIds: [THOI_THUAN, TAN_LOC, MILL] },
        },
      },
      CITY_OFFICER,
    );
    expect(body.errors).toBeUndefined();
    const by = new Map<string, string[]>(
      body.data.aggregate.rows.map((r: any) => [
        r.keys[0].value,
        r.values
          .filter((v: any) => v.measure !== 'PRODUCTION_VOLUME' || v.unit === 'KGM')
          .map((v: any) => `${v.measure}/${v.stage ?? ''}/${v.unit}=${v.value}`),
      ]),
    );
    // The mill ships the two 500 KGM bags and made the milled rice and the bags; each farm ships 1 000 KGM of paddy.
    expect(by.get(MILL)).toEqual(
      expect.arrayContaining(['SHIPPED_QUANTITY/packing/KGM=1000', 'PROCESSED_OUTPUT/packing/KGM=1000', 'PROCESSED_OUTPUT/transforming/KGM=1200']),
    );
    expect(by.get(THOI_THUAN)).toContain('SHIPPED_QUANTITY/PRIMARY/KGM=1000');
    expect(by.get(TAN_LOC)).toContain('SHIPPED_QUANTITY/PRIMARY/KGM=1000');
    expect(by.get(THOI_THUAN)!.some((v) => v.startsWith('PROCESSED_OUTPUT'))).toBe(false);
  });

  it('makes the city total of primary production every lot with no upstream lot, and leaves the processed kilograms out', async () => {
    // Independent of the rollup: every approved lot in kilograms (grams and tonnes converted), less the 2 200 KGM the chain made.
    const [raw] = rowsOf<{ kg: string }>(
      await db.connection.drizzle()
        .execute(sql`select sum(case unit when 'GRM' then quantity / 1000 when 'TNE' then quantity * 1000 else quantity end)::text as kg
        from trace.lots where unit in ('KGM', 'GRM', 'TNE') and status not in ('UNDER_REVIEW', 'REJECTED')`),
    );
    const answer = await aggregate({ measures: ['PRODUCTION_VOLUME', 'PROCESSED_OUTPUT'] });
    const kg = values(answer, 'PRODUCTION_VOLUME').find((v: any) => v.unit === 'KGM');
    expect(kg.value).toBeCloseTo(Number(raw!.kg) - 2200, 6);
    const processed = values(answer, 'PROCESSED_OUTPUT').reduce((sum: number, v: any) => sum + v.value, 0);
    expect(processed).toBe(2200);
  });

  it('says what each measure counts, for which period, as of when', async () => {
    const answer = await aggregate({ measures: ['PRODUCTION_VOLUME', 'PROCESSED_OUTPUT'], filter: CHAIN_WINDOW });
    expect(answer.basis.map((b: any) => [b.figure, b.period])).toEqual([
      ['PRODUCTION_VOLUME', { from: '2026-02-01', to: '2026-03-31' }],
      ['PROCESSED_OUTPUT', { from: '2026-02-01', to: '2026-03-31' }],
    ]);
    for (const b of answer.basis) {
      expect(b.counts.length).toBeGreaterThan(20);
      expect(b.asOf).toBe(answer.asOf);
    }
  });

  it('withholds processed output and its yield from an analyst when one producer stands behind them', async () => {
    const analyst: Viewer = { kind: 'user', requestId: 't', userId: 'u-analyst-ct', grants: [{ role: 'ANALYST', orgId: demoOrgId('ct'), path: 'ct' }] };
    const { body } = await subgraph.request(
      `query($input: AggregateInput!) { aggregate(input: $input) { rows { values { measure value stage suppressed suppressionReason } } } }`,
      { input: { measures: ['PROCESSED_OUTPUT', 'PROCESSING_YIELD'] } },
      analyst,
    );
    expect(body.errors).toBeUndefined();
    const cells = body.data.aggregate.rows.flatMap((r: any) => r.values);
    // Both stages rest on the mill alone (and on one or two lots): below the default thresholds of 3.
    expect(cells).toHaveLength(4);
    for (const c of cells) expect(c).toMatchObject({ value: null, suppressed: true, suppressionReason: expect.stringMatching(/^FEW_/) });
  });

  it('refuses to order rows by a measure with one value per stage', async () => {
    const { body } = await subgraph.request(AGGREGATE, { input: { measures: ['PROCESSED_OUTPUT'], orderBy: { measure: 'PROCESSED_OUTPUT' } } }, CITY_OFFICER);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('product figures', () => {
  it("counts a product's repacked lots in its lot count but not again in its volume", async () => {
    const conn = db.connection.drizzle();
    // The mill's product: XAT-DX26-01 (1 200 KGM) and the two 500 KGM bags packed from it, beside its registered lots.
    const [mill] = rowsOf<{ product_id: string; kg: string; lots: number }>(
      await conn.execute(sql`select product_id::text, sum(quantity)::text as kg, count(*)::int as lots from trace.lots
        where product_id = (select product_id from trace.lots where lot_code = 'XAT-DX26-01' and owner_id = ${MILL}::uuid)
          and status not in ('UNDER_REVIEW', 'REJECTED')
        group by product_id`),
    );
    const { body } = await subgraph.request(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { stats { lotCount volume { value unit } } } } }`,
      { r: [{ __typename: 'Product', id: mill!.product_id }] },
      CITY_OFFICER,
    );
    expect(body.errors).toBeUndefined();
    const stats = body.data._entities[0].stats;
    expect(stats.lotCount).toBe(mill!.lots);
    expect(stats.volume).toEqual([{ value: Number(mill!.kg) - 1000, unit: 'KGM' }]);
  });
});

describe('dashboard without gaps', () => {
  const DASHBOARD = `query { dashboard(lang: "en") {
    asOf
    seasonality(first: 100) { productId name basis { figure counts period { from to } asOf } }
    topProducers(first: 3) { basis { figure period { from to } } }
    districtsWithoutTraceableProducts { code basis { figure } }
    certificateExpiries(days: 3650) { validTo basis { figure period { from to } } }
  } }`;

  it('never shows a draft product, so never a nameless row, and says what every figure counts', async () => {
    const { body } = await subgraph.request(DASHBOARD, {}, CITY_OFFICER);
    expect(body.errors).toBeUndefined();
    const d = body.data.dashboard;
    expect(d.seasonality.length).toBeGreaterThan(0);
    expect(d.seasonality.map((s: any) => s.productId)).not.toContain(DRAFT_PRODUCT);
    for (const s of d.seasonality) {
      expect(typeof s.name).toBe('string');
      expect(s.name.length).toBeGreaterThan(0);
      expect(s.basis.figure).toBe('SEASONALITY');
      expect(s.basis.counts).toMatch(/primary production/);
      expect(s.basis.period.from <= s.basis.period.to).toBe(true);
      expect(s.basis.asOf).toBe(d.asOf);
    }
    expect(d.topProducers.basis.map((b: any) => b.figure)).toEqual(['PRODUCTION_VOLUME', 'LOT_COUNT']);
    for (const c of d.certificateExpiries) {
      expect(c.basis.figure).toBe('CERTIFICATE_EXPIRIES');
      expect(c.validTo >= c.basis.period.from && c.validTo <= c.basis.period.to).toBe(true);
    }
    for (const x of d.districtsWithoutTraceableProducts) expect(x.basis.figure).toBe('DISTRICTS_WITHOUT_TRACEABLE_PRODUCTS');
  });
});
