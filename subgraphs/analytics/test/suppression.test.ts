import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConfigError, inTransaction, rowsOf, signViewer, sql, stableId, type Viewer } from '@nguon/shared';
import { startSeededSubgraph, startTestSubgraph, TEST_GATEWAY_SECRET, type TestDatabase, type TestSubgraph } from '@nguon/shared/testing';
import { demoOrgId } from '@nguon/demo/ids';
import { analyticsSubgraph, RollupKeeper, suppressionFromEnv } from '../src/server';

/**
 * Small-cell suppression and the exclusion of lots that are not approved,
 * on a small table we know by heart: three farms under Thốt Nốt, one product
 * each, with lots in 2019 (KGM, published):
 *
 *   2019-03  farms 0, 1, 2: 100 each                 3 lots, 3 producers   300
 *   2019-05  farms 0, 1, 2: 200 each                 3 lots, 3 producers   600
 *   2019-06  farm 0: 300 + 100, farm 1: 300, farm 2: 200   4 lots, 3 producers   900
 *   2019-08  farm 1: 50                              1 lot                  50
 *   2019-10  farm 2: 10, 20, 30                      3 lots, 1 producer     60
 *
 * Lots that are not approved (UNDER_REVIEW, REJECTED) are added with huge
 * quantities: they must appear in no figure.
 *
 * Apart from those, a product of a fourth farm licensed to a fifth, in
 * 2018-11: the owner's 3 lots of 200, 250 and 250, the licensee's 1 lot of
 * 4321 (4 lots, 2 producers, 5021).
 */
const rollups = new RollupKeeper(60_000);
let db: TestDatabase;
let subgraph: TestSubgraph;
let stop = async () => {};

const DISTRICT = 'ct.agri.thot_not';
const FARMS = [0, 1, 2].map((i) => ({ id: stableId('supp-org', `farm${i}`), path: `${DISTRICT}.supp_farm${i}`, product: stableId('supp-product', `p${i}`) }));
/** A product of farm 0 whose only lots are under review or rejected. */
const UNAPPROVED_PRODUCT = stableId('supp-product', 'unapproved');
const UNDER_REVIEW_LOT = stableId('supp-lot', 'under-review');

/** A product of LICENSOR licensed to LICENSEE (catalog.product_licences), with lots of both. */
const LICENSOR = { id: stableId('supp-org', 'licensor'), path: `${DISTRICT}.supp_licensor` };
const LICENSEE = { id: stableId('supp-org', 'licensee'), path: `${DISTRICT}.supp_licensee` };
const LICENSED_PRODUCT = stableId('supp-product', 'licensed');
const LICENSED_LOTS: [owner: typeof LICENSOR, produced: string, quantity: number][] = [
  [LICENSOR, '2018-11-05', 200],
  [LICENSOR, '2018-11-06', 250],
  [LICENSOR, '2018-11-07', 250],
  [LICENSEE, '2018-11-08', 4321],
];

const user = (role: string, path: string): Viewer => ({
  kind: 'user',
  requestId: 't',
  userId: `u-${role}-${path}`,
  grants: [{ role: role as 'ANALYST', orgId: demoOrgId(path), path }],
});
const client = (path: string, scopes: string[]): Viewer => ({
  kind: 'client',
  requestId: 't',
  clientId: 'c',
  orgId: demoOrgId(path),
  path,
  scopes: scopes as ['aggregates:read'],
});
const ANALYST = user('ANALYST', DISTRICT);
const OFFICER = user('OFFICER', DISTRICT);

const LOTS: [farm: number, produced: string, quantity: number][] = [
  [0, '2019-03-10', 100],
  [1, '2019-03-11', 100],
  [2, '2019-03-12', 100],
  [0, '2019-05-10', 200],
  [1, '2019-05-11', 200],
  [2, '2019-05-12', 200],
  [0, '2019-06-10', 300],
  [0, '2019-06-20', 100],
  [1, '2019-06-11', 300],
  [2, '2019-06-12', 200],
  [1, '2019-08-10', 50],
  [2, '2019-10-10', 10],
  [2, '2019-10-11', 20],
  [2, '2019-10-12', 30],
];

