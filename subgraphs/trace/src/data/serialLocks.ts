import { and, eq, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '@nguon/shared';
import { serialItems } from '../db/schema';
import { NEVER_ISSUED_REASON, type LockReasonCode } from './consumer';

/**
 * lock_reason holds the code, then the producer's note after ": " when one
 * was given (no column of its own); lockReasonCode in data/consumer.ts reads
 * the code back for Lot.item.
 */
export const storedLockReason = (code: LockReasonCode, note: string | null) => (note ? `${code}: ${note}` : code);

/** Issued serials of a lot among `serials`: a row recordScan kept for a serial never issued is not one. */
const issuedAmong = (lotId: string, serials: string[]) =>
  and(
    eq(serialItems.lotId, lotId),
    inArray(serialItems.serial, serials),
    or(isNull(serialItems.flagReason), sql`${serialItems.flagReason} <> ${NEVER_ISSUED_REASON}`),
  );

/** The serials of `serials` this lot never issued, in the order given. */
async function unknownSerials(db: Database, lotId: string, serials: string[]): Promise<string[]> {
  const rows = await db.select({ serial: serialItems.serial }).from(serialItems).where(issuedAmong(lotId, serials));
  const issued = new Set(rows.map((r) => r.serial));
  return serials.filter((s) => !issued.has(s));
}

/**
 * Locks the issued serials among `serials`; an already locked one takes the
 * new reason, note, time and actor. Serials never issued are reported, and
 * nothing is created for them: a lock is a fact about a package the
 * producer made, not a way to write rows.
 */
export async function lockSerials(
  db: Database,
  input: { lotId: string; serials: string[]; reason: LockReasonCode; note: string | null; by: string; at?: Date },
): Promise<{ locked: number; unknown: string[] }> {
  const rows = await db
    .update(serialItems)
    .set({ lockedAt: input.at ?? new Date(), lockReason: storedLockReason(input.reason, input.note), lockedBy: input.by })
    .where(issuedAmong(input.lotId, input.serials))
    .returning({ serial: serialItems.serial });
  // Every issued serial named was updated: the rest were never issued.
  const locked = new Set(rows.map((r) => r.serial));
  return { locked: rows.length, unknown: input.serials.filter((s) => !locked.has(s)) };
}

/** Unlocks the locked serials among `serials`; issued serials that were not locked are left as they are and not counted. */
export async function unlockSerials(db: Database, input: { lotId: string; serials: string[] }): Promise<{ unlocked: number; unknown: string[] }> {
  const unknown = await unknownSerials(db, input.lotId, input.serials);
  const rows = await db
    .update(serialItems)
    .set({ lockedAt: null, lockReason: null, lockedBy: null })
    .where(and(issuedAmong(input.lotId, input.serials), isNotNull(serialItems.lockedAt)))
    .returning({ serial: serialItems.serial });
  return { unlocked: rows.length, unknown };
}
