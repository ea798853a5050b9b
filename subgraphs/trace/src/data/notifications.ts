import { sql } from 'drizzle-orm';
import { asDate, inAnySubtree, isUuid, rowsOf, textArray, uuidArray, uuidv7, type Database } from '@nguon/shared';
import { notifications } from '../db/schema';

/**
 * The notification outbox (trace.notifications): one row per fact per
 * organization, written in the transaction that records the fact, delivered
 * to the organization's webhook by services/notifications.ts.
 */

export type NotificationKind = 'RECALL_OPENED' | 'RECALL_EXTENDED' | 'COMPLAINT_FILED' | 'ITEM_FLAGGED';
export type NotificationStatus = 'PENDING' | 'DELIVERED' | 'DEAD' | 'NO_ENDPOINT';

export interface NotificationInput {
  organizationId: string;
  kind: NotificationKind;
  subjectId: string;
  dedupeKey: string;
  payload: Record<string, unknown>;
}

export interface NotificationRow {
  id: string;
  organizationId: string;
  kind: NotificationKind;
  subjectId: string;
  dedupeKey: string;
  payload: Record<string, unknown>;
  status: NotificationStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

const COLUMNS = sql.raw(
  'n.id, n.organization_id, n.kind, n.subject_id, n.dedupe_key, n.payload, n.status, n.attempts, n.next_attempt_at, n.last_error, n.created_at, n.delivered_at',
);

const toRow = (r: Record<string, unknown>): NotificationRow => ({
  id: String(r.id),
  organizationId: String(r.organization_id),
  kind: r.kind as NotificationKind,
  subjectId: String(r.subject_id),
  dedupeKey: String(r.dedupe_key),
  payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
  status: r.status as NotificationStatus,
  attempts: Number(r.attempts),
  nextAttemptAt: asDate(r.next_attempt_at),
  lastError: (r.last_error as string | null) ?? null,
  createdAt: asDate(r.created_at),
  deliveredAt: r.delivered_at ? asDate(r.delivered_at) : null,
});

/**
 * Inserts in the caller's transaction; a repeated dedupeKey is ignored (on
 * conflict do nothing), so re-running the write that raised a fact notifies
 * nobody twice. Status NO_ENDPOINT when the organization has no enabled
 * webhook: the row stays for its inbox and the worker never claims it.
 */
export async function enqueueNotifications(tx: Database, rows: NotificationInput[]): Promise<void> {
  const valid = rows.filter((r) => isUuid(r.organizationId) && isUuid(r.subjectId));
  if (valid.length === 0) return;
  const orgIds = [...new Set(valid.map((r) => r.organizationId))];
  const withHook = new Set(
    rowsOf<{ organization_id: string }>(
      await tx.execute(sql`select organization_id from tenants.webhook_scope where organization_id = any(${uuidArray(orgIds)}::uuid[])`),
    ).map((r) => String(r.organization_id)),
  );
  for (let i = 0; i < valid.length; i += 500) {
    await tx
      .insert(notifications)
      .values(
        valid.slice(i, i + 500).map((r) => ({
          id: uuidv7(),
          organizationId: r.organizationId,
          kind: r.kind,
          subjectId: r.subjectId,
          dedupeKey: r.dedupeKey,
          payload: r.payload,
          status: withHook.has(r.organizationId) ? 'PENDING' : 'NO_ENDPOINT',
        })),
      )
      .onConflictDoNothing({ target: notifications.dedupeKey });
  }
}

/**
 * Ids of the organizations supervising an owner: every ancestor below the root
 * (its district/commune and sector department), from tenants.organization_scope
 * paths. The city itself is left out: it would be told of everything.
 */
export async function supervisorsOf(db: Database, ownerId: string): Promise<string[]> {
  if (!isUuid(ownerId)) return [];
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      select a.id from tenants.organization_scope o
      join tenants.organization_scope a on starts_with(o.path, a.path || '.')
      where o.id = ${ownerId}::uuid and strpos(a.path, '.') > 0
      order by length(a.path)`),
  );
  return rows.map((r) => String(r.id));
}

/** A claimed delivery: the row plus where (and with which secret) it goes. */
export interface ClaimedNotification extends NotificationRow {
  url: string | null;
  secret: string | null;
}

/**
 * Claims up to `limit` due PENDING rows for `lockMs` (`for update skip
 * locked` plus locked_until): another worker or replica skips them until the
 * claim lapses, so each delivery is attempted by one worker at a time, and a
 * crashed worker's claims are retried.
 */
export async function claimDueNotifications(db: Database, limit: number, lockMs: number): Promise<ClaimedNotification[]> {
  const claimed = rowsOf<{ id: string }>(
    await db.execute(sql`
      update trace.notifications set locked_until = now() + ${`${lockMs} milliseconds`}::interval
      where id in (
        select id from trace.notifications
        where status = 'PENDING' and next_attempt_at <= now() and (locked_until is null or locked_until < now())
        order by next_attempt_at, id limit ${limit} for update skip locked
      ) returning id`),
  );
  if (claimed.length === 0) return [];
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select ${COLUMNS}, w.url, w.secret from trace.notifications n
      left join tenants.webhook_scope w on w.organization_id = n.organization_id
      where n.id = any(${uuidArray(claimed.map((r) => String(r.id)))}::uuid[]) order by n.id`),
  );
  return rows.map((r) => ({ ...toRow(r), url: (r.url as string | null) ?? null, secret: (r.secret as string | null) ?? null }));
}

