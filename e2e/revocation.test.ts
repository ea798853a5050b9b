import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '@nguon/shared';
import { demoOrgId } from '@nguon/demo/ids';
import { demoEmail, startTestStack, type GraphQLResult, type TestStack } from './helpers';

/**
 * Revocation in seconds (docs/sessions.md): the gateway takes a signed-in
 * user's grants from tenants on each request (cached per user and token
 * generation for at most GRANTS_CACHE_SECONDS), never from the token. Here
 * the caches are 1 s, so each change must show within about a second.
 */
const CACHE_SECONDS = 1;
/** The cache window plus slack for a loaded 2-core machine. */
const WINDOW_MS = CACHE_SECONDS * 1000 + 1500;

let stack: TestStack;
let cityAdmin: string;
beforeAll(async () => {
  stack = await startTestStack({ apiKeyCacheSeconds: CACHE_SECONDS, gateway: { rateLimits: false } });
  cityAdmin = await stack.tokenFor(demoEmail('ADMIN', 'ct'));
});
afterAll(() => stack?.stop());

const db = () => stack.db.connection.drizzle();
const count = async (query: ReturnType<typeof sql>) => rowsOf<{ n: number }>(await db().execute(query))[0]!.n;
const codeOf = (r: GraphQLResult) => r.errors?.[0]?.extensions?.code;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let accounts = 0;
/** A new account in the organization at `path`, holding `role` there, signed in. */
async function signedInAccount(path: string, role = 'STAFF') {
  const email = `revocation-${++accounts}-${randomBytes(3).toString('hex')}@example.vn`;
  const password = `mat-khau-dai-${randomBytes(6).toString('hex')}`;
  const created = await stack.gql(
    'mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }',
    { i: { organizationId: demoOrgId(path), name: `Tài khoản ${accounts}`, email, password } },
    { token: cityAdmin },
  );
  expect(created.errors).toBeUndefined();
  const userId = created.data.createUser.user.id as string;
  const granted = await stack.gql(
    'mutation($i: GrantRoleInput!) { grantRole(input: $i) { grant { id } } }',
    { i: { userId, role, organizationId: demoOrgId(path) } },
    { token: cityAdmin },
  );
  expect(granted.errors).toBeUndefined();
  return { userId, email, password, grantId: granted.data.grantRole.grant.id as string, token: await signIn(email, password) };
}

async function signIn(email: string, password: string): Promise<string> {
  const r = await stack.gql('mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }', { i: { email, password } });
  expect(r.errors, `sign-in of ${email}`).toBeUndefined();
  return r.data.signIn.accessToken;
}

/** Asks `ask` until `done` holds; fails unless it holds within the cache window. */
async function within<T>(ask: () => Promise<T>, done: (answer: T) => boolean): Promise<T> {
  const started = Date.now();
  for (;;) {
    const answer = await ask();
    if (done(answer)) return answer;
    if (Date.now() - started > WINDOW_MS) throw new Error(`still not in effect after ${WINDOW_MS} ms: ${JSON.stringify(answer)}`);
    await sleep(100);
  }
}

const HISTORY = 'query($id: ID!) { organization(id: $id) { id history { change } } }';
const readsInternals = (r: GraphQLResult) => !r.errors && Array.isArray(r.data?.organization?.history);

const CAPTURE = 'mutation($i: CaptureEventsInput!) { captureEvents(input: $i) { createdCount } }';
let second = 0;
const capture = (token: string, orgId: string, lotId: string) =>
  stack.gql(
    CAPTURE,
    {
      i: {
        organizationId: orgId,
        events: [
          {
            eventID: `urn:uuid:${randomUUID()}`,
            type: 'OBJECT_EVENT',
            action: 'OBSERVE',
            eventTime: new Date(Date.UTC(2026, 2, 1) + ++second * 1000).toISOString().replace('Z', '+00:00'),
            eventTimeZoneOffset: '+07:00',
            bizStep: 'inspecting',
            quantities: [{ lotId, quantity: 1, unit: 'KGM' }],
          },
        ],
      },
    },
    { token },
  );
const eventsOf = (orgId: string) => count(sql`select count(*)::int as n from trace.events where organization_id = ${orgId}`);

