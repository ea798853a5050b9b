import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CELLS, TARGETS, VIEWERS, expected, relationOf, renderMatrix, type Cell, type ViewerSpec } from './access/policy';
import { demoEmail, startTestStack, type GraphQLResult, type TestStack } from './helpers';

let stack: TestStack;
const auth = new Map<string, Record<string, string>>();
const targetIds = new Map<string, string>();

beforeAll(async () => {
  stack = await startTestStack();
  const cityAdmin = await stack.tokenFor(demoEmail('ADMIN', 'ct'));
  for (const target of TARGETS.filter((t) => t.create)) {
    const parent = await stack.gql('query($p: String!) { organizationByPath(path: $p) { id } }', { p: target.create!.parent });
    const created = await stack.gql(
      'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { path } } }',
      { i: { parentId: parent.data.organizationByPath.id, kind: 'PRODUCER', nameVi: 'HTX Lúa Thới Thuận 2', slug: target.create!.slug, contactEmail: 'lien-he@example.vn' } },
      { token: cityAdmin },
    );
    expect(created.data?.createOrganization.organization.path).toBe(target.path);
  }
  for (const target of TARGETS) {
    const result = await stack.gql('query($p: String!) { organizationByPath(path: $p) { id } }', { p: target.path });
    targetIds.set(target.path, result.data.organizationByPath.id);
  }
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
const probes: Record<Cell, (viewer: ViewerSpec, path: string) => Promise<boolean>> = {
  async PUBLIC(viewer, path) {
    const r = await stack.gql('query($p: String!) { organizationByPath(path: $p) { name { text } address } }', { p: path }, { headers: auth.get(viewer.label) });
    return !r.errors && typeof r.data?.organizationByPath?.name?.text === 'string';
  },
  async INTERNAL(viewer, path) {
    const history = await stack.gql('query($p: String!) { organizationByPath(path: $p) { history { change } } }', { p: path }, { headers: auth.get(viewer.label) });
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
  async PERSONAL(viewer, path) {
    const r = await stack.gql('query($p: String!) { organizationByPath(path: $p) { contact { email phone } } }', { p: path }, { headers: auth.get(viewer.label) });
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

describe('the access matrix (DESIGN.md §3) through the gateway', () => {
  for (const cell of Object.keys(CELLS) as Cell[]) {
    it(`${cell}: ${CELLS[cell]} — every role at every level, inside and outside its subtree`, async () => {
      const mismatches: string[] = [];
      for (const viewer of VIEWERS) {
        for (const target of TARGETS) {
          const relation = relationOf(viewer, target.path);
          const want = expected(viewer, cell, relation);
          const got = await probes[cell](viewer, target.path);
          if (got !== want) mismatches.push(`${viewer.label} on ${target.label} (${relation}): expected ${want ? 'allowed' : 'refused'}, got ${got ? 'allowed' : 'refused'}`);
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
    const docs = readFileSync(new URL('../../docs/access-matrix.md', import.meta.url), 'utf8');
    expect(docs, 'run `npm run docs:access`').toBe(renderMatrix());
  });
});
