/**
 * Catalog writes (docs/write-authority.md): each takes the request context
 * first and its input, checks who may write that fact, validates, and writes
 * in one transaction. The Mutation resolvers only map GraphQL onto these.
 */
import { randomBytes } from 'node:crypto';
import {
  isOperatorKind,
  actorIdOf,
  badInput,
  canAdminister,
  canOperate,
  canOversee,
  conflict,
  forbidden,
  hasValidCheckDigit,
  inTransaction,
  isUuid,
  lotCodeProblem,
  refused,
  unauthenticated,
  uniquely,
  uuidv7,
  type Database,
} from '@nguon/shared';
import type {
  MutationAddCertificationArgs,
  MutationAssignGtinArgs,
  MutationCreateProductArgs,
  MutationCreateProductionAreaArgs,
  MutationGrantProductLicenceArgs,
  MutationPublishProductArgs,
  MutationRemoveCertificationArgs,
  MutationRevokeProductLicenceArgs,
  MutationSetCropNormToleranceArgs,
  MutationSetSeasonNormArgs,
  MutationUpdateProductArgs,
  MutationWithdrawProductArgs,
} from '../generated/graphql';
import type { Context } from '../context';
import {
  areaCodeTaken,
  areasByIds,
  canonicalCrop,
  glnHolder,
  insertArea,
  organizationPlace,
  sglnTaken,
  upsertCropNormTolerance,
  upsertSeasonNorm,
} from '../data/areas';
import { activeLicence, insertLicence, revokeLicence } from '../data/licences';
import { certificationById, deleteCertification, insertCertification } from '../data/certifications';
import { gtinTaken, insertProduct, lockProduct, productsByIds, updateProduct as writeProduct, type ProductChanges } from '../data/products';
import {
  applyText,
  codeInput,
  gtinInput,
  imagesInput,
  LIMITS,
  optionalText,
  positiveNumber,
  requiredText,
  shelfLifeInput,
  unitInput,
  urlInput,
} from '../input';
import type { ProductionAreaModel, ProductModel } from '../models';
import { searchTextOf } from '../search';
import { maySupervise } from '../visibility';
import { categoryByCode, visibleProduct } from '../resolvers/Product';

/** Who may hold a product licence: those that make or pack goods (docs/write-authority.md). */
const LICENSEE_KINDS = new Set(['PRODUCER', 'BUSINESS']);

/**
 * A referenced item that does not exist or that the viewer may not see. Both
 * answer alike, BAD_USER_INPUT on the field (docs/write-authority.md, Codes):
 * a refusal must not tell whether a hidden draft exists.
 */
const missing = (what: string, field: string) => badInput(`${what} was not found.`, field);

/** A signed-in caller, with what writes consult loaded (see `prepare`). */
async function signedIn(ctx: Context) {
  if (ctx.viewer.kind === 'anonymous') throw unauthenticated();
  await prepare(ctx);
}

async function knownLanguages(ctx: Context): Promise<Set<string>> {
  return new Set((await ctx.loaders.languages.load('all')).map((l) => l.tag));
}

/**
 * The product as this viewer sees it now, read through `db` (the write's
 * transaction) rather than the request cache. Visibility is resolved before
 * any transaction opens: PGlite is one session, so a query outside an open
 * transaction would wait for it forever.
 */
async function freshProduct(ctx: Context, db: Database, id: string): Promise<ProductModel | null> {
  const [row] = await productsByIds(db, [id], await ctx.loaders.visibility());
  return visibleProduct(ctx.viewer, row ?? null);
}

/** Loads what writes consult inside their transaction (see `freshProduct`). */
async function prepare(ctx: Context): Promise<void> {
  await Promise.all([ctx.loaders.visibility(), ctx.loaders.categories.load('all'), ctx.loaders.languages.load('all')]);
}

/** A product the viewer may see, or BAD_USER_INPUT — a product they may not see looks exactly like a missing one. */
async function targetProduct(ctx: Context, id: string, field: string): Promise<ProductModel> {
  const product = isUuid(id) ? await freshProduct(ctx, ctx.db, id) : null;
  if (!product) throw missing('The product', field);
  return product;
}

function requireOperator(ctx: Context, ownerPath: string) {
  if (!canOperate(ctx.viewer, ownerPath, 'catalog:write')) throw forbidden('Only STAFF or ADMIN of the owner may change its catalog.');
}

