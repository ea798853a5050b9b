import { and, asc, eq, exists, gt, gte, inArray, like, lte, or, sql, type SQL } from 'drizzle-orm';
import { groupRanked, inAnySubtree, inSubtree, organizationScope, preparedOnce, rankWithin, uuidArray, withinRank, type Database } from '@nguon/shared';
import { categories, certifications, products, type ImageData, type TextMap } from '../db/schema';
import type { CertificationSchemeValue, ProductModel, ProductStatusValue, SectorValue } from '../models';
import { productScope, type Visibility } from '../visibility';

const columns = {
  id: products.id,
  ownerId: products.ownerId,
  gtin: products.gtin,
  internalCode: products.internalCode,
  category: products.category,
  name: products.name,
  description: products.description,
  ingredients: products.ingredients,
  usage: products.usage,
  storageConditions: products.storageConditions,
  images: products.images,
  brand: products.brand,
  unit: products.unit,
  netContent: products.netContent,
  shelfLifeDays: products.shelfLifeDays,
  internalNote: products.internalNote,
  status: products.status,
  createdBy: products.createdBy,
  createdAt: products.createdAt,
  updatedAt: products.updatedAt,
  publishedAt: products.publishedAt,
  publishedBy: products.publishedBy,
  withdrawnAt: products.withdrawnAt,
  withdrawnBy: products.withdrawnBy,
  withdrawnReason: products.withdrawnReason,
  ownerPath: organizationScope.path,
  categorySector: categories.sector,
};

/** Every product read joins its owner's place in the tree and its category's sector. */
const base = (db: Database) =>
  db
    .select(columns)
    .from(products)
    .innerJoin(organizationScope, eq(organizationScope.id, products.ownerId))
    .innerJoin(categories, eq(categories.code, products.category));

type Row = Awaited<ReturnType<typeof base>>[number];

/** Parses a row at the boundary: numerics to numbers, text to enums, and the viewer's scope. */
function toProduct(row: Row, visibility: Visibility): ProductModel {
  const status = row.status as ProductStatusValue;
  const sector = row.categorySector as SectorValue;
  return {
    ...row,
    status,
    categorySector: sector,
    netContent: row.netContent === null ? null : Number(row.netContent),
    scope: productScope(visibility, row.ownerPath, sector, status === 'PUBLISHED'),
  };
}

/**
 * Published products, everything in the subtrees whose internals the viewer
 * reads, and everything in the categories the viewer's departments supervise.
 * Invisible rows never leave the database.
 */
function visible(visibility: Visibility): SQL {
  const sectors = visibility.departments.map((d) => d.sector);
  return or(
    eq(products.status, 'PUBLISHED'),
    inAnySubtree(organizationScope.path, visibility.internalRoots),
    sectors.length ? inArray(categories.sector, sectors) : undefined,
  )!;
}

/** By key, without the visibility filter: callers decide (an invisible product answers as missing). */
const byIds = preparedOnce((db) =>
  base(db)
    .where(sql`${products.id} = any(${sql.placeholder('ids')}::uuid[])`)
    .prepare('catalog_products_by_ids'),
);

export async function productsByIds(db: Database, ids: readonly string[], visibility: Visibility): Promise<ProductModel[]> {
  return (await byIds(db).execute({ ids: uuidArray(ids) })).map((r) => toProduct(r, visibility));
}

export async function productsByGtins(db: Database, gtins: readonly string[], visibility: Visibility): Promise<ProductModel[]> {
  return (await base(db).where(inArray(products.gtin, [...gtins]))).map((r) => toProduct(r, visibility));
}

export async function productsByInternalCodes(db: Database, codes: readonly string[], visibility: Visibility): Promise<ProductModel[]> {
  return (await base(db).where(inArray(products.internalCode, [...codes]))).map((r) => toProduct(r, visibility));
}

export interface ProductListFilter {
  ownerIds?: readonly string[];
  /** Folded search tokens; every one must occur. */
  tokens?: readonly string[];
  /** Materialised path of a category: it and its subtree. */
  categoryPath?: string;
  districtCode?: string;
  sector?: SectorValue;
  /** A scheme with a certificate valid on `today`. */
  certification?: { scheme: CertificationSchemeValue; today: string };
  status?: ProductStatusValue;
}

const likeEscape = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

function conditions(db: Database, filter: ProductListFilter, visibility: Visibility): SQL[] {
  const list = [visible(visibility)];
  if (filter.ownerIds) list.push(inArray(products.ownerId, [...filter.ownerIds]));
  // Substring match on the folded text: works the same on PGlite and PostgreSQL
  // without extensions; the catalog of one city is small enough to scan.
  for (const token of filter.tokens ?? []) list.push(like(products.searchText, `%${likeEscape(token)}%`));
  if (filter.categoryPath) list.push(inSubtree(categories.path, filter.categoryPath));
  if (filter.districtCode) list.push(eq(organizationScope.districtCode, filter.districtCode));
  if (filter.sector) list.push(eq(categories.sector, filter.sector));
  if (filter.status) list.push(eq(products.status, filter.status));
  if (filter.certification) {
    const { scheme, today } = filter.certification;
    list.push(
      exists(
        db
          .select({ one: sql`1` })
          .from(certifications)
          .where(
            and(
              eq(certifications.productId, products.id),
              eq(certifications.scheme, scheme),
              lte(certifications.validFrom, today),
              gte(certifications.validTo, today),
            ),
          ),
      ),
    );
  }
  return list;
}

