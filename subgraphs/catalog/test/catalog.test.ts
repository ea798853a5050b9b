import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildSchema, unclassifiedFields } from '@nguon/shared';
import { startSeededSubgraph, type TestDatabase, type TestSubgraph } from '@nguon/shared/testing';
import { productsOfOwners } from '../src/data/products';
import { fieldClasses } from '../src/permissions';
import { catalogSubgraph } from '../src/server';

const definition = catalogSubgraph();
let db: TestDatabase;
let subgraph: TestSubgraph;
let stop = async () => {};
// Products are scoped through tenants' read contract, so tenants' schema comes first.
beforeAll(async () => {
  ({ db, subgraph, stop } = await startSeededSubgraph(definition, inject('seededTemplate')));
});
afterAll(() => stop());

describe('catalog subgraph', () => {
  it('publishes its SDL to the gateway', async () => {
    const { body } = await subgraph.request('{ _service { sdl } }');
    expect(body.data._service.sdl).toMatch(/type Product\s+@key\(fields: "id"\)/);
  });

  it('classifies every field of every type', () => {
    expect(unclassifiedFields(buildSchema(definition), fieldClasses)).toEqual([]);
  });

  it('finds a product by any GTIN form and refuses a wrong check digit', async () => {
    const list = await subgraph.request('{ products(first: 1) { nodes { gtin } } }');
    const gtin14: string = list.body.data.products.nodes[0].gtin;
    const gtin13 = gtin14.slice(1);
    const found = await subgraph.request('query($g: GTIN!) { productByGtin(gtin: $g) { gtin } }', { g: gtin13 });
    expect(found.body.data.productByGtin.gtin).toBe(gtin14);
    const wrong = `${gtin13.slice(0, 12)}${(Number(gtin13[12]) + 1) % 10}`;
    const bad = await subgraph.request('query($g: GTIN!) { productByGtin(gtin: $g) { gtin } }', { g: wrong });
    expect(bad.body.errors?.[0]?.message).toMatch(/check digit/);
  });

  it('hides draft products from anonymous viewers, as if missing', async () => {
    const anonymous = await subgraph.request('{ products(first: 100) { totalCount nodes { status } } }');
    expect(anonymous.body.data.products.nodes.every((p: { status: string }) => p.status === 'PUBLISHED')).toBe(true);
    const officer = await subgraph.request(
      '{ products(first: 100) { totalCount } }',
      {},
      {
        kind: 'user',
        requestId: 't',
        userId: 'u',
        grants: [{ role: 'OFFICER', orgId: 'o', path: 'ct' }],
      },
    );
    expect(officer.body.data.products.totalCount).toBeGreaterThan(anonymous.body.data.products.totalCount);
  });

  it('pages the products of many owners in one statement, at most limit+1 each', async () => {
    const counter = { statements: 0 };
    const owners = await subgraph.request('{ products(first: 100) { nodes { owner { id } } } }');
    const ownerIds = [...new Set<string>(owners.body.data.products.nodes.map((p: { owner: { id: string } }) => p.owner.id))];
    const pages = await productsOfOwners(
      db.connection.drizzle(counter),
      ownerIds,
      { viewer: { kind: 'anonymous', requestId: 't' }, internalRoots: [], departments: [] },
      1,
      null,
    );
    expect(counter.statements).toBe(1);
    expect([...pages.values()].every((list) => list.length <= 2)).toBe(true);
    expect(pages.size).toBe(ownerIds.length);
  });

  it("names an area's commune and its own certificates publicly (issue 15)", async () => {
    const { body } = await subgraph.request(
      `query($code: String!) { productionAreaByCode(code: $code) { commune certifications { scheme schemeName issuer number validFrom validTo status stars } } }`,
      { code: 'VN-CT-TN-0003' },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.productionAreaByCode.commune).toBe('Phường Thới Thuận');
    expect(body.data.productionAreaByCode.certifications).toEqual([
      expect.objectContaining({
        scheme: 'VIETGAP',
        schemeName: 'VietGAP',
        stars: null,
        validTo: '2027-08-31',
        status: expect.stringMatching(/^(VALID|EXPIRED)$/),
      }),
    ]);
    // An area without any has an empty list, not null.
    const bare = await subgraph.request(`query($code: String!) { productionAreaByCode(code: $code) { commune certifications { id } } }`, {
      code: 'VN-CT-NK-0004',
    });
    expect(bare.body.data.productionAreaByCode).toEqual({ commune: 'Phường An Bình', certifications: [] });
  });
});