async function categoryInput(ctx: Context, code: string, field: string) {
  const category = await categoryByCode(ctx, code);
  if (!category) throw badInput(`Unknown category "${code}".`, field);
  return category;
}

const newInternalCode = () => `NG-${randomBytes(5).toString('hex').toUpperCase()}`;

const gtinConflict = (gtin: string, field: string) => conflict(`A product with GTIN ${gtin} is already in the catalog.`, field);

export async function createProduct(ctx: Context, input: MutationCreateProductArgs['input']) {
  await signedIn(ctx);
  const owner = isUuid(input.ownerId) ? await organizationPlace(ctx.db, input.ownerId) : null;
  if (!owner) throw missing('The owner organization', 'input.ownerId');
  requireOperator(ctx, owner.path);
  if (!isOperatorKind(owner.kind)) throw badInput('Only a producer, business or store owns products.', 'input.ownerId');
  if (!owner.active) throw badInput('The owner organization is deactivated.', 'input.ownerId');
  const known = await knownLanguages(ctx);
  const category = await categoryInput(ctx, input.categoryCode, 'input.categoryCode');
  const gtin = input.gtin?.trim() ? gtinInput(input.gtin, 'input.gtin') : null;
  const name = applyText({}, input.name, 'input.name', { known, max: LIMITS.name, requireVi: true, what: 'The name' });
  const text = (entries: typeof input.description, field: string, what: string) => applyText({}, entries ?? [], field, { known, max: LIMITS.text, what });
  const values = {
    ownerId: input.ownerId,
    gtin,
    internalCode: newInternalCode(),
    category: category.code,
    name,
    description: text(input.description, 'input.description', 'The description'),
    ingredients: text(input.ingredients, 'input.ingredients', 'The ingredients'),
    usage: text(input.usage, 'input.usage', 'The usage'),
    storageConditions: text(input.storageConditions, 'input.storageConditions', 'The storage conditions'),
    images: imagesInput(input.images ?? [], 'input.images', known),
    brand: optionalText(input.brand, LIMITS.brand, 'input.brand', 'The brand'),
    unit: unitInput(input.unit, 'input.unit'),
    netContent: positiveNumber(input.netContent, 'input.netContent', 'Net content'),
    shelfLifeDays: shelfLifeInput(input.shelfLifeDays, 'input.shelfLifeDays'),
    internalNote: optionalText(input.internalNote, LIMITS.note, 'input.internalNote', 'The internal note'),
    createdBy: actorIdOf(ctx.viewer),
    searchText: '',
  };
  values.searchText = searchTextOf({ ...values, categoryCode: category.code, categoryName: category.name });
  const id = uuidv7();
  const product = await inTransaction(ctx.db, async (tx) => {
    if (gtin && (await gtinTaken(tx, gtin))) throw gtinConflict(gtin, 'input.gtin');
    await uniquely(
      () => insertProduct(tx, id, values),
      () => (gtin ? gtinConflict(gtin, 'input.gtin') : conflict('Try again.')),
    );
    return freshProduct(ctx, tx, id);
  });
  return { product: product! };
}

export async function updateProduct(ctx: Context, input: MutationUpdateProductArgs['input']) {
  await signedIn(ctx);
  const current = await targetProduct(ctx, input.id, 'input.id');
  requireOperator(ctx, current.ownerPath);
  const known = await knownLanguages(ctx);
  const category = input.categoryCode ? await categoryInput(ctx, input.categoryCode, 'input.categoryCode') : null;
  const product = await inTransaction(ctx.db, async (tx) => {
    if (!(await lockProduct(tx, current.id))) throw missing('The product', 'input.id');
    // Re-read under the lock: text lists merge into what is stored now.
    const base = (await freshProduct(ctx, tx, current.id))!;
    const text = (entries: typeof input.description, key: 'description' | 'ingredients' | 'usage' | 'storageConditions', what: string) =>
      entries ? applyText(base[key], entries, `input.${key}`, { known, max: LIMITS.text, what }) : undefined;
    const changes: ProductChanges = {};
    if (input.name) changes.name = applyText(base.name, input.name, 'input.name', { known, max: LIMITS.name, requireVi: true, what: 'The name' });
    const description = text(input.description, 'description', 'The description');
    if (description) changes.description = description;
    const ingredients = text(input.ingredients, 'ingredients', 'The ingredients');
    if (ingredients) changes.ingredients = ingredients;
    const usage = text(input.usage, 'usage', 'The usage');
    if (usage) changes.usage = usage;
    const storage = text(input.storageConditions, 'storageConditions', 'The storage conditions');
    if (storage) changes.storageConditions = storage;
    if (category) changes.category = category.code;
    if (input.images) changes.images = imagesInput(input.images, 'input.images', known);
    if (input.brand !== undefined) changes.brand = optionalText(input.brand, LIMITS.brand, 'input.brand', 'The brand');
    if (input.unit) changes.unit = unitInput(input.unit, 'input.unit');
    if (input.netContent !== undefined) changes.netContent = positiveNumber(input.netContent, 'input.netContent', 'Net content');
    if (input.shelfLifeDays !== undefined) changes.shelfLifeDays = shelfLifeInput(input.shelfLifeDays, 'input.shelfLifeDays');
    if (input.internalNote !== undefined) changes.internalNote = optionalText(input.internalNote, LIMITS.note, 'input.internalNote', 'The internal note');
    const finalCategory = category ?? (await categoryByCode(ctx, base.category))!;
    changes.searchText = searchTextOf({
      name: changes.name ?? base.name,
      brand: changes.brand !== undefined ? changes.brand : base.brand,
      gtin: base.gtin,
      internalCode: base.internalCode,
      categoryCode: finalCategory.code,
      categoryName: finalCategory.name,
    });
    await writeProduct(tx, base.id, changes);
    return freshProduct(ctx, tx, base.id);
  });
  // Moving a product to another category can move it out of the viewer's sight (sector rule).
  if (!product) throw missing('The product', 'input.id');
  return { product };
}

