import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildSchema, sql, unclassifiedFields, type Viewer } from '@nguon/shared';
import { DEMO_PASSWORD, startSeededSubgraph, type TestDatabase, type TestSubgraph } from '@nguon/shared/testing';
import { fieldClasses } from '../src/permissions';
import { createLoaders } from '../src/loaders';
import { tenantsSubgraph } from '../src/server';
import { demoOperator, demoOrgId, demoPaths } from '@nguon/demo/ids';

const definition = tenantsSubgraph({ secret: 'token-secret-for-tests-0123456789abcdef', ttlSeconds: 600 });
let db: TestDatabase;
let subgraph: TestSubgraph;
let stop = async () => {};
beforeAll(async () => {
  ({ db, subgraph, stop } = await startSeededSubgraph(definition, inject('seededTemplate')));
});
afterAll(() => stop());

describe('tenants subgraph', () => {
  it('publishes its SDL to the gateway', async () => {
    const { body } = await subgraph.request('{ _service { sdl } }');
    expect(body.data._service.sdl).toMatch(/type Organization\s+@key\(fields: "id"\)/);
  });

  it('classifies every field of every type', () => {
    expect(unclassifiedFields(buildSchema(definition), fieldClasses)).toEqual([]);
  });

  it('loads many organizations by id in one statement', async () => {
    const { rows } = { rows: await subgraph.request('{ organizations(first: 5) { nodes { id } } }') };
    const ids = rows.body.data.organizations.nodes.map((n: { id: string }) => n.id);
    const counter = { statements: 0 };
    const viewer: Viewer = { kind: 'anonymous', requestId: 't' };
    const loaders = createLoaders({ db: db.connection.drizzle(counter), viewer, langs: [], requestId: 't', logger: null as never });
    const loaded = await Promise.all([...ids, 'a0000000-0000-7000-8000-000000000000'].map((id: string) => loaders.organization.load(id)));
    expect(counter.statements).toBe(1);
    expect(loaded.slice(0, 5).map((o) => o?.id)).toEqual(ids);
    expect(loaded[5]).toBeNull();
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    const wrong = await subgraph.request('mutation { signIn(input: { email: "admin.ct@demo.nguon.vn", password: "nope-nope-nope" }) { accessToken } }');
    const unknown = await subgraph.request('mutation { signIn(input: { email: "nobody@demo.nguon.vn", password: "nope-nope-nope" }) { accessToken } }');
    expect(wrong.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(unknown.body.errors?.[0]?.message).toBe(wrong.body.errors?.[0]?.message);
    expect(unknown.body.errors?.[0]?.extensions).toEqual(wrong.body.errors?.[0]?.extensions);
  });

  it('signs in with the right password and returns the roles with tree paths', async () => {
    const { body } = await subgraph.request(
      'mutation($p: String!) { signIn(input: { email: "officer.ct-agri@demo.nguon.vn", password: $p }) { accessToken user { email roles { role organization { path } } } } }',
      { p: DEMO_PASSWORD },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.signIn.user).toEqual({ email: 'officer.ct-agri@demo.nguon.vn', roles: [{ role: 'OFFICER', organization: { path: 'ct.agri' } }] });
    const [, payload] = body.data.signIn.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims).toMatchObject({ iss: 'nguon-tenants', aud: 'nguon-graph', grants: [{ role: 'OFFICER', path: 'ct.agri' }] });
    expect(JSON.stringify(body)).not.toMatch(/scrypt/);
  });
  it('refuses a lower ADMIN to deactivate an account that holds a role above it, and writes nothing', async () => {
    const farm = demoPaths.operator(demoOperator('htx_lua_thoi_thuan'));
    const adminOf = (path: string): Viewer => ({
      kind: 'user',
      requestId: 't',
      userId: randomUUID(),
      grants: [{ role: 'ADMIN', orgId: demoOrgId(path), path }],
    });
    const city = adminOf('ct');
    const created = await subgraph.request(
      'mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }',
      { i: { organizationId: demoOrgId(farm), name: 'Cán bộ biệt phái', email: `seconded-${Date.now()}@demo.nguon.vn`, password: 'seconded-password-1' } },
      city,
    );
    expect(created.body.errors).toBeUndefined();
    const id = created.body.data.createUser.user.id as string;
    const granted = await subgraph.request(
      'mutation($i: GrantRoleInput!) { grantRole(input: $i) { __typename } }',
      { i: { userId: id, role: 'ADMIN', organizationId: demoOrgId('ct.agri') } },
      city,
    );
    expect(granted.body.errors).toBeUndefined();
    const deactivate = 'mutation($i: DeactivateUserInput!) { deactivateUser(input: $i) { user { active } } }';
    const refused = await subgraph.request(deactivate, { i: { id } }, adminOf(farm));
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const rows = await db.connection.rows<{ active: boolean }>(sql`select active from tenants.users where id = ${id}::uuid`);
    expect(rows[0]!.active).toBe(true);
    const allowed = await subgraph.request(deactivate, { i: { id } }, adminOf('ct.agri'));
    expect(allowed.body.data.deactivateUser.user.active).toBe(false);
  });
});
