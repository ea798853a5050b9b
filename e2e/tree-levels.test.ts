import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, sql } from '@nguon/shared';
import { demoOperator, demoOrgId, demoTree } from '@nguon/demo/ids';
import { demoEmail, startTestStack, type TestStack } from './helpers';

/**
 * Issue 16: the tree as data. Each node names its administrative level;
 * statistics group by any level from the tree as it is now, and adding,
 * moving or renaming an area changes no figure of another one. The demo
 * seeds either the article's layout (districts, 2019) or the 2025 one
 * (communes/wards straight under the departments).
 */
// An officer of the city reads every figure: no cell is withheld, so figures compare exactly.
const AGGREGATE = `query($input: AggregateInput!) { aggregate(input: $input) { rows { keys { dimension value label } values { measure value unit } } } }`;
const CREATE = `mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id path level { code rank } } } }`;

type Row = { keys: { dimension: string; value: string | null; label: string | null }[]; values: { measure: string; value: number | null; unit: string }[] };
const kilograms = (row: Row) => row.values.find((v) => v.unit === 'KGM')?.value ?? 0;

async function aggregate(stack: TestStack, token: string, input: Record<string, unknown>): Promise<Row[]> {
  const r = await stack.gql(AGGREGATE, { input }, { token });
  expect(r.errors).toBeUndefined();
  return r.data.aggregate.rows;
}

describe('the 2019 layout: city → departments → districts → operators', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.stop());

  it('keeps every district figure and label when a commune is added under Thốt Nốt, and groups by the new level', async () => {
    const officer = await stack.tokenFor(demoEmail('OFFICER', 'ct'));
    const byDistrict = { measures: ['PRODUCTION_VOLUME', 'LOT_COUNT'], groupBy: ['DISTRICT'] };
    const byDistrictNode = { measures: ['PRODUCTION_VOLUME', 'LOT_COUNT'], groupBy: ['AREA'], areaLevel: 'district', filter: { sectors: ['AGRICULTURE'] } };
    const before = await aggregate(stack, officer, byDistrict);
    const nodesBefore = await aggregate(stack, officer, byDistrictNode);
    expect(before.find((r) => r.keys[0]!.value === '923')!.keys[0]!.label).toBe('Quận Thốt Nốt');

    const admin = await stack.tokenFor(demoEmail('ADMIN', 'ct.agri.thot_not'));
    const created = await stack.gql(
      CREATE,
      { i: { parentId: demoOrgId('ct.agri.thot_not'), kind: 'AREA', nameVi: 'Phường Thới Thuận', nameEn: 'Thoi Thuan Ward', slug: 'thoi_thuan' } },
      { token: admin },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.createOrganization.organization).toMatchObject({ path: 'ct.agri.thot_not.thoi_thuan', level: { code: 'commune', rank: 3 } });

    // The regression: the district's label came from whichever AREA carried code 923 first by id.
    expect(await aggregate(stack, officer, byDistrict)).toEqual(before);
    expect(await aggregate(stack, officer, byDistrictNode)).toEqual(nodesBefore);

    // Move the farm into the commune: districts unchanged, the commune now has exactly the farm's figures.
    const farm = demoOrgId('ct.agri.thot_not.htx_lua_thoi_thuan');
    const moved = await stack.gql(
      `mutation($i: MoveOrganizationInput!) { moveOrganization(input: $i) { organization { path level { code } } } }`,
      { i: { id: farm, newParentId: created.data.createOrganization.organization.id } },
      { token: admin },
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data.moveOrganization.organization).toEqual({ path: 'ct.agri.thot_not.thoi_thuan.htx_lua_thoi_thuan', level: { code: 'operator' } });
    expect(await aggregate(stack, officer, byDistrict)).toEqual(before);
    expect(await aggregate(stack, officer, byDistrictNode)).toEqual(nodesBefore);
    const farmOnly = await aggregate(stack, officer, { measures: ['PRODUCTION_VOLUME', 'LOT_COUNT'], filter: { producerIds: [farm] } });
    const communes = await aggregate(stack, officer, { measures: ['PRODUCTION_VOLUME', 'LOT_COUNT'], groupBy: ['AREA'], areaLevel: 'commune' });
    const commune = communes.find((r) => r.keys[0]!.value === created.data.createOrganization.organization.id)!;
    expect(commune.keys[0]!.label).toBe('Phường Thới Thuận');
    expect(commune.values).toEqual(farmOnly[0]!.values);
    expect(kilograms(commune)).toBeGreaterThan(0);
    // Filtering by the commune counts the same rows as naming its one producer.
    expect(
      await aggregate(stack, officer, { measures: ['PRODUCTION_VOLUME', 'LOT_COUNT'], filter: { areaIds: [created.data.createOrganization.organization.id] } }),
    ).toEqual(farmOnly);

    // Renaming the district renames its group, nothing else.
    const renamed = await stack.gql(
      `mutation($i: RenameOrganizationInput!) { renameOrganization(input: $i) { organization { id } } }`,
      { i: { id: demoOrgId('ct.agri.thot_not'), nameVi: 'Quận Thốt Nốt (cũ)' } },
      { token: await stack.tokenFor(demoEmail('ADMIN', 'ct.agri')) },
    );
    expect(renamed.errors).toBeUndefined();
    const after = await aggregate(stack, officer, byDistrictNode);
    expect(after.map((r) => r.values)).toEqual(nodesBefore.map((r) => r.values));
    expect(after.find((r) => r.keys[0]!.value === demoOrgId('ct.agri.thot_not'))!.keys[0]!.label).toBe('Quận Thốt Nốt (cũ)');
  });

  it('groups by district nodes to the same totals as by district code, per department', async () => {
    const officer = await stack.tokenFor(demoEmail('OFFICER', 'ct'));
    const health = { sectors: ['HEALTH'] };
    const byCode = await aggregate(stack, officer, { measures: ['LOT_COUNT'], groupBy: ['DISTRICT'], filter: health });
    const byNode = await aggregate(stack, officer, { measures: ['LOT_COUNT'], groupBy: ['AREA'], areaLevel: 'district', filter: health });
    const label = (rows: Row[]) => rows.map((r) => [r.keys[0]!.label, r.values[0]!.value]).sort();
    expect(label(byNode)).toEqual(label(byCode));
  });

  it('refuses an AREA grouping without a level or with a level the tree does not have', async () => {
    const officer = await stack.tokenFor(demoEmail('OFFICER', 'ct'));
    const missing = await stack.gql(AGGREGATE, { input: { measures: ['LOT_COUNT'], groupBy: ['AREA'] } }, { token: officer });
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'areaLevel'] });
    const unknown = await stack.gql(AGGREGATE, { input: { measures: ['LOT_COUNT'], groupBy: ['AREA'], areaLevel: 'hamlet' } }, { token: officer });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'areaLevel'] });
  });

  it('refuses to place a district under a commune-level node or to name a level above the parent', async () => {
    const admin = await stack.tokenFor(demoEmail('ADMIN', 'ct.agri.phong_dien'));
    const r = await stack.gql(
      CREATE,
      { i: { parentId: demoOrgId('ct.agri.phong_dien'), kind: 'AREA', nameVi: 'Quận mới', slug: 'quan_moi', level: 'district' } },
      { token: admin },
    );
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'level'] });
    const rows = rowsOf<{ n: number }>(
      await stack.db.connection.drizzle().execute(sql`select count(*)::int as n from tenants.organizations where slug = 'quan_moi'`),
    );
    expect(rows[0]!.n).toBe(0);
  });
});

