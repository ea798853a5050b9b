import { sql } from 'drizzle-orm';
import { inAnySubtree, rowsOf, type Database, asDate, asNullableNumber, asNumber, uuidArray, asBoolean, textArray } from '@nguon/shared';
import { recallActions, recallLots, recalls } from '../db/schema';
import { containmentCtes, lotList } from './containment';
import type { RecallActionKindValue, RecallActionModel, RecallLotModel, RecallModel, RecallSeverityValue, RecallStatusValue } from '../models';

export interface Holding {
  lotId: string;
  holderId: string;
  quantityHeld: number | null;
  unit: string | null;
}

/**
 * Who holds each lot now, net of what they shipped on: the owner starts with
 * the lot quantity, a receiver with what it received (or, when it recorded no
 * receipt, what was shipped to it) — the lot itself or a pallet or case it
 * was in at the time, for as much of the lot as went into it (data/containment.ts); each then loses what it shipped on
 * (shipping hops from it, else receipts others recorded from it) and what it
 * used up as an input of its own transformations (milled, packed: those goods
 * are now the output lots, recalled downstream in their own right). A holder
 * whose net is zero or less shipped everything and is no longer a holder —
 * its receivers are. A quantity that cannot be netted (the lot's or a hop's
 * quantity was not recorded) leaves the holder in with `quantityHeld` null:
 * over-telling a recall is safer than missing a holder.
 *
 * The owner of a root lot is always kept (`keepOwnerOf`), at its net quantity
 * (0 when it shipped everything): the recall's root rows name who recalled
 * what, and its authority is judged from them.
 */
export async function holdingsOf(db: Database, lotIds: readonly string[], keepOwnerOf: readonly string[] = []): Promise<Holding[]> {
  if (lotIds.length === 0) return [];
  const ids = uuidArray(lotIds);
  const rows = rowsOf<{
    lot_id: string;
    holder_id: string;
    inbound: unknown;
    inbound_unknown: boolean;
    outbound: unknown;
    outbound_unknown: boolean;
    unit: string | null;
    owner: boolean;
  }>(
    await db.execute(sql`
      with recursive ${containmentCtes(lotList(lotIds))},
      l as (select id, owner_id, quantity, unit from trace.lots where id = any(${ids}::uuid[])),
      c as (select c.* from hops c join l on l.id = c.lot_id where c.from_org_id is distinct from c.to_org_id),
      inbound as (
        select lot_id, to_org_id as holder_id,
               case when bool_or(kind = 'RECEIVING') then sum(quantity) filter (where kind = 'RECEIVING') else sum(quantity) filter (where kind = 'SHIPPING') end as qty,
               case when bool_or(kind = 'RECEIVING') then bool_or(quantity is null and kind = 'RECEIVING') else bool_or(quantity is null and kind = 'SHIPPING') end as unknown,
               max(unit) as unit
        from c where to_org_id is not null
          and to_org_id <> (select owner_id from l where l.id = c.lot_id)
        group by lot_id, to_org_id
        union all
        select id, owner_id, quantity, quantity is null, unit from l
      ),
      outbound as (
        select lot_id, from_org_id as holder_id,
               case when bool_or(kind = 'SHIPPING') then sum(quantity) filter (where kind = 'SHIPPING') else sum(quantity) filter (where kind = 'RECEIVING') end as qty,
               case when bool_or(kind = 'SHIPPING') then bool_or(quantity is null and kind = 'SHIPPING') else bool_or(quantity is null and kind = 'RECEIVING') end as unknown
        from c where from_org_id is not null and to_org_id is not null
        group by lot_id, from_org_id
      ),
      consumed as (
        select el.lot_id, e.organization_id as holder_id, sum(el.quantity) as qty, bool_or(el.quantity is null) as unknown
        from trace.event_lots el join trace.events e on e.id = el.event_id
        where el.role = 'INPUT' and el.lot_id = any(${ids}::uuid[])
        group by el.lot_id, e.organization_id
      )
      select i.lot_id, i.holder_id, i.qty as inbound, i.unknown as inbound_unknown,
             coalesce(o.qty, 0) + coalesce(k.qty, 0) as outbound, coalesce(o.unknown, false) or coalesce(k.unknown, false) as outbound_unknown, i.unit,
             i.holder_id = (select owner_id from l where l.id = i.lot_id) as owner
      from inbound i left join outbound o on o.lot_id = i.lot_id and o.holder_id = i.holder_id
      left join consumed k on k.lot_id = i.lot_id and k.holder_id = i.holder_id`),
  );
  const keep = new Set(keepOwnerOf);
  const holdings: Holding[] = [];
  for (const r of rows) {
    const unknown = asBoolean(r.inbound_unknown) || asBoolean(r.outbound_unknown);
    const net = unknown ? null : Math.max(0, asNumber(r.inbound ?? 0) - asNumber(r.outbound ?? 0));
    if (net === 0 && !(asBoolean(r.owner) && keep.has(r.lot_id))) continue;
    holdings.push({ lotId: r.lot_id, holderId: r.holder_id, quantityHeld: net, unit: r.unit });
  }
  return holdings;
}