export async function assignGtin(ctx: Context, input: MutationAssignGtinArgs['input']) {
  await signedIn(ctx);
  const current = await targetProduct(ctx, input.id, 'input.id');
  requireOperator(ctx, current.ownerPath);
  const gtin = gtinInput(input.gtin, 'input.gtin');
  const product = await inTransaction(ctx.db, async (tx) => {
    const locked = await lockProduct(tx, current.id);
    if (!locked) throw missing('The product', 'input.id');
    if (locked.gtin === gtin) return freshProduct(ctx, tx, current.id);
    // Once published, the GTIN is printed on packs and in partners' systems;
    // a product that never had one may still be given one (its internal code keeps resolving).
    if (locked.gtin !== null && locked.status !== 'DRAFT') {
      throw conflict(`A ${locked.status.toLowerCase()} product's GTIN cannot change (it is ${locked.gtin}).`, 'input.gtin');
    }
    if (await gtinTaken(tx, gtin, current.id)) throw gtinConflict(gtin, 'input.gtin');
    const category = (await categoryByCode(ctx, current.category))!;
    const searchText = searchTextOf({ ...current, gtin, categoryCode: category.code, categoryName: category.name });
    await uniquely(
      () => writeProduct(tx, current.id, { gtin, searchText }),
      () => gtinConflict(gtin, 'input.gtin'),
    );
    return freshProduct(ctx, tx, current.id);
  });
  return { product: product! };
}

export async function publishProduct(ctx: Context, input: MutationPublishProductArgs['input']) {
  await signedIn(ctx);
  const current = await targetProduct(ctx, input.id, 'input.id');
  if (!maySupervise(await ctx.loaders.visibility(), current.ownerPath, current.categorySector)) {
    throw forbidden('Only an OFFICER or ADMIN supervising this product may publish it.');
  }
  const product = await inTransaction(ctx.db, async (tx) => {
    const locked = await lockProduct(tx, current.id);
    if (!locked) throw missing('The product', 'input.id');
    if (locked.status !== 'DRAFT') throw conflict(`Only a DRAFT product can be published; this one is ${locked.status}.`, 'input.id');
    await writeProduct(tx, current.id, { status: 'PUBLISHED', publishedAt: new Date(), publishedBy: actorIdOf(ctx.viewer) });
    return freshProduct(ctx, tx, current.id);
  });
  return { product: product! };
}