let lotCodes = 0;
/** A lot of the organization at `path`, one of its products, created as a draft by `token`'s holder. */
async function draftLot(token: string, orgId: string): Promise<string> {
  const existing = await stack.gql('query($o: ID!) { lots(ownerId: $o, first: 1) { nodes { id product { id } } } }', { o: orgId }, { token: cityAdmin });
  const productId = existing.data.lots.nodes[0].product.id as string;
  const input = {
    productId,
    ownerId: orgId,
    lotCode: `RV-${process.pid % 1000}-${++lotCodes}`,
    quantity: 10,
    unit: 'KGM',
    producedOn: '2026-03-01',
    publish: false,
  };
  const created = await stack.gql('mutation($i: CreateLotInput!) { createLot(input: $i) { lot { id status } } }', { i: input }, { token });
  expect(created.errors).toBeUndefined();
  expect(created.data.createLot.lot.status).toBe('DRAFT');
  return created.data.createLot.lot.id;
}
const publish = (token: string, lotId: string) =>
  stack.gql('mutation($id: ID!) { publishLot(input: { lotId: $id }) { lot { status } } }', { id: lotId }, { token });
const statusOf = async (lotId: string) => rowsOf<{ status: string }>(await db().execute(sql`select status from trace.lots where id = ${lotId}`))[0]!.status;

/** Nothing the old token tries after losing its grants lands: no event, no publication. */
async function expectLockedOut(token: string, orgId: string, lotId: string) {
  const events = await eventsOf(orgId);
  const captured = await capture(token, orgId, lotId);
  expect(captured.data?.captureEvents ?? null).toBeNull();
  expect(codeOf(captured)).toBe('FORBIDDEN');
  expect(await eventsOf(orgId)).toBe(events);
  const published = await publish(token, lotId);
  expect(published.data?.publishLot ?? null).toBeNull();
  expect(['FORBIDDEN', 'NOT_FOUND']).toContain(codeOf(published));
  expect(await statusOf(lotId)).toBe('DRAFT');
}

