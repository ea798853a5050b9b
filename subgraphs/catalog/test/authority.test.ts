import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql, type Viewer } from '@nguon/shared';
import { AREAS, PRODUCTS } from '@nguon/demo/cantho';
import { demoOperator, demoOrgId, demoPaths, demoProductId } from '@nguon/demo/ids';
import { startSeededSubgraph, type TestDatabase, type TestSubgraph } from '@nguon/shared/testing';
import { demoAreaId } from '../src/seed';
import { catalogSubgraph } from '../src/server';

/**
 * The catalog rows of docs/write-authority.md: who may license a product, set
 * a season norm or a crop's tolerance, withdraw a product; and the read
 * contracts trace checks lots against.
 */
let db: TestDatabase;
let subgraph: TestSubgraph;
let stop = async () => {};
beforeAll(async () => {
  ({ db, subgraph, stop } = await startSeededSubgraph(catalogSubgraph(), inject('seededTemplate')));
});
afterAll(() => stop());

const operatorPath = (slug: string) => demoPaths.operator(demoOperator(slug));
const OWNER = operatorPath('htx_lua_thoi_thuan');
const SIBLING = operatorPath('htx_lua_tan_loc');
const PACKER = operatorPath('ct_luong_thuc_thot_not'); // a BUSINESS in the same district
const STORE = 'ct.industry_trade.ninh_kieu.st_mekong_xanh_ninh_kieu';
const DISTRICT = 'ct.agri.thot_not';
const DEPARTMENT = 'ct.agri';

const viewer = (role: 'STAFF' | 'OFFICER' | 'ADMIN' | 'ANALYST', path: string): Viewer => ({
  kind: 'user',
  requestId: 'test',
  userId: `${role.toLowerCase()}@${path}`,
  grants: [{ role, orgId: demoOrgId(path), path }],
});
const anonymous: Viewer = { kind: 'anonymous', requestId: 'test' };
const ownerStaff = viewer('STAFF', OWNER);
const ownerAdmin = viewer('ADMIN', OWNER);
const districtOfficer = viewer('OFFICER', DISTRICT);

const rows = <T>(query: ReturnType<typeof sql>) => db.connection.rows<T>(query);
const count = async (table: 'product_licences' | 'season_norms' | 'crop_norm_tolerances' | 'products') =>
  (await rows<{ n: number }>(sql.raw(`select count(*)::int as n from catalog.${table}`)))[0]!.n;
const codeOf = (body: { errors?: { extensions?: { code?: string } }[] }) => body.errors?.[0]?.extensions?.code;

/** A fresh DRAFT product of the owner, so each test starts from its own row. */
async function ownerProduct(): Promise<string> {
  const { body } = await subgraph.request(
    `mutation($i: CreateProductInput!) { createProduct(input: $i) { product { id } } }`,
    { i: { ownerId: demoOrgId(OWNER), categoryCode: 'rice', name: [{ lang: 'vi', text: `Gạo đóng gói thuê ${randomInt(0, 1e9)}` }], unit: 'KGM' } },
    ownerStaff,
  );
  expect(body.errors).toBeUndefined();
  return body.data.createProduct.product.id;
}

const GRANT = `mutation($i: GrantProductLicenceInput!) { grantProductLicence(input: $i) { licence { id licensee { id } grantedBy revokedAt } product { id licences { licensee { id } grantedAt } } } }`;
const REVOKE = `mutation($i: RevokeProductLicenceInput!) { revokeProductLicence(input: $i) { licence { id revokedAt revokedBy } product { licences { licensee { id } } } } }`;
const licenceScope = (productId: string) =>
  rows<{ licensee_id: string }>(sql`select licensee_id from catalog.product_licence_scope where product_id = ${productId}`);

