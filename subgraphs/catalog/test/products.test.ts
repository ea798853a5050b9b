import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql, withCheckDigit, type Viewer } from '@nguon/shared';
import { PRODUCTS } from '@nguon/demo/cantho';
import { demoGtin, demoOperator, demoOrgId, demoPaths, demoProductId } from '@nguon/demo/ids';
import { startSeededSubgraph, type TestDatabase, type TestSubgraph } from '@nguon/shared/testing';
import { catalogSubgraph } from '../src/server';

let db: TestDatabase;
let subgraph: TestSubgraph;
let stop = async () => {};
beforeAll(async () => {
  ({ db, subgraph, stop } = await startSeededSubgraph(catalogSubgraph(), inject('seededTemplate')));
});
afterAll(() => stop());

const RICE_FARM = demoPaths.operator(demoOperator('htx_lua_thoi_thuan'));
const viewer = (role: 'STAFF' | 'OFFICER' | 'ADMIN' | 'ANALYST', path: string): Viewer => ({
  kind: 'user',
  requestId: 'test',
  userId: `${role.toLowerCase()}@${path}`,
  grants: [{ role, orgId: demoOrgId(path), path }],
});
const staff = viewer('STAFF', RICE_FARM);
const anonymous: Viewer = { kind: 'anonymous', requestId: 'test' };

/** A fresh GTIN-13 nobody has used: prefix 893 (GS1 Vietnam) and random digits. */
const freshGtin = () => withCheckDigit(`893${String(randomInt(0, 1e9)).padStart(9, '0')}`);

const countRows = async () => {
  const [row] = await db.connection.rows<{ products: number; certifications: number }>(
    sql`select (select count(*)::int from catalog.products) as products, (select count(*)::int from catalog.certifications) as certifications`,
  );
  return row!;
};

const CREATE = `mutation($input: CreateProductInput!) { createProduct(input: $input) { product { id gtin internalCode status name { text lang } } } }`;
const newProduct = (overrides: Record<string, unknown> = {}) => ({
  ownerId: demoOrgId(RICE_FARM),
  gtin: freshGtin(),
  categoryCode: 'rice',
  name: [{ lang: 'vi', text: 'Gạo thử nghiệm Thới Thuận' }],
  unit: 'KGM',
  netContent: 5,
  ...overrides,
});
async function create(overrides: Record<string, unknown> = {}, as: Viewer = staff) {
  const { body } = await subgraph.request(CREATE, { input: newProduct(overrides) }, as);
  expect(body.errors).toBeUndefined();
  return body.data.createProduct.product as { id: string; gtin: string | null; internalCode: string; status: string };
}

