import {
  actorIdOf,
  actorOf,
  badInput,
  canOperate,
  canOversee,
  canReadInternal,
  canSupervise,
  conflict,
  forbidden,
  inTransaction,
  isUuid,
  labelKey,
  lotCodeProblem,
  notFound,
  refused,
  uuidv7,
  type Database,
  type Viewer,
} from '@nguon/shared';
import type { Context } from '../context';
import type { CorrectLotQuantityInput, CreateLotInput, ReviewLotInput } from '../generated/graphql';
import { areaFact, isLicensed, normSeasons, productFact } from '../data/catalog';
import { insertAudit, insertLot, lockLot, lotCodeTaken, lotsByIds, updateLot } from '../data/lots';
import { enqueueLot } from '../data/nationalOutbox';
import { activeRecallIdsOfLots } from '../data/recalls';
import { organizationPaths } from '../data/organizations';
import type { LotAuditAction, LotModel, LotStatusValue, NormCheckModel } from '../models';
import { loadVisibleLot } from '../resolvers/visibility';
import { checkNorm, normExceeded } from './norms';

const UNIT = /^[A-Z0-9]{2,3}$/;
const SEASON_MAX = 60;
const REASON_MAX = 2000;

const audit = (tx: Database, viewer: Viewer, lotId: string, action: LotAuditAction, reason: string | null, detail: Record<string, unknown> = {}) =>
  insertAudit(tx, { lotId, action, ...actorOf(viewer), reason, detail });

function checkQuantity(quantity: number, field: string) {
  if (!Number.isFinite(quantity) || quantity < 0) throw badInput('A quantity cannot be negative.', field);
}

function checkReason(reason: string | null | undefined, field: string, required: boolean): string | null {
  const text = reason?.trim() || null;
  if (required && !text) throw badInput('Give a reason: it is kept in the lot’s audit trail.', field);
  if (text && text.length > REASON_MAX) throw badInput(`A reason has at most ${REASON_MAX} characters.`, field);
  return text;
}

/**
 * The season a lot on an area is recorded under. Where the area has season
 * norms a season must be named, and a spelling that differs from a norm's
 * only in accents, case, spacing or punctuation is recorded as the norm's
 * label: the norm check (and its sum over the season) cannot be skipped by
 * leaving the season out or typing it differently.
 */
async function seasonOnArea(tx: Database, areaId: string, season: string | null): Promise<string | null> {
  const seasons = await normSeasons(tx, areaId);
  if (seasons.length === 0) return season;
  if (!season) throw badInput(`The production area has season norms (${seasons.join(', ')}): name the lot's season.`, 'input.season');
  const key = labelKey(season);
  return seasons.find((s) => labelKey(s) === key) ?? season;
}

/** The product a lot names: it must exist and be visible to the viewer, or it answers exactly like a made-up id. */
const PRODUCT_NOT_FOUND = 'The product was not found.';

/**
 * Registers a lot. Every reference is checked against catalog's facts inside
 * the writing transaction (docs/write-authority.md, Lots): the product exists
 * and is visible, belongs to the owner or is licensed to it, is not
 * withdrawn; the area belongs to the owner; publication needs a published
 * product; the quantity fits the area's season norm, or the lot is held for
 * review when the caller asked for that. A refusal writes nothing.
 */
