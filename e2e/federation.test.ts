import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

describe('the federated graph', () => {
  it('answers one query that crosses tenants, catalog, trace and analytics', async () => {
    const result = await stack.gql(`{
      organizations(kind: PRODUCER, first: 3) {
        nodes {
          name { text lang }
          path
          products(first: 3) { nodes { gtin name { text } lots(first: 2) { nodes { lotCode } } } }
          stats { productCount lotCount coverage }
        }
      }
    }`);
    expect(result.errors).toBeUndefined();
    const producers = result.data.organizations.nodes;
    expect(producers).toHaveLength(3);
    for (const producer of producers) {
      expect(producer.path).toMatch(/^ct\.[a-z_]+\.[a-z_]+\.[a-z0-9_]+$/);
      expect(producer.name.lang).toBe('vi');
      expect(producer.stats.coverage).toBe('PUBLISHED_ONLY');
      expect(producer.stats.productCount).toBeGreaterThanOrEqual(producer.products.nodes.length);
      for (const product of producer.products.nodes) {
        expect(product.gtin).toMatch(/^\d{14}$/);
        expect(product.lots.nodes.length).toBeGreaterThan(0);
      }
    }
  });

  it('seeds the three departments and the nine real Can Tho districts under each', async () => {
    const departments = await stack.gql(`{ organizations(kind: DEPARTMENT, first: 10) { nodes { path sector name(lang: "en") { text } } } }`);
    expect(departments.data.organizations.nodes.map((d: any) => d.sector).sort()).toEqual(['AGRICULTURE', 'HEALTH', 'INDUSTRY_TRADE']);
    const districts = await stack.gql(
      `{ organizations(kind: AREA, under: "ct.agri", first: 20) { totalCount nodes { name { text } districtCode level { code name { text } } } } }`,
    );
    expect(districts.data.organizations.totalCount).toBe(9);
    expect(districts.data.organizations.nodes.map((d: any) => d.name.text)).toContain('Huyện Phong Điền');
    expect(districts.data.organizations.nodes[0].level).toEqual({ code: 'district', name: { text: 'Quận/Huyện' } });
  });

  it('pages organizations with cursors and refuses page sizes over the cap', async () => {
    const first = await stack.gql(`{ organizations(kind: PRODUCER, first: 2) { pageInfo { hasNextPage endCursor } nodes { path } } }`);
    const { endCursor } = first.data.organizations.pageInfo;
    const second = await stack.gql(`query($after: String) { organizations(kind: PRODUCER, first: 2, after: $after) { nodes { path } } }`, { after: endCursor });
    expect(second.data.organizations.nodes[0].path > first.data.organizations.nodes[1].path).toBe(true);
    const tooMany = await stack.gql(`{ organizations(first: 10000) { nodes { path } } }`);
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('resolves a lot, its product and the product owner through entity references', async () => {
    const list = await stack.gql(`{ lots(first: 1) { nodes { id lotCode } } }`);
    const lot = list.data.lots.nodes[0];
    const one = await stack.gql(`query($id: ID!) { lot(id: $id) { lotCode product { gtin owner { path } } owner { path } } }`, { id: lot.id });
    expect(one.errors).toBeUndefined();
    expect(one.data.lot.lotCode).toBe(lot.lotCode);
    expect(one.data.lot.product.owner.path).toBe(one.data.lot.owner.path);
  });

  it('answers an unknown or malformed id as missing, not as an error', async () => {
    const result = await stack.gql(
      `{ a: lot(id: "not-a-uuid") { id } b: product(id: "0190a0b0-0000-7000-8000-000000000000") { id } c: organization(id: "x") { id } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ a: null, b: null, c: null });
  });

  it('serves health, readiness and a landing page', async () => {
    const base = stack.gateway.url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    const landing = await fetch(`${base}/`);
    expect(await landing.text()).toContain('Nguồn');
    for (const subgraph of Object.values(stack.subgraphs)) {
      const origin = new URL(subgraph.url).origin;
      expect((await fetch(`${origin}/ready`)).status).toBe(200);
    }
  });
});
