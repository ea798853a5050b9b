import { sql } from 'drizzle-orm';
import { rowsOf, type Database, asDate, asNullableNumber, asNumber, uuidArray, asBoolean } from '@nguon/shared';
import { recallActions, recallLots, recalls } from '../db/schema';
import type { RecallActionKindValue, RecallActionModel, RecallLotModel, RecallModel, RecallSeverityValue, RecallStatusValue } from '../models';

export interface Holding {
  lotId: string;
  holderId: string;
  quantityHeld: number | null;
  unit: string | null;
}

/**
 * Who holds each lot: its owner (with the lot quantity) and every
 * organization it was shipped to or received by (with the quantity moved;
 * receiving wins over shipping when both were recorded).
 */
export async function holdingsOf(db: Database, lotIds: readonly string[]): Promise<Holding[]> {
  if (lotIds.length === 0) return [];
  const ids = uuidArray(lotIds);
  const rows = rowsOf<{ lot_id: string; holder_id: string; quantity: unknown; unit: string | null }>(
    await db.execute(sql`
      select id as lot_id, owner_id as holder_id, quantity, unit from trace.lots where id = any(${ids}::uuid[])
      union all
      select lot_id, to_org_id, coalesce(sum(quantity) filter (where kind = 'RECEIVING'), sum(quantity) filter (where kind = 'SHIPPING')), max(unit)
      from trace.custody c
      where lot_id = any(${ids}::uuid[]) and to_org_id is not null
        and to_org_id <> (select owner_id from trace.lots where id = c.lot_id)
      group by lot_id, to_org_id`),
  );
  return rows.map((r) => ({ lotId: r.lot_id, holderId: r.holder_id, quantityHeld: asNullableNumber(r.quantity), unit: r.unit }));
}

export async function insertRecall(
  db: Database,
  recall: { id: string; reason: string; severity: RecallSeverityValue; openedBy: string | null; authorityPath: string | null },
) {
  await db.insert(recalls).values({ ...recall, status: 'OPEN' });
}

/**
 * Adds holdings to a recall. A (lot, holder) already in it keeps its
 * quantities; it only becomes a root when named as one (an extension may
 * name a lot that was already recalled downstream of another root).
 */
export async function insertRecallLots(db: Database, recallId: string, holdings: (Holding & { root: boolean })[]) {
  for (let i = 0; i < holdings.length; i += 1000) {
    await db
      .insert(recallLots)
      .values(
        holdings.slice(i, i + 1000).map((h) => ({
          recallId,
          lotId: h.lotId,
          holderId: h.holderId,
          root: h.root,
          quantityHeld: h.quantityHeld === null ? null : String(h.quantityHeld),
          unit: h.unit,
        })),
      )
      .onConflictDoUpdate({ target: [recallLots.recallId, recallLots.lotId, recallLots.holderId], set: { root: sql`recall_lots.root or excluded.root` } });
  }
}

/** The distinct lots a recall already covers (roots and downstream). */
export async function lotIdsOfRecall(db: Database, recallId: string): Promise<Set<string>> {
  const rows = rowsOf<{ lot_id: string }>(await db.execute(sql`select distinct lot_id from trace.recall_lots where recall_id = ${recallId}`));
  return new Set(rows.map((r) => r.lot_id));
}

/** Tree paths of the owners of a recall's root lots: who oversees the recalled goods. */
export async function rootOwnerPaths(db: Database, recallId: string): Promise<string[]> {
  const rows = rowsOf<{ path: string }>(
    await db.execute(sql`
      select distinct o.path from trace.recall_lots rl join trace.lots l on l.id = rl.lot_id
      join tenants.organization_scope o on o.id = l.owner_id
      where rl.recall_id = ${recallId} and rl.root order by o.path`),
  );
  return rows.map((r) => r.path);
}

export interface RecallActionInsert {
  recallId: string;
  action: RecallActionKindValue;
  actorId: string | null;
  actorKind: string | null;
  actorPath: string | null;
  reason: string | null;
  detail: Record<string, unknown>;
}

/** Appends one audited act; the table refuses updates and deletes (migration 0007). */
export async function appendRecallAction(db: Database, row: RecallActionInsert & { id: string }) {
  await db.insert(recallActions).values(row);
}

export async function recallActionsOf(db: Database, recallIds: readonly string[]): Promise<RecallActionModel[]> {
  if (recallIds.length === 0) return [];
  const rows = rowsOf<{
    recall_id: string;
    action: string;
    at: unknown;
    actor_id: string | null;
    actor_kind: string | null;
    actor_path: string | null;
    reason: string | null;
    detail: unknown;
  }>(
    await db.execute(sql`
      select recall_id, action, at, actor_id, actor_kind, actor_path, reason, detail
      from trace.recall_actions where recall_id = any(${uuidArray(recallIds)}::uuid[])
      order by recall_id, at, id`),
  );
  return rows.map((r) => ({
    recallId: r.recall_id,
    action: r.action as RecallActionKindValue,
    at: asDate(r.at),
    actorId: r.actor_id,
    actorKind: r.actor_kind,
    actorPath: r.actor_path,
    reason: r.reason,
    detail: (typeof r.detail === 'string' ? JSON.parse(r.detail) : (r.detail ?? {})) as Record<string, unknown>,
  }));
}

/** Closes the recall, recording who closed it, why, and whether the rest was written off. */
export async function markRecallClosed(db: Database, id: string, close: { closedBy: string | null; closeReason: string; writtenOff: boolean }) {
  await db.execute(sql`
    update trace.recalls set status = 'CLOSED', closed_at = now(), closed_by = ${close.closedBy}, close_reason = ${close.closeReason}, written_off = ${close.writtenOff}
    where id = ${id}`);
}

