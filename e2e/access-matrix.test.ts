import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CELLS, TARGETS, VIEWERS, expected, relationOf, renderMatrix, type Cell, type ViewerSpec } from './access/policy';
import { demoEmail, startTestStack, type GraphQLResult, type TestStack } from './helpers';

let stack: TestStack;
const auth = new Map<string, Record<string, string>>();
const targetIds = new Map<string, string>();
const drafts = new Map<string, string>();

beforeAll(async () => {
  stack = await startTestStack();
  const cityAdmin = await stack.tokenFor(demoEmail('ADMIN', 'ct'));
  for (const target of TARGETS.filter((t) => t.create)) {
    const parent = await stack.gql('query($p: String!) { organizationByPath(path: $p) { id } }', { p: target.create!.parent });
    const created = await stack.gql(
      'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { path } } }',
      {
        i: {
          parentId: parent.data.organizationByPath.id,
          kind: 'PRODUCER',
          nameVi: 'HTX Lúa Thới Thuận 2',
          slug: target.create!.slug,
          contactEmail: 'lien-he@example.vn',
        },
      },
      { token: cityAdmin },
    );
    expect(created.data?.createOrganization.organization.path).toBe(target.path);
  }
  for (const target of TARGETS) {
    const result = await stack.gql('query($p: String!) { organizationByPath(path: $p) { id } }', { p: target.path });
    targetIds.set(target.path, result.data.organizationByPath.id);
  }
  for (const target of TARGETS) drafts.set(target.path, await draftProductOf(target.path));
  for (const viewer of VIEWERS) {
    if (viewer.kind === 'anonymous') auth.set(viewer.label, {});
    if (viewer.kind === 'user') auth.set(viewer.label, { authorization: `Bearer ${await stack.tokenFor(demoEmail(viewer.role!, viewer.path!))}` });
    if (viewer.kind === 'client') {
      const org = await stack.gql('query($p: String!) { organizationByPath(path: $p) { id } }', { p: viewer.path });
      const created = await stack.gql(
        'mutation($i: CreateApiClientInput!) { createApiClient(input: $i) { key } }',
        { i: { organizationId: org.data.organizationByPath.id, name: viewer.label, scopes: viewer.scopes } },
        { token: cityAdmin },
      );
      auth.set(viewer.label, { authorization: `ApiKey ${created.data.createApiClient.key}` });
    }
  }
});
afterAll(() => stack?.stop());

const codes = (result: GraphQLResult) => (result.errors ?? []).map((e) => e.extensions?.code);
const refused = (result: GraphQLResult) => codes(result).some((c) => c === 'FORBIDDEN' || c === 'UNAUTHENTICATED');

/** Each probe answers: did the graph allow this viewer this cell on this target? */
/** A fresh draft product owned by the target, created by the city ADMIN, so every cell starts from the same state. */
let draftCounter = 0;
async function draftProductOf(path: string): Promise<string> {
  const admin = await stack.tokenFor(demoEmail('ADMIN', 'ct'));
  const category = path.startsWith('ct.health') ? 'functional_food' : 'rice';
  const r = await stack.gql(
    'mutation($i: CreateProductInput!) { createProduct(input: $i) { product { id } } }',
    { i: { ownerId: targetIds.get(path), categoryCode: category, name: [{ lang: 'vi', text: `Sản phẩm thử ${++draftCounter}` }], unit: 'KGM' } },
    { token: admin },
  );
  if (!r.data?.createProduct) throw new Error(`fixture product for ${path}: ${JSON.stringify(r.errors)}`);
  return r.data.createProduct.product.id;
}