async function insertFixtures() {
  await inTransaction(db.connection.drizzle(), async (tx) => {
    for (const [i, farm] of FARMS.entries()) {
      await tx.execute(sql`insert into tenants.organizations (id, parent_id, kind, sector, name, slug, path, depth, district_code)
        values (${farm.id}::uuid, ${demoOrgId(DISTRICT)}::uuid, 'PRODUCER', 'AGRICULTURE', ${JSON.stringify({ vi: `Trang trại ${i}` })}::jsonb, ${`supp_farm${i}`}, ${farm.path}, 3, '923')`);
      await tx.execute(sql`insert into catalog.products (id, owner_id, internal_code, category, name, unit, status)
        values (${farm.product}::uuid, ${farm.id}::uuid, ${`NG-SUPP-${i}`}, 'rice', ${JSON.stringify({ vi: `Lúa ${i}` })}::jsonb, 'KGM', 'PUBLISHED')`);
    }
    await tx.execute(sql`insert into catalog.products (id, owner_id, internal_code, category, name, unit, status)
      values (${UNAPPROVED_PRODUCT}::uuid, ${FARMS[0]!.id}::uuid, 'NG-SUPP-UNAPPROVED', 'rice', '{"vi": "Lúa chờ duyệt"}'::jsonb, 'KGM', 'PUBLISHED')`);
    const rows = LOTS.map(
      ([farm, produced, quantity], n) =>
        sql`(${stableId('supp-lot', String(n))}::uuid, ${`SUPP${n}`}, ${FARMS[farm]!.product}::uuid, ${FARMS[farm]!.id}::uuid, ${String(quantity)}, 'KGM', ${produced}::date, 'PUBLISHED')`,
    );
    // Not approved: in months with approved lots (2019-05, 2019-06) and alone (2019-07).
    rows.push(
      sql`(${UNDER_REVIEW_LOT}::uuid, 'SUPP-REVIEW', ${UNAPPROVED_PRODUCT}::uuid, ${FARMS[0]!.id}::uuid, '99999', 'KGM', '2019-06-15'::date, 'UNDER_REVIEW')`,
      sql`(${stableId('supp-lot', 'rejected-alone')}::uuid, 'SUPP-REJ1', ${UNAPPROVED_PRODUCT}::uuid, ${FARMS[0]!.id}::uuid, '88888', 'KGM', '2019-07-15'::date, 'REJECTED')`,
      sql`(${stableId('supp-lot', 'rejected-beside')}::uuid, 'SUPP-REJ2', ${FARMS[1]!.product}::uuid, ${FARMS[1]!.id}::uuid, '7777', 'KGM', '2019-05-20'::date, 'REJECTED')`,
    );
    await tx.execute(sql`insert into trace.lots (id, lot_code, product_id, owner_id, quantity, unit, produced_on, status) values ${sql.join(rows, sql`, `)}`);
    for (const [slug, org] of [
      ['supp_licensor', LICENSOR],
      ['supp_licensee', LICENSEE],
    ] as const) {
      await tx.execute(sql`insert into tenants.organizations (id, parent_id, kind, sector, name, slug, path, depth, district_code)
        values (${org.id}::uuid, ${demoOrgId(DISTRICT)}::uuid, 'PRODUCER', 'AGRICULTURE', ${JSON.stringify({ vi: slug })}::jsonb, ${slug}, ${org.path}, 3, '923')`);
    }
    await tx.execute(sql`insert into catalog.products (id, owner_id, internal_code, category, name, unit, status)
      values (${LICENSED_PRODUCT}::uuid, ${LICENSOR.id}::uuid, 'NG-SUPP-LICENSED', 'rice', '{"vi": "Lúa cấp phép"}'::jsonb, 'KGM', 'PUBLISHED')`);
    await tx.execute(sql`insert into catalog.product_licences (id, product_id, licensee_id, granted_by)
      values (${stableId('supp-licence', 'licensed')}::uuid, ${LICENSED_PRODUCT}::uuid, ${LICENSEE.id}::uuid, 'test')`);
    await tx.execute(
      sql`insert into trace.lots (id, lot_code, product_id, owner_id, quantity, unit, produced_on, status) values ${sql.join(
        LICENSED_LOTS.map(
          ([owner, produced, quantity], n) =>
            sql`(${stableId('supp-lot', `licensed${n}`)}::uuid, ${`SUPP-LIC${n}`}, ${LICENSED_PRODUCT}::uuid, ${owner.id}::uuid, ${String(quantity)}, 'KGM', ${produced}::date, 'PUBLISHED')`,
        ),
        sql`, `,
      )}`,
    );
    await tx.execute(sql`insert into trace.scans (id, lot_id, lang) values (${stableId('supp-scan', '1')}::uuid, ${UNDER_REVIEW_LOT}::uuid, 'vi')`);
  });
}

