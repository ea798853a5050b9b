import { and, asc, eq, gt, inArray, or, sql, type SQL } from 'drizzle-orm';
import { groupRanked, inAnySubtree, organizationScope, rankWithin, withinRank, type Database } from '@nguon/shared';
import { products } from '../db/schema';
import type { ProductModel, ProductStatusValue } from '../models';

const columns = {
  id: products.id,
  ownerId: products.ownerId,
  gtin: products.gtin,
  internalCode: products.internalCode,
  category: products.category,
  name: products.name,
  brand: products.brand,
  unit: products.unit,
  status: products.status,
  ownerPath: organizationScope.path,
};

const toProduct = ({ ownerPath, ...row }: Row): ProductModel => ({
  ...row,
  status: row.status as ProductStatusValue,
  scope: { path: ownerPath, published: row.status === 'PUBLISHED' },
});

/** Published products, plus every product in the subtrees whose internals the viewer reads. */
const visible = (internalRoots: readonly string[]): SQL =>
  or(eq(products.status, 'PUBLISHED'), inAnySubtree(organizationScope.path, internalRoots))!;

const base = (db: Database) =>
  db.select(columns).from(products).innerJoin(organizationScope, eq(organizationScope.id, products.ownerId));

type Row = Awaited<ReturnType<typeof base>>[number];

export async function productsByIds(db: Database, ids: readonly string[]): Promise<ProductModel[]> {
  return (await base(db).where(inArray(products.id, [...ids]))).map(toProduct);
}

export async function productsByGtins(db: Database, gtins: readonly string[]): Promise<ProductModel[]> {
  return (await base(db).where(inArray(products.gtin, [...gtins]))).map(toProduct);
}

export interface ProductFilter {
  ownerIds?: readonly string[];
}

function conditions(filter: ProductFilter, internalRoots: readonly string[]): SQL[] {
  const list = [visible(internalRoots)];
  if (filter.ownerIds) list.push(inArray(products.ownerId, [...filter.ownerIds]));
  return list;
}

export async function listProducts(db: Database, filter: ProductFilter, internalRoots: readonly string[], limit: number, afterId: string | null) {
  const where = conditions(filter, internalRoots);
  if (afterId) where.push(gt(products.id, afterId));
  return (await base(db).where(and(...where)).orderBy(asc(products.id)).limit(limit + 1)).map(toProduct);
}

export async function countProducts(db: Database, filter: ProductFilter, internalRoots: readonly string[]): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(products)
    .innerJoin(organizationScope, eq(organizationScope.id, products.ownerId))
    .where(and(...conditions(filter, internalRoots)));
  return row?.n ?? 0;
}

/** First page of products for many owners in one statement (window per owner). */
export async function productsOfOwners(
  db: Database,
  ownerIds: readonly string[],
  internalRoots: readonly string[],
  limit: number,
  afterId: string | null,
): Promise<Map<string, ProductModel[]>> {
  const where = conditions({ ownerIds }, internalRoots);
  if (afterId) where.push(gt(products.id, afterId));
  const ranked = db
    .select({ ...columns, rank: rankWithin(products.ownerId, products.id) })
    .from(products)
    .innerJoin(organizationScope, eq(organizationScope.id, products.ownerId))
    .where(and(...where))
    .as('ranked');
  const rows = await db.select().from(ranked).where(withinRank(ranked.rank, limit)).orderBy(ranked.id);
  return groupRanked(rows, (r) => r.ownerId, (r) => toProduct(r as Row));
}

export async function countProductsOfOwners(db: Database, ownerIds: readonly string[], internalRoots: readonly string[]): Promise<Map<string, number>> {
  const rows = await db
    .select({ ownerId: products.ownerId, n: sql<number>`count(*)::int` })
    .from(products)
    .innerJoin(organizationScope, eq(organizationScope.id, products.ownerId))
    .where(and(...conditions({ ownerIds }, internalRoots)))
    .groupBy(products.ownerId);
  return new Map(rows.map((r) => [r.ownerId, r.n]));
}