describe('search and listing', () => {
  it('finds the seeded Thốt Nốt rice products when searching "gao thot not" without diacritics', async () => {
    const { body } = await subgraph.request(
      `{ products(filter: { search: "gao thot not" }, first: 50) { totalCount nodes { name { text } category { code } } } }`,
    );
    expect(body.errors).toBeUndefined();
    const names: string[] = body.data.products.nodes.map((p: { name: { text: string } }) => p.name.text);
    expect(names).toEqual(expect.arrayContaining(['Gạo thơm Thốt Nốt ST25', 'Gạo thơm Thốt Nốt ST25 xuất khẩu', 'Gạo Nàng Hoa 9 Thốt Nốt']));
    expect(body.data.products.nodes.every((p: { category: { code: string } }) => p.category.code === 'rice')).toBe(true);
  });

  it('filters by category subtree, district, sector and valid certification', async () => {
    const query = `query($f: ProductFilter) { products(filter: $f, first: 100) { totalCount nodes { category { code sector } certifications { scheme status } } } }`;
    const fresh = await subgraph.request(query, { f: { categoryCode: 'fresh_produce' } });
    const codes = new Set(fresh.body.data.products.nodes.map((p: any) => p.category.code));
    expect([...codes].every((c) => ['rice', 'fruit', 'vegetable', 'seafood', 'livestock'].includes(c as string))).toBe(true);
    expect(codes.size).toBeGreaterThan(2);
    const health = await subgraph.request(query, { f: { sector: 'HEALTH' } });
    expect(health.body.data.products.nodes.every((p: any) => p.category.sector === 'HEALTH')).toBe(true);
    const thotNot = await subgraph.request(query, { f: { districtCode: '923', categoryCode: 'rice' } });
    expect(thotNot.body.data.products.totalCount).toBeGreaterThan(0);
    const vietgap = await subgraph.request(query, { f: { certification: 'VIETGAP' } });
    expect(vietgap.body.data.products.totalCount).toBeGreaterThan(0);
    for (const p of vietgap.body.data.products.nodes) expect(p.certifications).toContainEqual({ scheme: 'VIETGAP', status: 'VALID' });
  });

  it('pages with cursors and refuses a page size of 10 000 or an unknown category', async () => {
    const first = await subgraph.request(`{ products(first: 2) { pageInfo { hasNextPage endCursor } nodes { id } } }`);
    const second = await subgraph.request(`query($a: String) { products(first: 2, after: $a) { nodes { id } } }`, {
      a: first.body.data.products.pageInfo.endCursor,
    });
    expect(first.body.data.products.pageInfo.hasNextPage).toBe(true);
    expect(second.body.data.products.nodes[0].id > first.body.data.products.nodes[1].id).toBe(true);
    const huge = await subgraph.request(`{ products(first: 10000) { nodes { id } } }`);
    expect(huge.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['first'] });
    const unknown = await subgraph.request(`{ products(filter: { categoryCode: "spaceships" }) { nodes { id } } }`);
    expect(unknown.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['filter', 'categoryCode'] });
  });
});

describe('languages', () => {
  it('gives an English page that falls back to Vietnamese field by field and says so', async () => {
    // Gạo nếp cái hoa vàng Tân Lộc has no English name or description; its storage advice is in both.
    const demo = PRODUCTS.find((p) => p.nameVi === 'Gạo nếp cái hoa vàng Tân Lộc')!;
    const { body } = await subgraph.request(
      `query($id: ID!) { product(id: $id) { languages name(lang: "en") { text lang fallback } description(lang: "en") { lang fallback } storageConditions(lang: "en") { text lang fallback } category { name(lang: "en") { text lang fallback } } } }`,
      { id: demoProductId(demo) },
      viewer('OFFICER', 'ct'),
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.product).toEqual({
      languages: ['vi'],
      name: { text: 'Gạo nếp cái hoa vàng Tân Lộc', lang: 'vi', fallback: true },
      description: { lang: 'vi', fallback: true },
      storageConditions: { text: 'Store in a cool, dry place away from direct sunlight.', lang: 'en', fallback: false },
      category: { name: { text: 'Rice', lang: 'en', fallback: false } },
    });
  });

  it('follows Accept-Language when no lang argument is given', async () => {
    const demo = PRODUCTS.find((p) => p.nameEn === 'Thot Not ST25 fragrant rice')!;
    const response = await fetch(subgraph.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'accept-language': 'en-US,en;q=0.9',
        'x-nguon-viewer': (await import('@nguon/shared')).signViewer(anonymous, (await import('@nguon/shared/testing')).TEST_GATEWAY_SECRET),
      },
      body: JSON.stringify({ query: `query($g: GTIN!) { productByGtin(gtin: $g) { name { text lang fallback } } }`, variables: { g: demoGtin(demo) } }),
    });
    const body = (await response.json()) as any;
    expect(body.data.productByGtin.name).toEqual({ text: 'Thot Not ST25 fragrant rice', lang: 'en', fallback: false });
  });

  it('lists the languages the catalog accepts, which are data', async () => {
    const { body } = await subgraph.request(`{ languages { tag name { text } } }`);
    expect(body.data.languages).toEqual([
      { tag: 'vi', name: { text: 'Tiếng Việt' } },
      { tag: 'en', name: { text: 'Tiếng Anh' } },
      { tag: 'zh', name: { text: 'Tiếng Trung (giản thể)' } },
      { tag: 'ko', name: { text: 'Tiếng Hàn' } },
      { tag: 'ja', name: { text: 'Tiếng Nhật' } },
    ]);
  });

  it('takes product text in Chinese, Korean and Japanese, and a Chinese reader gets English before Vietnamese where it is missing', async () => {
    const product = await create({
      name: [
        { lang: 'vi', text: 'Gạo thử nghiệm xuất khẩu' },
        { lang: 'en', text: 'Test export rice' },
        { lang: 'zh', text: '出口试验大米' },
        { lang: 'ja', text: '輸出用試験米' },
      ],
      description: [
        { lang: 'vi', text: 'Gạo thơm trồng ở Thốt Nốt.' },
        { lang: 'en', text: 'Fragrant rice grown in Thốt Nốt.' },
      ],
    });
    const ask = (lang: string) =>
      subgraph.request(
        `query($id: ID!, $l: String) { product(id: $id) { languages name(lang: $l) { text lang fallback } description(lang: $l) { text lang fallback } } }`,
        { id: product.id, l: lang },
        staff,
      );
    const zh = (await ask('zh')).body.data.product;
    expect(zh).toEqual({
      languages: ['en', 'ja', 'vi', 'zh'],
      name: { text: '出口试验大米', lang: 'zh', fallback: false },
      description: { text: 'Fragrant rice grown in Thốt Nốt.', lang: 'en', fallback: true },
    });
    // Korean has no name of its own: English, field by field, not Japanese or Vietnamese.
    expect((await ask('ko')).body.data.product.name).toEqual({ text: 'Test export rice', lang: 'en', fallback: true });
    expect((await ask('ja')).body.data.product.name).toEqual({ text: '輸出用試験米', lang: 'ja', fallback: false });
  });
});

