import { and, asc, eq, gt, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import {
  groupRanked,
  inAnySubtree,
  inSubtree,
  organizationScope,
  preparedOnce,
  rankWithin,
  rowsOf,
  uuidv7,
  withinRank,
  type Database,
  uuidArray,
} from '@nguon/shared';
import { lotAudit, lots } from '../db/schema';
import { PUBLIC_LOT_STATUSES, type LotAuditAction, type LotAuditModel, type LotModel, type LotStatusValue, type NormCheckModel } from '../models';

const columns = {
  id: lots.id,
  lotCode: lots.lotCode,
  productId: lots.productId,
  ownerId: lots.ownerId,
  season: lots.season,
  quantity: lots.quantity,
  unit: lots.unit,
  producedOn: lots.producedOn,
  expiresOn: lots.expiresOn,
  status: lots.status,
  productionAreaId: lots.productionAreaId,
  normCheck: lots.normCheck,
  publishOnApproval: lots.publishOnApproval,
  reviewedBy: lots.reviewedBy,
  reviewedAt: lots.reviewedAt,
  reviewNote: lots.reviewNote,
  ownerPath: organizationScope.path,
};

const toLot = ({ ownerPath, ...row }: Row): LotModel => ({
  ...row,
  quantity: Number(row.quantity),
  status: row.status as LotStatusValue,
  normCheck: (row.normCheck ?? null) as NormCheckModel | null,
  reviewedAt: row.reviewedAt ? new Date(row.reviewedAt) : null,
  scope: { path: ownerPath, published: PUBLIC_LOT_STATUSES.includes(row.status as LotStatusValue) },
});

const visible = (internalRoots: readonly string[]): SQL =>
  or(inArray(lots.status, [...PUBLIC_LOT_STATUSES]), inAnySubtree(organizationScope.path, internalRoots))!;

const base = (db: Database) => db.select(columns).from(lots).innerJoin(organizationScope, eq(organizationScope.id, lots.ownerId));

type Row = Awaited<ReturnType<typeof base>>[number];

/** One array parameter however many ids: a trace may load ten thousand lots, which as bind parameters would be ten thousand. */
const byIds = preparedOnce((db) =>
  base(db)
    .where(sql`${lots.id} = any(${sql.placeholder('ids')}::uuid[])`)
    .prepare('trace_lots_by_ids'),
);

export async function lotsByIds(db: Database, ids: readonly string[]): Promise<LotModel[]> {
  return (await byIds(db).execute({ ids: uuidArray(ids) })).map(toLot);
}

export interface LotFilter {
  productIds?: readonly string[];
  ownerIds?: readonly string[];
}

function conditions(filter: LotFilter, internalRoots: readonly string[]): SQL[] {
  const list = [visible(internalRoots)];
  if (filter.productIds) list.push(inArray(lots.productId, [...filter.productIds]));
  if (filter.ownerIds) list.push(inArray(lots.ownerId, [...filter.ownerIds]));
  return list;
}

export async function listLots(db: Database, filter: LotFilter, internalRoots: readonly string[], limit: number, afterId: string | null) {
  const where = conditions(filter, internalRoots);
  if (afterId) where.push(gt(lots.id, afterId));
  return (
    await base(db)
      .where(and(...where))
      .orderBy(asc(lots.id))
      .limit(limit + 1)
  ).map(toLot);
}

export async function countLots(db: Database, filter: LotFilter, internalRoots: readonly string[]): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(lots)
    .innerJoin(organizationScope, eq(organizationScope.id, lots.ownerId))
    .where(and(...conditions(filter, internalRoots)));
  return row?.n ?? 0;
}

export type LotParent = 'productId' | 'ownerId';

/** First page of lots for many products (or owners) in one statement. */
export async function lotsOfParents(
  db: Database,
  parent: LotParent,
  parentIds: readonly string[],
  internalRoots: readonly string[],
  limit: number,
  afterId: string | null,
): Promise<Map<string, LotModel[]>> {
  const where = conditions(parent === 'productId' ? { productIds: parentIds } : { ownerIds: parentIds }, internalRoots);
  if (afterId) where.push(gt(lots.id, afterId));
  const ranked = db
    .select({ ...columns, rank: rankWithin(lots[parent], lots.id) })
    .from(lots)
    .innerJoin(organizationScope, eq(organizationScope.id, lots.ownerId))
    .where(and(...where))
    .as('ranked');
  const rows = await db.select().from(ranked).where(withinRank(ranked.rank, limit)).orderBy(ranked.id);
  return groupRanked(
    rows,
    (r) => r[parent],
    (r) => toLot(r as Row),
  );
}

export async function countLotsOfParents(db: Database, parent: LotParent, parentIds: readonly string[], internalRoots: readonly string[]) {
  const rows = await db
    .select({ parentId: lots[parent], n: sql<number>`count(*)::int` })
    .from(lots)
    .innerJoin(organizationScope, eq(organizationScope.id, lots.ownerId))
    .where(and(...conditions(parent === 'productId' ? { productIds: parentIds } : { ownerIds: parentIds }, internalRoots)))
    .groupBy(lots[parent]);
  return new Map(rows.map((r) => [r.parentId, r.n]));
}

export async function lotCodeTaken(db: Database, productId: string, lotCode: string): Promise<boolean> {
  const [row] = await db
    .select({ id: lots.id })
    .from(lots)
    .where(and(eq(lots.productId, productId), eq(lots.lotCode, lotCode)))
    .limit(1);
  return !!row;
}

