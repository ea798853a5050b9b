import { sql, type SQL } from 'drizzle-orm';
import { insertRecordset, rowsOf, type Database, asDate, asJson, asNumber, textArray, uuidArray, asBoolean } from '@nguon/shared';
import { PUBLIC_LOT_STATUSES, type EventBody, type LotQuantityModel, type TraceEventModel } from '../models';
import { containmentCtes, lotList } from './containment';

// Column types of the bulk inserts (json_to_recordset); keep in step with db/schema.ts.
const EVENT_COLUMNS = {
  id: 'uuid',
  event_id: 'text',
  event_hash: 'text',
  organization_id: 'uuid',
  seq: 'bigint',
  prev_hash: 'text',
  chain_hash: 'text',
  type: 'text',
  action: 'text',
  biz_step: 'text',
  disposition: 'text',
  event_time: 'timestamptz',
  event_time_zone_offset: 'text',
  record_time: 'timestamptz',
  corrects_event_id: 'text',
  body: 'jsonb',
};
const EVENT_LOT_COLUMNS = { event_id: 'uuid', lot_id: 'uuid', role: 'text', ordinal: 'integer', quantity: 'numeric', unit: 'text' };
const LOT_EDGE_COLUMNS = { parent_lot_id: 'uuid', child_lot_id: 'uuid', event_id: 'uuid', kind: 'text' };
const CUSTODY_COLUMNS = { event_id: 'uuid', lot_id: 'uuid', from_org_id: 'uuid', to_org_id: 'uuid', kind: 'text', quantity: 'numeric', unit: 'text' };
type EventLotRow = { event_id: string; lot_id: string; role: string; ordinal: number; quantity: number | null; unit: string | null };
type LotEdgeRow = { parent_lot_id: string; child_lot_id: string; event_id: string; kind: string };
type CustodyRow = {
  event_id: string;
  lot_id: string;
  from_org_id: string | null;
  to_org_id: string | null;
  kind: string;
  quantity: number | null;
  unit: string | null;
};

export interface EventRow {
  id: string;
  eventId: string;
  eventHash: string;
  organizationId: string;
  seq: number;
  prevHash: string;
  chainHash: string;
  eventTime: Date;
  recordTime: Date;
  /** eventID of the event of the same chain this one corrects (the local link); null for any other correction. */
  correctsEventId: string | null;
  body: EventBody;
}

const ours = (list: EventBody['quantityList']) => (list ?? []).filter((q): q is LotQuantityModel => !!q.lotId);

/** Writes events and what is derived from them (lots, genealogy edges, custody hops) in a few batched statements. */
export async function insertEvents(db: Database, rows: EventRow[]): Promise<void> {
  await insertRecordset(
    db,
    'trace.events',
    EVENT_COLUMNS,
    rows.map((r) => ({
      id: r.id,
      event_id: r.eventId,
      event_hash: r.eventHash,
      organization_id: r.organizationId,
      seq: r.seq,
      prev_hash: r.prevHash,
      chain_hash: r.chainHash,
      type: r.body.type,
      action: r.body.action ?? null,
      biz_step: r.body.bizStep ?? null,
      disposition: r.body.disposition ?? null,
      event_time: r.eventTime,
      event_time_zone_offset: r.body.eventTimeZoneOffset,
      record_time: r.recordTime,
      corrects_event_id: r.correctsEventId,
      body: r.body,
    })),
  );
  const lotRows: EventLotRow[] = [];
  const edgeRows = new Map<string, LotEdgeRow>();
  const custodyRows = new Map<string, CustodyRow>();
  for (const r of rows) {
    const b = r.body;
    // Only our lots are rows: a quantity of a class that is not one of them (epcClass alone) stays in the body.
    const add = (role: string, list: EventBody['quantityList']) =>
      list?.forEach((q, ordinal) => q.lotId && lotRows.push({ event_id: r.id, lot_id: q.lotId, role, ordinal, quantity: q.quantity, unit: q.unit }));
    add('QUANTITY', b.quantityList);
    add('INPUT', b.inputQuantityList);
    add('OUTPUT', b.outputQuantityList);
    if (b.parentLotId) lotRows.push({ event_id: r.id, lot_id: b.parentLotId, role: 'PARENT', ordinal: 0, quantity: null, unit: null });

    // Genealogy: every input feeds every output; contents added to an aggregate feed the aggregate.
    if (b.type === 'TRANSFORMATION_EVENT') {
      for (const input of ours(b.inputQuantityList))
        for (const output of ours(b.outputQuantityList))
          if (input.lotId !== output.lotId)
            edgeRows.set(`${input.lotId}|${output.lotId}|${r.id}`, {
              parent_lot_id: input.lotId,
              child_lot_id: output.lotId,
              event_id: r.id,
              kind: 'TRANSFORMATION',
            });
    } else if (b.type === 'AGGREGATION_EVENT' && b.action === 'ADD' && b.parentLotId) {
      for (const child of ours(b.quantityList))
        if (child.lotId !== b.parentLotId)
          edgeRows.set(`${child.lotId}|${b.parentLotId}|${r.id}`, {
            parent_lot_id: child.lotId,
            child_lot_id: b.parentLotId,
            event_id: r.id,
            kind: 'AGGREGATION',
          });
    }

    // Custody: shipping and receiving move lots between the owning/possessing parties.
    if ((b.bizStep === 'shipping' || b.bizStep === 'receiving') && (b.sourceList?.length || b.destinationList?.length)) {
      const party = (list: EventBody['sourceList']) => {
        // Among our organizations only: a party named by a GLN no organization has holds nothing here.
        const ours = (list ?? []).filter((p) => p.organizationId);
        return (ours.find((p) => p.type === 'possessing_party') ?? ours.find((p) => p.type === 'owning_party') ?? ours[0])?.organizationId ?? null;
      };
      const from = party(b.sourceList);
      const to = party(b.destinationList);
      for (const q of ours(b.quantityList)) {
        const key = `${r.id}|${q.lotId}`;
        const previous = custodyRows.get(key);
        const quantity = q.quantity === null ? null : q.quantity + Number(previous?.quantity ?? 0);
        custodyRows.set(key, { event_id: r.id, lot_id: q.lotId, from_org_id: from, to_org_id: to, kind: b.bizStep.toUpperCase(), quantity, unit: q.unit });
      }
    }
  }
  await insertRecordset(db, 'trace.event_lots', EVENT_LOT_COLUMNS, lotRows);
  await insertRecordset(db, 'trace.lot_edges', LOT_EDGE_COLUMNS, [...edgeRows.values()]);
  await insertRecordset(db, 'trace.custody', CUSTODY_COLUMNS, [...custodyRows.values()]);
}