describe('a token loses what its user lost, within seconds', () => {
  it('after revokeRole the old token no longer reads INTERNAL fields, captures events or publishes lots', async () => {
    const path = 'ct.agri.thot_not.htx_lua_thoi_thuan';
    const orgId = demoOrgId(path);
    const staff = await signedInAccount(path);
    const lotId = await draftLot(staff.token, orgId);
    // The token works before: the refusals below are the revocation's doing.
    expect(readsInternals(await stack.gql(HISTORY, { id: orgId }, { token: staff.token }))).toBe(true);
    const before = await eventsOf(orgId);
    expect((await capture(staff.token, orgId, lotId)).data?.captureEvents?.createdCount).toBe(1);
    expect(await eventsOf(orgId)).toBe(before + 1);

    const revoked = await stack.gql(
      'mutation($i: RevokeRoleInput!) { revokeRole(input: $i) { grant { id } } }',
      { i: { grantId: staff.grantId } },
      { token: cityAdmin },
    );
    expect(revoked.errors).toBeUndefined();
    const refused = await within(
      () => stack.gql(HISTORY, { id: orgId }, { token: staff.token }),
      (r) => !readsInternals(r),
    );
    expect(codeOf(refused)).toBe('FORBIDDEN');
    await expectLockedOut(staff.token, orgId, lotId);
    // Still signed in, with nothing granted: the token was not revoked, its grants were.
    expect((await stack.gql('{ viewer { kind roles { role } } }', {}, { token: staff.token })).data.viewer).toEqual({ kind: 'USER', roles: [] });
  });

  it('after its organization is deactivated the old token no longer reads, captures or publishes there', async () => {
    const path = 'ct.agri.thot_not.htx_lua_tan_loc';
    const orgId = demoOrgId(path);
    const staff = await signedInAccount(path);
    const lotId = await draftLot(staff.token, orgId);
    expect(readsInternals(await stack.gql(HISTORY, { id: orgId }, { token: staff.token }))).toBe(true);

    const deactivated = await stack.gql(
      'mutation($i: DeactivateOrganizationInput!) { deactivateOrganization(input: $i) { organization { active } } }',
      { i: { id: orgId } },
      { token: cityAdmin },
    );
    expect(deactivated.data.deactivateOrganization.organization.active).toBe(false);
    await within(
      () => stack.gql(HISTORY, { id: orgId }, { token: staff.token }),
      (r) => !readsInternals(r),
    );
    await expectLockedOut(staff.token, orgId, lotId);
  });

  it('after a move the old token’s grants follow the organization to its new path', async () => {
    const path = 'ct.agri.phong_dien.htx_dau_ha_chau';
    const orgId = demoOrgId(path);
    const staff = await signedInAccount(path);
    const lotId = await draftLot(staff.token, orgId);

    const moved = await stack.gql(
      'mutation($i: MoveOrganizationInput!) { moveOrganization(input: $i) { organization { path } } }',
      { i: { id: orgId, newParentId: demoOrgId('ct.agri.o_mon') } },
      { token: cityAdmin },
    );
    expect(moved.data.moveOrganization.organization.path).toBe('ct.agri.o_mon.htx_dau_ha_chau');
    // The token still says ct.agri.phong_dien.…, which no longer covers the node; the current grant does.
    const viewer = await within(
      () => stack.gql('query($id: ID!) { organization(id: $id) { path history { change } } }', { id: orgId }, { token: staff.token }),
      (r) => !r.errors && r.data?.organization?.history?.[0]?.change === 'MOVED',
    );
    expect(viewer.data.organization.path).toBe('ct.agri.o_mon.htx_dau_ha_chau');
    const events = await eventsOf(orgId);
    expect((await capture(staff.token, orgId, lotId)).data?.captureEvents?.createdCount).toBe(1);
    expect(await eventsOf(orgId)).toBe(events + 1);
    // Whether the lot may be published is trace's business (product status, norms); the permission is not in question.
    const published = await publish(staff.token, lotId);
    expect(codeOf(published), JSON.stringify(published.errors)).not.toBe('FORBIDDEN');
  });

  it('refuses to move an organization under a deactivated one, writing nothing', async () => {
    const created = await stack.gql(
      'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } } }',
      { i: { parentId: demoOrgId('ct.agri.phong_dien'), kind: 'AREA', nameVi: 'Xã đã giải thể', slug: 'xa_giai_the' } },
      { token: cityAdmin },
    );
    const areaId = created.data.createOrganization.organization.id;
    await stack.gql(
      'mutation($i: DeactivateOrganizationInput!) { deactivateOrganization(input: $i) { organization { id } } }',
      { i: { id: areaId } },
      { token: cityAdmin },
    );
    const changes = await count(sql`select count(*)::int as n from tenants.organization_changes`);
    const moved = await stack.gql(
      'mutation($i: MoveOrganizationInput!) { moveOrganization(input: $i) { organization { path } } }',
      { i: { id: demoOrgId('ct.agri.phong_dien.htx_buoi_my_khanh'), newParentId: areaId } },
      { token: cityAdmin },
    );
    expect(moved.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'newParentId'] });
    expect(await count(sql`select count(*)::int as n from tenants.organization_changes`)).toBe(changes);
    expect(await count(sql`select count(*)::int as n from tenants.organizations where path = 'ct.agri.phong_dien.htx_buoi_my_khanh'`)).toBe(1);
  });

  it('drops a grant under a deactivated ancestor even where the node itself is still active', async () => {
    const path = 'ct.agri.phong_dien.htx_buoi_my_khanh';
    const orgId = demoOrgId(path);
    const staff = await signedInAccount(path);
    const lotId = await draftLot(staff.token, orgId);
    expect(readsInternals(await stack.gql(HISTORY, { id: orgId }, { token: staff.token }))).toBe(true);
    // Data from before moves under deactivated nodes were refused: only the district is marked inactive.
    await db().execute(sql`update tenants.organizations set active = false where path = 'ct.agri.phong_dien'`);
    try {
      await within(
        () => stack.gql(HISTORY, { id: orgId }, { token: staff.token }),
        (r) => !readsInternals(r),
      );
      await expectLockedOut(staff.token, orgId, lotId);
    } finally {
      await db().execute(sql`update tenants.organizations set active = true where path = 'ct.agri.phong_dien'`);
    }
  });
});

