import { and, count, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { inAnySubtree, inSubtree, organizationScope, rowsOf, type Database, type Page, type Scoped } from '@nguon/shared';
import { complaintActions, complaints } from '../db/schema';

/**
 * Shoppers' complaints and their append-only actions (issue 15,
 * trace.complaints, trace.complaint_actions). Every list is scoped in SQL to
 * the owners under the viewer's INTERNAL roots, so a complaint the viewer may
 * not see never leaves the database. The photo's bytes are read only when the
 * photo itself is asked for.
 */

export type ComplaintCategoryValue = 'QUALITY' | 'SAFETY' | 'LABELLING' | 'COUNTERFEIT' | 'OTHER';
export type ComplaintStatusValue = 'NEW' | 'ACKNOWLEDGED' | 'INVESTIGATING' | 'RESOLVED' | 'ESCALATED';
export type ComplaintActionValue = 'FILED' | 'ACKNOWLEDGED' | 'INVESTIGATING' | 'RESOLVED' | 'ESCALATED';

/** Statuses still waiting for someone: what `openCount` and the oldest-open clock count. */
export const OPEN_STATUSES: readonly ComplaintStatusValue[] = ['NEW', 'ACKNOWLEDGED', 'INVESTIGATING'];

/** A complaint as resolvers see it; scoped to its owner's path and never public. */
export interface ComplaintModel extends Scoped {
  id: string;
  receipt: string;
  lotId: string;
  productId: string;
  ownerId: string;
  scanId: string | null;
  serial: string | null;
  category: ComplaintCategoryValue;
  description: string;
  contact: string | null;
  hasPhoto: boolean;
  photoType: string | null;
  lang: string;
  status: ComplaintStatusValue;
  createdAt: Date;
  firstResponseAt: Date | null;
  updatedAt: Date;
  resolvedAt: Date | null;
  resolution: string | null;
  recallId: string | null;
}

export interface ComplaintActionModel {
  complaintId: string;
  action: ComplaintActionValue;
  at: Date;
  actorId: string | null;
  actorKind: string | null;
  actorPath: string | null;
  note: string | null;
}

export interface ComplaintGroupModel {
  lotId: string | null;
  productId: string;
  count: number;
  openCount: number;
  oldestOpenAt: Date | null;
}

/** A page of complaints; `groups` runs its one statement only when asked. */
export type ComplaintPage = Page<ComplaintModel> & { groups: (by: 'LOT' | 'PRODUCT') => Promise<ComplaintGroupModel[]> };

export interface ComplaintFilterValues {
  status?: readonly ComplaintStatusValue[] | null;
  category?: ComplaintCategoryValue | null;
  lotId?: string | null;
  productId?: string | null;
  /** Owners in this path's subtree only (already resolved from `under`). */
  underPath?: string | null;
  from?: Date | null;
  to?: Date | null;
}

const columns = {
  id: complaints.id,
  receipt: complaints.receipt,
  lotId: complaints.lotId,
  productId: complaints.productId,
  ownerId: complaints.ownerId,
  scanId: complaints.scanId,
  serial: complaints.serial,
  category: complaints.category,
  description: complaints.description,
  contact: complaints.contact,
  hasPhoto: sql<boolean>`${complaints.photo} is not null`,
  photoType: complaints.photoType,
  lang: complaints.lang,
  status: complaints.status,
  createdAt: complaints.createdAt,
  firstResponseAt: complaints.firstResponseAt,
  updatedAt: complaints.updatedAt,
  resolvedAt: complaints.resolvedAt,
  resolution: complaints.resolution,
  recallId: complaints.recallId,
  ownerPath: organizationScope.path,
};

const asDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const asNullableDate = (v: unknown): Date | null => (v === null || v === undefined ? null : asDate(v));

type Row = Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number];

const toComplaint = ({ ownerPath, ...row }: Row): ComplaintModel => ({
  ...row,
  hasPhoto: row.hasPhoto === true || String(row.hasPhoto) === 't' || String(row.hasPhoto) === 'true',
  category: row.category as ComplaintCategoryValue,
  status: row.status as ComplaintStatusValue,
  createdAt: asDate(row.createdAt),
  firstResponseAt: asNullableDate(row.firstResponseAt),
  updatedAt: asDate(row.updatedAt),
  resolvedAt: asNullableDate(row.resolvedAt),
  // A complaint is never public: its fields are read as the owner's INTERNAL data.
  scope: { path: ownerPath, published: false },
});

