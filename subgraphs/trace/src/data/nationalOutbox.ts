import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf, uuidv7, type Database, asDate, textArray } from '@nguon/shared';
import { nationalOutbox } from '../db/schema';
import { PUBLIC_LOT_STATUSES } from '../models';

const PUBLIC = sql.raw(PUBLIC_LOT_STATUSES.map((s) => `'${s}'`).join(','));

export type OutboxStatus = 'PENDING' | 'DELIVERED' | 'DEAD';

export interface OutboxEntry {
  id: string;
  lotId: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

const toEntry = (r: typeof nationalOutbox.$inferSelect): OutboxEntry => ({
  id: r.id,
  lotId: r.lotId,
  status: r.status as OutboxStatus,
  attempts: r.attempts,
  nextAttemptAt: asDate(r.nextAttemptAt),
  lastError: r.lastError,
  createdAt: asDate(r.createdAt),
  deliveredAt: r.deliveredAt ? asDate(r.deliveredAt) : null,
});

/** Queues a published lot's record; call inside the publishing transaction. A lot is queued once. */
export async function enqueueLot(tx: Database, lotId: string): Promise<void> {
  await tx.insert(nationalOutbox).values({ id: uuidv7(), lotId }).onConflictDoNothing({ target: nationalOutbox.lotId });
}

/**
 * Claims up to `limit` due entries for `lockMs`: a second worker (another
 * replica) skips them until the claim lapses, so each push is attempted by
 * one worker at a time; a crashed worker's claims lapse and are retried.
 * Only entries whose lot is public now are claimed: a lot taken off the public
 * after it was queued (a quantity correction held it UNDER_REVIEW, then maybe
 * REJECTED) stays PENDING, untried, and goes out once it is public again.
 */
export async function claimDue(db: Database, limit: number, lockMs: number, dueBy: Date | null = null): Promise<OutboxEntry[]> {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      update trace.national_outbox set locked_until = now() + ${`${lockMs} milliseconds`}::interval
      where id in (
        select id from trace.national_outbox
        where status = 'PENDING'
          and exists (select 1 from trace.lots l where l.id = national_outbox.lot_id and l.status in (${PUBLIC}))
          and next_attempt_at <= ${dueBy ? sql`${dueBy.toISOString()}::timestamptz` : sql`now()`} and (locked_until is null or locked_until < now())
        order by next_attempt_at, id limit ${limit} for update skip locked
      ) returning id`),
  );
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  return (await db.select().from(nationalOutbox).where(inArray(nationalOutbox.id, ids)).orderBy(asc(nationalOutbox.id))).map(toEntry);
}

export async function markDelivered(db: Database, id: string): Promise<void> {
  await db
    .update(nationalOutbox)
    .set({ status: 'DELIVERED', attempts: sql`${nationalOutbox.attempts} + 1`, deliveredAt: sql`now()`, lockedUntil: null, lastError: null })
    .where(eq(nationalOutbox.id, id));
}

export async function markFailed(db: Database, id: string, error: string, retryInMs: number | null): Promise<void> {
  await db
    .update(nationalOutbox)
    .set({
      status: retryInMs === null ? 'DEAD' : 'PENDING',
      attempts: sql`${nationalOutbox.attempts} + 1`,
      lastError: error.slice(0, 1000),
      lockedUntil: null,
      ...(retryInMs === null ? {} : { nextAttemptAt: sql`now() + ${`${Math.round(retryInMs)} milliseconds`}::interval` }),
    })
    .where(eq(nationalOutbox.id, id));
}

/**
 * Releases a claimed entry whose lot turned out not to be public when its
 * record was read: nothing was sent, so no attempt is counted; it is looked at
 * again after `retryInMs` (and claimed only once the lot is public again).
 */
export async function markHeld(db: Database, id: string, note: string, retryInMs: number): Promise<void> {
  await db
    .update(nationalOutbox)
    .set({ lockedUntil: null, lastError: note.slice(0, 1000), nextAttemptAt: sql`now() + ${`${Math.round(retryInMs)} milliseconds`}::interval` })
    .where(eq(nationalOutbox.id, id));
}

/** Puts a dead letter back in the queue, attempts reset. */
export async function requeue(db: Database, id: string): Promise<void> {
  await db
    .update(nationalOutbox)
    .set({ status: 'PENDING', attempts: 0, nextAttemptAt: sql`now()`, lockedUntil: null })
    .where(and(eq(nationalOutbox.id, id), eq(nationalOutbox.status, 'DEAD')));
}

/** Lots' owner paths under one of `roots` (every path when roots is null). */
const inScope = (roots: readonly string[] | null) =>
  roots === null
    ? sql`true`
    : sql`exists (select 1 from trace.lots l join tenants.organization_scope o on o.id = l.owner_id
        where l.id = q.lot_id and exists (select 1 from unnest(${textArray(roots)}::text[]) r where o.path = r or o.path like r || '.%'))`;

export async function outboxCounts(db: Database, roots: readonly string[] | null): Promise<{ status: OutboxStatus; count: number; oldest: Date | null }[]> {
  const rows = rowsOf<{ status: OutboxStatus; count: number; oldest: unknown }>(
    await db.execute(
      sql`select status, count(*)::int as count, min(created_at) as oldest from trace.national_outbox q where ${inScope(roots)} group by status`,
    ),
  );
  return rows.map((r) => ({ status: r.status, count: Number(r.count), oldest: r.oldest ? asDate(r.oldest) : null }));
}

export async function outboxEntries(
  db: Database,
  roots: readonly string[] | null,
  status: OutboxStatus | null,
  limit: number,
  afterId: string | null,
): Promise<OutboxEntry[]> {
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select id, lot_id, status, attempts, next_attempt_at, last_error, created_at, delivered_at from trace.national_outbox q
      where ${inScope(roots)} ${status ? sql`and status = ${status}` : sql``} ${afterId ? sql`and id > ${afterId}::uuid` : sql``}
      order by id limit ${limit + 1}`),
  );
  return rows.map((r) => ({
    id: String(r.id),
    lotId: String(r.lot_id),
    status: r.status as OutboxStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: asDate(r.next_attempt_at),
    lastError: (r.last_error as string | null) ?? null,
    createdAt: asDate(r.created_at),
    deliveredAt: r.delivered_at ? asDate(r.delivered_at) : null,
  }));
}