describe('sessions that end', () => {
  const VIEWER = '{ viewer { kind user { email } } }';

  it('after a password change the old token answers UNAUTHENTICATED, and the new password signs in', async () => {
    const user = await signedInAccount('ct.agri.thot_not', 'OFFICER');
    const CHANGE = 'mutation($i: ChangePasswordInput!) { changePassword(input: $i) { accessToken } }';
    const hashBefore = rowsOf<{ password_hash: string }>(await db().execute(sql`select password_hash from tenants.users where id = ${user.userId}`))[0]!
      .password_hash;

    const wrong = await stack.gql(CHANGE, { i: { currentPassword: 'not-the-password', newPassword: 'mot-mat-khau-moi-1' } }, { token: user.token });
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'currentPassword'] });
    const short = await stack.gql(CHANGE, { i: { currentPassword: user.password, newPassword: 'short' } }, { token: user.token });
    expect(short.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'newPassword'] });
    expect(
      rowsOf<{ password_hash: string }>(await db().execute(sql`select password_hash from tenants.users where id = ${user.userId}`))[0]!.password_hash,
    ).toBe(hashBefore);
    expect((await stack.gql(VIEWER, {}, { token: user.token })).status).toBe(200);

    const changed = await stack.gql(CHANGE, { i: { currentPassword: user.password, newPassword: 'mot-mat-khau-moi-1' } }, { token: user.token });
    expect(changed.errors).toBeUndefined();
    const refused = await within(
      () => stack.gql(VIEWER, {}, { token: user.token }),
      (r) => r.status === 401,
    );
    expect(codeOf(refused)).toBe('UNAUTHENTICATED');
    expect(refused.data).toBeUndefined();
    // The token the change returned works, and so does a fresh sign-in with the new password; the old one does not.
    expect((await stack.gql(VIEWER, {}, { token: changed.data.changePassword.accessToken })).data.viewer).toEqual({
      kind: 'USER',
      user: { email: user.email },
    });
    const fresh = await signIn(user.email, 'mot-mat-khau-moi-1');
    expect((await stack.gql(VIEWER, {}, { token: fresh })).data.viewer.kind).toBe('USER');
    const oldPassword = await stack.gql('mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }', {
      i: { email: user.email, password: user.password },
    });
    expect(codeOf(oldPassword)).toBe('UNAUTHENTICATED');
  });

  it('signOutEverywhere ends every token of the user, the one that asked included', async () => {
    const user = await signedInAccount('ct.agri.thot_not', 'ANALYST');
    const other = await signIn(user.email, user.password);
    const out = await stack.gql('mutation { signOutEverywhere { signedOutAt } }', {}, { token: user.token });
    expect(out.errors).toBeUndefined();
    for (const token of [user.token, other]) {
      expect(
        codeOf(
          await within(
            () => stack.gql(VIEWER, {}, { token }),
            (r) => r.status === 401,
          ),
        ),
      ).toBe('UNAUTHENTICATED');
    }
    expect((await stack.gql(VIEWER, {}, { token: await signIn(user.email, user.password) })).data.viewer.kind).toBe('USER');
  });

  it('deactivateUser ends the account’s sessions and its sign-in, for an ADMIN of its organization only', async () => {
    const user = await signedInAccount('ct.agri.thot_not.htx_lua_thoi_thuan');
    const DEACTIVATE = 'mutation($i: DeactivateUserInput!) { deactivateUser(input: $i) { user { active } } }';
    const outsider = await stack.gql(DEACTIVATE, { i: { id: user.userId } }, { token: await stack.tokenFor(demoEmail('ADMIN', 'ct.agri.phong_dien')) });
    expect(codeOf(outsider)).toBe('FORBIDDEN');
    expect(rowsOf<{ active: boolean }>(await db().execute(sql`select active from tenants.users where id = ${user.userId}`))[0]!.active).toBe(true);

    const done = await stack.gql(DEACTIVATE, { i: { id: user.userId } }, { token: await stack.tokenFor(demoEmail('ADMIN', 'ct.agri.thot_not')) });
    expect(done.data.deactivateUser.user.active).toBe(false);
    expect(
      codeOf(
        await within(
          () => stack.gql(VIEWER, {}, { token: user.token }),
          (r) => r.status === 401,
        ),
      ),
    ).toBe('UNAUTHENTICATED');
    const again = await stack.gql('mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }', { i: { email: user.email, password: user.password } });
    expect(codeOf(again)).toBe('UNAUTHENTICATED');
  });

  it('keeps accepting a token issued before generations existed while the user’s generation is 0', async () => {
    // Tokens minted by the previous release carry no `gen`; they stay good until a password change.
    const { SignJWT } = await import('jose');
    const user = await signedInAccount('ct.agri.thot_not', 'ANALYST');
    const legacy = await new SignJWT({ grants: [] })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.userId)
      .setIssuer('nguon-tenants')
      .setAudience('nguon-graph')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(stack.tokenSecret));
    expect((await stack.gql(VIEWER, {}, { token: legacy })).data.viewer).toEqual({ kind: 'USER', user: { email: user.email } });
    // A well-signed token of a user who does not exist is refused, not treated as anonymous.
    const ghost = await new SignJWT({ grants: [{ role: 'ADMIN', orgId: demoOrgId('ct'), path: 'ct' }] })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(randomUUID())
      .setIssuer('nguon-tenants')
      .setAudience('nguon-graph')
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(stack.tokenSecret));
    const r = await stack.gql(VIEWER, {}, { token: ghost });
    expect(r.status).toBe(401);
    expect(codeOf(r)).toBe('UNAUTHENTICATED');
  });
});

