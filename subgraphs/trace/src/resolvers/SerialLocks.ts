import { actorOf, badInput, canOperate, forbidden, inTransaction, isUuid, notFound } from '@nguon/shared';
import type { MutationResolvers } from '../generated/graphql';
import type { Context } from '../context';
import type { LockReasonCode } from '../data/consumer';
import { lockSerials, unlockSerials } from '../data/serialLocks';
import type { LotModel } from '../models';
import { checkSerial, visibleLot } from './visibility';

/** Bounds of one lock or unlock call. */
export const SERIAL_LOCK_LIMITS = { maxSerials: 1000, maxNote: 500 };

/**
 * The serials of a call, checked as Lot.item and issueSerials' serials are
 * (GS1 AI 21: 1–20 characters of the AI-82 set); repeats count once. Any bad
 * one refuses the whole call before anything is written.
 */
function checkSerials(serials: readonly string[]): string[] {
  if (serials.length === 0 || serials.length > SERIAL_LOCK_LIMITS.maxSerials) {
    throw badInput(`Give 1–${SERIAL_LOCK_LIMITS.maxSerials} serial numbers.`, 'input.serials');
  }
  serials.forEach((serial, i) => checkSerial(serial, `input.serials.${i}`));
  return [...new Set(serials)];
}

function checkNote(note: string | null | undefined): string | null {
  const text = note?.trim() || null;
  if (text && text.length > SERIAL_LOCK_LIMITS.maxNote) throw badInput(`A note has at most ${SERIAL_LOCK_LIMITS.maxNote} characters.`, 'input.note');
  return text;
}

/**
 * Exactly who may issue the lot's serials (Consumer.ts issueSerials): a lot
 * the viewer may not see answers NOT_FOUND, like a made-up id; one it sees but
 * does not operate is FORBIDDEN (docs/write-authority.md, "Serials").
 */
async function operatedLot(ctx: Context, lotId: string): Promise<LotModel> {
  const lot = isUuid(lotId) ? visibleLot(ctx.viewer, await ctx.loaders.lot.load(lotId)) : null;
  if (!lot) throw notFound('The lot');
  if (!canOperate(ctx.viewer, lot.scope.path, 'trace:write')) throw forbidden(`Only STAFF or ADMIN of ${lot.scope.path} may lock or unlock its serials.`);
  return lot;
}

const lockedBy = (ctx: Context) => {
  const actor = actorOf(ctx.viewer);
  return `${actor.actorKind}:${actor.actorId}`;
};

/** lockSerials and unlockSerials (issue 15): the producer takes stolen, destroyed or withdrawn packages off the genuine list. */
export const SerialLockMutation: Pick<MutationResolvers<Context>, 'lockSerials' | 'unlockSerials'> = {
  lockSerials: async (_root, { input }, ctx) => {
    const lot = await operatedLot(ctx, input.lotId);
    const serials = checkSerials(input.serials);
    const note = checkNote(input.note);
    return inTransaction(ctx.db, (tx) => lockSerials(tx, { lotId: lot.id, serials, reason: input.reason as LockReasonCode, note, by: lockedBy(ctx) }));
  },
  unlockSerials: async (_root, { input }, ctx) => {
    const lot = await operatedLot(ctx, input.lotId);
    const serials = checkSerials(input.serials);
    checkNote(input.note);
    return inTransaction(ctx.db, (tx) => unlockSerials(tx, { lotId: lot.id, serials }));
  },
};
