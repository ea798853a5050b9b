/**
 * Tenants writes (docs/write-authority.md): sign-in, the organization tree,
 * users, roles and API clients. Each takes the request context first and its
 * input, checks who may act, validates, and writes in one transaction; the
 * Mutation resolvers only map GraphQL onto these.
 */
import {
  isOperatorKind,
  actorIdOf,
  badInput,
  canAdminister,
  conflict,
  forbidden,
  hasValidCheckDigit,
  idempotent,
  inTransaction,
  isUuid,
  notFound,
  unauthenticated,
  uniquely,
  type Viewer,
} from '@nguon/shared';
import type {
  MutationChangePasswordArgs,
  MutationCreateApiClientArgs,
  MutationCreateOrganizationArgs,
  MutationCreateUserArgs,
  MutationDeactivateOrganizationArgs,
  MutationDeactivateUserArgs,
  MutationGrantRoleArgs,
  MutationMoveOrganizationArgs,
  MutationRenameOrganizationArgs,
  MutationRevokeApiClientArgs,
  MutationRevokeRoleArgs,
  MutationSetOrganizationGlnArgs,
  MutationSignInArgs,
} from '../generated/graphql';
import type { Context } from '../context';
import { DUMMY_HASH, hashPassword, issueAccessToken, newApiKey, SCOPE_NAMES, verifyPassword } from '../auth';
import { deactivateSubtree, glnTaken, insertOrganization, moveSubtree, pathExists, recordChange, rename, setGln } from '../data/organizations';
import {
  activeGrantExists,
  apiClientById,
  currentGrantsOf,
  emailTaken,
  endSessions,
  grantById,
  insertApiClient,
  insertGrant,
  insertUser,
  passwordHashOf,
  revokeApiClient as revokeApiClientRow,
  revokeGrant,
  toViewerGrants,
  userForSignIn,
  usersByIds,
} from '../data/users';
import { idempotencyKeys } from '../db/schema';
import type { OrganizationKindValue, OrganizationModel, TreeLevelModel } from '../models';
import { loadVisibleOrganization } from '../resolvers/Organization';

/** Which kinds may sit directly under which: the tree's shape. */
const ALLOWED_CHILDREN: Record<OrganizationKindValue, readonly OrganizationKindValue[]> = {
  CITY: ['DEPARTMENT'],
  DEPARTMENT: ['AREA'],
  AREA: ['AREA', 'PRODUCER', 'BUSINESS', 'STORE'],
  PRODUCER: [],
  BUSINESS: [],
  STORE: [],
};

const SLUG = /^[a-z0-9_]{1,40}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_NAME = 200;

async function targetOrganization(ctx: Context, id: string, field: string): Promise<OrganizationModel> {
  const org = isUuid(id) ? await loadVisibleOrganization(ctx, id) : null;
  if (!org) throw withField(notFound('The organization'), field);
  return org;
}

function withField<E extends { extensions: Record<string, unknown> }>(error: E, field: string): E {
  (error.extensions as Record<string, unknown>).field = field.split('.');
  return error;
}

function requireAdmin(viewer: Viewer, org: OrganizationModel, what: string) {
  if (viewer.kind === 'anonymous') throw unauthenticated();
  if (!canAdminister(viewer, org.path)) throw forbidden(`Only an ADMIN of ${org.path} or above may ${what}.`);
}

function checkPassword(password: string, field: string) {
  if (password.length < 10) throw badInput('A password has at least 10 characters.', field);
  if (password.length > 200) throw badInput('A password has at most 200 characters.', field);
}

/** A user's own account: API clients have no password or sessions to end. */
function requireUser(viewer: Viewer): string {
  if (viewer.kind === 'anonymous') throw unauthenticated();
  if (viewer.kind !== 'user') throw forbidden('Only a signed-in user has a password and sessions.');
  return viewer.userId;
}

function checkName(value: string, field: string): string {
  const name = value.trim();
  if (!name) throw badInput('A name cannot be empty.', field);
  if (name.length > MAX_NAME) throw badInput(`A name has at most ${MAX_NAME} characters.`, field);
  return name;
}

