import { and, asc, eq, gt, inArray, or, sql, type SQL } from 'drizzle-orm';
import { groupRanked, inAnySubtree, inSubtree, preparedOnce, rankWithin, uuidArray, withinRank, type Database } from '@nguon/shared';
import { levels, organizationChanges, organizations } from '../db/schema';
import { toOrganization, type OrganizationModel, type TreeLevelModel } from '../models';
import { uuidv7 } from '@nguon/shared';

/** Columns every organization read selects. */
export const organizationColumns = {
  id: organizations.id,
  parentId: organizations.parentId,
  kind: organizations.kind,
  sector: organizations.sector,
  name: organizations.name,
  path: organizations.path,
  depth: organizations.depth,
  level: organizations.level,
  gln: organizations.gln,
  address: organizations.address,
  districtCode: organizations.districtCode,
  contact: organizations.contact,
  active: organizations.active,
};

const byIds = preparedOnce((db) =>
  db
    .select(organizationColumns)
    .from(organizations)
    .where(sql`${organizations.id} = any(${sql.placeholder('ids')}::uuid[])`)
    .prepare('tenants_organizations_by_ids'),
);

/** One array parameter however many ids (a page of 1 000 lots may name hundreds of owners). */
export async function organizationsByIds(db: Database, ids: readonly string[]): Promise<OrganizationModel[]> {
  const rows = await byIds(db).execute({ ids: uuidArray(ids) });
  return rows.map(toOrganization);
}

export async function organizationByPath(db: Database, path: string): Promise<OrganizationModel | null> {
  const [row] = await db.select(organizationColumns).from(organizations).where(eq(organizations.path, path));
  return row ? toOrganization(row) : null;
}

export async function organizationByGln(db: Database, gln: string): Promise<OrganizationModel | null> {
  const [row] = await db.select(organizationColumns).from(organizations).where(eq(organizations.gln, gln));
  return row ? toOrganization(row) : null;
}

/** Whether an organization other than `exceptId` holds the GLN (whatever its visibility: a GLN names one party). */
export async function glnTaken(db: Database, gln: string, exceptId: string | null = null): Promise<boolean> {
  const [row] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.gln, gln));
  return !!row && row.id !== exceptId;
}

export async function setGln(db: Database, id: string, gln: string | null): Promise<void> {
  await db.update(organizations).set({ gln, updatedAt: new Date() }).where(eq(organizations.id, id));
}

/** Active organizations are public; inactive ones only for those who read the subtree's internals. */
export const visibleCondition = (internalRoots: readonly string[]): SQL => or(eq(organizations.active, true), inAnySubtree(organizations.path, internalRoots))!;

export interface OrganizationFilter {
  kind?: string | null;
  under?: string | null;
  sector?: string | null;
  level?: string | null;
  parentIds?: readonly string[];
}

function filterConditions(filter: OrganizationFilter, internalRoots: readonly string[]): SQL[] {
  const conditions: SQL[] = [visibleCondition(internalRoots)];
  if (filter.kind) conditions.push(eq(organizations.kind, filter.kind));
  if (filter.sector) conditions.push(eq(organizations.sector, filter.sector));
  if (filter.level) conditions.push(eq(organizations.level, filter.level));
  if (filter.under) conditions.push(inSubtree(organizations.path, filter.under));
  if (filter.parentIds) conditions.push(inArray(organizations.parentId, [...filter.parentIds]));
  return conditions;
}

/** One page of organizations in tree (path) order; `limit + 1` rows to detect a next page. */
export async function listOrganizations(
  db: Database,
  filter: OrganizationFilter,
  internalRoots: readonly string[],
  limit: number,
  afterPath: string | null,
): Promise<OrganizationModel[]> {
  const conditions = filterConditions(filter, internalRoots);
  if (afterPath) conditions.push(gt(organizations.path, afterPath));
  const rows = await db
    .select(organizationColumns)
    .from(organizations)
    .where(and(...conditions))
    .orderBy(asc(organizations.path))
    .limit(limit + 1);
  return rows.map(toOrganization);
}

export async function countOrganizations(db: Database, filter: OrganizationFilter, internalRoots: readonly string[]): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(organizations)
    .where(and(...filterConditions(filter, internalRoots)));
  return row?.n ?? 0;
}

/**
 * Children pages of many parents in one statement: a window numbers each
 * parent's children so every parent gets at most `limit + 1` rows.
 */