/**
 * Already-stored events matching any of these eventIDs or hashes: the
 * idempotency check. With the chain each is in, so another organization's
 * event is never taken for the capturer's own.
 */
export async function existingEvents(db: Database, eventIds: string[], hashes: string[]) {
  if (eventIds.length === 0 && hashes.length === 0) return [];
  return rowsOf<{ id: string; event_id: string; event_hash: string; organization_id: string }>(
    await db.execute(sql`
      select id, event_id, event_hash, organization_id from trace.events where event_id = any(${textArray(eventIds)}::text[])
      union
      select id, event_id, event_hash, organization_id from trace.events where event_hash = any(${textArray(hashes)}::text[])`),
  );
}

/**
 * Locks the organization's chain head for the rest of the transaction:
 * concurrent captures of one organization queue here, so sequence numbers
 * and prev-hash links never fork.
 */
export async function lockChainHead(db: Database, organizationId: string, genesis: string): Promise<{ seq: number; headHash: string }> {
  await db.execute(sql`insert into trace.chain_heads (organization_id, seq, head_hash) values (${organizationId}, 0, ${genesis}) on conflict do nothing`);
  const [row] = rowsOf<{ seq: unknown; head_hash: string }>(
    await db.execute(sql`select seq, head_hash from trace.chain_heads where organization_id = ${organizationId} for update`),
  );
  return { seq: asNumber(row!.seq), headHash: row!.head_hash };
}

export async function moveChainHead(db: Database, organizationId: string, seq: number, headHash: string) {
  await db.execute(sql`update trace.chain_heads set seq = ${seq}, head_hash = ${headHash} where organization_id = ${organizationId}`);
}

const PUBLIC = sql.raw(PUBLIC_LOT_STATUSES.map((s) => `'${s}'`).join(','));

/** Event columns plus its scope: the capturer's path, and published when any lot it names is public. */
export const eventSelect = sql`
  select e.id, e.event_id, e.event_hash, e.organization_id, e.seq, e.prev_hash, e.chain_hash, e.event_time, e.record_time, e.body,
         o.path as org_path,
         exists (select 1 from trace.event_lots el join trace.lots l on l.id = el.lot_id
                 where el.event_id = e.id and l.status in (${PUBLIC})) as published
  from trace.events e
  join tenants.organization_scope o on o.id = e.organization_id`;

export interface RawEvent {
  id: string;
  event_id: string;
  event_hash: string;
  organization_id: string;
  seq: unknown;
  prev_hash: string;
  chain_hash: string;
  event_time: unknown;
  record_time: unknown;
  body: unknown;
  org_path: string;
  published: boolean;
}