beforeAll(async () => {
  ({ db, subgraph, stop } = await startSeededSubgraph(analyticsSubgraph({ rollups, suppression: { minLots: 3, minProducers: 3 } }), inject('seededTemplate')));
  await insertFixtures();
  await rollups.refresh(db.connection.drizzle());
});
afterAll(() => stop());

const AGGREGATE = `query($input: AggregateInput!) { aggregate(input: $input) {
  rows { keys { value } values { measure value unit suppressed suppressionReason } } } }`;
const OURS = { producerIds: FARMS.map((f) => f.id), from: '2019-01-01', to: '2019-12-31' };
type Value = { measure: string; value: number | null; unit: string; suppressed: boolean; suppressionReason: string | null };

/** Month → [volume value, reason] and month → lot count, by MONTH over our farms. */
async function byMonth(viewer: Viewer, filter: Record<string, unknown> = OURS, on: TestSubgraph = subgraph) {
  const { body } = await on.request(AGGREGATE, { input: { measures: ['PRODUCTION_VOLUME', 'LOT_COUNT'], groupBy: ['MONTH'], filter } }, viewer);
  expect(body.errors).toBeUndefined();
  const rows = body.data.aggregate.rows as { keys: { value: string }[]; values: Value[] }[];
  const volume = Object.fromEntries(
    rows.map((r) => {
      const v = r.values.find((x) => x.measure === 'PRODUCTION_VOLUME')!;
      return [r.keys[0]!.value, [v.value, v.suppressionReason]];
    }),
  );
  const lots = Object.fromEntries(rows.map((r) => [r.keys[0]!.value, r.values.find((x) => x.measure === 'LOT_COUNT')!.value]));
  const flags = rows.flatMap((r) => r.values).map((v) => [v.suppressed, v.value === null]);
  return { volume, lots, flags };
}

