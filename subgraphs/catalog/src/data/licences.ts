import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { uuidv7, type Database } from '@nguon/shared';
import { productLicences } from '../db/schema';
import type { ProductLicenceModel } from '../models';

const columns = {
  id: productLicences.id,
  productId: productLicences.productId,
  licenseeId: productLicences.licenseeId,
  grantedAt: productLicences.grantedAt,
  grantedBy: productLicences.grantedBy,
  revokedAt: productLicences.revokedAt,
  revokedBy: productLicences.revokedBy,
};

const toModel = ({ licenseeId, ...row }: typeof productLicences.$inferSelect): ProductLicenceModel => ({ ...row, licensee: { id: licenseeId } });

/** The licences in force of many products in one statement, oldest first. */
export async function activeLicencesOfProducts(db: Database, productIds: readonly string[]): Promise<ProductLicenceModel[]> {
  const rows = await db
    .select(columns)
    .from(productLicences)
    .where(and(inArray(productLicences.productId, [...productIds]), isNull(productLicences.revokedAt)))
    .orderBy(asc(productLicences.productId), asc(productLicences.grantedAt), asc(productLicences.id));
  return rows.map(toModel);
}

/** The licence in force for this product and licensee, if any. */
export async function activeLicence(db: Database, productId: string, licenseeId: string): Promise<ProductLicenceModel | null> {
  const [row] = await db
    .select(columns)
    .from(productLicences)
    .where(and(eq(productLicences.productId, productId), eq(productLicences.licenseeId, licenseeId), isNull(productLicences.revokedAt)));
  return row ? toModel(row) : null;
}

export async function insertLicence(db: Database, productId: string, licenseeId: string, grantedBy: string): Promise<ProductLicenceModel> {
  const [row] = await db.insert(productLicences).values({ id: uuidv7(), productId, licenseeId, grantedBy }).returning(columns);
  return toModel(row!);
}

/** Ends a licence in force; the row stays, stamped, so who was licensed when remains answerable. */
export async function revokeLicence(db: Database, id: string, revokedBy: string): Promise<ProductLicenceModel> {
  const [row] = await db
    .update(productLicences)
    .set({ revokedAt: new Date(), revokedBy })
    .where(and(eq(productLicences.id, id), isNull(productLicences.revokedAt)))
    .returning(columns);
  return toModel(row!);
}