export async function withdrawProduct(ctx: Context, input: MutationWithdrawProductArgs['input']) {
  await signedIn(ctx);
  const current = await targetProduct(ctx, input.id, 'input.id');
  // The owner may take its own product off the market; a supervisor may order it.
  if (!maySupervise(await ctx.loaders.visibility(), current.ownerPath, current.categorySector) && !canOperate(ctx.viewer, current.ownerPath, 'catalog:write')) {
    throw forbidden('Only STAFF or ADMIN of the owner, or an OFFICER or ADMIN supervising this product, may withdraw it.');
  }
  const reason = optionalText(input.reason, LIMITS.note, 'input.reason', 'The reason');
  const product = await inTransaction(ctx.db, async (tx) => {
    const locked = await lockProduct(tx, current.id);
    if (!locked) throw missing('The product', 'input.id');
    if (locked.status !== 'PUBLISHED') throw conflict(`Only a PUBLISHED product can be withdrawn; this one is ${locked.status}.`, 'input.id');
    await writeProduct(tx, current.id, { status: 'WITHDRAWN', withdrawnAt: new Date(), withdrawnBy: actorIdOf(ctx.viewer), withdrawnReason: reason });
    return freshProduct(ctx, tx, current.id);
  });
  return { product: product! };
}

export async function addCertification(ctx: Context, input: MutationAddCertificationArgs['input']) {
  await signedIn(ctx);
  const product = await targetProduct(ctx, input.productId, 'input.productId');
  requireOperator(ctx, product.ownerPath);
  const schemeName = optionalText(input.schemeName, LIMITS.name, 'input.schemeName', 'The scheme name');
  if (input.scheme === 'OTHER' && !schemeName) throw badInput('Name the scheme of an OTHER certificate.', 'input.schemeName');
  if (input.scheme === 'OCOP') {
    if (input.stars === null || input.stars === undefined || !Number.isInteger(input.stars) || input.stars < 1 || input.stars > 5) {
      throw badInput('An OCOP certificate has 1 to 5 stars.', 'input.stars');
    }
  } else if (input.stars !== null && input.stars !== undefined) {
    throw badInput('Only OCOP certificates have stars.', 'input.stars');
  }
  if (input.validTo < input.validFrom) throw badInput('A certificate cannot end (validTo) before it starts (validFrom).', 'input.validTo');
  const row = {
    id: uuidv7(),
    productId: product.id,
    scheme: input.scheme,
    schemeName: input.scheme === 'OTHER' ? schemeName : null,
    issuer: requiredText(input.issuer, LIMITS.issuer, 'input.issuer', 'The issuer'),
    number: requiredText(input.number, LIMITS.name, 'input.number', 'The certificate number'),
    stars: input.scheme === 'OCOP' ? input.stars! : null,
    validFrom: input.validFrom,
    validTo: input.validTo,
    documentUrl: input.documentUrl ? urlInput(input.documentUrl, 'input.documentUrl') : null,
  };
  const fresh = await inTransaction(ctx.db, async (tx) => {
    if (!(await lockProduct(tx, product.id))) throw missing('The product', 'input.productId');
    await insertCertification(tx, row);
    await writeProduct(tx, product.id, {});
    return freshProduct(ctx, tx, product.id);
  });
  return { certification: { ...row, scope: fresh!.scope }, product: fresh! };
}

export async function removeCertification(ctx: Context, input: MutationRemoveCertificationArgs['input']) {
  await signedIn(ctx);
  const certification = isUuid(input.id) ? await certificationById(ctx.db, input.id) : null;
  const product = certification ? await freshProduct(ctx, ctx.db, certification.productId) : null;
  if (!certification || !product) throw missing('The certificate', 'input.id');
  requireOperator(ctx, product.ownerPath);
  const fresh = await inTransaction(ctx.db, async (tx) => {
    await lockProduct(tx, product.id);
    await deleteCertification(tx, certification.id);
    await writeProduct(tx, product.id, {});
    return freshProduct(ctx, tx, product.id);
  });
  return { product: fresh! };
}

/**
 * An area's SGLN: a GLN with a valid check digit that no other organization
 * registered as its own; the producer's own GLN names the producer, so an
 * area sharing it needs an extension (AI 254, the AI-82 characters of a lot).
 */
async function areaSgln(db: Database, ownerId: string, gln: string | null | undefined, extension: string | null | undefined) {
  if (!gln) {
    if (extension) throw badInput('A GLN extension needs its GLN.', 'input.glnExtension');
    return { gln: null, glnExtension: null };
  }
  const value = gln.trim();
  if (!/^\d{13}$/.test(value) || !hasValidCheckDigit(value)) throw badInput('A GLN has 13 digits with a valid check digit.', 'input.gln');
  if (extension && lotCodeProblem(extension)) throw badInput('A GLN extension has 1–20 digits, Latin letters or GS1 AI-82 symbols.', 'input.glnExtension');
  const holder = await glnHolder(db, value);
  if (holder && holder !== ownerId) throw refused('NOT_OWNER', `The GLN ${value} is another organization's.`, 'input.gln');
  if (holder && !extension) throw badInput("The producer's own GLN names the producer: give the area an extension.", 'input.glnExtension');
  return { gln: value, glnExtension: extension || null };
}

