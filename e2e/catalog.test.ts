import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@nguon/shared';
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

  it("lets the district officer set a season norm on a producer's area, never the producer's own STAFF or ADMIN", async () => {
    const area = await stack.gql(`{ productionAreaByCode(code: "VN-CT-TN-0003") { id } }`);
    const areaId: string = area.data.productionAreaByCode.id;
    const SET = `mutation($i: SetSeasonNormInput!) { setSeasonNorm(input: $i) { productionArea { norms { season expectedYieldPerHectare tolerance } } } }`;
    const norm = { areaId, season: 'Thu Đông 2026', inputs: [], expectedYieldPerHectare: 5000, yieldUnit: 'KGM' };
    const norms = async () =>
      (await stack.db.connection.rows<{ n: number }>(sql`select count(*)::int as n from catalog.season_norms where area_id = ${areaId}`))[0]!.n;
    const before = await norms();
    for (const role of ['STAFF', 'ADMIN']) {
      const token = await stack.tokenFor(demoEmail(role, 'ct.agri.thot_not.htx_lua_thoi_thuan'));
      const refused = await stack.gql(SET, { i: norm }, { token });
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await norms()).toBe(before);
    const officer = await stack.tokenFor(demoEmail('OFFICER', 'ct.agri.thot_not'));
    const set = await stack.gql(SET, { i: norm }, { token: officer });
    expect(set.errors).toBeUndefined();
    expect(set.data.setSeasonNorm.productionArea.norms).toContainEqual({ season: 'Thu Đông 2026', expectedYieldPerHectare: 5000, tolerance: 0.2 });
    expect(await norms()).toBe(before + 1);
  });

  it('lets the owner ADMIN license a product to a packer through the gateway, and refuses its STAFF', async () => {
    const ids = await stack.gql(
      `{ owner: organizationByPath(path: "ct.agri.thot_not.htx_lua_thoi_thuan") { id } packer: organizationByPath(path: "ct.agri.thot_not.ct_luong_thuc_thot_not") { id } }`,
    );
    const admin = await stack.tokenFor(demoEmail('ADMIN', 'ct.agri.thot_not.htx_lua_thoi_thuan'));
    // One of the owner's products not licensed yet (the demo seed licenses one to this packer).
    const products = await stack.gql(
      `query($o: ID!) { products(ownerId: $o, first: 50) { nodes { id licences { licensee { id } } } } }`,
      { o: ids.data.owner.id },
      { token: admin },
    );
    const unlicensed = products.data.products.nodes.find((p: { licences: unknown[] }) => p.licences.length === 0);
    const i = { productId: unlicensed.id, licenseeId: ids.data.packer.id };
    const GRANT = `mutation($i: GrantProductLicenceInput!) { grantProductLicence(input: $i) { product { licences { licensee { id name { text } } } } } }`;
    const licences = async () => (await stack.db.connection.rows<{ n: number }>(sql`select count(*)::int as n from catalog.product_licences`))[0]!.n;
    const before = await licences();
    const staff = await stack.tokenFor(demoEmail('STAFF', 'ct.agri.thot_not.htx_lua_thoi_thuan'));
    const refused = await stack.gql(GRANT, { i }, { token: staff });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await licences()).toBe(before);
    const granted = await stack.gql(GRANT, { i }, { token: admin });
    expect(granted.errors).toBeUndefined();
    // The licensee is an Organization reference the gateway completes from tenants.
    expect(granted.data.grantProductLicence.product.licences).toContainEqual({
      licensee: { id: ids.data.packer.id, name: { text: 'Công ty TNHH Lương thực Thốt Nốt' } },
    });
    expect(await licences()).toBe(before + 1);
  });

  it('refuses a page size of 10 000 with BAD_USER_INPUT', async () => {
    const result = await stack.gql(`{ products(first: 10000) { nodes { id } } }`);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