export const toEvent = (r: RawEvent): TraceEventModel => ({
  id: r.id,
  eventID: r.event_id,
  eventHash: r.event_hash,
  organizationId: r.organization_id,
  sequence: asNumber(r.seq),
  previousHash: r.prev_hash,
  chainHash: r.chain_hash,
  eventTime: asDate(r.event_time),
  recordTime: asDate(r.record_time),
  body: asJson<EventBody>(r.body),
  scope: { path: r.org_path, published: asBoolean(r.published) },
});

export async function eventsByIds(db: Database, ids: readonly string[]): Promise<TraceEventModel[]> {
  if (ids.length === 0) return [];
  return rowsOf<RawEvent>(await db.execute(sql`${eventSelect} where e.id = any(${uuidArray(ids)}::uuid[])`)).map(toEvent);
}

export async function eventsByEventIds(db: Database, eventIds: readonly string[]): Promise<TraceEventModel[]> {
  if (eventIds.length === 0) return [];
  return rowsOf<RawEvent>(await db.execute(sql`${eventSelect} where e.event_id = any(${textArray(eventIds)}::text[])`)).map(toEvent);
}

/**
 * Each lot's history, as CTEs to follow `with recursive`: `history(lot_id,
 * event_id)` holds the events naming the lot and those about a container it
 * was in at the time (data/containment.ts). The timeline and the origin's
 * steps read the same history.
 */
export const historyCtes = (roots: SQL) => sql`
  ${containmentCtes(roots)},
  history(lot_id, event_id) as (
    select lot_id, event_id from trace.event_lots where lot_id in (select id from roots)
    union
    select root_id, event_id from container_events
  )`;

/** An event condition (alias `e`): the event is in the history of one of these lots, as their timelines have it. */
export const inHistoryOf = (lotIds: readonly string[]) => sql`e.id in (with recursive ${historyCtes(lotList(lotIds))} select event_id from history)`;

/** Each lot's history (its events and its containers' while it was in them), in time order, for many lots' timelines at once. */
export async function eventsOfLots(db: Database, lotIds: readonly string[]): Promise<{ lotId: string; event: TraceEventModel; correctedBy: string[] }[]> {
  if (lotIds.length === 0) return [];
  // Each event's corrections come in the same statement: a timeline is one round trip, not two.
  const rows = rowsOf<RawEvent & { lot_id: string; corrected_by: string[] | null }>(
    await db.execute(sql`
      with recursive ${historyCtes(lotList(lotIds))}
      select n.lot_id, x.*,
             array(select c.event_id from trace.events c where c.corrects_event_id = x.event_id order by c.record_time, c.seq) as corrected_by
      from history n
      join lateral (${eventSelect} where e.id = n.event_id) x on true
      order by x.event_time, x.organization_id, x.seq`),
  );
  return rows.map((r) => ({ lotId: r.lot_id, event: toEvent(r), correctedBy: r.corrected_by ?? [] }));
}

/** eventIDs of the corrections declared against each of these events. */
export async function correctionsOf(db: Database, eventIds: readonly string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (eventIds.length === 0) return map;
  const rows = rowsOf<{ corrects_event_id: string; event_id: string }>(
    await db.execute(
      sql`select corrects_event_id, event_id from trace.events where corrects_event_id = any(${textArray(eventIds)}::text[]) order by record_time, seq`,
    ),
  );
  for (const r of rows) map.set(r.corrects_event_id, [...(map.get(r.corrects_event_id) ?? []), r.event_id]);
  return map;
}

/** One page of an organization's chain in sequence order, with the extracted columns to cross-check against the body. */
export async function chainPage(db: Database, organizationId: string, afterSeq: number, limit: number) {
  const rows = rowsOf<{
    event_id: string;
    event_hash: string;
    seq: unknown;
    prev_hash: string;
    chain_hash: string;
    type: string;
    action: string | null;
    biz_step: string | null;
    disposition: string | null;
    event_time: unknown;
    body: unknown;
  }>(
    await db.execute(sql`
      select event_id, event_hash, seq, prev_hash, chain_hash, type, action, biz_step, disposition, event_time, body
      from trace.events where organization_id = ${organizationId} and seq > ${afterSeq}
      order by seq limit ${limit}`),
  );
  return rows.map((r) => ({
    eventID: r.event_id,
    eventHash: r.event_hash,
    seq: asNumber(r.seq),
    prevHash: r.prev_hash,
    chainHash: r.chain_hash,
    columns: { type: r.type, action: r.action, bizStep: r.biz_step, disposition: r.disposition, eventTime: asDate(r.event_time) },
    body: asJson<EventBody>(r.body),
  }));
}