describe('small-cell suppression', () => {
  it('withholds an analyst’s cells with too few lots or producers and shows the others exactly', async () => {
    const { volume, lots, flags } = await byMonth(ANALYST);
    expect(volume).toEqual({
      '2019-03': [300, null],
      '2019-05': [600, null],
      '2019-06': [900, null],
      '2019-08': [null, 'FEW_LOTS'],
      '2019-10': [null, 'FEW_PRODUCERS'],
    });
    // Counts are facts, never withheld; a withheld value is always flagged and only then null.
    expect(lots).toEqual({ '2019-03': 3, '2019-05': 3, '2019-06': 4, '2019-08': 1, '2019-10': 3 });
    for (const [suppressed, isNull] of flags) expect(suppressed).toBe(isNull);
  });

  it('withholds a second cell when one withheld cell could be worked out from the total', async () => {
    // Through August only 2019-08 is withheld: the year's total minus the others would give it away.
    const { volume } = await byMonth(ANALYST, { ...OURS, to: '2019-08-31' });
    expect(volume).toEqual({
      '2019-03': [null, 'SECONDARY'],
      '2019-05': [600, null],
      '2019-06': [900, null],
      '2019-08': [null, 'FEW_LOTS'],
    });
  });

  it('shows an officer over the same subtree every cell exactly', async () => {
    const { volume } = await byMonth(OFFICER);
    expect(volume).toEqual({ '2019-03': [300, null], '2019-05': [600, null], '2019-06': [900, null], '2019-08': [50, null], '2019-10': [60, null] });
    expect((await byMonth(OFFICER, { ...OURS, to: '2019-08-31' })).volume['2019-03']).toEqual([300, null]);
  });

  it('treats an API client by its scopes: aggregates:read alone is withheld from, internal:read too is not', async () => {
    expect((await byMonth(client('ct', ['aggregates:read']))).volume['2019-08']).toEqual([null, 'FEW_LOTS']);
    expect((await byMonth(client('ct', ['aggregates:read', 'internal:read']))).volume['2019-08']).toEqual([50, null]);
  });

  it('withholds the whole group when it rests on too few producers', async () => {
    const { body } = await subgraph.request(AGGREGATE, { input: { measures: ['PRODUCTION_VOLUME'], filter: { producerIds: [FARMS[2]!.id] } } }, ANALYST);
    expect(body.data.aggregate.rows[0].values).toEqual([
      { measure: 'PRODUCTION_VOLUME', value: null, unit: 'KGM', suppressed: true, suppressionReason: 'FEW_PRODUCERS' },
    ]);
  });

  it('takes its thresholds from the service’s configuration', async () => {
    expect(suppressionFromEnv({})).toEqual({ minLots: 3, minProducers: 3 });
    expect(suppressionFromEnv({ AGGREGATE_MIN_CELL_LOTS: '5', AGGREGATE_MIN_CELL_PRODUCERS: '1' })).toEqual({ minLots: 5, minProducers: 1 });
    expect(() => suppressionFromEnv({ AGGREGATE_MIN_CELL_LOTS: '0' })).toThrow(ConfigError);
    const lenient = await startTestSubgraph(
      analyticsSubgraph({ rollups, suppression: suppressionFromEnv({ AGGREGATE_MIN_CELL_LOTS: '4', AGGREGATE_MIN_CELL_PRODUCERS: '1' }) }),
      db.connection,
    );
    try {
      const { volume } = await byMonth(ANALYST, OURS, lenient);
      // Only 2019-06 has four lots; the producer rule is off.
      expect(volume).toEqual({
        '2019-03': [null, 'FEW_LOTS'],
        '2019-05': [null, 'FEW_LOTS'],
        '2019-06': [900, null],
        '2019-08': [null, 'FEW_LOTS'],
        '2019-10': [null, 'FEW_LOTS'],
      });
    } finally {
      await lenient.close();
    }
  });

  it('withholds a product’s volume and dates from an analyst, not from an officer', async () => {
    const STATS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { stats {
      lotCount volume { value unit suppressed suppressionReason } firstProducedOn suppressionReason } } } }`;
    const r = [{ __typename: 'Product', id: FARMS[0]!.product }];
    const analyst = (await subgraph.request(STATS, { r }, ANALYST)).body.data._entities[0].stats;
    const officer = (await subgraph.request(STATS, { r }, OFFICER)).body.data._entities[0].stats;
    expect(analyst).toEqual({
      lotCount: 4,
      volume: [{ value: null, unit: 'KGM', suppressed: true, suppressionReason: 'FEW_PRODUCERS' }],
      firstProducedOn: null,
      suppressionReason: 'FEW_PRODUCERS',
    });
    expect(officer).toEqual({
      lotCount: 4,
      volume: [{ value: 700, unit: 'KGM', suppressed: false, suppressionReason: null }],
      firstProducedOn: '2019-03-10',
      suppressionReason: null,
    });
  });

  it('withholds a licensed product’s volume from the owner’s staff, who may not read the licensee’s lots', async () => {
    const STATS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { stats {
      lotCount volume { value unit suppressed suppressionReason } firstProducedOn suppressionReason } } } }`;
    const r = [{ __typename: 'Product', id: LICENSED_PRODUCT }];
    // The licensor's staff may read their own 700 but not the licensee's lot: 5021 would give away 4321.
    const staff = (await subgraph.request(STATS, { r }, user('STAFF', LICENSOR.path))).body.data._entities[0].stats;
    expect(staff).toEqual({
      lotCount: 4,
      volume: [{ value: null, unit: 'KGM', suppressed: true, suppressionReason: 'FEW_PRODUCERS' }],
      firstProducedOn: null,
      suppressionReason: 'FEW_PRODUCERS',
    });
    const analyst = (await subgraph.request(STATS, { r }, ANALYST)).body.data._entities[0].stats;
    expect(analyst.volume).toEqual([{ value: null, unit: 'KGM', suppressed: true, suppressionReason: 'FEW_PRODUCERS' }]);
    // Fewer than 5 lots behind it: withheld for its lots once the producer rule is off.
    const strict = await startTestSubgraph(analyticsSubgraph({ rollups, suppression: { minLots: 5, minProducers: 1 } }), db.connection);
    try {
      const stats = (await strict.request(STATS, { r }, user('STAFF', LICENSOR.path))).body.data._entities[0].stats;
      expect(stats.volume).toEqual([{ value: null, unit: 'KGM', suppressed: true, suppressionReason: 'FEW_LOTS' }]);
    } finally {
      await strict.close();
    }
    // An officer over both farms reads every lot and sees the exact figures.
    const officer = (await subgraph.request(STATS, { r }, OFFICER)).body.data._entities[0].stats;
    expect(officer).toEqual({
      lotCount: 4,
      volume: [{ value: 5021, unit: 'KGM', suppressed: false, suppressionReason: null }],
      firstProducedOn: '2018-11-05',
      suppressionReason: null,
    });
  });

  it('leaves out of an analyst’s seasonality a product with a month or season too small to show', async () => {
    const SEASONALITY = `{ dashboard { seasonality(first: 100) { productId volume seasons { season volume } monthlyShare } } }`;
    // Enough lots in the products' totals (4 to 6), and the producer rule off: only the months are small.
    const lenient = await startTestSubgraph(analyticsSubgraph({ rollups, suppression: { minLots: 3, minProducers: 1 } }), db.connection);
    try {
      const seasonality = async (viewer: Viewer) => {
        const { body } = await lenient.request(SEASONALITY, {}, viewer);
        expect(body.errors).toBeUndefined();
        return body.data.dashboard.seasonality as {
          productId: string;
          volume: number;
          seasons: { season: string; volume: number }[];
          monthlyShare: number[];
        }[];
      };
      const ours = FARMS.map((f) => f.product);
      // Farm 0's product has one lot in March (100, in DX), one in May and two in June: no month has 3 lots.
      const analyst = await seasonality(ANALYST);
      expect(analyst.map((p) => p.productId).filter((id) => ours.includes(id))).toEqual([]);
      // The licensed product's only month has 4 lots: it is shown.
      const licensed = analyst.find((p) => p.productId === LICENSED_PRODUCT);
      expect(licensed).toMatchObject({ volume: 5021 });
      expect(licensed!.monthlyShare[10]).toBe(1);
      const officer = await seasonality(OFFICER);
      expect(officer.map((p) => p.productId)).toEqual(expect.arrayContaining([...ours, LICENSED_PRODUCT]));
      expect(officer.find((p) => p.productId === FARMS[0]!.product)!.volume).toBe(700);
    } finally {
      await lenient.close();
    }
  });

  it('leaves withheld products out of an analyst’s dashboard and flags withheld top producers', async () => {
    const DASHBOARD = `{ dashboard { seasonality(first: 100) { productId } topProducers(first: 100, from: "2019-01-01", to: "2019-12-31") {
      rows { keys { value } values { measure value suppressed suppressionReason } } } } }`;
    const analyst = (await subgraph.request(DASHBOARD, {}, ANALYST)).body.data.dashboard;
    const officer = (await subgraph.request(DASHBOARD, {}, OFFICER)).body.data.dashboard;
    const ours = FARMS.map((f) => f.product);
    expect(officer.seasonality.map((p: any) => p.productId)).toEqual(expect.arrayContaining(ours));
    expect(analyst.seasonality.map((p: any) => p.productId).filter((id: string) => ours.includes(id))).toEqual([]);
    const volumes = (d: any) =>
      d.topProducers.rows
        .filter((r: any) => FARMS.some((f) => f.id === r.keys[0].value))
        .map((r: any) => r.values.find((v: any) => v.measure === 'PRODUCTION_VOLUME'));
    expect(volumes(analyst)).toHaveLength(3);
    for (const v of volumes(analyst)) expect(v).toMatchObject({ value: null, suppressed: true, suppressionReason: 'FEW_PRODUCERS' });
    expect(
      volumes(officer)
        .map((v: any) => v.value)
        .sort((a: number, b: number) => a - b),
    ).toEqual([560, 650, 700]);
  });

  it('refuses an analyst a forecast whose history rests on one producer, and gives it to the officer', async () => {
    const FORECAST = `query($input: ForecastInput!) { forecast(input: $input) { unit history { season volume } } }`;
    const input = { target: { productId: FARMS[0]!.product }, horizon: 1 };
    const analyst = await subgraph.request(FORECAST, { input }, ANALYST);
    expect(analyst.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', suppressionReason: 'FEW_LOTS', season: '2019-DX' });
    expect(analyst.body.data).toBeNull();
    const officer = await subgraph.request(FORECAST, { input }, OFFICER);
    expect(officer.body.errors).toBeUndefined();
    expect(officer.body.data.forecast.unit).toBe('KGM');
  });

  it('marks withheld cells in the CSV export with an empty value and the reason', async () => {
    const csv = async (viewer: Viewer) => {
      const query = `measures=PRODUCTION_VOLUME,LOT_COUNT&groupBy=MONTH&producerIds=${FARMS.map((f) => f.id).join(',')}&from=2019-01-01&to=2019-12-31&lang=en`;
      const response = await fetch(new URL(`/export/aggregate.csv?${query}`, subgraph.url), {
        headers: { 'x-nguon-viewer': signViewer(viewer, TEST_GATEWAY_SECRET) },
      });
      expect(response.status).toBe(200);
      return (await response.text())
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
    };
    const ministry = await csv(client('ct', ['aggregates:read']));
    expect(ministry[0]).toBe('Month key,Month,Unit,Unit name,Production volume,Lots,Suppressed');
    const line = (lines: string[], month: string) => lines.find((l) => l.startsWith(`${month},`))!.split(',');
    expect(line(ministry, '2019-08').slice(2)).toEqual(['KGM', 'kilograms (kg)', '', '1', 'PRODUCTION_VOLUME=FEW_LOTS']);
    expect(line(ministry, '2019-10').slice(2)).toEqual(['KGM', 'kilograms (kg)', '', '3', 'PRODUCTION_VOLUME=FEW_PRODUCERS']);
    expect(line(ministry, '2019-06').slice(2)).toEqual(['KGM', 'kilograms (kg)', '900', '4', '']);
    const inspector = await csv(client('ct', ['aggregates:read', 'internal:read']));
    expect(line(inspector, '2019-08').slice(2)).toEqual(['KGM', 'kilograms (kg)', '50', '1', '']);
  });
});

