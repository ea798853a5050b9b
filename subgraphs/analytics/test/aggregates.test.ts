import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { inTransaction, signViewer, sql, stableId, type Viewer } from '@nguon/shared';
import { startSeededSubgraph, TEST_GATEWAY_SECRET, type TestDatabase, type TestSubgraph } from '@nguon/shared/testing';
import { demoOrgId } from '@nguon/demo/ids';
import { analyticsSubgraph, RollupKeeper } from '../src/server';
import { DIMENSIONS } from '../src/query';

const rollups = new RollupKeeper(60_000);
let db: TestDatabase;
let subgraph: TestSubgraph;

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
const CITY = user('ANALYST', 'ct');
const THOT_NOT = user('ANALYST', 'ct.agri.thot_not');
/** Officers may read the INTERNAL values under them: exact figures, no small-cell suppression (test/suppression.test.ts). */
const CITY_OFFICER = user('OFFICER', 'ct');
const THOT_NOT_OFFICER = user('OFFICER', 'ct.agri.thot_not');
const ANONYMOUS: Viewer = { kind: 'anonymous', requestId: 't' };

/** A farm with a known history: 15 seasons of a seasonal crop (with noise), and a flat one. */
const FARM = { id: stableId('test-org', 'forecast-farm'), path: 'ct.agri.thot_not.forecast_farm' };
const SEASONAL_PRODUCT = stableId('test-product', 'seasonal');
const FLAT_PRODUCT = stableId('test-product', 'flat');
const HARVEST_MONTH = { DX: 2, HT: 7, TD: 10 } as const;
const PATTERN = [9000, 6000, 3000];
const NOISE = [120, -80, 40, -150, 60, 90, -30, -110, 70, 20, -60, 130, -90, 50, -40, 100];
/** Seasons 2020-DX … 2025-DX; index 15 (2025-DX) is held back from the data. */
const seasonal = (t: number) => PATTERN[t % 3]! + 100 * t + NOISE[t]!;

async function insertFixtures() {
  const rows: ReturnType<typeof sql>[] = [];
  for (let t = 0; t < 15; t++) {
    const code = (['DX', 'HT', 'TD'] as const)[t % 3]!;
    const year = 2020 + Math.floor(t / 3);
    const produced = `${year}-${String(HARVEST_MONTH[code]).padStart(2, '0')}-15`;
    rows.push(
      sql`(${stableId('lot', `s${t}`)}::uuid, ${`S${t}`}, ${SEASONAL_PRODUCT}::uuid, ${FARM.id}::uuid, ${String(seasonal(t))}, 'KGM', ${produced}::date, 'PUBLISHED')`,
    );
    // The flat product is recorded in grams: the rollup converts it to kilograms.
    rows.push(sql`(${stableId('lot', `f${t}`)}::uuid, ${`F${t}`}, ${FLAT_PRODUCT}::uuid, ${FARM.id}::uuid, '500000', 'GRM', ${produced}::date, 'PUBLISHED')`);
  }
  const conn = db.connection.drizzle();
  await inTransaction(conn, async (tx) => {
    await tx.execute(sql`insert into tenants.organizations (id, parent_id, kind, sector, name, slug, path, depth, district_code)
      values (${FARM.id}::uuid, ${demoOrgId('ct.agri.thot_not')}::uuid, 'PRODUCER', 'AGRICULTURE', '{"vi": "Trang trại dự báo", "en": "Forecast farm"}'::jsonb, 'forecast_farm', ${FARM.path}, 3, '923')`);
    await tx.execute(sql`insert into catalog.products (id, owner_id, internal_code, category, name, unit, status) values
      (${SEASONAL_PRODUCT}::uuid, ${FARM.id}::uuid, 'NG-TEST-SEAS', 'rice', '{"vi": "Lúa thử nghiệm"}'::jsonb, 'KGM', 'PUBLISHED'),
      (${FLAT_PRODUCT}::uuid, ${FARM.id}::uuid, 'NG-TEST-FLAT', 'rice', '{"vi": "Gạo đều"}'::jsonb, 'KGM', 'DRAFT')`);
    await tx.execute(sql`insert into trace.lots (id, lot_code, product_id, owner_id, quantity, unit, produced_on, status) values ${sql.join(rows, sql`, `)}`);
    await tx.execute(sql`insert into catalog.certifications (id, product_id, scheme, issuer, number, valid_from, valid_to)
      values (${stableId('test-cert', 'soon')}::uuid, ${SEASONAL_PRODUCT}::uuid, 'VIETGAP', 'Test issuer', 'VG-TEST-SOON', '2024-01-01',
        (now() at time zone 'Asia/Ho_Chi_Minh')::date + 10)`);
  });
}