function names(nameVi: string, nameEn: string | null | undefined): Record<string, string> {
  const map: Record<string, string> = { vi: checkName(nameVi, 'input.nameVi') };
  if (nameEn !== null && nameEn !== undefined && nameEn.trim() !== '') map.en = checkName(nameEn, 'input.nameEn');
  return map;
}

/** A GLN as given: 13 digits with a valid GS1 check digit (docs/architecture.md §6). */
function checkGln(gln: string, field: string): string {
  const value = gln.trim();
  if (!/^\d{13}$/.test(value) || !hasValidCheckDigit(value)) throw badInput('A GLN has 13 digits with a valid check digit.', field);
  return value;
}

const glnConflict = (gln: string, field: string) => conflict(`Another organization already has the GLN ${gln}.`, field);

function checkPlacement(parent: OrganizationModel, kind: OrganizationKindValue, field: string) {
  if (!ALLOWED_CHILDREN[parent.kind].includes(kind)) {
    throw badInput(`A ${kind} cannot be placed under a ${parent.kind}.`, field);
  }
}

/**
 * The administrative level of a new node: the one named, or else the next
 * level below the parent's that its kind may sit on. A level always ranks
 * below its parent's, so a commune may go under a district or straight
 * under a department (no district level), never above its parent.
 */
function chooseLevel(levels: TreeLevelModel[], parent: OrganizationModel, kind: OrganizationKindValue, code: string | null | undefined): string {
  const parentRank = levels.find((l) => l.code === parent.level)?.rank ?? -1;
  const fits = (l: TreeLevelModel) => l.kinds.includes(kind) && l.rank > parentRank;
  if (code !== null && code !== undefined) {
    const level = levels.find((l) => l.code === code);
    if (!level) throw badInput(`Unknown level "${code}"; one of ${levels.map((l) => l.code).join(', ')}.`, 'input.level');
    if (!level.kinds.includes(kind)) throw badInput(`A ${kind} cannot sit on the ${code} level.`, 'input.level');
    if (!fits(level)) throw badInput(`The ${code} level does not rank below the parent's (${parent.level}).`, 'input.level');
    return level.code;
  }
  const next = levels.filter(fits).sort((a, b) => a.rank - b.rank)[0];
  if (!next) throw badInput(`No level for a ${kind} below ${parent.level}; name one of tenants.levels.`, 'input.level');
  return next.code;
}

export async function signIn(ctx: Context, input: MutationSignInArgs['input']) {
  const user = await userForSignIn(ctx.db, input.email);
  // Compare against a dummy hash for unknown emails: both failures look and take the same.
  const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || !user.active) throw unauthenticated('Wrong email or password.');
  const grants = toViewerGrants(await currentGrantsOf(ctx.db, user.id));
  const { token, expiresAt } = await issueAccessToken(ctx.tokens, user.id, grants, user.tokenGeneration);
  // This request has now proven who it is: let the payload resolve as that user.
  ctx.viewer = { kind: 'user', userId: user.id, grants, requestId: ctx.requestId };
  const [model] = await usersByIds(ctx.db, [user.id]);
  return { accessToken: token, expiresAt, user: model! };
}