export async function markNotificationDelivered(db: Database, id: string): Promise<void> {
  await db.execute(sql`
    update trace.notifications
    set status = 'DELIVERED', attempts = attempts + 1, delivered_at = now(), locked_until = null, last_error = null
    where id = ${id}::uuid`);
}

/** A failed attempt: retried after `retryInMs`, or DEAD when null (attempts exhausted). */
export async function markNotificationFailed(db: Database, id: string, error: string, retryInMs: number | null): Promise<void> {
  await db.execute(sql`
    update trace.notifications
    set status = ${retryInMs === null ? 'DEAD' : 'PENDING'}, attempts = attempts + 1, last_error = ${error.slice(0, 1000)},
        locked_until = null
        ${retryInMs === null ? sql`` : sql`, next_attempt_at = now() + ${`${Math.round(retryInMs)} milliseconds`}::interval`}
    where id = ${id}::uuid`);
}

/**
 * The organization's webhook was removed or disabled after the row was
 * queued: nothing was sent, so the row goes to the inbox (NO_ENDPOINT) rather
 * than burning attempts.
 */
export async function markNotificationNoEndpoint(db: Database, id: string): Promise<void> {
  await db.execute(sql`update trace.notifications set status = 'NO_ENDPOINT', locked_until = null where id = ${id}::uuid`);
}

/**
 * Puts a DEAD row back in the queue with its attempts reset (retryNotification).
 * Returns false when the row is not DEAD.
 */
export async function requeueNotification(db: Database, id: string): Promise<boolean> {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      update trace.notifications set status = 'PENDING', attempts = 0, next_attempt_at = now(), locked_until = null
      where id = ${id}::uuid and status = 'DEAD' returning id`),
  );
  return rows.length > 0;
}

export async function notificationById(db: Database, id: string): Promise<(NotificationRow & { organizationPath: string | null }) | null> {
  if (!isUuid(id)) return null;
  const [row] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select ${COLUMNS}, o.path from trace.notifications n
      left join tenants.organization_scope o on o.id = n.organization_id where n.id = ${id}::uuid`),
  );
  return row ? { ...toRow(row), organizationPath: (row.path as string | null) ?? null } : null;
}