let stop = async () => {};
beforeAll(async () => {
  ({ db, subgraph, stop } = await startSeededSubgraph(analyticsSubgraph({ rollups }), inject('seededTemplate')));
  await insertFixtures();
  await rollups.refresh(db.connection.drizzle());
});
afterAll(() => stop());

const AGGREGATE = `query($input: AggregateInput!) { aggregate(input: $input) {
  rows { keys { dimension value label } values { measure value unit } } totalRows hasMore nextCursor scope period { from to } pendingMeasures asOf } }`;
const aggregate = (input: Record<string, unknown>, viewer: Viewer = CITY) => subgraph.request(AGGREGATE, { input }, viewer);
const FORECAST = `query($input: ForecastInput!) { forecast(input: $input) {
  unit model level history { season volume } points { season label value lower upper } backtest { mape seasons { season actual predicted } } scope } }`;

const MEASURES = ['PRODUCTION_VOLUME', 'LOT_COUNT', 'PRODUCT_COUNT', 'PRODUCER_COUNT', 'RECALLED_LOT_COUNT'];

describe('aggregates', () => {
  it('gives a district analyst exactly the city’s figures filtered to that district, for every grouping', async () => {
    for (const dimension of DIMENSIONS) {
      // AREA groups by a level of the tree, named in areaLevel.
      const areaLevel = dimension === 'AREA' ? 'district' : undefined;
      const district = await aggregate({ measures: MEASURES, groupBy: [dimension], areaLevel }, THOT_NOT);
      const city = await aggregate({ measures: MEASURES, groupBy: [dimension], areaLevel, filter: { districtCodes: ['923'], sectors: ['AGRICULTURE'] } }, CITY);
      expect(district.body.errors, dimension).toBeUndefined();
      expect(district.body.data.aggregate.rows.length, dimension).toBeGreaterThan(0);
      expect(district.body.data.aggregate.rows, dimension).toEqual(city.body.data.aggregate.rows);
    }
  });

  it('never lets a district analyst see another district', async () => {
    const { body } = await aggregate({ measures: ['LOT_COUNT'], groupBy: ['DISTRICT', 'SECTOR'] }, THOT_NOT);
    expect(body.data.aggregate.rows.map((r: any) => r.keys.map((k: any) => k.value))).toEqual([['923', 'AGRICULTURE']]);
    expect(body.data.aggregate.scope).toEqual(['ct.agri.thot_not']);
  });

  it('narrows a district analyst who asks for the whole city to their own district', async () => {
    const wide = await aggregate({ measures: ['LOT_COUNT'], groupBy: ['PRODUCER'], under: 'ct' }, THOT_NOT);
    const own = await aggregate({ measures: ['LOT_COUNT'], groupBy: ['PRODUCER'] }, THOT_NOT);
    expect(wide.body.data.aggregate.scope).toEqual(['ct.agri.thot_not']);
    expect(wide.body.data.aggregate.rows).toEqual(own.body.data.aggregate.rows);
  });

  it('refuses a district analyst who names a subtree outside their grants', async () => {
    const { body } = await aggregate({ measures: ['LOT_COUNT'], under: 'ct.agri.phong_dien' }, THOT_NOT);
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('gives anonymous viewers and staff no aggregates', async () => {
    const anonymous = await aggregate({ measures: ['LOT_COUNT'] }, ANONYMOUS);
    const staff = await aggregate({ measures: ['LOT_COUNT'] }, user('STAFF', FARM.path));
    const clientWithoutScope = await aggregate({ measures: ['LOT_COUNT'] }, client('ct', ['internal:read']));
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(staff.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(clientWithoutScope.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lets an API client with aggregates:read read its subtree', async () => {
    const { body } = await aggregate({ measures: ['LOT_COUNT'], groupBy: ['SECTOR'] }, client('ct.health', ['aggregates:read']));
    expect(body.errors).toBeUndefined();
    expect(body.data.aggregate.rows.map((r: any) => r.keys[0].value)).toEqual(['HEALTH']);
  });

  it('reports volume per unit, converting grams to kilograms and never adding pieces to kilograms', async () => {
    const { body } = await aggregate({ measures: ['PRODUCTION_VOLUME'], groupBy: ['PRODUCT'], filter: { productIds: [FLAT_PRODUCT] } }, CITY_OFFICER);
    expect(body.data.aggregate.rows[0].values).toEqual([{ measure: 'PRODUCTION_VOLUME', value: 15 * 500, unit: 'KGM' }]);
    const total = await aggregate({ measures: ['PRODUCTION_VOLUME'] }, CITY_OFFICER);
    const units = total.body.data.aggregate.rows[0].values.map((v: any) => v.unit);
    expect(new Set(units).size).toBe(units.length);
  });

  it('adds the districts up to the city total', async () => {
    const byDistrict = await aggregate({ measures: ['LOT_COUNT', 'PRODUCTION_VOLUME'], groupBy: ['DISTRICT'] });
    const total = await aggregate({ measures: ['LOT_COUNT'] });
    const sum = byDistrict.body.data.aggregate.rows.reduce((s: number, r: any) => s + r.values.find((v: any) => v.measure === 'LOT_COUNT').value, 0);
    expect(sum).toBe(total.body.data.aggregate.rows[0].values[0].value);
  });

  it('labels keys in the requested language and hides the names of unpublished products', async () => {
    const { body } = await aggregate({
      measures: ['LOT_COUNT'],
      groupBy: ['PRODUCT', 'SEASON'],
      filter: { producerIds: [FARM.id], from: '2023-12-01', to: '2024-04-30' },
      lang: 'en',
    });
    const labels = body.data.aggregate.rows.map((r: any) => [r.keys[0].label, r.keys[1].label]);
    expect(labels).toContainEqual(['Lúa thử nghiệm', 'Winter–Spring 2023–2024']);
    expect(labels).toContainEqual([null, 'Winter–Spring 2023–2024']);
  });

  it('labels categories with their catalog names', async () => {
    const { body } = await aggregate({ measures: ['LOT_COUNT'], groupBy: ['CATEGORY'], filter: { categories: ['rice'] }, lang: 'en' });
    expect(body.data.aggregate.rows[0].keys[0]).toEqual({ dimension: 'CATEGORY', value: 'rice', label: 'Rice' });
  });

  it('rounds a date range to whole months and says so', async () => {
    const { body } = await aggregate({ measures: ['LOT_COUNT'], filter: { from: '2024-03-10', to: '2024-07-02' } });
    expect(body.data.aggregate.period).toEqual({ from: '2024-03-01', to: '2024-07-31' });
  });

  it('answers every measure from data, with none pending', async () => {
    const { body } = await aggregate({ measures: ['LOT_COUNT', 'SCAN_COUNT'] });
    expect(body.data.aggregate.pendingMeasures).toEqual([]);
    expect(body.data.aggregate.rows[0].values[1]).toEqual({ measure: 'SCAN_COUNT', value: 0, unit: 'count' });
  });

  it('orders and pages rows', async () => {
    const first = await aggregate({ measures: ['LOT_COUNT'], groupBy: ['PRODUCER'], orderBy: { measure: 'LOT_COUNT', direction: 'DESC' }, first: 5 });
    const page = first.body.data.aggregate;
    expect(page.rows).toHaveLength(5);
    expect(page.hasMore).toBe(true);
    const counts = page.rows.map((r: any) => r.values[0].value);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const next = await aggregate({
      measures: ['LOT_COUNT'],
      groupBy: ['PRODUCER'],
      orderBy: { measure: 'LOT_COUNT', direction: 'DESC' },
      first: 5,
      after: page.nextCursor,
    });
    expect(next.body.data.aggregate.rows[0]).not.toEqual(page.rows[0]);
  });

  it('refuses an end date before the start date', async () => {
    const { body } = await aggregate({ measures: ['LOT_COUNT'], filter: { from: '2025-05-01', to: '2025-01-31' } });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'filter', 'to'] });
  });

  it('refuses an unknown grouping', async () => {
    const { body } = await aggregate({ measures: ['LOT_COUNT'], groupBy: ['WEATHER'] });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toContain('WEATHER');
  });
});

describe('forecasts', () => {
  it('covers the held-back season of a seasonal product with its interval', async () => {
    const { body } = await subgraph.request(FORECAST, { input: { target: { productId: SEASONAL_PRODUCT }, horizon: 3, level: 0.95 } }, CITY_OFFICER);
    expect(body.errors).toBeUndefined();
    const result = body.data.forecast;
    expect(result.model).toBe('HOLT_WINTERS_ADDITIVE');
    expect(result.history).toHaveLength(15);
    const [next] = result.points;
    expect(next.season).toBe('2025-DX');
    expect(next.lower).toBeLessThanOrEqual(seasonal(15));
    expect(next.upper).toBeGreaterThanOrEqual(seasonal(15));
    expect(result.backtest.seasons).toHaveLength(3);
    expect(result.backtest.mape).toBeGreaterThan(0);
  });

  it('gives a flat forecast for a flat history', async () => {
    const { body } = await subgraph.request(FORECAST, { input: { target: { productId: FLAT_PRODUCT }, horizon: 6 } }, CITY_OFFICER);
    for (const point of body.data.forecast.points) expect(point.value).toBeCloseTo(500, 6);
    expect(body.data.forecast.backtest.mape).toBe(0);
  });

  it('refuses a horizon of 0 or 100 seasons', async () => {
    for (const horizon of [0, 100]) {
      const { body } = await subgraph.request(FORECAST, { input: { target: { category: 'rice' }, horizon } }, CITY);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'horizon'] });
    }
  });

  it('keeps a district forecast inside the district', async () => {
    const { body } = await subgraph.request(FORECAST, { input: { target: { category: 'rice' }, horizon: 2, under: 'ct' } }, THOT_NOT_OFFICER);
    expect(body.data.forecast.scope).toEqual(['ct.agri.thot_not']);
    const other = await subgraph.request(FORECAST, { input: { target: { productId: SEASONAL_PRODUCT }, horizon: 2 } }, user('ANALYST', 'ct.agri.phong_dien'));
    expect(other.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('dashboard', () => {
  const DASHBOARD = `{ dashboard(lang: "en") { scope seasonality(first: 5) { productId name unit volume peakSeason seasons { season share } monthlyShare }
    topProducers(first: 3) { rows { keys { value label } values { measure value unit } } }
    districtsWithoutTraceableProducts { code name } certificateExpiries(days: 60) { productId number daysLeft } } }`;

  it('shows seasonality, top producers, districts without traceable products and certificates about to expire', async () => {
    const { body } = await subgraph.request(DASHBOARD, {}, CITY_OFFICER);
    expect(body.errors).toBeUndefined();
    const d = body.data.dashboard;
    expect(d.seasonality.length).toBeGreaterThan(0);
    const seasonalProduct = d.seasonality.find((p: any) => p.productId === SEASONAL_PRODUCT);
    expect(seasonalProduct.peakSeason).toBe('DX');
    for (const p of d.seasonality) expect(p.seasons.reduce((s: number, x: any) => s + x.share, 0)).toBeCloseTo(1, 9);
    const volumes = d.topProducers.rows.map((r: any) => r.values.find((v: any) => v.unit === 'KGM')?.value ?? 0);
    expect(volumes).toEqual([...volumes].sort((a: number, b: number) => b - a));
    expect(d.topProducers.rows[0].keys[0].label).toEqual(expect.any(String));
    expect(Array.isArray(d.districtsWithoutTraceableProducts)).toBe(true);
    expect(d.certificateExpiries).toContainEqual({ productId: SEASONAL_PRODUCT, number: 'VG-TEST-SOON', daysLeft: 10 });
    expect(d.certificateExpiries.every((c: any) => c.daysLeft >= 0 && c.daysLeft <= 60)).toBe(true);
  });

  it('lists a district as untraceable only when nobody there has a published product with lots', async () => {
    const { body } = await subgraph.request(DASHBOARD, {}, user('ANALYST', 'ct.health'));
    const city = await subgraph.request(DASHBOARD, {}, CITY);
    const codes = (b: any) => b.data.dashboard.districtsWithoutTraceableProducts.map((x: any) => x.code);
    // The city sees every sector's producers, so it has no more gaps than one department.
    expect(codes(city.body).every((c: string) => codes(body).includes(c))).toBe(true);
  });
});

describe('product stats', () => {
  const STATS = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { stats { lotCount coverage volume { value unit } } } } }';

  it('shows published lot counts to everyone and volumes only to viewers with rights', async () => {
    const r = [
      { __typename: 'Product', id: SEASONAL_PRODUCT },
      { __typename: 'Product', id: FLAT_PRODUCT },
    ];
    const anonymous = await subgraph.request(STATS, { r }, ANONYMOUS);
    const analyst = await subgraph.request(STATS, { r }, THOT_NOT);
    const officer = await subgraph.request(STATS, { r }, THOT_NOT_OFFICER);
    expect(anonymous.body.data._entities[0].stats).toEqual({ lotCount: 15, coverage: 'PUBLISHED_ONLY', volume: null });
    // The flat product is a draft: it does not exist for an anonymous viewer.
    expect(anonymous.body.data._entities[1].stats).toBeNull();
    expect(officer.body.data._entities[1].stats).toEqual({ lotCount: 15, coverage: 'ALL', volume: [{ value: 7500, unit: 'KGM' }] });
    // One producer's volume is an INTERNAL figure: the analyst counts the lots but gets the volume withheld.
    expect(analyst.body.data._entities[1].stats).toEqual({ lotCount: 15, coverage: 'ALL', volume: [{ value: null, unit: 'KGM' }] });
  });
});

describe('CSV export', () => {
  const csv = async (query: string, viewer: Viewer) => {
    const url = new URL(`/export/aggregate.csv?${query}`, subgraph.url);
    const response = await fetch(url, { headers: { 'x-nguon-viewer': signViewer(viewer, TEST_GATEWAY_SECRET) } });
    return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
  };
  const MINISTRY = client('ct', ['aggregates:read']);

  it('downloads production volume by district and season with a BOM and Vietnamese headers', async () => {
    const { status, type, bytes } = await csv('measures=PRODUCTION_VOLUME,LOT_COUNT&groupBy=DISTRICT,SEASON', MINISTRY);
    expect(status).toBe(200);
    expect(type).toBe('text/csv; charset=utf-8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('Mã quận/huyện,Quận/huyện,Mùa vụ (mã),Mùa vụ,Đơn vị,Tên đơn vị,Sản lượng,Số lô,Số liệu bị ẩn');
    // A volume is shown (with no marker) or withheld (empty, with its reason).
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^923,Quận Thốt Nốt,2025-DX,Đông Xuân 2024-2025,KGM,kilôgam \(kg\),([\d.]+,\d+,|,\d+,PRODUCTION_VOLUME=(FEW_LOTS|FEW_PRODUCERS|SECONDARY))$/,
      ),
    );
    // The same figures as the GraphQL answer.
    const graph = await aggregate({ measures: ['LOT_COUNT'] }, MINISTRY);
    const lots = lines.slice(1).reduce((s, l) => s + Number(l.split(',').at(-2)), 0);
    expect(lots).toBe(graph.body.data.aggregate.rows[0].values[0].value);
  });

  it('writes English headers on request', async () => {
    const { bytes } = await csv('measures=LOT_COUNT&groupBy=SECTOR&lang=en', MINISTRY);
    expect(bytes.toString('utf8').slice(1).split('\r\n')[0]).toBe('Sector code,Sector,Lots');
  });

  it('streams an export larger than one batch', async () => {
    const { bytes } = await csv('measures=LOT_COUNT&groupBy=PRODUCT,MONTH', MINISTRY);
    expect(bytes.toString('utf8').trim().split('\r\n').length).toBeGreaterThan(501);
  });

  it('refuses a user token, a client without the scope and anonymous callers', async () => {
    expect((await csv('measures=LOT_COUNT', CITY)).status).toBe(403);
    expect((await csv('measures=LOT_COUNT', client('ct', ['internal:read']))).status).toBe(403);
    expect((await csv('measures=LOT_COUNT', ANONYMOUS)).status).toBe(401);
  });

  it('refuses bad input with the offending field', async () => {
    const { status, bytes } = await csv('measures=LOT_COUNT&groupBy=WEATHER', MINISTRY);
    expect(status).toBe(400);
    expect(JSON.parse(bytes.toString('utf8')).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['groupBy', '0'] });
  });
});