/**
 * Every affected lot is shown as recalled from the moment the recall opens —
 * except a lot held against its season norm (UNDER_REVIEW) or rejected in
 * review: RECALLED is a public status, and such a lot stays off the public
 * and out of the statistics, and reviewable. The recall still lists it.
 */
export async function markRecalled(db: Database, lotIds: readonly string[]) {
  await db.execute(sql`
    update trace.lots set status = 'RECALLED', updated_at = now()
    where id = any(${uuidArray(lotIds)}::uuid[]) and status not in ('RECALLED', 'UNDER_REVIEW', 'REJECTED')`);
}

interface RawRecall {
  id: string;
  reason: string;
  severity: string;
  status: string;
  opened_at: unknown;
  closed_at: unknown;
  path: string | null;
  authority_path: string | null;
  closed_by: string | null;
  close_reason: string | null;
  written_off: unknown;
}

/**
 * Recalls with their scope: the path of the first root lot's owner (whose
 * staff and supervisors read the INTERNAL progress). The warning itself is
 * public, so a recall is always published.
 */
export async function recallsByIds(db: Database, ids: readonly string[]): Promise<RecallModel[]> {
  if (ids.length === 0) return [];
  const rows = rowsOf<RawRecall>(
    await db.execute(sql`
      select r.id, r.reason, r.severity, r.status, r.opened_at, r.closed_at, r.authority_path, r.closed_by, r.close_reason, r.written_off,
             (select o.path from trace.recall_lots rl join trace.lots l on l.id = rl.lot_id
              join tenants.organization_scope o on o.id = l.owner_id
              where rl.recall_id = r.id and rl.root order by l.id limit 1) as path
      from trace.recalls r where r.id = any(${uuidArray(ids)}::uuid[])`),
  );
  return rows.map((r) => ({
    id: r.id,
    reason: r.reason,
    severity: r.severity as RecallSeverityValue,
    status: r.status as RecallStatusValue,
    openedAt: asDate(r.opened_at),
    closedAt: r.closed_at ? asDate(r.closed_at) : null,
    scope: { path: r.path ?? '', published: true },
    authorityPath: r.authority_path,
    closedBy: r.closed_by,
    closeReason: r.close_reason,
    writtenOff: asBoolean(r.written_off),
  }));
}

export async function recallLotsOf(db: Database, recallIds: readonly string[]): Promise<RecallLotModel[]> {
  if (recallIds.length === 0) return [];
  const rows = rowsOf<{
    recall_id: string;
    lot_id: string;
    holder_id: string;
    root: boolean;
    quantity_held: unknown;
    quantity_recovered: unknown;
    unit: string | null;
  }>(
    await db.execute(sql`
      select recall_id, lot_id, holder_id, root, quantity_held, quantity_recovered, unit
      from trace.recall_lots where recall_id = any(${uuidArray(recallIds)}::uuid[])
      order by recall_id, root desc, lot_id, holder_id`),
  );
  return rows.map((r) => ({
    recallId: r.recall_id,
    lotId: r.lot_id,
    holderId: r.holder_id,
    root: asBoolean(r.root),
    quantityHeld: asNullableNumber(r.quantity_held),
    quantityRecovered: asNumber(r.quantity_recovered),
    unit: r.unit,
  }));
}

/** The newest recall still open on each lot. */
export async function activeRecallIdsOfLots(db: Database, lotIds: readonly string[]): Promise<Map<string, string>> {
  if (lotIds.length === 0) return new Map();
  const rows = rowsOf<{ lot_id: string; recall_id: string }>(
    await db.execute(sql`
      select distinct on (rl.lot_id) rl.lot_id, rl.recall_id
      from trace.recall_lots rl join trace.recalls r on r.id = rl.recall_id
      where rl.lot_id = any(${uuidArray(lotIds)}::uuid[]) and r.status <> 'CLOSED'
      order by rl.lot_id, r.opened_at desc, r.id desc`),
  );
  return new Map(rows.map((r) => [r.lot_id, r.recall_id]));
}

/** Locks the recall row so concurrent recoveries and closing queue up. */
export async function lockRecall(db: Database, id: string): Promise<{ status: RecallStatusValue } | null> {
  const [row] = rowsOf<{ status: string }>(await db.execute(sql`select status from trace.recalls where id = ${id} for update`));
  return row ? { status: row.status as RecallStatusValue } : null;
}

export async function addRecovery(db: Database, recallId: string, lotId: string, holderId: string, quantity: number) {
  const [row] = rowsOf<{ quantity_held: unknown; quantity_recovered: unknown }>(
    await db.execute(sql`
      update trace.recall_lots set quantity_recovered = quantity_recovered + ${String(quantity)}::numeric
      where recall_id = ${recallId} and lot_id = ${lotId} and holder_id = ${holderId}
      returning quantity_held, quantity_recovered`),
  );
  return row ? { quantityHeld: asNullableNumber(row.quantity_held), quantityRecovered: asNumber(row.quantity_recovered) } : null;
}

export async function setRecallStatus(db: Database, id: string, status: RecallStatusValue) {
  await db.execute(sql`update trace.recalls set status = ${status}, closed_at = ${status === 'CLOSED' ? sql`now()` : sql`null`} where id = ${id}`);
}

export async function outstandingQuantity(db: Database, recallId: string): Promise<number> {
  const [row] = rowsOf<{ n: unknown }>(
    await db.execute(sql`select coalesce(sum(greatest(quantity_held - quantity_recovered, 0)), 0) as n from trace.recall_lots where recall_id = ${recallId}`),
  );
  return asNumber(row?.n ?? 0);
}