export async function createProductionArea(ctx: Context, input: MutationCreateProductionAreaArgs['input']) {
  await signedIn(ctx);
  const owner = isUuid(input.ownerId) ? await organizationPlace(ctx.db, input.ownerId) : null;
  if (!owner) throw missing('The owner organization', 'input.ownerId');
  requireOperator(ctx, owner.path);
  if (owner.kind !== 'PRODUCER' && owner.kind !== 'BUSINESS') throw badInput('Only a producer or business owns production areas.', 'input.ownerId');
  const known = await knownLanguages(ctx);
  const code = codeInput(input.code, 'input.code', 'A planting-area code');
  const latitude = input.latitude ?? null;
  const longitude = input.longitude ?? null;
  if ((latitude === null) !== (longitude === null))
    throw badInput('Give both latitude and longitude, or neither.', latitude === null ? 'input.latitude' : 'input.longitude');
  if (latitude !== null && !(latitude >= -90 && latitude <= 90)) throw badInput('Latitude lies between -90 and 90.', 'input.latitude');
  if (longitude !== null && !(longitude >= -180 && longitude <= 180)) throw badInput('Longitude lies between -180 and 180.', 'input.longitude');
  const sgln = await areaSgln(ctx.db, input.ownerId, input.gln, input.glnExtension);
  const values = {
    ownerId: input.ownerId,
    code,
    name: applyText({}, input.name, 'input.name', { known, max: LIMITS.name, requireVi: true, what: 'The name' }),
    crop: await canonicalCrop(ctx.db, requiredText(input.crop, LIMITS.name, 'input.crop', 'The crop').normalize('NFC')),
    hectares: positiveNumber(input.hectares, 'input.hectares', 'The size')!,
    latitude,
    longitude,
    commune: optionalText(input.commune, LIMITS.name, 'input.commune', 'The commune')?.normalize('NFC') ?? null,
    ...sgln,
  };
  const id = uuidv7();
  const taken = () => conflict(`A production area with code ${code} is already registered.`, 'input.code');
  const sglnConflict = () => conflict(`Another production area already has this GLN${sgln.glnExtension ? ' and extension' : ''}.`, 'input.gln');
  const [area] = await inTransaction(ctx.db, async (tx) => {
    if (await areaCodeTaken(tx, code)) throw taken();
    if (sgln.gln && (await sglnTaken(tx, sgln.gln, sgln.glnExtension))) throw sglnConflict();
    await uniquely(() => insertArea(tx, id, values), taken);
    return areasByIds(tx, [id]);
  });
  return { productionArea: area! };
}

export async function setSeasonNorm(ctx: Context, input: MutationSetSeasonNormArgs['input']) {
  await signedIn(ctx);
  const [area] = isUuid(input.areaId) ? await areasByIds(ctx.db, [input.areaId]) : [];
  if (!area) throw missing('The production area', 'input.areaId');
  // The norm is the yardstick the area's lots are judged by (trace refuses or
  // holds lots above it), so the producer it measures never sets it — not even
  // its own ADMIN: only an OFFICER or ADMIN strictly above the owner.
  if (!canOversee(ctx.viewer, area.scope.path)) throw forbidden('Only an OFFICER or ADMIN above the owner (district or department) may set its season norms.');
  const season = requiredText(input.season, LIMITS.season, 'input.season', 'The season');
  if (input.inputs.length > 50) throw badInput('A season norm lists at most 50 inputs.', 'input.inputs');
  const inputs = input.inputs.map((item, index) => {
    const at = `input.inputs.${index}`;
    if (!Number.isFinite(item.quantityPerHectare) || item.quantityPerHectare < 0)
      throw badInput('An amount per hectare is 0 or more.', `${at}.quantityPerHectare`);
    return {
      input: requiredText(item.input, LIMITS.name, `${at}.input`, 'The input'),
      quantityPerHectare: item.quantityPerHectare,
      unit: requiredText(item.unit, 20, `${at}.unit`, 'The unit'),
    };
  });
  const expectedYieldPerHectare = positiveNumber(input.expectedYieldPerHectare, 'input.expectedYieldPerHectare', 'The expected yield');
  const yieldUnit = input.yieldUnit ? unitInput(input.yieldUnit, 'input.yieldUnit') : null;
  if (expectedYieldPerHectare !== null && !yieldUnit) throw badInput('Give the unit of the expected yield.', 'input.yieldUnit');
  const fresh: ProductionAreaModel[] = await inTransaction(ctx.db, async (tx) => {
    await upsertSeasonNorm(tx, { areaId: area.id, season, inputs, expectedYieldPerHectare, yieldUnit });
    return areasByIds(tx, [area.id]);
  });
  return { productionArea: fresh[0]! };
}

