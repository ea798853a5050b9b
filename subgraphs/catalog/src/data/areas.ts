import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { groupRanked, labelKey, organizationScope, rankWithin, uuidv7, withinRank, type Database } from '@nguon/shared';
import { cropNormTolerances, productionAreas, seasonNorms, type InputNormData } from '../db/schema';
import { DEFAULT_NORM_TOLERANCE, type CropNormToleranceModel, type ProductionAreaModel, type SeasonNormModel } from '../models';

const columns = {
  id: productionAreas.id,
  ownerId: productionAreas.ownerId,
  code: productionAreas.code,
  name: productionAreas.name,
  crop: productionAreas.crop,
  hectares: productionAreas.hectares,
  latitude: productionAreas.latitude,
  longitude: productionAreas.longitude,
  commune: productionAreas.commune,
  gln: productionAreas.gln,
  glnExtension: productionAreas.glnExtension,
  ownerPath: organizationScope.path,
};

const base = (db: Database) => db.select(columns).from(productionAreas).innerJoin(organizationScope, eq(organizationScope.id, productionAreas.ownerId));
type Row = Awaited<ReturnType<typeof base>>[number];

/** Areas are public reference data (codes are printed on export labels); `published` says so to the field rules. */
const toArea = ({ ownerPath, ...row }: Row): ProductionAreaModel => ({
  ...row,
  hectares: Number(row.hectares),
  scope: { path: ownerPath, published: true },
});

export async function areasByIds(db: Database, ids: readonly string[]): Promise<ProductionAreaModel[]> {
  return (await base(db).where(inArray(productionAreas.id, [...ids]))).map(toArea);
}

export async function areasByCodes(db: Database, codes: readonly string[]): Promise<ProductionAreaModel[]> {
  return (await base(db).where(inArray(productionAreas.code, [...codes]))).map(toArea);
}

export async function areasOfOwners(
  db: Database,
  ownerIds: readonly string[],
  limit: number,
  afterId: string | null,
): Promise<Map<string, ProductionAreaModel[]>> {
  const where = [inArray(productionAreas.ownerId, [...ownerIds])];
  if (afterId) where.push(gt(productionAreas.id, afterId));
  const ranked = db
    .select({ ...columns, rank: rankWithin(productionAreas.ownerId, productionAreas.id) })
    .from(productionAreas)
    .innerJoin(organizationScope, eq(organizationScope.id, productionAreas.ownerId))
    .where(and(...where))
    .as('ranked');
  const rows = await db.select().from(ranked).where(withinRank(ranked.rank, limit)).orderBy(ranked.id);
  return groupRanked(
    rows,
    (r) => r.ownerId,
    (r) => toArea(r as Row),
  );
}

export async function countAreasOfOwners(db: Database, ownerIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await db
    .select({ ownerId: productionAreas.ownerId, n: sql<number>`count(*)::int` })
    .from(productionAreas)
    .where(inArray(productionAreas.ownerId, [...ownerIds]))
    .groupBy(productionAreas.ownerId);
  return new Map(rows.map((r) => [r.ownerId, r.n]));
}

/** A season norm as stored, with its crop's tolerance; resolvers add the area's scope. */
export type SeasonNormRow = Omit<SeasonNormModel, 'scope'>;

export async function normsOfAreas(db: Database, areaIds: readonly string[]): Promise<SeasonNormRow[]> {
  const rows = await db
    .select({
      areaId: seasonNorms.areaId,
      season: seasonNorms.season,
      inputs: seasonNorms.inputs,
      expectedYieldPerHectare: seasonNorms.expectedYieldPerHectare,
      yieldUnit: seasonNorms.yieldUnit,
      tolerance: cropNormTolerances.tolerance,
    })
    .from(seasonNorms)
    .innerJoin(productionAreas, eq(productionAreas.id, seasonNorms.areaId))
    .leftJoin(cropNormTolerances, eq(cropNormTolerances.crop, productionAreas.crop))
    .where(inArray(seasonNorms.areaId, [...areaIds]))
    .orderBy(asc(seasonNorms.areaId), asc(seasonNorms.season));
  return rows.map((r) => ({
    ...r,
    expectedYieldPerHectare: r.expectedYieldPerHectare === null ? null : Number(r.expectedYieldPerHectare),
    tolerance: r.tolerance === null ? DEFAULT_NORM_TOLERANCE : Number(r.tolerance),
  }));
}

