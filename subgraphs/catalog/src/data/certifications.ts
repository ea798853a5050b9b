import { asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '@nguon/shared';
import { areaCertifications, certifications } from '../db/schema';
import type { CertificationModel, CertificationSchemeValue } from '../models';

/** A certificate as stored; the model adds the product's scope. */
export type CertificationRow = Omit<CertificationModel, 'scope' | 'productId'> & { productId: string };

/** A production area's certificate as stored (issue 15): the product-less shape of CertificationModel. */
export type AreaCertificationRow = Omit<CertificationModel, 'scope'> & { areaId: string };

const columns = {
  id: certifications.id,
  productId: certifications.productId,
  scheme: certifications.scheme,
  schemeName: certifications.schemeName,
  issuer: certifications.issuer,
  number: certifications.number,
  stars: certifications.stars,
  validFrom: certifications.validFrom,
  validTo: certifications.validTo,
  documentUrl: certifications.documentUrl,
};

const parse = (row: Omit<CertificationRow, 'scheme'> & { scheme: string }): CertificationRow => ({ ...row, scheme: row.scheme as CertificationSchemeValue });

/** The certificates of many products in one statement; a product holds a handful. */
export async function certificationsOfProducts(db: Database, productIds: readonly string[]): Promise<CertificationRow[]> {
  const rows = await db
    .select(columns)
    .from(certifications)
    .where(inArray(certifications.productId, [...productIds]))
    .orderBy(asc(certifications.productId), asc(certifications.validTo), asc(certifications.id));
  return rows.map(parse);
}

export async function certificationById(db: Database, id: string): Promise<CertificationRow | null> {
  const [row] = await db.select(columns).from(certifications).where(eq(certifications.id, id));
  return row ? parse(row) : null;
}

export async function insertCertification(db: Database, row: CertificationRow): Promise<void> {
  await db.insert(certifications).values(row);
}

export async function deleteCertification(db: Database, id: string): Promise<void> {
  await db.delete(certifications).where(eq(certifications.id, id));
}

/** The certificates of many production areas in one statement, earliest expiry first. */
export async function certificationsOfAreas(db: Database, areaIds: readonly string[]): Promise<AreaCertificationRow[]> {
  const rows = await db
    .select({
      id: areaCertifications.id,
      areaId: areaCertifications.areaId,
      scheme: areaCertifications.scheme,
      schemeName: areaCertifications.schemeName,
      issuer: areaCertifications.issuer,
      number: areaCertifications.number,
      validFrom: areaCertifications.validFrom,
      validTo: areaCertifications.validTo,
      documentUrl: areaCertifications.documentUrl,
    })
    .from(areaCertifications)
    .where(inArray(areaCertifications.areaId, [...areaIds]))
    .orderBy(asc(areaCertifications.areaId), asc(areaCertifications.validTo), asc(areaCertifications.id));
  // OCOP stars rate products, not fields: an area's certificate has none.
  return rows.map((r) => ({ ...r, productId: null, stars: null, scheme: r.scheme as CertificationSchemeValue }));
}