export async function insertRecall(
  db: Database,
  recall: { id: string; reason: string; severity: RecallSeverityValue; openedBy: string | null; authorityPath: string | null; openedAt?: Date },
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

/** One holder's share of a recall: its lots, how much it held net of shipments and how much came back. */
export interface RecallTaskModel {
  recallId: string;
  holderId: string;
  lots: RecallLotModel[];
  /** Sum of the known net quantities; null when none is known. */
  quantityHeld: number | null;
  quantityRecovered: number;
  /** The unit, when all of the holder's lots share one. */
  unit: string | null;
  progress: number;
  done: boolean;
}

/** A row that still counts: a holder with a net of 0 shipped everything on (only a root owner's row is kept so). */
export const isHolding = (row: { quantityHeld: number | null }) => row.quantityHeld === null || row.quantityHeld > 0;

/**
 * Groups a recall's rows into one task per holder. Progress is recovered over
 * held (each lot capped at what it held); a lot of unknown quantity counts as
 * done once something came back from it. A closed recall is done everywhere.
 */
export function tasksOf(rows: readonly RecallLotModel[], closed: boolean): RecallTaskModel[] {
  const byHolder = new Map<string, RecallLotModel[]>();
  for (const row of rows.filter(isHolding)) byHolder.set(row.holderId, [...(byHolder.get(row.holderId) ?? []), row]);
  return [...byHolder.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([holderId, lots]) => {
      const known = lots.filter((l) => l.quantityHeld !== null);
      const held = known.reduce((n, l) => n + l.quantityHeld!, 0);
      const recovered = lots.reduce((n, l) => n + l.quantityRecovered, 0);
      const cappedRecovered = known.reduce((n, l) => n + Math.min(l.quantityRecovered, l.quantityHeld!), 0);
      const done = closed || lots.every((l) => (l.quantityHeld === null ? l.quantityRecovered > 0 : l.quantityRecovered >= l.quantityHeld));
      const units = new Set(lots.map((l) => l.unit));
      return {
        recallId: lots[0]!.recallId,
        holderId,
        lots,
        quantityHeld: known.length ? held : null,
        quantityRecovered: recovered,
        unit: units.size === 1 ? [...units][0]! : null,
        progress: closed ? 1 : held > 0 ? cappedRecovered / held : done ? 1 : 0,
        done,
      };
    });
}

/** Recovered over held across every holder (net of shipments); 1 once closed. */
export function totalProgress(rows: readonly RecallLotModel[], closed: boolean): number {
  if (closed) return 1;
  const held = rows.reduce((n, l) => n + (l.quantityHeld ?? 0), 0);
  const recovered = rows.reduce((n, l) => n + Math.min(l.quantityRecovered, l.quantityHeld ?? 0), 0);
  return held > 0 ? recovered / held : 0;
}

/** Who is party to a recall: the paths of its root lots' owners and of every holder (net > 0 or unknown). */
export interface RecallParties {
  rootOwnerPaths: string[];
  holders: { id: string; path: string }[];
}

export async function recallParties(db: Database, recallIds: readonly string[]): Promise<Map<string, RecallParties>> {
  const out = new Map<string, RecallParties>(recallIds.map((id) => [id, { rootOwnerPaths: [], holders: [] }]));
  if (recallIds.length === 0) return out;
  const rows = rowsOf<{ recall_id: string; kind: string; id: string; path: string }>(
    await db.execute(sql`
      select distinct rl.recall_id, 'ROOT' as kind, l.owner_id as id, o.path from trace.recall_lots rl
      join trace.lots l on l.id = rl.lot_id join tenants.organization_scope o on o.id = l.owner_id
      where rl.recall_id = any(${uuidArray(recallIds)}::uuid[]) and rl.root
      union
      select distinct rl.recall_id, 'HOLDER', rl.holder_id, o.path from trace.recall_lots rl
      join tenants.organization_scope o on o.id = rl.holder_id
      where rl.recall_id = any(${uuidArray(recallIds)}::uuid[]) and (rl.quantity_held is null or rl.quantity_held > 0)`),
  );
  for (const r of rows) {
    const p = out.get(r.recall_id);
    if (!p) continue;
    if (r.kind === 'ROOT') p.rootOwnerPaths.push(r.path);
    else p.holders.push({ id: r.id, path: r.path });
  }
  return out;
}

export interface RecallListFilter {
  status?: readonly RecallStatusValue[] | null;
  severity?: readonly RecallSeverityValue[] | null;
  /** Path of an organization node: recalls whose holders or root lot owners lie under it. */
  underPath?: string | null;
  productId?: string | null;
  openedFrom?: Date | null;
  openedTo?: Date | null;
}

const under = (pathExpr: ReturnType<typeof sql.raw>, roots: readonly string[]) => inAnySubtree(pathExpr, roots);

/**
 * Recalls a viewer is party to, newest first: a root lot's owner or a holder
 * lies under one of `internal` (its staff, or officers above it), or the
 * recall's authority lies under one of `supervised`. `null` roots mean all
 * recalls. Returns `limit + 1` rows for paging; `after` is (openedAt, id).
 */
export async function listRecalls(
  db: Database,
  visibility: { internal: readonly string[]; supervised: readonly string[] } | null,
  filter: RecallListFilter,
  limit: number,
  after: { openedAt: Date; id: string } | null,
): Promise<string[]> {
  const party = (roots: readonly string[]) => sql`(
    exists (select 1 from trace.recall_lots rl join trace.lots l on l.id = rl.lot_id join tenants.organization_scope o on o.id = l.owner_id
            where rl.recall_id = r.id and rl.root and ${under(sql.raw('o.path'), roots)})
    or exists (select 1 from trace.recall_lots rl join tenants.organization_scope o on o.id = rl.holder_id
            where rl.recall_id = r.id and (rl.quantity_held is null or rl.quantity_held > 0) and ${under(sql.raw('o.path'), roots)}))`;
  const visible =
    visibility === null
      ? sql`true`
      : sql`(${visibility.internal.length ? party(visibility.internal) : sql`false`}
          or ${visibility.supervised.length ? sql`(r.authority_path is not null and ${under(sql.raw('r.authority_path'), visibility.supervised)})` : sql`false`})`;
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      select r.id from trace.recalls r
      where ${visible}
        ${filter.status?.length ? sql`and r.status = any(${textArray(filter.status)}::text[])` : sql``}
        ${filter.severity?.length ? sql`and r.severity = any(${textArray(filter.severity)}::text[])` : sql``}
        ${filter.underPath ? sql`and ${party([filter.underPath])}` : sql``}
        ${filter.productId ? sql`and exists (select 1 from trace.recall_lots rl join trace.lots l on l.id = rl.lot_id where rl.recall_id = r.id and l.product_id = ${filter.productId}::uuid)` : sql``}
        ${filter.openedFrom ? sql`and r.opened_at >= ${filter.openedFrom.toISOString()}::timestamptz` : sql``}
        ${filter.openedTo ? sql`and r.opened_at < ${filter.openedTo.toISOString()}::timestamptz` : sql``}
        ${after ? sql`and (r.opened_at, r.id) < (${after.openedAt.toISOString()}::timestamptz, ${after.id}::uuid)` : sql``}
      order by r.opened_at desc, r.id desc limit ${limit + 1}`),
  );
  return rows.map((r) => String(r.id));
}

/** Organizations already on a recall (holders and root owners), before an extension adds more. */
export async function holderIdsOfRecall(db: Database, recallId: string): Promise<Set<string>> {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      select holder_id as id from trace.recall_lots where recall_id = ${recallId}
      union select l.owner_id from trace.recall_lots rl join trace.lots l on l.id = rl.lot_id where rl.recall_id = ${recallId} and rl.root`),
  );
  return new Set(rows.map((r) => String(r.id)));
}