export interface NotificationFilter {
  status?: NotificationStatus[] | null;
  organizationId?: string | null;
  kind?: NotificationKind[] | null;
  subjectId?: string | null;
}

/**
 * Notifications of organizations the viewer may see: `ownOrgs` (an
 * organization's staff see their own) or any organization whose path is under
 * one of `roots` (officers); newest first, `limit + 1` rows for paging.
 */
export async function listNotifications(
  db: Database,
  scope: { ownOrgs: readonly string[]; roots: readonly string[] | null },
  filter: NotificationFilter,
  limit: number,
  beforeId: string | null,
): Promise<NotificationRow[]> {
  const visible =
    scope.roots === null
      ? sql`true`
      : sql`(n.organization_id = any(${uuidArray(scope.ownOrgs.filter(isUuid))}::uuid[])
           or ${inAnySubtree(sql.raw('o.path'), scope.roots)})`;
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select ${COLUMNS} from trace.notifications n
      left join tenants.organization_scope o on o.id = n.organization_id
      where ${visible}
        ${filter.status?.length ? sql`and n.status = any(${textArray(filter.status)}::text[])` : sql``}
        ${filter.kind?.length ? sql`and n.kind = any(${textArray(filter.kind)}::text[])` : sql``}
        ${filter.organizationId ? sql`and n.organization_id = ${filter.organizationId}::uuid` : sql``}
        ${filter.subjectId ? sql`and n.subject_id = ${filter.subjectId}::uuid` : sql``}
        ${beforeId ? sql`and n.id < ${beforeId}::uuid` : sql``}
      order by n.id desc limit ${limit + 1}`),
  );
  return rows.map(toRow);
}

/**
 * A serialised item was flagged as a suspected counterfeit: its lot's
 * producer (the owner) and the organizations supervising it are told, once
 * per item and organization (the dedupe key), however often it is scanned.
 */
export async function notifyItemFlagged(db: Database, item: { lotId: string; serial: string; reason: string; at: Date }): Promise<void> {
  await notifyFlag(db, item, (organizationId) => `item:${item.lotId}:${item.serial}:flagged:${organizationId}`, {});
}

/**
 * Serials never issued were scanned on a lot. Anyone can make these up, so
 * they are told once per lot, hour and organization (the dedupe key), with
 * the hour's first serial; the producer's list of suspicious items shows the
 * rest that were kept.
 */
export async function notifyNeverIssued(db: Database, item: { lotId: string; serial: string; reason: string; at: Date }): Promise<void> {
  const hour = item.at.toISOString().slice(0, 13);
  await notifyFlag(db, item, (organizationId) => `item:${item.lotId}:not-issued:${hour}:${organizationId}`, {
    note: 'The first serial never issued scanned on this lot this hour; more may follow and are not notified separately.',
  });
}

async function notifyFlag(
  db: Database,
  item: { lotId: string; serial: string; reason: string; at: Date },
  dedupeKey: (organizationId: string) => string,
  extra: Record<string, unknown>,
): Promise<void> {
  const [lot] = rowsOf<{ owner_id: string; lot_code: string; product_id: string }>(
    await db.execute(sql`select owner_id, lot_code, product_id from trace.lots where id = ${item.lotId}::uuid`),
  );
  if (!lot) return;
  const ownerId = String(lot.owner_id);
  const orgIds = [ownerId, ...(await supervisorsOf(db, ownerId))];
  await enqueueNotifications(
    db,
    orgIds.map((organizationId) => ({
      organizationId,
      kind: 'ITEM_FLAGGED' as const,
      subjectId: item.lotId,
      dedupeKey: dedupeKey(organizationId),
      payload: {
        event: 'ITEM_FLAGGED',
        lotId: item.lotId,
        lotCode: lot.lot_code,
        productId: lot.product_id,
        ownerId,
        serial: item.serial,
        reason: item.reason,
        flaggedAt: item.at.toISOString(),
        ...extra,
      },
    })),
  );
}
