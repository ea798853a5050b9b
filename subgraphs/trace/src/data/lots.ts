import { and, asc, eq, gt, inArray, or, sql, type SQL } from 'drizzle-orm';
import { groupRanked, inAnySubtree, organizationScope, preparedOnce, rankWithin, withinRank, type Database } from '@nguon/shared';
import { lots } from '../db/schema';
import { uuidArray } from './rows';
import { PUBLIC_LOT_STATUSES, type LotModel, type LotStatusValue } from '../models';

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
  ownerPath: organizationScope.path,
};

const toLot = ({ ownerPath, ...row }: Row): LotModel => ({
  ...row,
  quantity: Number(row.quantity),
  status: row.status as LotStatusValue,
  scope: { path: ownerPath, published: PUBLIC_LOT_STATUSES.includes(row.status as LotStatusValue) },
});

const visible = (internalRoots: readonly string[]): SQL =>
  or(inArray(lots.status, [...PUBLIC_LOT_STATUSES]), inAnySubtree(organizationScope.path, internalRoots))!;

const base = (db: Database) => db.select(columns).from(lots).innerJoin(organizationScope, eq(organizationScope.id, lots.ownerId));

type Row = Awaited<ReturnType<typeof base>>[number];

/** One array parameter however many ids: a trace may load ten thousand lots, which as bind parameters would be ten thousand. */
const byIds = preparedOnce((db) => base(db).where(sql`${lots.id} = any(${sql.placeholder('ids')}::uuid[])`).prepare('trace_lots_by_ids'));

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
  return (await base(db).where(and(...where)).orderBy(asc(lots.id)).limit(limit + 1)).map(toLot);
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
  return groupRanked(rows, (r) => r[parent], (r) => toLot(r as Row));
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
  const [row] = await db.select({ id: lots.id }).from(lots).where(and(eq(lots.productId, productId), eq(lots.lotCode, lotCode))).limit(1);
  return !!row;
}

export async function insertLot(db: Database, row: typeof lots.$inferInsert): Promise<LotModel> {
  await db.insert(lots).values(row);
  const [lot] = await lotsByIds(db, [row.id]);
  return lot!;
}

export async function setLotStatus(db: Database, id: string, status: LotStatusValue): Promise<void> {
  await db.update(lots).set({ status, updatedAt: sql`now()` }).where(eq(lots.id, id));
}

/** Lots by (product, lot code) pairs — how a GS1 Digital Link names a lot — in one statement. */
export async function lotsByProductCodes(db: Database, keys: readonly { productId: string; lotCode: string }[]): Promise<LotModel[]> {
  if (keys.length === 0) return [];
  const pairs = sql.join(keys.map((k) => sql`(${k.productId}::uuid, ${k.lotCode})`), sql`, `);
  return (await base(db).where(sql`(${lots.productId}, ${lots.lotCode}) in (${pairs})`)).map(toLot);
}