describe('product licences', () => {
  it('lets an ADMIN of the owner license a business and revoke it, and the scope view follows', async () => {
    const productId = await ownerProduct();
    const packer = demoOrgId(PACKER);
    const granted = await subgraph.request(GRANT, { i: { productId, licenseeId: packer } }, ownerAdmin);
    expect(granted.body.errors).toBeUndefined();
    expect(granted.body.data.grantProductLicence.licence).toMatchObject({ licensee: { id: packer }, grantedBy: `admin@${OWNER}`, revokedAt: null });
    expect(granted.body.data.grantProductLicence.product.licences).toEqual([{ licensee: { id: packer }, grantedAt: expect.any(String) }]);
    expect(await licenceScope(productId)).toEqual([{ licensee_id: packer }]);

    // Granting again is a no-op: the same licence, no second row.
    const licences = await count('product_licences');
    const again = await subgraph.request(GRANT, { i: { productId, licenseeId: packer } }, ownerAdmin);
    expect(again.body.data.grantProductLicence.licence.id).toBe(granted.body.data.grantProductLicence.licence.id);
    expect(await count('product_licences')).toBe(licences);

    const revoked = await subgraph.request(REVOKE, { i: { productId, licenseeId: packer } }, ownerAdmin);
    expect(revoked.body.errors).toBeUndefined();
    expect(revoked.body.data.revokeProductLicence.licence).toMatchObject({ revokedAt: expect.any(String), revokedBy: `admin@${OWNER}` });
    expect(revoked.body.data.revokeProductLicence.product.licences).toEqual([]);
    expect(await licenceScope(productId)).toEqual([]);
    // The row stays, stamped: who was licensed when remains answerable.
    expect(await count('product_licences')).toBe(licences);

    const twice = await subgraph.request(REVOKE, { i: { productId, licenseeId: packer } }, ownerAdmin);
    expect(twice.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'licenseeId'] });
  });

  it('lets an ADMIN above the owner (the city) license its product too', async () => {
    const productId = await ownerProduct();
    const { body } = await subgraph.request(GRANT, { i: { productId, licenseeId: demoOrgId(SIBLING) } }, viewer('ADMIN', 'ct'));
    expect(body.errors).toBeUndefined();
    expect(await licenceScope(productId)).toEqual([{ licensee_id: demoOrgId(SIBLING) }]);
  });

  it('refuses the owner STAFF, its supervising OFFICER and other organizations with FORBIDDEN, writing nothing', async () => {
    const productId = await ownerProduct();
    // Published, so every viewer below can see it: the refusal is about the role, not visibility.
    const published = await subgraph.request(
      `mutation($i: PublishProductInput!) { publishProduct(input: $i) { product { status } } }`,
      { i: { id: productId } },
      districtOfficer,
    );
    expect(published.body.data.publishProduct.product.status).toBe('PUBLISHED');
    const before = await count('product_licences');
    for (const as of [ownerStaff, districtOfficer, viewer('OFFICER', DEPARTMENT), viewer('ADMIN', SIBLING), viewer('ADMIN', PACKER), viewer('ANALYST', 'ct')]) {
      const { body } = await subgraph.request(GRANT, { i: { productId, licenseeId: demoOrgId(PACKER) } }, as);
      expect(codeOf(body), as.kind === 'user' ? as.userId : '').toBe('FORBIDDEN');
    }
    const anonymousGrant = await subgraph.request(GRANT, { i: { productId, licenseeId: demoOrgId(PACKER) } }, anonymous);
    expect(codeOf(anonymousGrant.body)).toBe('UNAUTHENTICATED');
    expect(await count('product_licences')).toBe(before);

    // Revoking is the owner ADMIN's act as well.
    await subgraph.request(GRANT, { i: { productId, licenseeId: demoOrgId(PACKER) } }, ownerAdmin);
    const licensed = await count('product_licences');
    for (const as of [ownerStaff, districtOfficer, viewer('ADMIN', PACKER)]) {
      const { body } = await subgraph.request(REVOKE, { i: { productId, licenseeId: demoOrgId(PACKER) } }, as);
      expect(codeOf(body)).toBe('FORBIDDEN');
    }
    expect(await count('product_licences')).toBe(licensed);
    expect(await licenceScope(productId)).toEqual([{ licensee_id: demoOrgId(PACKER) }]);
  });

  it('answers a draft the viewer may not see like a made-up id: BAD_USER_INPUT, nothing written', async () => {
    const productId = await ownerProduct();
    const before = await count('product_licences');
    for (const id of [productId, '00000000-0000-4000-8000-000000000000']) {
      const { body } = await subgraph.request(GRANT, { i: { productId: id, licenseeId: demoOrgId(PACKER) } }, viewer('ADMIN', SIBLING));
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'productId'] });
      expect(body.errors?.[0]?.message).toBe('The product was not found.');
    }
    expect(await count('product_licences')).toBe(before);
  });

  it('licenses only an existing active producer or business other than the owner', async () => {
    const productId = await ownerProduct();
    const before = await count('product_licences');
    for (const licenseeId of [demoOrgId(DISTRICT), demoOrgId(STORE), demoOrgId(OWNER), '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      const { body } = await subgraph.request(GRANT, { i: { productId, licenseeId } }, ownerAdmin);
      expect(body.errors?.[0]?.extensions, licenseeId).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'licenseeId'] });
    }
    expect(await count('product_licences')).toBe(before);
  });

  it("keeps a product's licences INTERNAL: anonymous readers of a published product do not get them", async () => {
    const bagged = PRODUCTS.find((p) => p.operator === 'htx_lua_thoi_thuan' && p.itemRef === '003')!;
    const Q = `query($id: ID!) { product(id: $id) { licences { licensee { id } } } }`;
    const internal = await subgraph.request(Q, { id: demoProductId(bagged) }, ownerStaff);
    expect(internal.body.data.product.licences).toEqual([{ licensee: { id: demoOrgId(PACKER) } }]);
    const outside = await subgraph.request(Q, { id: demoProductId(bagged) }, anonymous);
    expect(outside.body.data?.product ?? null).toBeNull();
    expect(codeOf(outside.body)).toBe('FORBIDDEN');
  });
});

