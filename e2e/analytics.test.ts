import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrgId } from '@nguon/demo/ids';
import { demoEmail, startTestStack, type TestStack } from './helpers';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const AGGREGATE = `query($input: AggregateInput!) { aggregate(input: $input) { scope rows { keys { dimension value label } values { measure value unit } } } }`;

describe('analytics through the gateway', () => {
  it('gives a district analyst the city’s figures filtered to their district', async () => {
    const district = await stack.gql(
      AGGREGATE,
      { input: { measures: ['PRODUCTION_VOLUME', 'LOT_COUNT'], groupBy: ['DISTRICT', 'SEASON'], under: 'ct' } },
      {
        token: await stack.tokenFor(demoEmail('ANALYST', 'ct.agri.thot_not')),
      },
    );
    const city = await stack.gql(
      AGGREGATE,
      {
        input: { measures: ['PRODUCTION_VOLUME', 'LOT_COUNT'], groupBy: ['DISTRICT', 'SEASON'], filter: { districtCodes: ['923'], sectors: ['AGRICULTURE'] } },
      },
      {
        token: await stack.tokenFor(demoEmail('ANALYST', 'ct')),
      },
    );
    expect(district.errors).toBeUndefined();
    expect(district.data.aggregate.scope).toEqual(['ct.agri.thot_not']);
    expect(district.data.aggregate.rows.length).toBeGreaterThan(0);
    expect(district.data.aggregate.rows).toEqual(city.data.aggregate.rows);
  });

  it('refuses aggregates to anonymous callers', async () => {
    const result = await stack.gql(AGGREGATE, { input: { measures: ['LOT_COUNT'] } });
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers a ministry API client with the aggregates:read scope', async () => {
    const admin = await stack.tokenFor(demoEmail('ADMIN', 'ct'));
    const created = await stack.gql(
      `mutation($input: CreateApiClientInput!) { createApiClient(input: $input) { key } }`,
      { input: { organizationId: demoOrgId('ct'), name: 'Bộ NN&PTNT', scopes: ['AGGREGATES_READ'] } },
      { token: admin },
    );
    const key = created.data.createApiClient.key;
    const result = await stack.gql(AGGREGATE, { input: { measures: ['LOT_COUNT'], groupBy: ['SECTOR'] } }, { headers: { authorization: `ApiKey ${key}` } });
    expect(result.errors).toBeUndefined();
    expect(result.data.aggregate.rows.map((r: any) => r.keys[0].value).sort()).toEqual(['AGRICULTURE', 'HEALTH', 'INDUSTRY_TRADE']);
  });

  it('refuses a forecast horizon of 0 seasons with the field path', async () => {
    const result = await stack.gql(
      `{ forecast(input: { target: { category: "rice" }, horizon: 0 }) { unit } }`,
      {},
      { token: await stack.tokenFor(demoEmail('ANALYST', 'ct')) },
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'horizon'] });
  });

  it('forecasts rice by season for the city', async () => {
    const result = await stack.gql(
      `{ forecast(input: { target: { category: "rice" }, horizon: 3 }) { unit model points { season value lower upper } backtest { mape } } }`,
      {},
      {
        token: await stack.tokenFor(demoEmail('OFFICER', 'ct.agri')),
      },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.forecast.unit).toBe('KGM');
    expect(result.data.forecast.points).toHaveLength(3);
  });

  it('withholds small cells from an analyst and shows an officer of the same subtree every cell exactly', async () => {
    const QUERY = `query($input: AggregateInput!) { aggregate(input: $input) { rows { keys { value } values { measure value unit suppressed suppressionReason } } } }`;
    const input = { measures: ['PRODUCTION_VOLUME', 'LOT_COUNT'], groupBy: ['DISTRICT', 'SEASON'], under: 'ct.agri' };
    const analyst = await stack.gql(QUERY, { input }, { token: await stack.tokenFor(demoEmail('ANALYST', 'ct')) });
    const officer = await stack.gql(QUERY, { input }, { token: await stack.tokenFor(demoEmail('OFFICER', 'ct.agri')) });
    expect(analyst.errors).toBeUndefined();
    const cells = (body: any) =>
      new Map<string, any>(
        body.data.aggregate.rows.flatMap((r: any) =>
          r.values.map((v: any) => [
            `${r.keys.map((k: any) => k.value).join('/')}/${v.measure}/${v.unit}`,
            { ...v, lots: r.values.find((x: any) => x.measure === 'LOT_COUNT').value },
          ]),
        ),
      );
    const exact = cells(officer);
    const seen = cells(analyst);
    expect([...seen.keys()]).toEqual([...exact.keys()]);
    expect([...exact.values()].every((v) => !v.suppressed && v.value !== null)).toBe(true);
    let shown = 0;
    let withheld = 0;
    for (const [key, v] of seen) {
      if (v.measure === 'LOT_COUNT') expect(v, key).toEqual(exact.get(key));
      else if (v.suppressed) {
        withheld++;
        expect(v.value, key).toBeNull();
        expect(['FEW_LOTS', 'FEW_PRODUCERS', 'SECONDARY'], key).toContain(v.suppressionReason);
      } else {
        shown++;
        expect(v.value, key).toBe(exact.get(key).value);
      }
      // A cell of one or two lots is never shown to the analyst.
      if (v.measure === 'PRODUCTION_VOLUME' && v.lots < 3) expect(v.suppressed, key).toBe(true);
    }
    expect(shown).toBeGreaterThan(0);
    expect(withheld).toBeGreaterThan(0);
  });

  it('extends products with their stats across subgraphs', async () => {
    const result = await stack.gql(`{ products(first: 3) { nodes { gtin stats { lotCount coverage volume { value } } } } }`);
    expect(result.errors).toBeUndefined();
    for (const product of result.data.products.nodes) expect(product.stats).toMatchObject({ coverage: 'PUBLISHED_ONLY', volume: null });
  });
});
