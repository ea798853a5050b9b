import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEmail, startTestStack, type TestStack } from './helpers';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

describe('the catalog through the gateway', () => {
  it('finds Thốt Nốt rice by an accent-free search, in English with Vietnamese fallback', async () => {
    const result = await stack.gql(
      `{ products(filter: { search: "gao thot not" }, first: 20) { nodes { name { text } description { lang fallback } owner { path } category { code } } } }`,
      {},
      { headers: { 'accept-language': 'en' } },
    );
    expect(result.errors).toBeUndefined();
    const names = result.data.products.nodes.map((p: any) => p.name.text);
    expect(names).toContain('Thot Not ST25 fragrant rice');
    for (const product of result.data.products.nodes) {
      expect(product.category.code).toBe('rice');
      expect(product.owner.path).toMatch(/^ct\./);
    }
  });

  it('lets a producer register a product and its department officer publish it', async () => {
    const staff = await stack.tokenFor(demoEmail('STAFF', 'ct.agri.thot_not.htx_lua_thoi_thuan'));
    const officer = await stack.tokenFor(demoEmail('OFFICER', 'ct.agri'));
    const owner = await stack.gql(`{ organizationByPath(path: "ct.agri.thot_not.htx_lua_thoi_thuan") { id } }`);
    const created = await stack.gql(
      `mutation($i: CreateProductInput!) { createProduct(input: $i) { product { id status internalCode } } }`,
      { i: { ownerId: owner.data.organizationByPath.id, categoryCode: 'rice', name: [{ lang: 'vi', text: 'Gạo mẫu cổng' }], unit: 'KGM' } },
      { token: staff },
    );
    expect(created.errors).toBeUndefined();
    const { id } = created.data.createProduct.product;
    const hidden = await stack.gql(`query($id: ID!) { product(id: $id) { id } }`, { id });
    expect(hidden.data.product).toBeNull();
    const published = await stack.gql(`mutation($id: ID!) { publishProduct(input: { id: $id }) { product { status } } }`, { id }, { token: officer });
    expect(published.data).toEqual({ publishProduct: { product: { status: 'PUBLISHED' } } });
    const shown = await stack.gql(`query($id: ID!) { product(id: $id) { name { text } owner { path } } }`, { id });
    expect(shown.data.product).toEqual({ name: { text: 'Gạo mẫu cổng' }, owner: { path: 'ct.agri.thot_not.htx_lua_thoi_thuan' } });
  });

  it('refuses a page size of 10 000 with BAD_USER_INPUT', async () => {
    const result = await stack.gql(`{ products(first: 10000) { nodes { id } } }`);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