export async function createOrganization(ctx: Context, input: MutationCreateOrganizationArgs['input']) {
  const parent = await targetOrganization(ctx, input.parentId, 'input.parentId');
  requireAdmin(ctx.viewer, parent, 'create organizations here');
  if (!parent.active) throw badInput('The parent organization is deactivated.', 'input.parentId');
  checkPlacement(parent, input.kind, 'input.kind');
  if (!SLUG.test(input.slug)) throw badInput('A slug has 1–40 lowercase letters, digits or underscores.', 'input.slug');
  const gln = input.gln ? checkGln(input.gln, 'input.gln') : null;
  if (input.contactEmail && !EMAIL.test(input.contactEmail)) throw badInput('The contact email is not an email address.', 'input.contactEmail');
  let sector = parent.sector;
  if (input.kind === 'DEPARTMENT') {
    if (!input.sector) throw badInput('A department needs a sector.', 'input.sector');
    sector = input.sector;
  } else if (input.sector && input.sector !== parent.sector) {
    throw badInput(`The sector is inherited from the parent (${parent.sector ?? 'none'}).`, 'input.sector');
  }
  const name = names(input.nameVi, input.nameEn);
  const level = chooseLevel(await ctx.loaders.treeLevels.load('all'), parent, input.kind, input.level);
  // Sign-up is retried by clients on timeouts: with an Idempotency-Key the retry replays the first answer.
  return idempotent<{ organization: OrganizationModel }, { organizationId: string }>(ctx, {
    table: idempotencyKeys,
    operation: 'createOrganization',
    input,
    save: ({ organization }) => ({ organizationId: organization.id }),
    replay: async ({ organizationId }) => {
      const organization = await loadVisibleOrganization(ctx, organizationId);
      if (!organization) throw notFound('The organization');
      return { organization };
    },
    write: async (tx) => {
      if (await pathExists(tx, `${parent.path}.${input.slug}`))
        throw conflict(`An organization already has the path ${parent.path}.${input.slug}.`, 'input.slug');
      if (gln && (await glnTaken(tx, gln))) throw glnConflict(gln, 'input.gln');
      const insert = () =>
        insertOrganization(
          tx,
          {
            parent,
            kind: input.kind,
            sector,
            name,
            slug: input.slug,
            level,
            gln,
            address: input.address ?? null,
            districtCode: input.districtCode ?? parent.districtCode,
            contact:
              input.contactPerson || input.contactEmail || input.contactPhone
                ? { person: input.contactPerson ?? null, email: input.contactEmail ?? null, phone: input.contactPhone ?? null }
                : null,
          },
          actorIdOf(ctx.viewer),
        );
      // A concurrent writer may take the GLN between the check and the insert.
      const organization = gln ? await uniquely(insert, () => glnConflict(gln, 'input.gln')) : await insert();
      return { organization };
    },
  });
}

export async function renameOrganization(ctx: Context, input: MutationRenameOrganizationArgs['input']) {
  const org = await targetOrganization(ctx, input.id, 'input.id');
  requireAdmin(ctx.viewer, org, 'rename this organization');
  const name = names(input.nameVi, input.nameEn);
  await inTransaction(ctx.db, async (tx) => {
    await rename(tx, org.id, name);
    await recordChange(tx, org.id, 'RENAMED', { name: org.name }, { name }, actorIdOf(ctx.viewer));
  });
  return { organization: { ...org, name } };
}

export async function setOrganizationGln(ctx: Context, input: MutationSetOrganizationGlnArgs['input']) {
  const org = await targetOrganization(ctx, input.id, 'input.id');
  requireAdmin(ctx.viewer, org, "set this organization's GLN");
  const gln = input.gln ? checkGln(input.gln, 'input.gln') : null;
  if (gln !== org.gln) {
    await inTransaction(ctx.db, async (tx) => {
      if (gln && (await glnTaken(tx, gln, org.id))) throw glnConflict(gln, 'input.gln');
      await uniquely(
        () => setGln(tx, org.id, gln),
        () => glnConflict(gln!, 'input.gln'),
      );
      await recordChange(tx, org.id, 'GLN_CHANGED', { gln: org.gln }, { gln }, actorIdOf(ctx.viewer));
    });
  }
  return { organization: { ...org, gln } };
}