export async function setCropNormTolerance(ctx: Context, input: MutationSetCropNormToleranceArgs['input']) {
  await signedIn(ctx);
  // A tolerance applies to every area of the crop, across districts: set where crop policy
  // is made, by the city or the agriculture department, never by a district, a producer,
  // or a department of another sector (a health officer does not loosen rice norms).
  const atCity = ctx.viewer.kind === 'user' && ctx.viewer.grants.some((g) => (g.role === 'OFFICER' || g.role === 'ADMIN') && !g.path.includes('.'));
  const agriculture = (await ctx.loaders.visibility()).departments.some((d) => d.sector === 'AGRICULTURE');
  if (!atCity && !agriculture) throw forbidden('Only an OFFICER or ADMIN of the city or of the agriculture department may set crop tolerances.');
  const crop = await canonicalCrop(ctx.db, requiredText(input.crop, LIMITS.name, 'input.crop', 'The crop').normalize('NFC'));
  if (!Number.isFinite(input.tolerance) || input.tolerance < 0 || input.tolerance > 1) {
    throw badInput('A tolerance is a fraction from 0 to 1 (0.2 = 20 %).', 'input.tolerance');
  }
  const cropNormTolerance = await inTransaction(ctx.db, (tx) => upsertCropNormTolerance(tx, crop, input.tolerance, actorIdOf(ctx.viewer)));
  return { cropNormTolerance };
}

export async function grantProductLicence(ctx: Context, input: MutationGrantProductLicenceArgs['input']) {
  await signedIn(ctx);
  const product = await targetProduct(ctx, input.productId, 'input.productId');
  // A licence lets another organization put the owner's product on its own lots:
  // an act of the owner's management, not of its day-to-day staff.
  if (!canAdminister(ctx.viewer, product.ownerPath)) throw forbidden("Only an ADMIN of the product's owner (or above) may license it.");
  const licensee = await licenseeInput(ctx, input.licenseeId, product.ownerId);
  const licence = await inTransaction(ctx.db, async (tx) => {
    // The product lock serialises grants and revocations of one product.
    if (!(await lockProduct(tx, product.id))) throw missing('The product', 'input.productId');
    // Granting a licence already in force changes nothing: a retried request writes no second row.
    return (await activeLicence(tx, product.id, licensee)) ?? insertLicence(tx, product.id, licensee, actorIdOf(ctx.viewer)!);
  });
  return { licence, product };
}

export async function revokeProductLicence(ctx: Context, input: MutationRevokeProductLicenceArgs['input']) {
  await signedIn(ctx);
  const product = await targetProduct(ctx, input.productId, 'input.productId');
  if (!canAdminister(ctx.viewer, product.ownerPath)) throw forbidden("Only an ADMIN of the product's owner (or above) may revoke its licences.");
  const licenseeId = isUuid(input.licenseeId) ? input.licenseeId : null;
  const licence = await inTransaction(ctx.db, async (tx) => {
    if (!(await lockProduct(tx, product.id))) throw missing('The product', 'input.productId');
    const current = licenseeId ? await activeLicence(tx, product.id, licenseeId) : null;
    if (!current) throw badInput('This organization holds no licence in force for the product.', 'input.licenseeId');
    return revokeLicence(tx, current.id, actorIdOf(ctx.viewer)!);
  });
  return { licence, product };
}

/** The licensee of a new licence: an existing, active producer or business other than the owner. */
async function licenseeInput(ctx: Context, id: string, ownerId: string): Promise<string> {
  const place = isUuid(id) ? await organizationPlace(ctx.db, id) : null;
  if (!place) throw missing('The licensee organization', 'input.licenseeId');
  if (id.toLowerCase() === ownerId.toLowerCase()) throw badInput('The owner needs no licence for its own product.', 'input.licenseeId');
  if (!LICENSEE_KINDS.has(place.kind)) throw badInput('Only a producer or business can be licensed to make a product.', 'input.licenseeId');
  if (!place.active) throw badInput('The licensee organization is deactivated.', 'input.licenseeId');
  return id;
}