const base = (db: Database) => db.select(columns).from(complaints).innerJoin(organizationScope, eq(organizationScope.id, complaints.ownerId));

function filterSql(filter: ComplaintFilterValues, roots: readonly string[]): SQL {
  return and(
    inAnySubtree(organizationScope.path, roots),
    filter.status?.length ? inArray(complaints.status, [...filter.status]) : undefined,
    filter.category ? eq(complaints.category, filter.category) : undefined,
    filter.lotId ? eq(complaints.lotId, filter.lotId) : undefined,
    filter.productId ? eq(complaints.productId, filter.productId) : undefined,
    filter.underPath ? inSubtree(organizationScope.path, filter.underPath) : undefined,
    filter.from ? gte(complaints.createdAt, filter.from) : undefined,
    filter.to ? lt(complaints.createdAt, filter.to) : undefined,
  )!;
}

/** Newest first (ids are UUIDv7, so id order is filing order); `limit + 1` rows for paging. */
export async function listComplaints(
  db: Database,
  filter: ComplaintFilterValues,
  roots: readonly string[],
  limit: number,
  beforeId: string | null,
): Promise<ComplaintModel[]> {
  if (roots.length === 0) return [];
  const rows = await base(db)
    .where(and(filterSql(filter, roots), beforeId ? lt(complaints.id, beforeId) : undefined))
    .orderBy(desc(complaints.id))
    .limit(limit + 1);
  return rows.map(toComplaint);
}

export async function countComplaints(db: Database, filter: ComplaintFilterValues, roots: readonly string[]): Promise<number> {
  if (roots.length === 0) return 0;
  const [row] = await db
    .select({ n: count() })
    .from(complaints)
    .innerJoin(organizationScope, eq(organizationScope.id, complaints.ownerId))
    .where(filterSql(filter, roots));
  return Number(row?.n ?? 0);
}

/** Complaints on the same lot (or product) among those matched: most open first, then the longest waiting. */
export async function groupComplaints(
  db: Database,
  filter: ComplaintFilterValues,
  roots: readonly string[],
  by: 'LOT' | 'PRODUCT',
): Promise<ComplaintGroupModel[]> {
  if (roots.length === 0) return [];
  const open = sql`${complaints.status} in ('NEW', 'ACKNOWLEDGED', 'INVESTIGATING')`;
  const openCount = sql<number>`count(*) filter (where ${open})`.mapWith(Number);
  const oldestOpenAt = sql<Date | null>`min(${complaints.createdAt}) filter (where ${open})`;
  const rows =
    by === 'LOT'
      ? await db
          .select({ lotId: complaints.lotId, productId: complaints.productId, count: count(), openCount, oldestOpenAt })
          .from(complaints)
          .innerJoin(organizationScope, eq(organizationScope.id, complaints.ownerId))
          .where(filterSql(filter, roots))
          .groupBy(complaints.lotId, complaints.productId)
          .orderBy(sql`${openCount} desc`, sql`${oldestOpenAt} asc nulls last`, complaints.lotId)
      : await db
          .select({ lotId: sql<string | null>`null`, productId: complaints.productId, count: count(), openCount, oldestOpenAt })
          .from(complaints)
          .innerJoin(organizationScope, eq(organizationScope.id, complaints.ownerId))
          .where(filterSql(filter, roots))
          .groupBy(complaints.productId)
          .orderBy(sql`${openCount} desc`, sql`${oldestOpenAt} asc nulls last`, complaints.productId);
  return rows.map((r) => ({
    lotId: r.lotId,
    productId: r.productId,
    count: Number(r.count),
    openCount: Number(r.openCount),
    oldestOpenAt: asNullableDate(r.oldestOpenAt),
  }));
}

export async function complaintsByIds(db: Database, ids: readonly string[]): Promise<ComplaintModel[]> {
  if (ids.length === 0) return [];
  return (await base(db).where(inArray(complaints.id, [...ids]))).map(toComplaint);
}

/** The row under a lock, for a status change or an escalation: two officers acting at once act one after the other. */
export async function lockComplaint(db: Database, id: string): Promise<{ status: ComplaintStatusValue; firstResponseAt: Date | null } | null> {
  const [row] = rowsOf<{ status: string; first_response_at: unknown }>(
    await db.execute(sql`select status, first_response_at from trace.complaints where id = ${id}::uuid for update`),
  );
  return row ? { status: row.status as ComplaintStatusValue, firstResponseAt: asNullableDate(row.first_response_at) } : null;
}