/**
 * The label a crop is recorded under: an existing area's or tolerance's crop
 * that differs from `crop` only in accents, case, spacing or punctuation
 * (labelKey), else `crop` itself. A crop's tolerance is found by its label,
 * so a producer cannot escape it by registering its area as "lúa st-25".
 */
export async function canonicalCrop(db: Database, crop: string): Promise<string> {
  const known = await db
    .selectDistinct({ crop: productionAreas.crop })
    .from(productionAreas)
    .union(db.selectDistinct({ crop: cropNormTolerances.crop }).from(cropNormTolerances));
  const key = labelKey(crop);
  return known.find((k) => labelKey(k.crop) === key)?.crop ?? crop;
}

/** Sets (or replaces) one crop's tolerance. */
export async function upsertCropNormTolerance(db: Database, crop: string, tolerance: number, updatedBy: string | null): Promise<CropNormToleranceModel> {
  const values = { tolerance: String(tolerance), updatedBy, updatedAt: new Date() };
  const [row] = await db
    .insert(cropNormTolerances)
    .values({ crop, ...values })
    .onConflictDoUpdate({ target: cropNormTolerances.crop, set: values })
    .returning({ crop: cropNormTolerances.crop, tolerance: cropNormTolerances.tolerance, updatedAt: cropNormTolerances.updatedAt });
  return { crop: row!.crop, tolerance: Number(row!.tolerance), updatedAt: row!.updatedAt ?? values.updatedAt };
}

export async function areaCodeTaken(db: Database, code: string): Promise<boolean> {
  const [row] = await db.select({ id: productionAreas.id }).from(productionAreas).where(eq(productionAreas.code, code)).limit(1);
  return row !== undefined;
}

/** Whether an area already has this SGLN (GLN and extension). */
export async function sglnTaken(db: Database, gln: string, extension: string | null): Promise<boolean> {
  const [row] = await db
    .select({ id: productionAreas.id })
    .from(productionAreas)
    .where(and(eq(productionAreas.gln, gln), sql`coalesce(${productionAreas.glnExtension}, '') = ${extension ?? ''}`))
    .limit(1);
  return row !== undefined;
}

/** The organization that registered a GLN as its own (tenants.organization_scope), if one did. */
export async function glnHolder(db: Database, gln: string): Promise<string | null> {
  const [row] = await db.select({ id: organizationScope.id }).from(organizationScope).where(eq(organizationScope.gln, gln)).limit(1);
  return row?.id ?? null;
}

/** What a new production area stores: the model without its id and scope. */
export type AreaValues = Omit<ProductionAreaModel, 'id' | 'scope'>;

export async function insertArea(db: Database, id: string, values: AreaValues): Promise<void> {
  await db.insert(productionAreas).values({ id, ...values, hectares: String(values.hectares) });
}

/** One season's norms replace what that season had. */
export async function upsertSeasonNorm(
  db: Database,
  norm: { areaId: string; season: string; inputs: InputNormData[]; expectedYieldPerHectare: number | null; yieldUnit: string | null },
): Promise<void> {
  const values = {
    inputs: norm.inputs,
    expectedYieldPerHectare: norm.expectedYieldPerHectare === null ? null : String(norm.expectedYieldPerHectare),
    yieldUnit: norm.yieldUnit,
    updatedAt: new Date(),
  };
  await db
    .insert(seasonNorms)
    .values({ id: uuidv7(), areaId: norm.areaId, season: norm.season, ...values })
    .onConflictDoUpdate({ target: [seasonNorms.areaId, seasonNorms.season], set: values });
}

/** The organization's place in the tree, for write checks on an owner that has no catalog rows yet. */
export async function organizationPlace(db: Database, id: string): Promise<{ path: string; kind: string; active: boolean } | null> {
  const [row] = await db
    .select({ path: organizationScope.path, kind: organizationScope.kind, active: organizationScope.active })
    .from(organizationScope)
    .where(eq(organizationScope.id, id));
  return row ?? null;
}
