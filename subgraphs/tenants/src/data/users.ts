import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { uuidv7, type Database, type Grant } from '@nguon/shared';
import { apiClients, organizations, roleGrants, users } from '../db/schema';
import type { ApiClientModel, RoleGrantModel, UserModel } from '../models';

const userColumns = {
  id: users.id,
  organizationId: users.organizationId,
  email: users.email,
  name: users.name,
  phone: users.phone,
  active: users.active,
  orgPath: organizations.path,
};

type UserRow = { id: string; organizationId: string; email: string; name: string; phone: string | null; active: boolean; orgPath: string };
const toUser = ({ orgPath, ...row }: UserRow): UserModel => ({ ...row, scope: { path: orgPath, published: false, subjectId: row.id } });

export async function usersByIds(db: Database, ids: readonly string[]): Promise<UserModel[]> {
  const rows = await db
    .select(userColumns)
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(inArray(users.id, [...ids]));
  return rows.map(toUser);
}

export async function usersOfOrganizations(db: Database, orgIds: readonly string[]): Promise<UserModel[]> {
  const rows = await db
    .select(userColumns)
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(inArray(users.organizationId, [...orgIds]))
    .orderBy(users.name);
  return rows.map(toUser);
}

export async function userForSignIn(db: Database, email: string) {
  const [row] = await db
    .select({ id: users.id, passwordHash: users.passwordHash, active: users.active, tokenGeneration: users.tokenGeneration })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.trim().toLowerCase()));
  return row ?? null;
}

export async function emailTaken(db: Database, email: string): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.trim().toLowerCase()));
  return Boolean(row);
}

export async function insertUser(
  db: Database,
  input: { organizationId: string; name: string; email: string; phone: string | null; passwordHash: string },
): Promise<string> {
  const id = uuidv7();
  await db.insert(users).values({ id, ...input, email: input.email.trim() });
  return id;
}

const grantColumns = {
  id: roleGrants.id,
  userId: roleGrants.userId,
  role: roleGrants.role,
  organizationId: roleGrants.organizationId,
  grantedAt: roleGrants.grantedAt,
  path: organizations.path,
};
type GrantRow = { id: string; userId: string; role: string; organizationId: string; grantedAt: Date; path: string };
// A grant is about its holder: they see their own roles; supervisors of the node see them too.
const toGrant = ({ path, ...row }: GrantRow): RoleGrantModel => ({
  ...row,
  role: row.role as RoleGrantModel['role'],
  scope: { path, published: false, subjectId: row.userId },
});

/** Active grants on active organizations, for many users at once. */
export async function grantsOfUsers(db: Database, userIds: readonly string[]): Promise<RoleGrantModel[]> {
  const rows = await db
    .select(grantColumns)
    .from(roleGrants)
    .innerJoin(organizations, eq(organizations.id, roleGrants.organizationId))
    .where(and(inArray(roleGrants.userId, [...userIds]), isNull(roleGrants.revokedAt), eq(organizations.active, true)))
    .orderBy(organizations.path);
  return rows.map(toGrant);
}

export async function grantById(db: Database, id: string): Promise<RoleGrantModel | null> {
  const [row] = await db
    .select(grantColumns)
    .from(roleGrants)
    .innerJoin(organizations, eq(organizations.id, roleGrants.organizationId))
    .where(eq(roleGrants.id, id));
  return row ? toGrant(row) : null;
}

/**
 * The grants a session holds now: active grants on active organizations with
 * no deactivated ancestor (a node moved under a deactivated one keeps its own
 * `active` flag). Paths are the current ones, so they follow a move.
 */
export async function currentGrantsOf(db: Database, userId: string): Promise<RoleGrantModel[]> {
  const grants = await grantsOfUsers(db, [userId]);
  const ancestors = new Set<string>();
  for (const g of grants) {
    const segments = g.scope.path.split('.');
    for (let i = 1; i < segments.length; i++) ancestors.add(segments.slice(0, i).join('.'));
  }
  if (ancestors.size === 0) return grants;
  const inactive = await db
    .select({ path: organizations.path })
    .from(organizations)
    .where(and(inArray(organizations.path, [...ancestors]), eq(organizations.active, false)));
  if (inactive.length === 0) return grants;
  return grants.filter((g) => !inactive.some((a) => g.scope.path.startsWith(`${a.path}.`)));
}