const SET_NORM = `mutation($i: SetSeasonNormInput!) { setSeasonNorm(input: $i) { productionArea { norms { season expectedYieldPerHectare yieldUnit tolerance } } } }`;
const ST25_AREA = AREAS.find((a) => a.code === 'VN-CT-TN-0003')!;

describe('season norms and crop tolerances', () => {
  it("refuses the producer's own STAFF and ADMIN a season norm on its area: FORBIDDEN, nothing written", async () => {
    const before = await count('season_norms');
    const norm = { areaId: demoAreaId(ST25_AREA.code), season: 'Đông Xuân 2025-2026', inputs: [], expectedYieldPerHectare: 20000, yieldUnit: 'KGM' };
    for (const as of [
      ownerStaff,
      ownerAdmin,
      { kind: 'client', requestId: 't', clientId: 'c', orgId: demoOrgId(OWNER), path: OWNER, scopes: ['catalog:write'] } as Viewer,
    ]) {
      const { body } = await subgraph.request(SET_NORM, { i: norm }, as);
      expect(codeOf(body)).toBe('FORBIDDEN');
    }
    for (const as of [viewer('OFFICER', 'ct.agri.phong_dien'), viewer('ADMIN', SIBLING), viewer('ANALYST', DISTRICT)]) {
      const { body } = await subgraph.request(SET_NORM, { i: norm }, as);
      expect(codeOf(body)).toBe('FORBIDDEN');
    }
    expect(await count('season_norms')).toBe(before);
    const [stored] = await rows<{ expected_yield_per_hectare: string }>(
      sql`select expected_yield_per_hectare from catalog.season_norms where area_id = ${demoAreaId(ST25_AREA.code)} and season = 'Đông Xuân 2025-2026'`,
    );
    expect(Number(stored!.expected_yield_per_hectare)).toBe(7200);
  });

  it('lets the district officer above the producer set it, with the crop tolerance shown', async () => {
    const season = `Thu Đông ${randomInt(2030, 2099)}`;
    const { body } = await subgraph.request(
      SET_NORM,
      { i: { areaId: demoAreaId(ST25_AREA.code), season, inputs: [], expectedYieldPerHectare: 6000, yieldUnit: 'KGM' } },
      districtOfficer,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.setSeasonNorm.productionArea.norms).toContainEqual({ season, expectedYieldPerHectare: 6000, yieldUnit: 'KGM', tolerance: 0.2 });
  });

  it('lets only the city or the agriculture department set a crop tolerance, between 0 and 1', async () => {
    const SET = `mutation($i: SetCropNormToleranceInput!) { setCropNormTolerance(input: $i) { cropNormTolerance { crop tolerance updatedAt } } }`;
    const crop = `Lúa thử ${randomInt(0, 1e9)}`;
    const before = await count('crop_norm_tolerances');
    // A department of another sector does not loosen rice norms either.
    for (const as of [
      ownerAdmin,
      districtOfficer,
      viewer('ANALYST', DEPARTMENT),
      viewer('STAFF', DEPARTMENT),
      viewer('OFFICER', 'ct.health'),
      viewer('ADMIN', 'ct.industry_trade'),
    ]) {
      const { body } = await subgraph.request(SET, { i: { crop, tolerance: 0.1 } }, as);
      expect(codeOf(body)).toBe('FORBIDDEN');
    }
    for (const tolerance of [-0.1, 1.5]) {
      const { body } = await subgraph.request(SET, { i: { crop, tolerance } }, viewer('OFFICER', DEPARTMENT));
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'tolerance'] });
    }
    expect(await count('crop_norm_tolerances')).toBe(before);
    const set = await subgraph.request(SET, { i: { crop, tolerance: 0.1 } }, viewer('OFFICER', DEPARTMENT));
    expect(set.body.data.setCropNormTolerance.cropNormTolerance).toMatchObject({ crop, tolerance: 0.1 });
    const reset = await subgraph.request(SET, { i: { crop, tolerance: 0.35 } }, viewer('ADMIN', 'ct'));
    expect(reset.body.data.setCropNormTolerance.cropNormTolerance).toMatchObject({ crop, tolerance: 0.35 });
    expect(await count('crop_norm_tolerances')).toBe(before + 1);
  });
});