describe('the 2025 layout: province → departments → communes/wards → operators', () => {
  let stack: TestStack;
  let reference: TestStack;
  beforeAll(async () => {
    [stack, reference] = await Promise.all([startTestStack({ demoLayout: '2025' }), startTestStack()]);
  });
  afterAll(async () => {
    await stack?.stop();
    await reference?.stop();
  });

  it('has no district level and the merged department names', async () => {
    const r = await stack.gql(
      `{ treeLevels { code } departments: organizations(kind: DEPARTMENT, first: 10) { nodes { path name { text } } }
         districts: organizations(level: "district", first: 1) { totalCount } communes: organizations(level: "commune", under: "ct.agri", first: 1) { totalCount } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.treeLevels.map((l: any) => l.code)).toEqual(['city', 'department', 'commune', 'operator']);
    expect(r.data.departments.nodes.find((d: any) => d.path === 'ct.agri').name.text).toBe('Sở Nông nghiệp và Môi trường');
    expect(r.data.districts.totalCount).toBe(0);
    expect(r.data.communes.totalCount).toBeGreaterThan(0);
  });

  it('places a new area straight under a department on the commune level, as there is no district level', async () => {
    const r = await stack.gql(
      CREATE,
      { i: { parentId: demoOrgId('ct.agri'), kind: 'AREA', nameVi: 'Xã Thạnh Lộc', nameEn: 'Thanh Loc Commune', slug: 'thanh_loc' } },
      { token: await stack.tokenFor(demoEmail('ADMIN', 'ct.agri')) },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.createOrganization.organization).toMatchObject({ path: 'ct.agri.thanh_loc', level: { code: 'commune', rank: 3 } });
  });

  it('groups production by commune with no district level, to the same lots and quantities as the 2019 layout', async () => {
    const officer = await stack.tokenFor(demoEmail('OFFICER', 'ct'));
    const measures = ['PRODUCTION_VOLUME', 'LOT_COUNT'];
    const byCommune = await aggregate(stack, officer, { measures, groupBy: ['AREA'], areaLevel: 'commune', filter: { sectors: ['AGRICULTURE'] } });
    const tree = demoTree('2025');
    const ward = demoOrgId(tree.areaOf(demoOperator('htx_lua_thoi_thuan')));
    const thotNot = byCommune.find((r) => r.keys[0]!.value === ward)!;
    expect(thotNot.keys[0]!.label).toBe('Phường Thốt Nốt');
    // Every agricultural operator sits in a commune: no row without one.
    expect(byCommune.every((r) => r.keys[0]!.value !== null)).toBe(true);
    // The ward's figures are its operators' figures.
    const operators = (
      await stack.gql(`query($u: String!) { organizations(under: $u, level: "operator", first: 100) { nodes { id } } }`, {
        u: tree.areaOf(demoOperator('htx_lua_thoi_thuan')),
      })
    ).data.organizations.nodes;
    const own = await aggregate(stack, officer, { measures, filter: { producerIds: operators.map((o: { id: string }) => o.id) } });
    expect(thotNot.values).toEqual(own[0]!.values);
    // Same lots and quantities as the article's layout, city-wide.
    const total = await aggregate(stack, officer, { measures, groupBy: ['SECTOR'] });
    const referenceTotal = await aggregate(reference, await reference.tokenFor(demoEmail('OFFICER', 'ct')), { measures, groupBy: ['SECTOR'] });
    expect(total.map((r) => r.values)).toEqual(referenceTotal.map((r) => r.values));
    const sum = byCommune.reduce((s, r) => s + kilograms(r), 0);
    expect(sum).toBeCloseTo(kilograms(total.find((r) => r.keys[0]!.value === 'AGRICULTURE')!), 6);
  });
});
