import { badInput, canOperate, canSupervise, conflict, forbidden, inTransaction, isUuid, lotCodeProblem, notFound, uuidv7 } from '@nguon/shared';
import type { Context } from '../context';
import type { CreateLotInput } from '../generated/graphql';
import { insertLot, lotCodeTaken, lotsByIds, setLotStatus } from '../data/lots';
import { enqueueLot } from '../data/nationalOutbox';
import { organizationPaths } from '../data/organizations';
import type { LotModel } from '../models';
import { loadVisibleLot } from '../resolvers/visibility';

const UNIT = /^[A-Z0-9]{2,3}$/;
const SEASON_MAX = 60;

export async function createLot(ctx: Context, input: CreateLotInput): Promise<LotModel> {
  if (!isUuid(input.ownerId)) throw notFound('The organization');
  const ownerId = input.ownerId.toLowerCase();
  const path = (await organizationPaths(ctx.db, [ownerId])).get(ownerId);
  if (!path) throw notFound('The organization');
  if (!canOperate(ctx.viewer, path, 'trace:write')) throw forbidden(`Only STAFF or ADMIN of ${path} may create its lots.`);
  if (!isUuid(input.productId)) throw badInput('Not a product id.', 'input.productId');
  const problem = lotCodeProblem(input.lotCode);
  if (problem) throw badInput(problem, 'input.lotCode');
  if (!Number.isFinite(input.quantity) || input.quantity < 0) throw badInput('A quantity cannot be negative.', 'input.quantity');
  if (!UNIT.test(input.unit)) throw badInput('A unit is a UN/ECE Recommendation 20 code, e.g. KGM.', 'input.unit');
  if (input.productionAreaId && !isUuid(input.productionAreaId)) throw badInput('Not a production area id.', 'input.productionAreaId');
  const season = input.season?.trim() || null;
  if (season && season.length > SEASON_MAX) throw badInput(`A season label has at most ${SEASON_MAX} characters.`, 'input.season');
  if (input.producedOn && input.expiresOn && input.expiresOn < input.producedOn) throw badInput('A lot cannot expire before it is produced.', 'input.expiresOn');
  const productId = input.productId.toLowerCase();
  return inTransaction(ctx.db, async (tx) => {
    if (await lotCodeTaken(tx, productId, input.lotCode)) throw conflict(`The product already has a lot ${input.lotCode}.`, 'input.lotCode');
    const lot = await insertLot(tx, {
      id: uuidv7(),
      lotCode: input.lotCode,
      productId,
      ownerId,
      productionAreaId: input.productionAreaId?.toLowerCase() ?? null,
      season,
      quantity: String(input.quantity),
      unit: input.unit,
      producedOn: input.producedOn ?? null,
      expiresOn: input.expiresOn ?? null,
      status: input.publish ? 'PUBLISHED' : 'DRAFT',
    });
    // Published at once: its national-portal record is queued with it, or neither is stored.
    if (lot.status === 'PUBLISHED') await enqueueLot(tx, lot.id);
    return lot;
  });
}

export async function publishLot(ctx: Context, lotId: string): Promise<LotModel> {
  const lot = await loadVisibleLot(ctx, lotId);
  if (!lot) throw notFound('The lot');
  if (!canOperate(ctx.viewer, lot.scope.path, 'trace:write') && !canSupervise(ctx.viewer, lot.scope.path)) throw forbidden('Only the owner or a supervisor may publish the lot.');
  if (lot.status !== 'DRAFT') throw badInput(`The lot is ${lot.status}, not a draft.`, 'input.lotId');
  // The status change and the national-portal record commit together (transactional outbox).
  await inTransaction(ctx.db, async (tx) => {
    await setLotStatus(tx, lot.id, 'PUBLISHED');
    await enqueueLot(tx, lot.id);
  });
  return (await lotsByIds(ctx.db, [lot.id]))[0]!;
}
