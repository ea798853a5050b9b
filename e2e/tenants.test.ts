import { sql } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasValidCheckDigit, rowsOf } from '@nguon/shared';
import { DEFAULT_DEMO_LAYOUT, OPERATORS } from '@nguon/demo/cantho';
import { demoOperator, demoOrgId, demoPaths, demoTree } from '@nguon/demo/ids';
import { demoEmail, startTestStack, type TestStack } from './helpers';

let stack: TestStack;
let cityAdmin: string;
beforeAll(async () => {
  // No API-key cache: a revocation must show on the very next request.
  stack = await startTestStack({ apiKeyCacheSeconds: 0 });
  cityAdmin = await stack.tokenFor(demoEmail('ADMIN', 'ct'));
});
afterAll(() => stack?.stop());

const idOf = async (path: string) =>
  (await stack.gql('query($p: String!) { organizationByPath(path: $p) { id } }', { p: path })).data.organizationByPath.id as string;
const count = async (table: string) =>
  rowsOf<{ n: number }>(await stack.db.connection.drizzle().execute(sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n;
const token = (claims: Record<string, unknown>, { secret = stack.tokenSecret, audience = 'nguon-graph', expiresIn = '1h' } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('0190a0b0-0000-7000-8000-000000000001')
    .setIssuer('nguon-tenants')
    .setAudience(audience)
    .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));

describe('credentials at the gateway', () => {
  it('refuses an expired token with 401 UNAUTHENTICATED', async () => {
    const expired = await new SignJWT({ grants: [] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setIssuer('nguon-tenants')
      .setAudience('nguon-graph')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(stack.tokenSecret));
    const r = await stack.gql('{ viewer { kind } }', {}, { token: expired });
    expect(r.status).toBe(401);
    expect(r.errors?.[0]).toMatchObject({ message: expect.stringMatching(/expired/), extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses a malformed token, a foreign signature and another audience', async () => {
    for (const bad of [
      'not.a.token',
      await token({ grants: [] }, { secret: 'another-secret-another-secret-another' }),
      await token({ grants: [] }, { audience: 'elsewhere' }),
    ]) {
      const r = await stack.gql('{ viewer { kind } }', {}, { token: bad });
      expect(r.status).toBe(401);
      expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses an unknown API key and a revoked one, and shows a key only once', async () => {
    const unknown = await stack.gql('{ viewer { kind } }', {}, { headers: { authorization: `ApiKey ngk_${'x'.repeat(43)}` } });
    expect(unknown.status).toBe(401);
    const created = await stack.gql(
      'mutation($i: CreateApiClientInput!) { createApiClient(input: $i) { key client { id keyPrefix scopes } } }',
      { i: { organizationId: await idOf('ct.agri'), name: 'Bộ NN&PTNT', scopes: ['AGGREGATES_READ'] } },
      { token: cityAdmin },
    );
    const { key, client } = created.data.createApiClient;
    expect(key.startsWith(client.keyPrefix)).toBe(true);
    const stored = rowsOf<{ key_hash: string }>(
      await stack.db.connection.drizzle().execute(sql`select key_hash from tenants.api_clients where id = ${client.id}`),
    );
    expect(stored[0]!.key_hash).not.toContain(key.slice(4));
    expect(JSON.stringify(stored)).not.toContain(key);
    const asClient = await stack.gql('{ viewer { kind scopes } }', {}, { headers: { authorization: `ApiKey ${key}` } });
    expect(asClient.data.viewer).toEqual({ kind: 'CLIENT', scopes: ['AGGREGATES_READ'] });
    const listed = await stack.gql('query($o: ID!) { apiClients(organizationId: $o) { keyPrefix } }', { o: await idOf('ct.agri') }, { token: cityAdmin });
    expect(JSON.stringify(listed.data)).not.toContain(key);
    await stack.gql(
      'mutation($i: RevokeApiClientInput!) { revokeApiClient(input: $i) { client { revokedAt } } }',
      { i: { id: client.id } },
      { token: cityAdmin },
    );
    const revoked = await stack.gql('{ viewer { kind } }', {}, { headers: { 'x-api-key': key } });
    expect(revoked.status).toBe(401);
    expect(revoked.errors?.[0]?.message).toMatch(/revoked/);
  });

  it('treats a request without credentials as anonymous', async () => {
    const r = await stack.gql('{ viewer { kind user { id } roles { role } } }');
    expect(r.data.viewer).toEqual({ kind: 'ANONYMOUS', user: null, roles: [] });
  });
});

describe('the organization tree', () => {
  it('lets a district ADMIN create a producer inside the district, with history', async () => {
    const admin = await stack.tokenFor(demoEmail('ADMIN', 'ct.agri.thot_not'));
    const r = await stack.gql(
      'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { path kind sector level { code } history { change } } } }',
      {
        i: {
          parentId: await idOf('ct.agri.thot_not'),
          kind: 'PRODUCER',
          nameVi: 'Tổ hợp tác lúa Trung Nhứt',
          nameEn: 'Trung Nhut rice group',
          slug: 'thl_trung_nhut',
        },
      },
      { token: admin },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.createOrganization.organization).toEqual({
      path: 'ct.agri.thot_not.thl_trung_nhut',
      kind: 'PRODUCER',
      sector: 'AGRICULTURE',
      level: { code: 'operator' },
      history: [{ change: 'CREATED' }],
    });
  });

  it('refuses an ADMIN creating outside the subtree, a duplicate path and a bad shape, writing nothing', async () => {
    const before = await count('tenants.organizations');
    const admin = await stack.tokenFor(demoEmail('ADMIN', 'ct.agri.thot_not'));
    const outside = await stack.gql(
      'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } } }',
      { i: { parentId: await idOf('ct.agri.phong_dien'), kind: 'PRODUCER', nameVi: 'Ngoài phạm vi', slug: 'ngoai' } },
      { token: admin },
    );
    expect(outside.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const duplicate = await stack.gql(
      'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } } }',
      { i: { parentId: await idOf('ct.agri.thot_not'), kind: 'PRODUCER', nameVi: 'Trùng', slug: 'htx_lua_thoi_thuan' } },
      { token: admin },
    );
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: ['input', 'slug'] });
    const shapes = [
      { kind: 'DEPARTMENT', nameVi: 'Sở', slug: 'so_moi' },
      { kind: 'PRODUCER', nameVi: '   ', slug: 'rong' },
      { kind: 'PRODUCER', nameVi: 'Mã sai', slug: 'Bad Slug' },
      { kind: 'PRODUCER', nameVi: 'GLN sai', slug: 'gln_sai', gln: '8936022220016' },
      { kind: 'PRODUCER', nameVi: 'Ngành sai', slug: 'nganh_sai', sector: 'HEALTH' },
    ];
    for (const shape of shapes) {
      const r = await stack.gql(
        'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } } }',
        { i: { parentId: await idOf('ct.agri.thot_not'), ...shape } },
        { token: admin },
      );
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(shape)).toBe('BAD_USER_INPUT');
    }
    expect(await count('tenants.organizations')).toBe(before);
  });

  it('moves a producer only for an ADMIN of both places, never under its own descendant', async () => {
    const id = await idOf('ct.agri.thot_not.htx_lua_tan_loc');
    const districtAdmin = await stack.tokenFor(demoEmail('ADMIN', 'ct.agri.thot_not'));
    const onlyOnePlace = await stack.gql(
      'mutation($i: MoveOrganizationInput!) { moveOrganization(input: $i) { organization { path } } }',
      { i: { id, newParentId: await idOf('ct.agri.phong_dien') } },
      { token: districtAdmin },
    );
    expect(onlyOnePlace.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const historyBefore = await count('tenants.organization_changes');
    const intoItself = await stack.gql(
      'mutation($i: MoveOrganizationInput!) { moveOrganization(input: $i) { organization { path } } }',
      { i: { id: await idOf('ct.agri'), newParentId: await idOf('ct.agri.thot_not') } },
      { token: cityAdmin },
    );
    expect(intoItself.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'newParentId'] });
    expect(await count('tenants.organization_changes')).toBe(historyBefore);
    expect(await idOf('ct.agri.thot_not')).toBeTruthy();

    const departmentAdmin = await stack.tokenFor(demoEmail('ADMIN', 'ct.agri'));
    const moved = await stack.gql(
      'mutation($i: MoveOrganizationInput!) { moveOrganization(input: $i) { organization { path history { change } } } }',
      { i: { id, newParentId: await idOf('ct.agri.phong_dien') } },
      { token: departmentAdmin },
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data.moveOrganization.organization.path).toBe('ct.agri.phong_dien.htx_lua_tan_loc');
    expect(moved.data.moveOrganization.organization.history[0].change).toBe('MOVED');
    // Scope follows the move: the Thốt Nốt officer no longer reads its internals, the Phong Điền one does.
    const thotNot = await stack.tokenFor(demoEmail('OFFICER', 'ct.agri.thot_not'));
    const phongDien = await stack.tokenFor(demoEmail('OFFICER', 'ct.agri.phong_dien'));
    const q = 'query($p: String!) { organizationByPath(path: $p) { history { change } } }';
    expect((await stack.gql(q, { p: 'ct.agri.phong_dien.htx_lua_tan_loc' }, { token: thotNot })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await stack.gql(q, { p: 'ct.agri.phong_dien.htx_lua_tan_loc' }, { token: phongDien })).errors).toBeUndefined();
  });

  it('deactivates a store: it looks missing to the public, its history stays for officers', async () => {
    const created = await stack.gql(
      'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } } }',
      { i: { parentId: await idOf('ct.agri.ninh_kieu'), kind: 'STORE', nameVi: 'Cửa hàng tạm', slug: 'ch_tam' } },
      { token: cityAdmin },
    );
    const id = created.data.createOrganization.organization.id;
    await stack.gql(
      'mutation($i: DeactivateOrganizationInput!) { deactivateOrganization(input: $i) { organization { active } } }',
      { i: { id } },
      { token: cityAdmin },
    );
    expect((await stack.gql('query($id: ID!) { organization(id: $id) { id } }', { id })).data.organization).toBeNull();
    const officer = await stack.tokenFor(demoEmail('OFFICER', 'ct'));
    const seen = await stack.gql('query($id: ID!) { organization(id: $id) { active history { change } } }', { id }, { token: officer });
    expect(seen.data.organization).toEqual({ active: false, history: [{ change: 'DEACTIVATED' }, { change: 'CREATED' }] });
  });
});

describe('users and roles', () => {
  it('creates a user, grants a role inside the subtree, and the user signs in with it', async () => {
    const admin = await stack.tokenFor(demoEmail('ADMIN', 'ct.agri.thot_not'));
    const created = await stack.gql(
      'mutation($i: CreateUserInput!) { createUser(input: $i) { user { id email roles { role } } } }',
      { i: { organizationId: await idOf('ct.agri.thot_not'), name: 'Nguyễn Thị Thu', email: 'thu.nguyen@example.vn', password: 'mat-khau-rat-dai-1' } },
      { token: admin },
    );
    expect(created.errors).toBeUndefined();
    const userId = created.data.createUser.user.id;
    const granted = await stack.gql(
      'mutation($i: GrantRoleInput!) { grantRole(input: $i) { grant { role organization { path } } } }',
      { i: { userId, role: 'OFFICER', organizationId: await idOf('ct.agri.thot_not') } },
      { token: admin },
    );
    expect(granted.data.grantRole.grant).toEqual({ role: 'OFFICER', organization: { path: 'ct.agri.thot_not' } });
    const signIn = await stack.gql(
      'mutation { signIn(input: { email: "THU.nguyen@example.vn", password: "mat-khau-rat-dai-1" }) { accessToken user { roles { role } } } }',
    );
    expect(signIn.data.signIn.user.roles).toEqual([{ role: 'OFFICER' }]);
    const viewer = await stack.gql('{ viewer { kind user { email } roles { role organization { path } } } }', {}, { token: signIn.data.signIn.accessToken });
    expect(viewer.data.viewer).toEqual({
      kind: 'USER',
      user: { email: 'thu.nguyen@example.vn' },
      roles: [{ role: 'OFFICER', organization: { path: 'ct.agri.thot_not' } }],
    });
  });

  it('refuses a grant outside the granter’s subtree, a duplicate email and a short password, writing nothing', async () => {
    const admin = await stack.tokenFor(demoEmail('ADMIN', 'ct.agri.thot_not'));
    const grantsBefore = await count('tenants.role_grants');
    const usersBefore = await count('tenants.users');
    const userId = (await stack.gql('{ viewer { user { id } } }', {}, { token: admin })).data.viewer.user.id;
    const outside = await stack.gql(
      'mutation($i: GrantRoleInput!) { grantRole(input: $i) { grant { id } } }',
      { i: { userId, role: 'ADMIN', organizationId: await idOf('ct.agri') } },
      { token: admin },
    );
    expect(outside.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const staffAtDistrict = await stack.gql(
      'mutation($i: GrantRoleInput!) { grantRole(input: $i) { grant { id } } }',
      { i: { userId, role: 'STAFF', organizationId: await idOf('ct.agri.thot_not') } },
      { token: admin },
    );
    expect(staffAtDistrict.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const duplicate = await stack.gql(
      'mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }',
      {
        i: {
          organizationId: await idOf('ct.agri.thot_not'),
          name: 'Trùng',
          email: demoEmail('STAFF', 'ct.agri.thot_not.htx_lua_thoi_thuan').toUpperCase(),
          password: 'mat-khau-rat-dai-2',
        },
      },
      { token: admin },
    );
    expect(duplicate.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const short = await stack.gql(
      'mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }',
      { i: { organizationId: await idOf('ct.agri.thot_not'), name: 'Ngắn', email: 'ngan@example.vn', password: 'short' } },
      { token: admin },
    );
    expect(short.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'password'] });
    expect(await count('tenants.role_grants')).toBe(grantsBefore);
    expect(await count('tenants.users')).toBe(usersBefore);
  });

  it('never returns a password hash, and only the owner ADMIN or city ADMIN read a user’s email', async () => {
    const orgUsers = 'query($p: String!) { organizationByPath(path: $p) { users { name email } } }';
    const p = 'ct.agri.thot_not.htx_lua_thoi_thuan';
    const owner = await stack.gql(orgUsers, { p }, { token: await stack.tokenFor(demoEmail('ADMIN', p)) });
    expect(owner.errors).toBeUndefined();
    expect(JSON.stringify(owner)).not.toMatch(/scrypt/);
    const department = await stack.gql(orgUsers, { p }, { token: await stack.tokenFor(demoEmail('ADMIN', 'ct.agri')) });
    expect(department.errors?.every((e) => e.extensions?.code === 'FORBIDDEN' && e.path?.at(-1) === 'email')).toBe(true);
  });
});

describe('GLNs (issue 19)', () => {
  const ORG_GLN = `query($g: String!) { organizationByGln(gln: $g) { id path gln pgln { epcUrn digitalLink } sgln { epcUrn digitalLink } } }`;
  const SET_GLN = 'mutation($i: SetOrganizationGlnInput!) { setOrganizationGln(input: $i) { organization { id gln } } }';
  const CREATE = 'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id gln } } }';
  const glnOf = async (path: string) =>
    (await stack.gql('query($p: String!) { organizationByPath(path: $p) { gln } }', { p: path })).data.organizationByPath.gln as string;

  it('gives every demo organization its own GLN: prefix 893, 13 digits, a valid check digit', async () => {
    // By id, as the city ADMIN: earlier tests move and deactivate some of them.
    const tree = demoTree(DEFAULT_DEMO_LAYOUT);
    const paths = [demoPaths.city, ...tree.departments.map((d) => demoPaths.department(d.slug)), ...tree.areas.map((a) => a.path)];
    const ids = [...paths.map(demoOrgId), ...OPERATORS.map(tree.operatorId)];
    const glns: string[] = [];
    for (const id of ids) {
      const { gln } = (await stack.gql('query($id: ID!) { organization(id: $id) { gln } }', { id }, { token: cityAdmin })).data.organization;
      expect(gln, id).toMatch(/^893\d{10}$/);
      expect(hasValidCheckDigit(gln), id).toBe(true);
      glns.push(gln);
    }
    expect(new Set(glns).size).toBe(ids.length);
  });

  it('finds an organization by its GLN, PGLN or SGLN, in URN or Digital Link form, with both spellings of each', async () => {
    const path = 'ct.agri.thot_not.htx_lua_thoi_thuan';
    const gln = await glnOf(path);
    const urn = (scheme: string, tail: string) => `urn:epc:id:${scheme}:${gln.slice(0, 9)}.${gln.slice(9, 12)}${tail}`;
    const r = await stack.gql(ORG_GLN, { g: gln });
    expect(r.data.organizationByGln).toEqual({
      id: await idOf(path),
      path,
      gln,
      pgln: { epcUrn: urn('pgln', ''), digitalLink: `https://id.gs1.org/417/${gln}` },
      sgln: { epcUrn: urn('sgln', '.0'), digitalLink: `https://id.gs1.org/414/${gln}` },
    });
    for (const spelling of [urn('pgln', ''), urn('sgln', '.0'), `https://id.gs1.org/417/${gln}`, `https://example.vn/414/${gln}`])
      expect((await stack.gql(ORG_GLN, { g: spelling })).data.organizationByGln?.path, spelling).toBe(path);
    // A GLN nobody holds is no organization; a malformed one or an SGLN of a place inside is a mistake.
    expect((await stack.gql(ORG_GLN, { g: '8930000009999' })).data.organizationByGln).toBeNull();
    for (const bad of ['8930000009995', '893000000999', urn('sgln', '.7')])
      expect((await stack.gql(ORG_GLN, { g: bad })).errors?.[0]?.extensions, bad).toMatchObject({ code: 'BAD_USER_INPUT', field: ['gln'] });
  });

  it('refuses a GLN with a wrong check digit or one another organization holds, and writes nothing', async () => {
    const admin = await stack.tokenFor(demoEmail('ADMIN', 'ct'));
    const taken = await glnOf(demoTree(DEFAULT_DEMO_LAYOUT).operatorPath(demoOperator('htx_dau_ha_chau')));
    const parentId = await idOf('ct.agri.thot_not');
    const [orgs, changes] = [await count('tenants.organizations'), await count('tenants.organization_changes')];
    const badDigit = await stack.gql(
      CREATE,
      { i: { parentId, kind: 'PRODUCER', nameVi: 'GLN sai số kiểm', slug: 'gln_kiem', gln: `${taken.slice(0, 12)}${(Number(taken[12]) + 1) % 10}` } },
      { token: admin },
    );
    expect(badDigit.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'gln'] });
    const duplicate = await stack.gql(CREATE, { i: { parentId, kind: 'PRODUCER', nameVi: 'GLN trùng', slug: 'gln_trung', gln: taken } }, { token: admin });
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: ['input', 'gln'] });
    const id = await idOf('ct.agri.thot_not.htx_lua_thoi_thuan');
    const own = await glnOf('ct.agri.thot_not.htx_lua_thoi_thuan');
    const setTaken = await stack.gql(SET_GLN, { i: { id, gln: taken } }, { token: admin });
    expect(setTaken.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: ['input', 'gln'] });
    const setBad = await stack.gql(SET_GLN, { i: { id, gln: '893000000999' } }, { token: admin });
    expect(setBad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'gln'] });
    expect([await count('tenants.organizations'), await count('tenants.organization_changes')]).toEqual([orgs, changes]);
    expect(await glnOf('ct.agri.thot_not.htx_lua_thoi_thuan')).toBe(own);
  });

  it("sets, moves and removes a GLN for an ADMIN of the organization's subtree only, recording each change", async () => {
    const admin = await stack.tokenFor(demoEmail('ADMIN', 'ct.agri.thot_not'));
    const created = await stack.gql(
      CREATE,
      { i: { parentId: await idOf('ct.agri.thot_not'), kind: 'PRODUCER', nameVi: 'HTX có GLN', slug: 'htx_co_gln', gln: '8930000009999' } },
      { token: admin },
    );
    expect(created.data.createOrganization.organization.gln).toBe('8930000009999');
    const id = created.data.createOrganization.organization.id as string;
    const staff = await stack.tokenFor(demoEmail('STAFF', 'ct.agri.thot_not.htx_lua_thoi_thuan'));
    expect((await stack.gql(SET_GLN, { i: { id, gln: '8930000009982' } }, { token: staff })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await stack.gql(SET_GLN, { i: { id, gln: '8930000009982' } }, { token: admin })).data.setOrganizationGln.organization.gln).toBe('8930000009982');
    // The freed GLN names nobody; the new one names the organization.
    expect((await stack.gql(ORG_GLN, { g: '8930000009999' })).data.organizationByGln).toBeNull();
    expect((await stack.gql(ORG_GLN, { g: '8930000009982' })).data.organizationByGln.id).toBe(id);
    expect((await stack.gql(SET_GLN, { i: { id, gln: null } }, { token: admin })).data.setOrganizationGln.organization.gln).toBeNull();
    const history = await stack.gql('query($id: ID!) { organization(id: $id) { history { change before after } } }', { id }, { token: admin });
    expect(
      history.data.organization.history.filter((h: { change: string }) => h.change === 'GLN_CHANGED').map((h: { after: string }) => JSON.parse(h.after)),
    ).toEqual([{ gln: null }, { gln: '8930000009982' }]);
  });
});