export async function moveOrganization(ctx: Context, input: MutationMoveOrganizationArgs['input']) {
  const org = await targetOrganization(ctx, input.id, 'input.id');
  const newParent = await targetOrganization(ctx, input.newParentId, 'input.newParentId');
  if (!org.parentId) throw badInput('The root of the tree cannot move.', 'input.id');
  // An ADMIN of both places: the one being left and the one being joined.
  requireAdmin(ctx.viewer, org, 'move this organization');
  requireAdmin(ctx.viewer, newParent, 'move organizations under this one');
  if (newParent.path === org.path || newParent.path.startsWith(`${org.path}.`)) {
    throw badInput('An organization cannot move under itself or its own descendant.', 'input.newParentId');
  }
  // As for createOrganization: an active node under a deactivated one would keep grants its ancestor lost.
  if (!newParent.active) throw badInput('The new parent organization is deactivated.', 'input.newParentId');
  checkPlacement(newParent, org.kind, 'input.newParentId');
  // Levels stay ranked down the tree: a district cannot move under a commune. The node keeps its level.
  const levels = await ctx.loaders.treeLevels.load('all');
  const rank = (code: string) => levels.find((l) => l.code === code)?.rank ?? -1;
  if (rank(org.level) <= rank(newParent.level)) {
    throw badInput(`A node on the ${org.level} level cannot move under one on the ${newParent.level} level.`, 'input.newParentId');
  }
  if (org.sector !== newParent.sector && org.kind !== 'DEPARTMENT') {
    throw badInput(`An organization cannot move across sectors (${org.sector} to ${newParent.sector}).`, 'input.newParentId');
  }
  const slug = org.path.slice(org.path.lastIndexOf('.') + 1);
  const newPath = `${newParent.path}.${slug}`;
  await inTransaction(ctx.db, async (tx) => {
    if (await pathExists(tx, newPath)) throw conflict(`An organization already has the path ${newPath}.`, 'input.newParentId');
    await moveSubtree(tx, org, newParent);
    await recordChange(tx, org.id, 'MOVED', { path: org.path }, { path: newPath }, actorIdOf(ctx.viewer));
  });
  ctx.loaders.organization.clear(org.id);
  return { organization: (await ctx.loaders.organization.load(org.id))! };
}

export async function deactivateOrganization(ctx: Context, input: MutationDeactivateOrganizationArgs['input']) {
  const org = await targetOrganization(ctx, input.id, 'input.id');
  requireAdmin(ctx.viewer, org, 'deactivate this organization');
  if (!org.parentId) throw badInput('The root of the tree cannot be deactivated.', 'input.id');
  if (org.active) {
    await inTransaction(ctx.db, async (tx) => {
      await deactivateSubtree(tx, org);
      await recordChange(tx, org.id, 'DEACTIVATED', { active: true }, { active: false }, actorIdOf(ctx.viewer));
    });
  }
  return { organization: { ...org, active: false, scope: { ...org.scope, published: false } } };
}

export async function createUser(ctx: Context, input: MutationCreateUserArgs['input']) {
  const org = await targetOrganization(ctx, input.organizationId, 'input.organizationId');
  requireAdmin(ctx.viewer, org, 'create users here');
  const name = checkName(input.name, 'input.name');
  if (!EMAIL.test(input.email.trim())) throw badInput('This is not an email address.', 'input.email');
  checkPassword(input.password, 'input.password');
  const passwordHash = await hashPassword(input.password);
  const id = await inTransaction(ctx.db, async (tx) => {
    if (await emailTaken(tx, input.email)) throw conflict('An account with this email already exists.', 'input.email');
    return insertUser(tx, { organizationId: org.id, name, email: input.email, phone: input.phone ?? null, passwordHash });
  });
  return { user: (await ctx.loaders.user.load(id))! };
}

export async function grantRole(ctx: Context, input: MutationGrantRoleArgs['input']) {
  const target = await targetOrganization(ctx, input.organizationId, 'input.organizationId');
  requireAdmin(ctx.viewer, target, 'grant roles on this organization');
  const user = isUuid(input.userId) ? await ctx.loaders.user.load(input.userId) : null;
  if (!user) throw withField(notFound('The user'), 'input.userId');
  // Nobody edits another organization's users: the granter administers the account's own organization too.
  const home = await targetOrganization(ctx, user.organizationId, 'input.userId');
  requireAdmin(ctx.viewer, home, "grant roles to this organization's users");
  if (input.role === 'STAFF' && !isOperatorKind(target.kind)) {
    throw badInput('STAFF is held at a producer, business or store.', 'input.role');
  }
  const id = await inTransaction(ctx.db, async (tx) => {
    if (await activeGrantExists(tx, user.id, target.id, input.role)) throw conflict('The user already holds this role here.');
    return insertGrant(tx, { userId: user.id, role: input.role, organizationId: target.id, grantedBy: actorIdOf(ctx.viewer) });
  });
  return { grant: (await grantById(ctx.db, id))! };
}