export async function insertLot(db: Database, row: typeof lots.$inferInsert): Promise<LotModel> {
  await db.insert(lots).values(row);
  const [lot] = await lotsByIds(db, [row.id]);
  return lot!;
}

/** Changes the columns a write-authority act may change (never the lot code or product: a trigger guards those). */
export async function updateLot(
  db: Database,
  id: string,
  patch: Partial<Pick<typeof lots.$inferInsert, 'status' | 'quantity' | 'normCheck' | 'publishOnApproval' | 'reviewedBy' | 'reviewedAt' | 'reviewNote'>>,
): Promise<void> {
  await db
    .update(lots)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(lots.id, id));
}

/** The lot's status and quantity under a row lock, inside the writing transaction: two acts on one lot run one after the other. */
export async function lockLot(
  db: Database,
  id: string,
): Promise<{ status: LotStatusValue; quantity: number; unit: string; publishOnApproval: boolean; normCheck: NormCheckModel | null } | null> {
  const [row] = rowsOf<{ status: string; quantity: string; unit: string; publish_on_approval: boolean; norm_check: NormCheckModel | null }>(
    await db.execute(sql`select status, quantity, unit, publish_on_approval, norm_check from trace.lots where id = ${id}::uuid for update`),
  );
  return row
    ? {
        status: row.status as LotStatusValue,
        quantity: Number(row.quantity),
        unit: row.unit,
        publishOnApproval: row.publish_on_approval,
        normCheck: row.norm_check ?? null,
      }
    : null;
}

/**
 * Serialises every write that sums an area's season (create, correct) until
 * the transaction ends. An advisory lock, because the lot that would break the
 * norm does not exist yet to be locked; PGlite runs one transaction at a time
 * and takes it trivially.
 */
export async function lockAreaSeason(db: Database, areaId: string, season: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`lot-norm|${areaId}|${season}`}, 0))`);
}

/** Quantity already claimed on an area's season per unit, REJECTED lots left out (and the lot being corrected). */
export async function claimedOnArea(db: Database, areaId: string, season: string, excludeLotId: string | null): Promise<{ unit: string; quantity: number }[]> {
  const rows = rowsOf<{ unit: string; quantity: string }>(
    await db.execute(sql`select unit, sum(quantity) as quantity from trace.lots
      where production_area_id = ${areaId}::uuid and season = ${season} and status <> 'REJECTED'
        ${excludeLotId ? sql`and id <> ${excludeLotId}::uuid` : sql``}
      group by unit`),
  );
  return rows.map((r) => ({ unit: r.unit, quantity: Number(r.quantity) }));
}

/** Appends one act to a lot's audit trail (append-only: a trigger refuses changes). */
export async function insertAudit(
  db: Database,
  entry: { lotId: string; action: LotAuditAction; actorId: string | null; actorKind: string | null; reason?: string | null; detail?: Record<string, unknown> },
): Promise<void> {
  await db.insert(lotAudit).values({
    id: uuidv7(),
    lotId: entry.lotId,
    action: entry.action,
    actorId: entry.actorId,
    actorKind: entry.actorKind,
    reason: entry.reason ?? null,
    detail: entry.detail ?? {},
  });
}

/** The audit trails of many lots, oldest act first, in one statement. */
export async function auditOfLots(db: Database, lotIds: readonly string[]): Promise<LotAuditModel[]> {
  if (lotIds.length === 0) return [];
  const rows = await db
    .select()
    .from(lotAudit)
    .where(inArray(lotAudit.lotId, [...lotIds]))
    .orderBy(asc(lotAudit.at), asc(lotAudit.id));
  return rows.map((r) => ({ ...r, action: r.action as LotAuditAction, at: new Date(r.at) }));
}

/**
 * Lots waiting for review whose owners lie strictly below one of `roots`
 * (the overseer's grants): a producer's own ADMIN does not review its own lots.
 */
const underReview = (roots: readonly string[]): SQL =>
  and(
    eq(lots.status, 'UNDER_REVIEW'),
    roots.length ? or(...roots.map((r) => and(inSubtree(organizationScope.path, r), ne(organizationScope.path, r))))! : sql`false`,
  )!;

export async function listUnderReview(db: Database, roots: readonly string[], limit: number, afterId: string | null): Promise<LotModel[]> {
  const where = [underReview(roots)];
  if (afterId) where.push(gt(lots.id, afterId));
  return (
    await base(db)
      .where(and(...where))
      .orderBy(asc(lots.id))
      .limit(limit + 1)
  ).map(toLot);
}

export async function countUnderReview(db: Database, roots: readonly string[]): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(lots)
    .innerJoin(organizationScope, eq(organizationScope.id, lots.ownerId))
    .where(underReview(roots));
  return row?.n ?? 0;
}

/** Lots by (product, lot code) pairs — how a GS1 Digital Link names a lot — in one statement. */
export async function lotsByProductCodes(db: Database, keys: readonly { productId: string; lotCode: string }[]): Promise<LotModel[]> {
  if (keys.length === 0) return [];
  const pairs = sql.join(
    keys.map((k) => sql`(${k.productId}::uuid, ${k.lotCode})`),
    sql`, `,
  );
  return (await base(db).where(sql`(${lots.productId}, ${lots.lotCode}) in (${pairs})`)).map(toLot);
}