export async function childrenOf(
  db: Database,
  parentIds: readonly string[],
  kind: string | null,
  internalRoots: readonly string[],
  limit: number,
  afterPath: string | null,
): Promise<Map<string, OrganizationModel[]>> {
  const conditions = filterConditions({ kind, parentIds }, internalRoots);
  if (afterPath) conditions.push(gt(organizations.path, afterPath));
  const ranked = db
    .select({ ...organizationColumns, rank: rankWithin(organizations.parentId, organizations.path) })
    .from(organizations)
    .where(and(...conditions))
    .as('ranked');
  const rows = await db.select().from(ranked).where(withinRank(ranked.rank, limit)).orderBy(ranked.path);
  return groupRanked(rows, (r) => r.parentId!, toOrganization);
}

export async function countChildren(
  db: Database,
  parentIds: readonly string[],
  kind: string | null,
  internalRoots: readonly string[],
): Promise<Map<string, number>> {
  const rows = await db
    .select({ parentId: organizations.parentId, n: sql<number>`count(*)::int` })
    .from(organizations)
    .where(and(...filterConditions({ kind, parentIds }, internalRoots)))
    .groupBy(organizations.parentId);
  return new Map(rows.map((r) => [r.parentId!, r.n]));
}

export async function allTreeLevels(db: Database): Promise<TreeLevelModel[]> {
  return db.select().from(levels).orderBy(levels.rank, levels.code);
}

export async function historyOf(db: Database, organizationIds: readonly string[]) {
  return db
    .select()
    .from(organizationChanges)
    .where(inArray(organizationChanges.organizationId, [...organizationIds]))
    .orderBy(sql`${organizationChanges.at} desc, ${organizationChanges.id} desc`);
}

export interface NewOrganization {
  parent: OrganizationModel | null;
  kind: string;
  sector: string | null;
  name: Record<string, string>;
  slug: string;
  level: string;
  gln?: string | null;
  address?: string | null;
  districtCode?: string | null;
  contact?: { person?: string | null; email?: string | null; phone?: string | null } | null;
}

export async function insertOrganization(db: Database, input: NewOrganization, actorId: string | null): Promise<OrganizationModel> {
  const id = uuidv7();
  const path = input.parent ? `${input.parent.path}.${input.slug}` : input.slug;
  const [row] = await db
    .insert(organizations)
    .values({
      id,
      parentId: input.parent?.id ?? null,
      kind: input.kind,
      sector: input.sector,
      name: input.name,
      slug: input.slug,
      path,
      depth: input.parent ? input.parent.depth + 1 : 0,
      level: input.level,
      gln: input.gln ?? null,
      address: input.address ?? null,
      districtCode: input.districtCode ?? null,
      contact: input.contact ?? null,
    })
    .returning(organizationColumns);
  await recordChange(db, id, 'CREATED', null, { path, name: input.name, kind: input.kind, level: input.level }, actorId);
  return toOrganization(row!);
}

export async function recordChange(db: Database, organizationId: string, change: string, before: unknown, after: unknown, actorId: string | null) {
  await db.insert(organizationChanges).values({ id: uuidv7(), organizationId, change, before, after, actorId });
}

/** Moves a node and its whole subtree: paths and depths change in one statement. */
export async function moveSubtree(db: Database, org: OrganizationModel, newParent: OrganizationModel): Promise<void> {
  const oldPrefix = org.path;
  const slug = org.path.slice(org.path.lastIndexOf('.') + 1);
  const newPrefix = `${newParent.path}.${slug}`;
  const depthDelta = newParent.depth + 1 - org.depth;
  await db
    .update(organizations)
    .set({
      path: sql`${newPrefix} || substr(${organizations.path}, ${oldPrefix.length + 1})`,
      depth: sql`${organizations.depth} + ${depthDelta}`,
      updatedAt: new Date(),
    })
    .where(inSubtree(organizations.path, oldPrefix));
  await db.update(organizations).set({ parentId: newParent.id }).where(eq(organizations.id, org.id));
}

export async function deactivateSubtree(db: Database, org: OrganizationModel): Promise<void> {
  await db.update(organizations).set({ active: false, updatedAt: new Date() }).where(inSubtree(organizations.path, org.path));
}

export async function rename(db: Database, id: string, name: Record<string, string>): Promise<void> {
  await db.update(organizations).set({ name, updatedAt: new Date() }).where(eq(organizations.id, id));
}

export async function pathExists(db: Database, path: string): Promise<boolean> {
  const [row] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.path, path));
  return Boolean(row);
}