describe('writing products', () => {
  it('creates a draft with a GTIN-13 stored as GTIN-14, hidden from anonymous viewers', async () => {
    const gtin = freshGtin();
    const product = await create({ gtin });
    expect(product).toMatchObject({ gtin: `0${gtin}`, status: 'DRAFT' });
    expect(product.internalCode).toMatch(/^NG-[0-9A-F]{10}$/);
    const seen = await subgraph.request(`query($id: ID!) { product(id: $id) { id } }`, { id: product.id }, anonymous);
    expect(seen.body.data.product).toBeNull();
  });

  it('refuses bad input with BAD_USER_INPUT on the field and writes nothing', async () => {
    const cases: [Record<string, unknown>, string[], RegExp][] = [
      [{ gtin: '8936041170017' }, ['input', 'gtin'], /check digit/],
      [{ gtin: '089360411700123' }, ['input', 'gtin'], /8, 12, 13 or 14 digits/],
      [{ name: [{ lang: 'vi', text: '   ' }] }, ['input', 'name', '0', 'text'], /cannot be empty/],
      [{ name: [{ lang: 'en', text: 'Rice' }] }, ['input', 'name'], /Vietnamese is required/],
      [
        {
          name: [
            { lang: 'vi', text: 'Gạo' },
            { lang: 'fr', text: 'Riz' },
          ],
        },
        ['input', 'name', '1', 'lang'],
        /Unknown language/,
      ],
      [{ categoryCode: 'spaceships' }, ['input', 'categoryCode'], /Unknown category/],
      [{ unit: 'kilograms' }, ['input', 'unit'], /UN\/ECE/],
      [{ netContent: -1 }, ['input', 'netContent'], /more than 0/],
    ];
    const before = await countRows();
    for (const [overrides, field, message] of cases) {
      const { body } = await subgraph.request(CREATE, { input: newProduct(overrides) }, staff);
      expect(body.errors?.[0]?.extensions, JSON.stringify(overrides)).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(body.errors?.[0]?.message).toMatch(message);
    }
    expect(await countRows()).toEqual(before);
  });

  it('rejects a duplicate GTIN in any form with CONFLICT', async () => {
    const gtin = freshGtin();
    await create({ gtin });
    const before = await countRows();
    const { body } = await subgraph.request(CREATE, { input: newProduct({ gtin: `0${gtin}` }) }, staff);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: ['input', 'gtin'] });
    expect(await countRows()).toEqual(before);
  });

  it('lets only staff of the owner create products there', async () => {
    const other = viewer('STAFF', demoPaths.operator(demoOperator('htx_lua_tan_loc')));
    for (const as of [other, viewer('ANALYST', 'ct'), viewer('OFFICER', 'ct.agri')]) {
      const { body } = await subgraph.request(CREATE, { input: newProduct() }, as);
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const { body } = await subgraph.request(CREATE, { input: newProduct() }, anonymous);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('gives a product without a GTIN an internal code that still resolves after a GTIN is mapped', async () => {
    const product = await create({ gtin: null });
    expect(product.gtin).toBeNull();
    const gtin = freshGtin();
    const mapped = await subgraph.request(
      `mutation($i: AssignGtinInput!) { assignGtin(input: $i) { product { id gtin internalCode } } }`,
      { i: { id: product.id, gtin } },
      staff,
    );
    expect(mapped.body.data.assignGtin.product).toEqual({ id: product.id, gtin: `0${gtin}`, internalCode: product.internalCode });
    const byCode = await subgraph.request(
      `query($c: String!) { productByInternalCode(code: $c) { id gtin } }`,
      { c: product.internalCode.toLowerCase() },
      staff,
    );
    expect(byCode.body.data.productByInternalCode).toEqual({ id: product.id, gtin: `0${gtin}` });
  });

  it('publishes DRAFT → PUBLISHED → WITHDRAWN with who and when, and freezes a published GTIN', async () => {
    const product = await create();
    const officer = viewer('OFFICER', 'ct.agri.thot_not');
    const FIELDS = `product { status publishedAt publishedBy withdrawnAt withdrawnBy withdrawnReason }`;
    const byStaff = await subgraph.request(`mutation($i: PublishProductInput!) { publishProduct(input: $i) { ${FIELDS} } }`, { i: { id: product.id } }, staff);
    expect(byStaff.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const published = await subgraph.request(
      `mutation($i: PublishProductInput!) { publishProduct(input: $i) { ${FIELDS} } }`,
      { i: { id: product.id } },
      officer,
    );
    expect(published.body.data.publishProduct.product).toMatchObject({ status: 'PUBLISHED', publishedBy: 'officer@ct.agri.thot_not', withdrawnAt: null });
    const seen = await subgraph.request(`query($id: ID!) { product(id: $id) { status publishedBy } }`, { id: product.id }, anonymous);
    expect(seen.body.data.product.status).toBe('PUBLISHED');
    expect(seen.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN'); // publishedBy is INTERNAL
    const regtin = await subgraph.request(
      `mutation($i: AssignGtinInput!) { assignGtin(input: $i) { product { gtin } } }`,
      { i: { id: product.id, gtin: freshGtin() } },
      staff,
    );
    expect(regtin.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: ['input', 'gtin'] });
    expect(regtin.body.errors?.[0]?.message).toMatch(/GTIN cannot change/);
    const withdrawn = await subgraph.request(
      `mutation($i: WithdrawProductInput!) { withdrawProduct(input: $i) { ${FIELDS} } }`,
      { i: { id: product.id, reason: 'Hết mùa' } },
      officer,
    );
    expect(withdrawn.body.data.withdrawProduct.product).toMatchObject({
      status: 'WITHDRAWN',
      withdrawnBy: 'officer@ct.agri.thot_not',
      withdrawnReason: 'Hết mùa',
    });
    const again = await subgraph.request(
      `mutation($i: WithdrawProductInput!) { withdrawProduct(input: $i) { product { status } } }`,
      { i: { id: product.id } },
      officer,
    );
    expect(again.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const gone = await subgraph.request(`query($id: ID!) { product(id: $id) { id } }`, { id: product.id }, anonymous);
    expect(gone.body.data.product).toBeNull();
  });

  it('merges translations per language and refuses removing the Vietnamese name', async () => {
    const product = await create({ description: [{ lang: 'vi', text: 'Mô tả' }] });
    const UPDATE = `mutation($i: UpdateProductInput!) { updateProduct(input: $i) { product { name(lang: "en") { text lang } description(lang: "en") { text lang fallback } languages } } }`;
    const updated = await subgraph.request(UPDATE, { i: { id: product.id, name: [{ lang: 'en', text: 'Trial rice' }] } }, staff);
    expect(updated.body.data.updateProduct.product).toEqual({
      name: { text: 'Trial rice', lang: 'en' },
      description: { text: 'Mô tả', lang: 'vi', fallback: true },
      languages: ['en', 'vi'],
    });
    const emptied = await subgraph.request(UPDATE, { i: { id: product.id, name: [{ lang: 'vi', text: '' }] } }, staff);
    expect(emptied.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'name', '0', 'text'] });
  });
});

describe('certifications', () => {
  it('flags expired certificates so they never read as valid', async () => {
    const product = await create();
    const ADD = `mutation($i: AddCertificationInput!) { addCertification(input: $i) { certification { scheme schemeName stars status } } }`;
    const base = { productId: product.id, issuer: 'QUATEST 3', number: 'X-1' };
    const expired = await subgraph.request(ADD, { i: { ...base, scheme: 'VIETGAP', validFrom: '2020-01-01', validTo: '2022-12-31' } }, staff);
    expect(expired.body.data.addCertification.certification).toEqual({ scheme: 'VIETGAP', schemeName: 'VietGAP', stars: null, status: 'EXPIRED' });
    const ocop = await subgraph.request(ADD, { i: { ...base, scheme: 'OCOP', stars: 4, validFrom: '2024-01-01', validTo: '2099-12-31' } }, staff);
    expect(ocop.body.data.addCertification.certification).toEqual({ scheme: 'OCOP', schemeName: 'OCOP', stars: 4, status: 'VALID' });
    const other = await subgraph.request(ADD, { i: { ...base, scheme: 'OTHER', schemeName: 'Halal', validFrom: '2099-01-01', validTo: '2099-12-31' } }, staff);
    expect(other.body.data.addCertification.certification).toEqual({ scheme: 'OTHER', schemeName: 'Halal', stars: null, status: 'NOT_YET_VALID' });
  });

  it('refuses a certificate that ends before it starts, and writes nothing', async () => {
    const product = await create();
    const before = await countRows();
    const { body } = await subgraph.request(
      `mutation($i: AddCertificationInput!) { addCertification(input: $i) { certification { id } } }`,
      { i: { productId: product.id, scheme: 'HACCP', issuer: 'QUATEST 3', number: 'H-1', validFrom: '2026-05-01', validTo: '2026-04-30' } },
      staff,
    );
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'validTo'] });
    expect(await countRows()).toEqual(before);
  });
});