describe('lots that are not approved', () => {
  const query = async <T>(text: ReturnType<typeof sql>) => rowsOf<T>(await db.connection.drizzle().execute(text));

  it('never reach the read contract, a rollup, an aggregate, the stats or a forecast', async () => {
    // They are in trace, and nowhere analytics reads.
    expect((await query<{ n: number }>(sql`select count(*)::int as n from trace.lots where status in ('UNDER_REVIEW', 'REJECTED')`))[0]!.n).toBe(3);
    expect((await query<{ n: number }>(sql`select count(*)::int as n from analytics.lots where status in ('UNDER_REVIEW', 'REJECTED')`))[0]!.n).toBe(0);
    expect(
      (await query<{ n: number }>(sql`select count(*)::int as n from analytics.production_facts where lot_status in ('UNDER_REVIEW', 'REJECTED')`))[0]!.n,
    ).toBe(0);
    expect(
      (await query<{ n: number }>(sql`select count(*)::int as n from analytics.production_monthly where product_id = ${UNAPPROVED_PRODUCT}::uuid`))[0]!.n,
    ).toBe(0);

    // The officer's exact figures: no 2019-07 (rejected alone), nothing added to 2019-05 or 2019-06.
    const { volume, lots } = await byMonth(OFFICER, { producerIds: FARMS.map((f) => f.id) });
    expect(volume).toEqual({ '2019-03': [300, null], '2019-05': [600, null], '2019-06': [900, null], '2019-08': [50, null], '2019-10': [60, null] });
    expect(lots).toEqual({ '2019-03': 3, '2019-05': 3, '2019-06': 4, '2019-08': 1, '2019-10': 3 });

    const product = await subgraph.request(
      AGGREGATE,
      { input: { measures: ['LOT_COUNT', 'PRODUCTION_VOLUME', 'SCAN_COUNT'], groupBy: ['PRODUCT'], filter: { productIds: [UNAPPROVED_PRODUCT] } } },
      OFFICER,
    );
    expect(product.body.data.aggregate.rows).toEqual([]);

    const STATS = `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Product { stats { lotCount volume { value } } } ... on Organization { stats { lotCount } } } }`;
    const { body } = await subgraph.request(
      STATS,
      {
        r: [
          { __typename: 'Product', id: UNAPPROVED_PRODUCT },
          { __typename: 'Organization', id: FARMS[0]!.id },
          { __typename: 'Organization', id: FARMS[1]!.id },
        ],
      },
      OFFICER,
    );
    expect(body.data._entities.map((e: any) => e.stats)).toEqual([{ lotCount: 0, volume: [] }, { lotCount: 4 }, { lotCount: 4 }]);

    const forecast = await subgraph.request(
      `query($input: ForecastInput!) { forecast(input: $input) { unit } }`,
      { input: { target: { productId: UNAPPROVED_PRODUCT }, horizon: 1 } },
      OFFICER,
    );
    expect(forecast.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