export async function complaintPhoto(db: Database, id: string): Promise<{ bytes: Buffer; type: string } | null> {
  const [row] = await db.select({ photo: complaints.photo, type: complaints.photoType }).from(complaints).where(eq(complaints.id, id));
  if (!row?.photo || !row.type) return null;
  return { bytes: Buffer.from(row.photo), type: row.type };
}

/** What a shopper may see with their receipt code: the status, never the complaint's content or who filed it. */
export async function complaintByReceipt(db: Database, receipt: string) {
  const [row] = await db
    .select({
      receipt: complaints.receipt,
      status: complaints.status,
      category: complaints.category,
      createdAt: complaints.createdAt,
      updatedAt: complaints.updatedAt,
      resolution: complaints.resolution,
      recallId: complaints.recallId,
    })
    .from(complaints)
    .where(eq(complaints.receipt, receipt));
  return row
    ? {
        ...row,
        status: row.status as ComplaintStatusValue,
        category: row.category as ComplaintCategoryValue,
        createdAt: asDate(row.createdAt),
        updatedAt: asDate(row.updatedAt),
        recalled: row.recallId !== null,
      }
    : null;
}

/**
 * How many complaints were filed since `since` from this address key and on
 * this lot: the two rate limits, counted in the filing transaction.
 */
export async function recentFilings(db: Database, clientKey: string, lotId: string, since: Date): Promise<{ byClient: number; byLot: number }> {
  const [row] = rowsOf<{ by_client: unknown; by_lot: unknown }>(
    await db.execute(sql`
      select (select count(*) from trace.complaints where client_key = ${clientKey} and created_at >= ${since.toISOString()}::timestamptz) as by_client,
             (select count(*) from trace.complaints where lot_id = ${lotId}::uuid and created_at >= ${since.toISOString()}::timestamptz) as by_lot`),
  );
  return { byClient: Number(row?.by_client ?? 0), byLot: Number(row?.by_lot ?? 0) };
}

/**
 * Serialises filings from one address key until the transaction ends, so
 * reports sent at once on different lots cannot all be counted before any is
 * stored and slip under the per-address limit together. Taken before the
 * lot's lock (lockFilingsOn), always in that order, so two filings never wait
 * on each other crosswise.
 */
export async function lockFilingsFrom(db: Database, clientKey: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`nguon.complaints.client.${clientKey}`}))`);
}

/**
 * Serialises filings on one lot until the transaction ends, so two reports
 * counted at once cannot both slip under the per-lot limit. Taken after the
 * address's lock (lockFilingsFrom).
 */
export async function lockFilingsOn(db: Database, lotId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`nguon.complaints.${lotId}`}))`);
}

export async function insertComplaint(db: Database, row: typeof complaints.$inferInsert): Promise<void> {
  await db.insert(complaints).values(row);
}

export async function updateComplaintRow(
  db: Database,
  id: string,
  set: Partial<Pick<typeof complaints.$inferInsert, 'status' | 'firstResponseAt' | 'resolvedAt' | 'resolution' | 'recallId'>>,
): Promise<void> {
  await db
    .update(complaints)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(complaints.id, id));
}

export async function appendComplaintAction(db: Database, row: typeof complaintActions.$inferInsert): Promise<void> {
  await db.insert(complaintActions).values(row);
}

export async function actionsOfComplaints(db: Database, ids: readonly string[]): Promise<ComplaintActionModel[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      complaintId: complaintActions.complaintId,
      action: complaintActions.action,
      at: complaintActions.at,
      actorId: complaintActions.actorId,
      actorKind: complaintActions.actorKind,
      actorPath: complaintActions.actorPath,
      note: complaintActions.note,
    })
    .from(complaintActions)
    .where(inArray(complaintActions.complaintId, [...ids]))
    .orderBy(complaintActions.at, complaintActions.id);
  return rows.map((r) => ({ ...r, action: r.action as ComplaintActionValue, at: asDate(r.at) }));
}

/** Whether a scan was recorded for this lot: a report links only to a scan of the lot it is about. */
export async function scanOfLot(db: Database, scanId: string, lotId: string): Promise<boolean> {
  const rows = rowsOf<{ id: string }>(await db.execute(sql`select id from trace.scans where id = ${scanId}::uuid and lot_id = ${lotId}::uuid`));
  return rows.length > 0;
}