describe('category supervision', () => {
  it('lets the department of a product category see and publish it, even under another department', async () => {
    // An Agriculture cooperative registers a cosmetic: Health supervises it.
    const product = await create({
      categoryCode: 'cosmetics',
      name: [{ lang: 'vi', text: 'Xà bông cám gạo' }],
      unit: 'GRM',
      internalNote: 'Nhà cung cấp: cơ sở A',
    });
    const Q = `query($id: ID!) { product(id: $id) { internalNote category { sector } } }`;
    const health = await subgraph.request(Q, { id: product.id }, viewer('OFFICER', 'ct.health'));
    expect(health.body.data.product).toEqual({ internalNote: 'Nhà cung cấp: cơ sở A', category: { sector: 'HEALTH' } });
    const trade = await subgraph.request(Q, { id: product.id }, viewer('OFFICER', 'ct.industry_trade'));
    expect(trade.body.data.product).toBeNull();
    const listed = await subgraph.request(
      `{ products(filter: { search: "xa bong cam gao", status: DRAFT }) { nodes { id } } }`,
      {},
      viewer('OFFICER', 'ct.health'),
    );
    expect(listed.body.data.products.nodes.map((p: { id: string }) => p.id)).toContain(product.id);
    const healthDistrict = await subgraph.request(Q, { id: product.id }, viewer('OFFICER', 'ct.health.ninh_kieu'));
    expect(healthDistrict.body.data.product).toBeNull();
    const published = await subgraph.request(
      `mutation($i: PublishProductInput!) { publishProduct(input: $i) { product { status } } }`,
      { i: { id: product.id } },
      viewer('OFFICER', 'ct.health'),
    );
    expect(published.body.data.publishProduct.product.status).toBe('PUBLISHED');
  });
});