describe('look-ups at tenants', () => {
  it('costs at most one tenants look-up per distinct unknown API key within the cache window', async () => {
    const keys = Array.from({ length: 3 }, () => `ngk_${randomBytes(32).toString('base64url')}`);
    const before = stack.statements().tenants!;
    const answers = await Promise.all(
      keys.flatMap((key) => Array.from({ length: 25 }, () => stack.gql('{ viewer { kind } }', {}, { headers: { authorization: `ApiKey ${key}` } }))),
    );
    expect(answers.every((r) => r.status === 401 && codeOf(r) === 'UNAUTHENTICATED')).toBe(true);
    for (const key of keys) await stack.gql('{ viewer { kind } }', {}, { headers: { 'x-api-key': key } });
    expect(stack.statements().tenants! - before).toBe(keys.length);
    // The window is bounded: once it passes, a key is asked about again (a key created meanwhile would work).
    await sleep(CACHE_SECONDS * 1000 + 100);
    await stack.gql('{ viewer { kind } }', {}, { headers: { authorization: `ApiKey ${keys[0]}` } });
    expect(stack.statements().tenants! - before).toBe(keys.length + 1);
  });

  it('reuses a user’s grants within the window instead of asking tenants on every request', async () => {
    const user = await signedInAccount('ct.agri.thot_not', 'ANALYST');
    await stack.gql('{ viewer { kind } }', {}, { token: user.token });
    const before = stack.statements().tenants!;
    // `viewer { kind }` runs no SQL; one grants look-up is three statements (user, grants, ancestors).
    const answers = await Promise.all(Array.from({ length: 10 }, () => stack.gql('{ viewer { kind } }', {}, { token: user.token })));
    expect(answers.every((r) => r.data?.viewer?.kind === 'USER')).toBe(true);
    expect(stack.statements().tenants! - before).toBeLessThanOrEqual(3);
  });

  it('answers 503 SERVICE_UNAVAILABLE, never anonymous or 500, when tenants cannot be asked', async () => {
    const user = await signedInAccount('ct.agri.thot_not', 'OFFICER');
    await stack.subgraphs.tenants.close();
    for (const headers of [{ authorization: `Bearer ${user.token}` }, { authorization: `ApiKey ngk_${randomBytes(32).toString('base64url')}` }]) {
      const r = await stack.gql('{ viewer { kind } }', {}, { headers });
      expect(r.status).toBe(503);
      expect(codeOf(r)).toBe('SERVICE_UNAVAILABLE');
      expect(r.data).toBeUndefined();
    }
  });
});