export async function revokeRole(ctx: Context, input: MutationRevokeRoleArgs['input']) {
  const grant = isUuid(input.grantId) ? await grantById(ctx.db, input.grantId) : null;
  if (!grant) throw withField(notFound('The role grant'), 'input.grantId');
  const org = await targetOrganization(ctx, grant.organizationId, 'input.grantId');
  requireAdmin(ctx.viewer, org, 'revoke roles on this organization');
  await revokeGrant(ctx.db, grant.id);
  return { grant };
}

export async function changePassword(ctx: Context, input: MutationChangePasswordArgs['input']) {
  const userId = requireUser(ctx.viewer);
  checkPassword(input.newPassword, 'input.newPassword');
  const stored = await passwordHashOf(ctx.db, userId);
  if (!stored || !(await verifyPassword(input.currentPassword, stored))) throw badInput('The current password is wrong.', 'input.currentPassword');
  const passwordHash = await hashPassword(input.newPassword);
  // One statement: the new password and the end of every earlier token land together.
  const generation = await endSessions(ctx.db, userId, { passwordHash });
  const grants = toViewerGrants(await currentGrantsOf(ctx.db, userId));
  const { token, expiresAt } = await issueAccessToken(ctx.tokens, userId, grants, generation);
  ctx.loaders.user.clear(userId);
  return { accessToken: token, expiresAt, user: (await ctx.loaders.user.load(userId))! };
}

export async function signOutEverywhere(ctx: Context) {
  const userId = requireUser(ctx.viewer);
  await endSessions(ctx.db, userId);
  return { signedOutAt: new Date() };
}

export async function deactivateUser(ctx: Context, input: MutationDeactivateUserArgs['input']) {
  const user = isUuid(input.id) ? await ctx.loaders.user.load(input.id) : null;
  if (!user) throw withField(notFound('The user'), 'input.id');
  const org = await targetOrganization(ctx, user.organizationId, 'input.id');
  requireAdmin(ctx.viewer, org, 'deactivate users here');
  // Nor may a lower ADMIN lock out an account that holds roles above it: the viewer must administer every node the account acts on.
  for (const grant of await ctx.loaders.grantsOfUser.load(user.id)) {
    if (!canAdminister(ctx.viewer, grant.scope.path))
      throw forbidden(`Only an ADMIN of ${grant.scope.path} or above may deactivate this account: it holds a role there.`);
  }
  // Disabling oneself would lock the account out with no one the wiser; signOutEverywhere ends one's own sessions.
  if (ctx.viewer.kind === 'user' && ctx.viewer.userId === user.id) throw badInput('An account cannot disable itself.', 'input.id');
  if (user.active) await endSessions(ctx.db, user.id, { active: false });
  return { user: { ...user, active: false } };
}

export async function createApiClient(ctx: Context, input: MutationCreateApiClientArgs['input']) {
  const org = await targetOrganization(ctx, input.organizationId, 'input.organizationId');
  requireAdmin(ctx.viewer, org, 'create API clients here');
  const name = checkName(input.name, 'input.name');
  if (input.scopes.length === 0) throw badInput('An API client needs at least one scope.', 'input.scopes');
  const scopes = [...new Set(input.scopes.map((s) => SCOPE_NAMES[s]))];
  const { key, prefix, hash } = newApiKey();
  const id = await insertApiClient(ctx.db, { organizationId: org.id, name, keyPrefix: prefix, keyHash: hash, scopes, createdBy: actorIdOf(ctx.viewer) });
  return { client: (await apiClientById(ctx.db, id))!, key };
}

export async function revokeApiClient(ctx: Context, input: MutationRevokeApiClientArgs['input']) {
  const client = isUuid(input.id) ? await apiClientById(ctx.db, input.id) : null;
  if (!client) throw withField(notFound('The API client'), 'input.id');
  const org = await targetOrganization(ctx, client.organizationId, 'input.id');
  requireAdmin(ctx.viewer, org, 'revoke API clients here');
  await revokeApiClientRow(ctx.db, client.id);
  return { client: (await apiClientById(ctx.db, client.id))! };
}