describe('production areas', () => {
  it('keeps season norms INTERNAL to the producer while the area itself is public', async () => {
    const code = `VN-CT-TN-T${randomInt(0, 1e6)}`;
    const created = await subgraph.request(
      `mutation($i: CreateProductionAreaInput!) { createProductionArea(input: $i) { productionArea { id code hectares location { latitude } } } }`,
      {
        i: {
          ownerId: demoOrgId(RICE_FARM),
          code,
          name: [{ lang: 'vi', text: 'Ruộng thử' }],
          crop: 'Lúa ST25',
          hectares: 12.5,
          latitude: 10.3,
          longitude: 105.5,
        },
      },
      staff,
    );
    const area = created.body.data.createProductionArea.productionArea;
    expect(area).toMatchObject({ code, hectares: 12.5, location: { latitude: 10.3 } });
    const norm = await subgraph.request(
      `mutation($i: SetSeasonNormInput!) { setSeasonNorm(input: $i) { productionArea { norms { season expectedYieldPerHectare inputs { input quantityPerHectare unit } } } } }`,
      {
        i: {
          areaId: area.id,
          season: 'Đông Xuân 2026-2027',
          inputs: [{ input: 'Urê', quantityPerHectare: 150, unit: 'KGM' }],
          expectedYieldPerHectare: 7000,
          yieldUnit: 'KGM',
        },
      },
      // The producer registers its area; its district sets the yardstick (docs/write-authority.md).
      viewer('OFFICER', 'ct.agri.thot_not'),
    );
    expect(norm.body.data.setSeasonNorm.productionArea.norms).toEqual([
      { season: 'Đông Xuân 2026-2027', expectedYieldPerHectare: 7000, inputs: [{ input: 'Urê', quantityPerHectare: 150, unit: 'KGM' }] },
    ]);
    const publicView = await subgraph.request(`query($c: String!) { productionAreaByCode(code: $c) { code norms { season } } }`, { c: code }, anonymous);
    expect(publicView.body.data.productionAreaByCode).toBeNull();
    expect(publicView.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const duplicate = await subgraph.request(
      `mutation($i: CreateProductionAreaInput!) { createProductionArea(input: $i) { productionArea { id } } }`,
      { i: { ownerId: demoOrgId(RICE_FARM), code, name: [{ lang: 'vi', text: 'Trùng' }], crop: 'Lúa', hectares: 1 } },
      staff,
    );
    expect(duplicate.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});

describe('federation', () => {
  it('resolves Product references by id and by gtin in one statement per key', async () => {
    const seeded = PRODUCTS.slice(0, 6);
    const representations = [
      ...seeded.slice(0, 3).map((p) => ({ __typename: 'Product', id: demoProductId(p) })),
      ...seeded.slice(3).map((p) => ({ __typename: 'Product', gtin: demoGtin(p) })),
    ];
    const before = subgraph.counter.statements;
    const { body } = await subgraph.request(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id gtin } } }`, { r: representations });
    expect(subgraph.counter.statements - before).toBe(2);
    expect(body.data._entities.map((e: { id: string }) => e.id)).toEqual(seeded.map(demoProductId));
  });
});