export async function listProducts(db: Database, filter: ProductListFilter, visibility: Visibility, limit: number, afterId: string | null) {
  const where = conditions(db, filter, visibility);
  if (afterId) where.push(gt(products.id, afterId));
  return (
    await base(db)
      .where(and(...where))
      .orderBy(asc(products.id))
      .limit(limit + 1)
  ).map((r) => toProduct(r, visibility));
}

export async function countProducts(db: Database, filter: ProductListFilter, visibility: Visibility): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(products)
    .innerJoin(organizationScope, eq(organizationScope.id, products.ownerId))
    .innerJoin(categories, eq(categories.code, products.category))
    .where(and(...conditions(db, filter, visibility)));
  return row?.n ?? 0;
}

/** First page of products for many owners in one statement (window per owner). */
export async function productsOfOwners(
  db: Database,
  ownerIds: readonly string[],
  visibility: Visibility,
  limit: number,
  afterId: string | null,
): Promise<Map<string, ProductModel[]>> {
  const where = conditions(db, { ownerIds }, visibility);
  if (afterId) where.push(gt(products.id, afterId));
  const ranked = db
    .select({ ...columns, rank: rankWithin(products.ownerId, products.id) })
    .from(products)
    .innerJoin(organizationScope, eq(organizationScope.id, products.ownerId))
    .innerJoin(categories, eq(categories.code, products.category))
    .where(and(...where))
    .as('ranked');
  const rows = await db.select().from(ranked).where(withinRank(ranked.rank, limit)).orderBy(ranked.id);
  return groupRanked(
    rows,
    (r) => r.ownerId,
    (r) => toProduct(r as Row, visibility),
  );
}

export async function countProductsOfOwners(db: Database, ownerIds: readonly string[], visibility: Visibility): Promise<Map<string, number>> {
  const rows = await db
    .select({ ownerId: products.ownerId, n: sql<number>`count(*)::int` })
    .from(products)
    .innerJoin(organizationScope, eq(organizationScope.id, products.ownerId))
    .innerJoin(categories, eq(categories.code, products.category))
    .where(and(...conditions(db, { ownerIds }, visibility)))
    .groupBy(products.ownerId);
  return new Map(rows.map((r) => [r.ownerId, r.n]));
}

// ---------------------------------------------------------------------------
// Writes (callers run them in a transaction and have checked permissions)
// ---------------------------------------------------------------------------

export interface ProductValues {
  ownerId: string;
  gtin: string | null;
  internalCode: string;
  category: string;
  name: TextMap;
  description: TextMap;
  ingredients: TextMap;
  usage: TextMap;
  storageConditions: TextMap;
  images: ImageData[];
  brand: string | null;
  unit: string;
  netContent: number | null;
  shelfLifeDays: number | null;
  internalNote: string | null;
  searchText: string;
  createdBy: string | null;
}

export async function insertProduct(db: Database, id: string, values: ProductValues): Promise<void> {
  await db.insert(products).values({
    id,
    ...values,
    netContent: values.netContent === null ? null : String(values.netContent),
    status: 'DRAFT',
  });
}

export type ProductChanges = Partial<Omit<ProductValues, 'ownerId' | 'createdBy' | 'internalCode'>> & {
  status?: ProductStatusValue;
  publishedAt?: Date;
  publishedBy?: string | null;
  withdrawnAt?: Date;
  withdrawnBy?: string | null;
  withdrawnReason?: string | null;
};

export async function updateProduct(db: Database, id: string, changes: ProductChanges): Promise<void> {
  const { netContent, ...rest } = changes;
  await db
    .update(products)
    .set({ ...rest, ...(netContent !== undefined ? { netContent: netContent === null ? null : String(netContent) } : {}), updatedAt: new Date() })
    .where(eq(products.id, id));
}

/** Locks the product row so concurrent publish/assign/update see one order of events. */
export async function lockProduct(db: Database, id: string): Promise<{ status: ProductStatusValue; gtin: string | null } | null> {
  const [row] = await db.select({ status: products.status, gtin: products.gtin }).from(products).where(eq(products.id, id)).for('update');
  return row ? { status: row.status as ProductStatusValue, gtin: row.gtin } : null;
}

export async function gtinTaken(db: Database, gtin: string, exceptId?: string): Promise<boolean> {
  const [row] = await db.select({ id: products.id }).from(products).where(eq(products.gtin, gtin)).limit(1);
  return row !== undefined && row.id !== exceptId;
}
