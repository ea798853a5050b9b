import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '@nguon/shared';
import { recallLots, recalls } from '../db/schema';
import type { RecallLotModel, RecallModel, RecallSeverityValue, RecallStatusValue } from '../models';
import { asDate, asNullableNumber, asNumber, uuidArray } from './rows';

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
  recall: { id: string; reason: string; severity: RecallSeverityValue; openedBy: string | null },
  holdings: (Holding & { root: boolean })[],
) {
  await db.insert(recalls).values({ ...recall, status: 'OPEN' });
  for (let i = 0; i < holdings.length; i += 1000) {
    await db.insert(recallLots).values(
      holdings.slice(i, i + 1000).map((h) => ({
        recallId: recall.id,
        lotId: h.lotId,
        holderId: h.holderId,
        root: h.root,
        quantityHeld: h.quantityHeld === null ? null : String(h.quantityHeld),
        unit: h.unit,
      })),
    );
  }
}

/** Every affected lot is shown as recalled from the moment the recall opens. */
export async function markRecalled(db: Database, lotIds: readonly string[]) {
  await db.execute(sql`update trace.lots set status = 'RECALLED', updated_at = now() where id = any(${uuidArray(lotIds)}::uuid[]) and status <> 'RECALLED'`);
}

interface RawRecall {
  id: string;
  reason: string;
  severity: string;
  status: string;
  opened_at: unknown;
  closed_at: unknown;
  path: string | null;
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
      select r.id, r.reason, r.severity, r.status, r.opened_at, r.closed_at,
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
  }));
}

export async function recallLotsOf(db: Database, recallIds: readonly string[]): Promise<RecallLotModel[]> {
  if (recallIds.length === 0) return [];
  const rows = rowsOf<{ recall_id: string; lot_id: string; holder_id: string; root: boolean; quantity_held: unknown; quantity_recovered: unknown; unit: string | null }>(
    await db.execute(sql`
      select recall_id, lot_id, holder_id, root, quantity_held, quantity_recovered, unit
      from trace.recall_lots where recall_id = any(${uuidArray(recallIds)}::uuid[])
      order by recall_id, root desc, lot_id, holder_id`),
  );
  return rows.map((r) => ({
    recallId: r.recall_id,
    lotId: r.lot_id,
    holderId: r.holder_id,
    root: r.root === true || (r.root as unknown) === 't',
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