export async function createLot(ctx: Context, input: CreateLotInput): Promise<LotModel> {
  if (!isUuid(input.ownerId)) throw notFound('The organization');
  const ownerId = input.ownerId.toLowerCase();
  const path = (await organizationPaths(ctx.db, [ownerId])).get(ownerId);
  if (!path) throw notFound('The organization');
  if (!canOperate(ctx.viewer, path, 'trace:write')) throw forbidden(`Only STAFF or ADMIN of ${path} may create its lots.`);
  if (!isUuid(input.productId)) throw badInput(PRODUCT_NOT_FOUND, 'input.productId');
  const problem = lotCodeProblem(input.lotCode);
  if (problem) throw badInput(problem, 'input.lotCode');
  checkQuantity(input.quantity, 'input.quantity');
  if (!UNIT.test(input.unit)) throw badInput('A unit is a UN/ECE Recommendation 20 code, e.g. KGM.', 'input.unit');
  if (input.productionAreaId && !isUuid(input.productionAreaId)) throw badInput('Not a production area id.', 'input.productionAreaId');
  const season = input.season?.normalize('NFC').replace(/\s+/g, ' ').trim() || null;
  if (season && season.length > SEASON_MAX) throw badInput(`A season label has at most ${SEASON_MAX} characters.`, 'input.season');
  if (input.producedOn && input.expiresOn && input.expiresOn < input.producedOn)
    throw badInput('A lot cannot expire before it is produced.', 'input.expiresOn');
  const productId = input.productId.toLowerCase();
  const areaId = input.productionAreaId?.toLowerCase() ?? null;
  const review = input.onNormExceeded === 'REVIEW';
  return inTransaction(ctx.db, async (tx) => {
    const product = await productFact(tx, productId);
    const licensed = product ? product.ownerId === ownerId || (await isLicensed(tx, productId, ownerId)) : false;
    // Another organization's draft is as unknown as a made-up id: same code, same message, same field.
    const visible = product && (product.status === 'PUBLISHED' || licensed || (product.ownerPath !== null && canReadInternal(ctx.viewer, product.ownerPath)));
    if (!product || !visible) throw badInput(PRODUCT_NOT_FOUND, 'input.productId');
    if (!licensed) throw refused('NOT_OWNER', 'The product belongs to another organization and is not licensed to the lot’s owner.', 'input.productId');
    if (product.status === 'WITHDRAWN') throw refused('NOT_PUBLISHABLE', 'The product is withdrawn: it takes no new lots.', 'input.productId');
    const area = areaId ? await areaFact(tx, areaId) : null;
    // A missing area and another organization's area answer alike.
    if (areaId && (!area || area.ownerId !== ownerId))
      throw refused('NOT_OWNER', 'The production area was not found among the owner’s areas.', 'input.productionAreaId');
    if (input.publish && product.status !== 'PUBLISHED')
      throw refused('NOT_PUBLISHABLE', 'The product is not published yet: create the lot as a draft.', 'input.publish');
    if (await lotCodeTaken(tx, productId, input.lotCode)) throw conflict(`The product already has a lot ${input.lotCode}.`, 'input.lotCode');
    const lotSeason = area ? await seasonOnArea(tx, area.id, season) : season;
    let normCheck: NormCheckModel | null = null;
    if (area && lotSeason) {
      normCheck = await checkNorm(tx, { area, season: lotSeason, quantity: input.quantity, unit: input.unit, field: 'input.quantity' });
      if (normCheck.exceeded && !review) throw normExceeded(normCheck, 'input.quantity');
    }
    const held = normCheck?.exceeded === true;
    const status: LotStatusValue = held ? 'UNDER_REVIEW' : input.publish ? 'PUBLISHED' : 'DRAFT';
    const lot = await insertLot(tx, {
      id: uuidv7(),
      lotCode: input.lotCode,
      productId,
      ownerId,
      productionAreaId: areaId,
      season: lotSeason,
      quantity: String(input.quantity),
      unit: input.unit,
      producedOn: input.producedOn ?? null,
      expiresOn: input.expiresOn ?? null,
      status,
      normCheck,
      publishOnApproval: held && !!input.publish,
    });
    await audit(tx, ctx.viewer, lot.id, 'CREATED', null, { status, quantity: input.quantity, unit: input.unit, ...(normCheck ? { normCheck } : {}) });
    if (held) await audit(tx, ctx.viewer, lot.id, 'HELD_FOR_REVIEW', null, { normCheck, publishOnApproval: !!input.publish });
    // Published at once: its national-portal record is queued with it, or neither is stored.
    if (status === 'PUBLISHED') {
      await enqueueLot(tx, lot.id);
      await audit(tx, ctx.viewer, lot.id, 'PUBLISHED', null);
    }
    return lot;
  });
}

export async function publishLot(ctx: Context, lotId: string): Promise<LotModel> {
  const lot = await loadVisibleLot(ctx, lotId);
  if (!lot) throw notFound('The lot');
  if (!canOperate(ctx.viewer, lot.scope.path, 'trace:write') && !canSupervise(ctx.viewer, lot.scope.path))
    throw forbidden('Only the owner or a supervisor may publish the lot.');
  // The status change, its audit row and the national-portal record commit together (transactional outbox).
  await inTransaction(ctx.db, async (tx) => {
    const current = await lockLot(tx, lot.id);
    if (!current) throw notFound('The lot');
    const { status } = current;
    if (status === 'UNDER_REVIEW' || status === 'REJECTED') {
      throw refused(
        'NOT_PUBLISHABLE',
        status === 'UNDER_REVIEW'
          ? 'The lot is held for review against its season norm: an overseer must approve it first.'
          : 'The lot was rejected in review.',
        'input.lotId',
      );
    }
    if (status !== 'DRAFT') throw badInput(`The lot is ${status}, not a draft.`, 'input.lotId');
    const product = await productFact(tx, lot.productId);
    if (product?.status !== 'PUBLISHED') throw refused('NOT_PUBLISHABLE', 'The lot’s product is not published.', 'input.lotId');
    await updateLot(tx, lot.id, { status: 'PUBLISHED' });
    await enqueueLot(tx, lot.id);
    await audit(tx, ctx.viewer, lot.id, 'PUBLISHED', null);
  });
  return (await lotsByIds(ctx.db, [lot.id]))[0]!;
}

/**
 * Corrects a lot's quantity: never a silent edit. The owner's operator gives a
 * reason; the old and new value are audited; the norm check runs again with
 * the lot's own old quantity left out. Over the norm the correction is refused,
 * or (on request) the lot is held for review and leaves the public until an
 * overseer approves it.
 */