describe('withdrawing a product', () => {
  it("lets the owner's STAFF withdraw its own published product, and refuses another producer", async () => {
    const productId = await ownerProduct();
    await subgraph.request(
      `mutation($i: PublishProductInput!) { publishProduct(input: $i) { product { status } } }`,
      { i: { id: productId } },
      districtOfficer,
    );
    const WITHDRAW = `mutation($i: WithdrawProductInput!) { withdrawProduct(input: $i) { product { status withdrawnBy } } }`;
    const other = await subgraph.request(WITHDRAW, { i: { id: productId } }, viewer('STAFF', SIBLING));
    expect(codeOf(other.body)).toBe('FORBIDDEN');
    const [still] = await rows<{ status: string }>(sql`select status from catalog.products where id = ${productId}`);
    expect(still!.status).toBe('PUBLISHED');
    const own = await subgraph.request(WITHDRAW, { i: { id: productId } }, ownerStaff);
    expect(own.body.data.withdrawProduct.product).toEqual({ status: 'WITHDRAWN', withdrawnBy: `staff@${OWNER}` });
  });
});

describe('read contracts for trace', () => {
  it('publishes every product with its owner, status and GTIN in catalog.product_scope', async () => {
    const [totals] = await rows<{ scoped: number; products: number }>(
      sql`select (select count(*)::int from catalog.product_scope) as scoped, (select count(*)::int from catalog.products) as products`,
    );
    expect(totals!.scoped).toBe(totals!.products);
    const st25 = PRODUCTS.find((p) => p.operator === 'htx_lua_thoi_thuan' && p.itemRef === '001')!;
    const [row] = await rows<{ owner_id: string; status: string; gtin: string }>(
      sql`select owner_id, status, gtin from catalog.product_scope where id = ${demoProductId(st25)}`,
    );
    expect(row).toMatchObject({ owner_id: demoOrgId(OWNER), status: 'PUBLISHED' });
    expect(row!.gtin).toMatch(/^\d{14}$/);
    const statuses = await rows<{ status: string }>(sql`select distinct status from catalog.product_scope order by status`);
    expect(statuses.map((s) => s.status).every((s) => ['DRAFT', 'PUBLISHED', 'WITHDRAWN'].includes(s))).toBe(true);
  });

  it('lists the seeded packer licence in catalog.product_licence_scope', async () => {
    const bagged = PRODUCTS.find((p) => p.operator === 'htx_lua_thoi_thuan' && p.itemRef === '003')!;
    expect(await licenceScope(demoProductId(bagged))).toEqual([{ licensee_id: demoOrgId(PACKER) }]);
  });

  it('publishes every production area with owner, hectares and crop in catalog.area_scope', async () => {
    const [row] = await rows<{ owner_id: string; hectares: string; crop: string }>(
      sql`select owner_id, hectares, crop from catalog.area_scope where id = ${demoAreaId(ST25_AREA.code)}`,
    );
    expect(row).toEqual({ owner_id: demoOrgId(OWNER), hectares: expect.anything(), crop: 'Lúa ST25' });
    expect(Number(row!.hectares)).toBe(95);
    const [totals] = await rows<{ scoped: number; areas: number }>(
      sql`select (select count(*)::int from catalog.area_scope) as scoped, (select count(*)::int from catalog.production_areas) as areas`,
    );
    expect(totals!.scoped).toBe(totals!.areas);
  });

  it('gives one season_norm_scope row per norm, with the crop tolerance or the 20 % default', async () => {
    // A crop of its own, so the other tests' tolerances cannot interfere.
    const code = `VN-CT-TN-V${randomInt(0, 1e6)}`;
    const crop = `Lúa hợp đồng ${randomInt(0, 1e9)}`;
    const created = await subgraph.request(
      `mutation($i: CreateProductionAreaInput!) { createProductionArea(input: $i) { productionArea { id } } }`,
      { i: { ownerId: demoOrgId(OWNER), code, name: [{ lang: 'vi', text: 'Ruộng hợp đồng' }], crop, hectares: 10 } },
      ownerStaff,
    );
    const areaId: string = created.body.data.createProductionArea.productionArea.id;
    for (const [season, yieldKg] of [
      ['Đông Xuân 2025-2026', 7000],
      ['Hè Thu 2026', 5500],
    ] as const) {
      const { body } = await subgraph.request(
        SET_NORM,
        { i: { areaId, season, inputs: [], expectedYieldPerHectare: yieldKg, yieldUnit: 'KGM' } },
        districtOfficer,
      );
      expect(body.errors).toBeUndefined();
    }
    const scope = () =>
      rows<{ season: string; expected_yield_per_hectare: string; yield_unit: string; tolerance: string }>(
        sql`select season, expected_yield_per_hectare, yield_unit, tolerance from catalog.season_norm_scope where area_id = ${areaId}`,
      );
    // Sorted here, not by SQL: how 'Đ' sorts against 'H' depends on the database collation.
    const plain = (list: Awaited<ReturnType<typeof scope>>) =>
      list
        .map((r) => [r.season, Number(r.expected_yield_per_hectare), r.yield_unit, Number(r.tolerance)])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]), 'en'));
    expect(plain(await scope())).toEqual([
      ['Đông Xuân 2025-2026', 7000, 'KGM', 0.2],
      ['Hè Thu 2026', 5500, 'KGM', 0.2],
    ]);
    const set = await subgraph.request(
      `mutation($i: SetCropNormToleranceInput!) { setCropNormTolerance(input: $i) { cropNormTolerance { tolerance } } }`,
      { i: { crop, tolerance: 0.05 } },
      viewer('OFFICER', DEPARTMENT),
    );
    expect(set.body.errors).toBeUndefined();
    expect(plain(await scope()).map((r) => r[3])).toEqual([0.05, 0.05]);
    const read = await subgraph.request(`query($id: ID!) { productionArea(id: $id) { norms { season tolerance } } }`, { id: areaId }, ownerStaff);
    expect(read.body.data.productionArea.norms.map((n: { tolerance: number }) => n.tolerance)).toEqual([0.05, 0.05]);

    // The same crop retyped by a producer is registered under the label the tolerance was set for.
    const retyped = `  ${crop.toUpperCase().normalize('NFD').replace(' ', '  - ')} `;
    const second = await subgraph.request(
      `mutation($i: CreateProductionAreaInput!) { createProductionArea(input: $i) { productionArea { id crop norms { tolerance } } } }`,
      { i: { ownerId: demoOrgId(OWNER), code: `${code}B`, name: [{ lang: 'vi', text: 'Ruộng hợp đồng 2' }], crop: retyped, hectares: 10 } },
      ownerStaff,
    );
    expect(second.body.errors).toBeUndefined();
    expect(second.body.data.createProductionArea.productionArea.crop).toBe(crop);
    const [tolerance] = await rows<{ tolerance: string }>(
      sql`select t.tolerance from catalog.area_scope a join catalog.crop_norm_tolerances t on t.crop = a.crop where a.id = ${second.body.data.createProductionArea.productionArea.id}`,
    );
    expect(Number(tolerance!.tolerance)).toBe(0.05);
  });

  it('seeds the demo rice norms under the season labels trace matches exactly', async () => {
    const seasons = await rows<{ season: string; expected_yield_per_hectare: string; tolerance: string }>(
      sql`select season, expected_yield_per_hectare, tolerance from catalog.season_norm_scope where area_id = ${demoAreaId('VN-CT-TN-0011')}`,
    );
    const bySeason = Object.fromEntries(seasons.map((s) => [s.season, [Number(s.expected_yield_per_hectare), Number(s.tolerance)]]));
    expect(bySeason).toEqual({ 'Đông Xuân 2025-2026': [7200, 0.2], 'Hè Thu 2026': [5800, 0.2] });
  });
});