const probes: Record<Cell, (viewer: ViewerSpec, path: string) => Promise<boolean>> = {
  async PUBLIC(viewer, path) {
    const r = await stack.gql(
      'query($p: String!) { organizationByPath(path: $p) { name { text } address } }',
      { p: path },
      { headers: auth.get(viewer.label) },
    );
    return !r.errors && typeof r.data?.organizationByPath?.name?.text === 'string';
  },
  async INTERNAL(viewer, path) {
    const history = await stack.gql(
      'query($p: String!) { organizationByPath(path: $p) { history { change } } }',
      { p: path },
      { headers: auth.get(viewer.label) },
    );
    const stock = await stack.gql(
      'query($o: ID!) { lots(ownerId: $o, first: 1) { nodes { lotCode quantity } } }',
      { o: targetIds.get(path) },
      { headers: auth.get(viewer.label) },
    );
    const historyAllowed = !refused(history) && Array.isArray(history.data?.organizationByPath?.history);
    if (stock.data?.lots?.nodes?.length || refused(stock)) {
      const stockAllowed = !refused(stock) && typeof stock.data?.lots?.nodes?.[0]?.quantity === 'number';
      // Both INTERNAL fields must agree, or the class is not applied uniformly.
      expect(stockAllowed, `${viewer.label} → lot quantity of ${path}`).toBe(historyAllowed);
    }
    return historyAllowed;
  },
  async DRAFT(viewer, path) {
    const id = drafts.get(path)!;
    const r = await stack.gql('query($id: ID!) { product(id: $id) { id name { text } } }', { id }, { headers: auth.get(viewer.label) });
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    return r.data.product?.id === id;
  },
  async AGGREGATE(viewer, path) {
    const r = await stack.gql(
      'query($i: AggregateInput!) { aggregate(input: $i) { rows { values { value } } } }',
      { i: { measures: ['LOT_COUNT'], under: path } },
      { headers: auth.get(viewer.label) },
    );
    if (r.errors) {
      expect(refused(r), JSON.stringify(r.errors)).toBe(true);
      return false;
    }
    return Array.isArray(r.data.aggregate.rows);
  },
  async OPERATE(viewer, path) {
    const r = await stack.gql(
      'mutation($i: CreateProductInput!) { createProduct(input: $i) { product { id } } }',
      {
        i: {
          ownerId: targetIds.get(path),
          categoryCode: path.startsWith('ct.health') ? 'functional_food' : 'rice',
          name: [{ lang: 'vi', text: 'Gạo thử quyền' }],
          unit: 'KGM',
        },
      },
      { headers: auth.get(viewer.label) },
    );
    if (!r.errors) return true;
    expect(refused(r), JSON.stringify(r.errors)).toBe(true);
    return false;
  },
  async SUPERVISE(viewer, path) {
    const id = await draftProductOf(path);
    const r = await stack.gql(
      'mutation($i: PublishProductInput!) { publishProduct(input: $i) { product { status } } }',
      { i: { id } },
      { headers: auth.get(viewer.label) },
    );
    if (!r.errors) return r.data.publishProduct.product.status === 'PUBLISHED';
    // A draft the viewer may not see at all is refused as missing (BAD_USER_INPUT, docs/write-authority.md).
    expect(refused(r) || r.errors.some((e) => e.extensions?.code === 'NOT_FOUND' || e.extensions?.code === 'BAD_USER_INPUT'), JSON.stringify(r.errors)).toBe(
      true,
    );
    return false;
  },
  async PERSONAL(viewer, path) {
    const r = await stack.gql(
      'query($p: String!) { organizationByPath(path: $p) { contact { email phone } } }',
      { p: path },
      { headers: auth.get(viewer.label) },
    );
    if (refused(r)) expect(r.data?.organizationByPath?.contact ?? null).toBeNull();
    return !refused(r) && typeof r.data?.organizationByPath?.contact?.email === 'string';
  },
  async MANAGE(viewer, path) {
    const current = await stack.gql('query($p: String!) { organizationByPath(path: $p) { name(lang: "vi") { text } } }', { p: path });
    const r = await stack.gql(
      'mutation($i: RenameOrganizationInput!) { renameOrganization(input: $i) { organization { path } } }',
      { i: { id: targetIds.get(path), nameVi: current.data.organizationByPath.name.text } },
      { headers: auth.get(viewer.label) },
    );
    if (!r.errors) return true;
    expect(refused(r), JSON.stringify(r.errors)).toBe(true);
    return false;
  },
};

describe('the access matrix (docs/permissions.md) through the gateway', () => {
  for (const cell of Object.keys(CELLS) as Cell[]) {
    it(`${cell}: ${CELLS[cell]} — every role at every level, inside and outside its subtree`, async () => {
      const mismatches: string[] = [];
      for (const viewer of VIEWERS) {
        for (const target of TARGETS) {
          const relation = relationOf(viewer, target.path);
          const want = expected(viewer, cell, relation);
          const got = await probes[cell](viewer, target.path);
          if (got !== want)
            mismatches.push(`${viewer.label} on ${target.label} (${relation}): expected ${want ? 'allowed' : 'refused'}, got ${got ? 'allowed' : 'refused'}`);
        }
      }
      expect(mismatches).toEqual([]);
    });
  }

  it('refused renames wrote nothing: each target’s history holds exactly the allowed renames', async () => {
    const cityOfficer = await stack.tokenFor(demoEmail('OFFICER', 'ct'));
    for (const target of TARGETS) {
      const allowed = VIEWERS.filter((v) => expected(v, 'MANAGE', relationOf(v, target.path))).length;
      const r = await stack.gql('query($p: String!) { organizationByPath(path: $p) { history { change } } }', { p: target.path }, { token: cityOfficer });
      expect(r.data.organizationByPath.history.filter((h: { change: string }) => h.change === 'RENAMED')).toHaveLength(allowed);
      expect(r.data.organizationByPath.history.filter((h: { change: string }) => h.change === 'CREATED')).toHaveLength(target.create ? 1 : 0);
    }
  });

  it('docs/access-matrix.md is the matrix this test checks', () => {
    const docs = readFileSync(new URL('../docs/access-matrix.md', import.meta.url), 'utf8');
    expect(docs, 'run `npm run docs:access`').toBe(renderMatrix());
  });
});