export async function correctLotQuantity(ctx: Context, input: CorrectLotQuantityInput): Promise<LotModel> {
  const lot = await loadVisibleLot(ctx, input.lotId);
  if (!lot) throw notFound('The lot');
  if (!canOperate(ctx.viewer, lot.scope.path, 'trace:write')) throw forbidden('Only STAFF or ADMIN of the lot’s owner may correct its quantity.');
  checkQuantity(input.quantity, 'input.quantity');
  const reason = checkReason(input.reason, 'input.reason', true);
  const review = input.onNormExceeded === 'REVIEW';
  await inTransaction(ctx.db, async (tx) => {
    const current = await lockLot(tx, lot.id);
    if (!current) throw notFound('The lot');
    if (current.status === 'REJECTED') throw badInput('The lot was rejected in review; register a new lot instead.', 'input.lotId');
    let normCheck = current.normCheck;
    let status = current.status;
    let publishOnApproval = current.publishOnApproval;
    const area = lot.productionAreaId && lot.season ? await areaFact(tx, lot.productionAreaId) : null;
    if (area && lot.season) {
      normCheck = await checkNorm(tx, {
        area,
        season: lot.season,
        quantity: input.quantity,
        unit: current.unit,
        excludeLotId: lot.id,
        field: 'input.quantity',
      });
      // A recalled or closed lot keeps its public warning and history: it cannot be taken off the public by a review.
      const holdable = current.status === 'DRAFT' || current.status === 'PUBLISHED' || current.status === 'UNDER_REVIEW';
      if (normCheck.exceeded && (!review || !holdable)) throw normExceeded(normCheck, 'input.quantity');
      if (normCheck.exceeded && current.status !== 'UNDER_REVIEW') {
        // A published lot leaves the public until approved; approval puts it back.
        publishOnApproval = current.status === 'PUBLISHED';
        status = 'UNDER_REVIEW';
      }
    }
    await updateLot(tx, lot.id, { quantity: String(input.quantity), normCheck, status, publishOnApproval });
    await audit(tx, ctx.viewer, lot.id, 'CORRECTED', reason, {
      quantity: { from: current.quantity, to: input.quantity },
      unit: current.unit,
      ...(normCheck ? { normCheck } : {}),
    });
    if (status === 'UNDER_REVIEW' && current.status !== 'UNDER_REVIEW')
      await audit(tx, ctx.viewer, lot.id, 'HELD_FOR_REVIEW', reason, { normCheck, publishOnApproval, from: current.status });
  });
  return (await lotsByIds(ctx.db, [lot.id]))[0]!;
}

/**
 * An overseer's verdict on a lot held against its season norm. The producer's
 * own ADMIN supervises it but does not oversee it: nobody approves their own
 * over-norm lot. Approval publishes at once when the producer had asked for
 * publication (and the product is published); otherwise the lot becomes a draft.
 */
export async function reviewLot(ctx: Context, input: ReviewLotInput): Promise<LotModel> {
  const lot = await loadVisibleLot(ctx, input.lotId);
  if (!lot) throw notFound('The lot');
  if (!canOversee(ctx.viewer, lot.scope.path)) throw forbidden('Only an OFFICER or ADMIN above the lot’s owner may review it.');
  const reason = checkReason(input.reason, 'input.reason', input.decision === 'REJECT');
  await inTransaction(ctx.db, async (tx) => {
    const current = await lockLot(tx, lot.id);
    if (!current) throw notFound('The lot');
    if (current.status !== 'UNDER_REVIEW') throw badInput(`The lot is ${current.status}, not under review.`, 'input.lotId');
    const reviewed = { reviewedBy: actorIdOf(ctx.viewer), reviewedAt: new Date(), reviewNote: reason };
    if (input.decision === 'REJECT') {
      await updateLot(tx, lot.id, { status: 'REJECTED', ...reviewed });
      await audit(tx, ctx.viewer, lot.id, 'REJECTED', reason, { normCheck: current.normCheck });
      return;
    }
    // A lot recalled while it was held comes out of review recalled: the warning is what the public sees first.
    const recalled = (await activeRecallIdsOfLots(tx, [lot.id])).has(lot.id);
    const product = recalled ? null : await productFact(tx, lot.productId);
    const publish = current.publishOnApproval && product?.status === 'PUBLISHED';
    const status: LotStatusValue = recalled ? 'RECALLED' : publish ? 'PUBLISHED' : 'DRAFT';
    await updateLot(tx, lot.id, { status, ...reviewed });
    await audit(tx, ctx.viewer, lot.id, 'APPROVED', reason, { status, normCheck: current.normCheck });
    if (publish) {
      await enqueueLot(tx, lot.id);
      await audit(tx, ctx.viewer, lot.id, 'PUBLISHED', null);
    }
  });
  return (await lotsByIds(ctx.db, [lot.id]))[0]!;
}