/** What decides whether a user's access tokens still hold: null when the user is gone. */
export async function sessionStateOf(db: Database, userId: string): Promise<{ active: boolean; tokenGeneration: number } | null> {
  const [row] = await db.select({ active: users.active, tokenGeneration: users.tokenGeneration }).from(users).where(eq(users.id, userId));
  return row ?? null;
}

export async function passwordHashOf(db: Database, userId: string): Promise<string | null> {
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  return row?.passwordHash ?? null;
}

/**
 * Ends every access token issued so far (the gateway refuses tokens of an
 * older generation); optionally sets a new password or disables the account
 * in the same statement. Returns the new generation.
 */
export async function endSessions(db: Database, userId: string, change: { passwordHash?: string; active?: false } = {}): Promise<number> {
  const [row] = await db
    .update(users)
    .set({ ...change, tokenGeneration: sql`${users.tokenGeneration} + 1` })
    .where(eq(users.id, userId))
    .returning({ tokenGeneration: users.tokenGeneration });
  return row!.tokenGeneration;
}

export const toViewerGrants = (grants: RoleGrantModel[]): Grant[] => grants.map((g) => ({ role: g.role, orgId: g.organizationId, path: g.scope.path }));

export async function insertGrant(db: Database, input: { userId: string; role: string; organizationId: string; grantedBy: string | null }): Promise<string> {
  const id = uuidv7();
  await db.insert(roleGrants).values({ id, ...input });
  return id;
}

export async function activeGrantExists(db: Database, userId: string, organizationId: string, role: string): Promise<boolean> {
  const [row] = await db
    .select({ id: roleGrants.id })
    .from(roleGrants)
    .where(and(eq(roleGrants.userId, userId), eq(roleGrants.organizationId, organizationId), eq(roleGrants.role, role), isNull(roleGrants.revokedAt)));
  return Boolean(row);
}

export async function revokeGrant(db: Database, id: string): Promise<void> {
  await db.update(roleGrants).set({ revokedAt: new Date() }).where(eq(roleGrants.id, id));
}

const clientColumns = {
  id: apiClients.id,
  organizationId: apiClients.organizationId,
  name: apiClients.name,
  keyPrefix: apiClients.keyPrefix,
  scopes: apiClients.scopes,
  createdAt: apiClients.createdAt,
  revokedAt: apiClients.revokedAt,
  path: organizations.path,
};
type ClientRow = {
  id: string;
  organizationId: string;
  name: string;
  keyPrefix: string;
  scopes: string[];
  createdAt: Date;
  revokedAt: Date | null;
  path: string;
};
const toClient = ({ path, ...row }: ClientRow): ApiClientModel => ({ ...row, scope: { path, published: false } });

export async function apiClientById(db: Database, id: string): Promise<ApiClientModel | null> {
  const [row] = await db
    .select(clientColumns)
    .from(apiClients)
    .innerJoin(organizations, eq(organizations.id, apiClients.organizationId))
    .where(eq(apiClients.id, id));
  return row ? toClient(row) : null;
}

export async function apiClientsUnder(db: Database, orgId: string): Promise<ApiClientModel[]> {
  const rows = await db
    .select(clientColumns)
    .from(apiClients)
    .innerJoin(organizations, eq(organizations.id, apiClients.organizationId))
    .where(eq(apiClients.organizationId, orgId))
    .orderBy(apiClients.createdAt);
  return rows.map(toClient);
}

/** The live client a key belongs to, if the key is known, unrevoked and its organization active. */
export async function apiClientByKeyHash(db: Database, keyHash: string) {
  const [row] = await db
    .select({ ...clientColumns, active: organizations.active, lastUsedAt: apiClients.lastUsedAt })
    .from(apiClients)
    .innerJoin(organizations, eq(organizations.id, apiClients.organizationId))
    .where(and(eq(apiClients.keyHash, keyHash), isNull(apiClients.revokedAt)));
  if (!row || !row.active) return null;
  return row;
}

export async function touchApiClient(db: Database, id: string): Promise<void> {
  await db.update(apiClients).set({ lastUsedAt: new Date() }).where(eq(apiClients.id, id));
}

export async function insertApiClient(
  db: Database,
  input: { organizationId: string; name: string; keyPrefix: string; keyHash: string; scopes: string[]; createdBy: string | null },
): Promise<string> {
  const id = uuidv7();
  await db.insert(apiClients).values({ id, ...input });
  return id;
}

export async function revokeApiClient(db: Database, id: string): Promise<void> {
  await db
    .update(apiClients)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiClients.id, id), isNull(apiClients.revokedAt)));
}
