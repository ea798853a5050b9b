import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql, withCheckDigit, type Viewer } from '@nguon/shared';
import { demoOperator, demoOperatorGln, demoOrgId, demoPaths } from '@nguon/demo/ids';
import { startSeededSubgraph, type TestDatabase, type TestSubgraph } from '@nguon/shared/testing';
import { catalogSubgraph } from '../src/server';

/**
 * A production area as a place (issue 19): its SGLN is its own GLN or its
 * producer's with an extension, never another organization's.
 */
let db: TestDatabase;
let subgraph: TestSubgraph;
let stop = async () => {};
beforeAll(async () => {
  ({ db, subgraph, stop } = await startSeededSubgraph(catalogSubgraph(), inject('seededTemplate')));
});
afterAll(() => stop());

const FARM = demoOperator('htx_lua_thoi_thuan');
const staff: Viewer = {
  kind: 'user',
  requestId: 'test',
  userId: 'staff@farm',
  grants: [{ role: 'STAFF', orgId: demoOrgId(demoPaths.operator(FARM)), path: demoPaths.operator(FARM) }],
};
const CREATE = `mutation($i: CreateProductionAreaInput!) { createProductionArea(input: $i) { productionArea { id gln glnExtension sgln { epcUrn digitalLink } } } }`;
const area = (fields: Record<string, unknown>) => ({
  i: {
    ownerId: demoOrgId(demoPaths.operator(FARM)),
    code: `VN-CT-TN-G${randomInt(0, 1e9)}`,
    name: [{ lang: 'vi', text: 'Ruộng có GLN' }],
    crop: 'Lúa ST25',
    hectares: 3,
    ...fields,
  },
});
/** A GLN of the farm's company prefix that no demo row uses (location references 9xx). */
const freshGln = (reference: number) => withCheckDigit(`${FARM.companyPrefix}${900 + reference}`);
const areaCount = async () => (await db.connection.rows<{ n: number }>(sql`select count(*)::int as n from catalog.production_areas`))[0]!.n;

describe('production area GLNs', () => {
  it("takes the area's own GLN, or its producer's with an extension, and shows it as an SGLN and in the read contract", async () => {
    const own = freshGln(1);
    const first = await subgraph.request(CREATE, area({ gln: own }), staff);
    expect(first.body.errors).toBeUndefined();
    const { id, ...created } = first.body.data.createProductionArea.productionArea;
    expect(created).toEqual({
      gln: own,
      glnExtension: null,
      sgln: { epcUrn: `urn:epc:id:sgln:${own.slice(0, 9)}.${own.slice(9, 12)}.0`, digitalLink: `https://id.gs1.org/414/${own}` },
    });
    const [scope] = await db.connection.rows<{ gln: string }>(sql`select gln from catalog.area_scope where id = ${id}::uuid`);
    expect(scope?.gln).toBe(own);

    const farmGln = demoOperatorGln(FARM);
    const extension = `ruong-${randomInt(0, 1e6)}`;
    const second = await subgraph.request(CREATE, area({ gln: farmGln, glnExtension: extension }), staff);
    expect(second.body.errors).toBeUndefined();
    expect(second.body.data.createProductionArea.productionArea.sgln).toEqual({
      epcUrn: `urn:epc:id:sgln:${farmGln.slice(0, 9)}.${farmGln.slice(9, 12)}.${extension}`,
      digitalLink: `https://id.gs1.org/414/${farmGln}/254/${extension}`,
    });
  });

  it("refuses a wrong check digit, another organization's GLN, the producer's own without extension and a taken SGLN, writing nothing", async () => {
    const taken = freshGln(2);
    expect((await subgraph.request(CREATE, area({ gln: taken }), staff)).body.errors).toBeUndefined();
    const before = await areaCount();
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ gln: `${taken.slice(0, 12)}${(Number(taken[12]) + 1) % 10}` }, 'BAD_USER_INPUT', ['input', 'gln']],
      [{ glnExtension: 'ruong-1' }, 'BAD_USER_INPUT', ['input', 'glnExtension']],
      [{ gln: freshGln(3), glnExtension: 'ruộng' }, 'BAD_USER_INPUT', ['input', 'glnExtension']],
      [{ gln: demoOperatorGln(demoOperator('htx_lua_tan_loc')) }, 'NOT_OWNER', ['input', 'gln']],
      [{ gln: demoOperatorGln(FARM) }, 'BAD_USER_INPUT', ['input', 'glnExtension']],
      [{ gln: taken }, 'CONFLICT', ['input', 'gln']],
    ];
    for (const [fields, code, field] of cases) {
      const { body } = await subgraph.request(CREATE, area(fields), staff);
      expect(body.errors?.[0]?.extensions, JSON.stringify(fields)).toMatchObject({ code, field });
    }
    expect(await areaCount()).toBe(before);
  });
});
