import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '@nguon/shared';
import { custody, eventLots, events, lotEdges } from '../db/schema';
import { PUBLIC_LOT_STATUSES, type EventBody, type TraceEventModel } from '../models';
import { asDate, asJson, asNumber, textArray, uuidArray } from './rows';

/** Rows per INSERT: 16 columns × 1 000 stays well under PostgreSQL's 65 535 bind parameters. */
const CHUNK = 1000;

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

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
  body: EventBody;
}

/** Writes events and what is derived from them (lots, genealogy edges, custody hops) in a few batched statements. */
export async function insertEvents(db: Database, rows: EventRow[]): Promise<void> {
  await insertChunked(rows, (chunk) =>
    db.insert(events).values(
      chunk.map((r) => ({
        id: r.id,
        eventId: r.eventId,
        eventHash: r.eventHash,
        organizationId: r.organizationId,
        seq: r.seq,
        prevHash: r.prevHash,
        chainHash: r.chainHash,
        type: r.body.type,
        action: r.body.action ?? null,
        bizStep: r.body.bizStep ?? null,
        disposition: r.body.disposition ?? null,
        eventTime: r.eventTime,
        eventTimeZoneOffset: r.body.eventTimeZoneOffset,
        recordTime: r.recordTime,
        correctsEventId: r.body.errorDeclaration?.correctedEventID ?? null,
        body: r.body,
      })),
    ),
  );
  const lotRows: (typeof eventLots.$inferInsert)[] = [];
  const edgeRows = new Map<string, typeof lotEdges.$inferInsert>();
  const custodyRows = new Map<string, typeof custody.$inferInsert>();
  for (const r of rows) {
    const b = r.body;
    const add = (role: string, list: EventBody['quantityList']) =>
      list?.forEach((q, ordinal) => lotRows.push({ eventId: r.id, lotId: q.lotId, role, ordinal, quantity: q.quantity === null ? null : String(q.quantity), unit: q.unit }));
    add('QUANTITY', b.quantityList);
    add('INPUT', b.inputQuantityList);
    add('OUTPUT', b.outputQuantityList);
    if (b.parentLotId) lotRows.push({ eventId: r.id, lotId: b.parentLotId, role: 'PARENT', ordinal: 0, quantity: null, unit: null });

    // Genealogy: every input feeds every output; contents added to an aggregate feed the aggregate.
    if (b.type === 'TRANSFORMATION_EVENT') {
      for (const input of b.inputQuantityList ?? [])
        for (const output of b.outputQuantityList ?? [])
          if (input.lotId !== output.lotId) edgeRows.set(`${input.lotId}|${output.lotId}|${r.id}`, { parentLotId: input.lotId, childLotId: output.lotId, eventId: r.id, kind: 'TRANSFORMATION' });
    } else if (b.type === 'AGGREGATION_EVENT' && b.action === 'ADD' && b.parentLotId) {
      for (const child of b.quantityList ?? [])
        if (child.lotId !== b.parentLotId) edgeRows.set(`${child.lotId}|${b.parentLotId}|${r.id}`, { parentLotId: child.lotId, childLotId: b.parentLotId, eventId: r.id, kind: 'AGGREGATION' });
    }

    // Custody: shipping and receiving move lots between the owning/possessing parties.
    if ((b.bizStep === 'shipping' || b.bizStep === 'receiving') && (b.sourceList?.length || b.destinationList?.length)) {
      const party = (list: EventBody['sourceList']) =>
        (list?.find((p) => p.type === 'possessing_party') ?? list?.find((p) => p.type === 'owning_party') ?? list?.[0])?.organizationId ?? null;
      const from = party(b.sourceList);
      const to = party(b.destinationList);
      for (const q of b.quantityList ?? []) {
        const key = `${r.id}|${q.lotId}`;
        const previous = custodyRows.get(key);
        const quantity = q.quantity === null ? null : q.quantity + Number(previous?.quantity ?? 0);
        custodyRows.set(key, { eventId: r.id, lotId: q.lotId, fromOrgId: from, toOrgId: to, kind: b.bizStep.toUpperCase(), quantity: quantity === null ? null : String(quantity), unit: q.unit });
      }
    }
  }
  await insertChunked(lotRows, (chunk) => db.insert(eventLots).values(chunk));
  await insertChunked([...edgeRows.values()], (chunk) => db.insert(lotEdges).values(chunk));
  await insertChunked([...custodyRows.values()], (chunk) => db.insert(custody).values(chunk));
}

/** Already-stored events matching any of these eventIDs or hashes: the idempotency check. */
export async function existingEvents(db: Database, eventIds: string[], hashes: string[]) {
  if (eventIds.length === 0 && hashes.length === 0) return [];
  return rowsOf<{ id: string; event_id: string; event_hash: string }>(
    await db.execute(sql`
      select id, event_id, event_hash from trace.events where event_id = any(${textArray(eventIds)}::text[])
      union
      select id, event_id, event_hash from trace.events where event_hash = any(${textArray(hashes)}::text[])`),
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
  scope: { path: r.org_path, published: r.published === true || (r.published as unknown) === 't' },
});

export async function eventsByIds(db: Database, ids: readonly string[]): Promise<TraceEventModel[]> {
  if (ids.length === 0) return [];
  return rowsOf<RawEvent>(await db.execute(sql`${eventSelect} where e.id = any(${uuidArray(ids)}::uuid[])`)).map(toEvent);
}

export async function eventsByEventIds(db: Database, eventIds: readonly string[]): Promise<TraceEventModel[]> {
  if (eventIds.length === 0) return [];
  return rowsOf<RawEvent>(await db.execute(sql`${eventSelect} where e.event_id = any(${textArray(eventIds)}::text[])`)).map(toEvent);
}

/** Events naming any of these lots, in time order, for many lots' timelines at once. */
export async function eventsOfLots(db: Database, lotIds: readonly string[]): Promise<{ lotId: string; event: TraceEventModel }[]> {
  if (lotIds.length === 0) return [];
  const rows = rowsOf<RawEvent & { lot_id: string }>(
    await db.execute(sql`
      with named as (select distinct lot_id, event_id from trace.event_lots where lot_id = any(${uuidArray(lotIds)}::uuid[]))
      select n.lot_id, x.* from named n
      join lateral (${eventSelect} where e.id = n.event_id) x on true
      order by x.event_time, x.organization_id, x.seq`),
  );
  return rows.map((r) => ({ lotId: r.lot_id, event: toEvent(r) }));
}

/** eventIDs of the corrections declared against each of these events. */
export async function correctionsOf(db: Database, eventIds: readonly string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (eventIds.length === 0) return map;
  const rows = rowsOf<{ corrects_event_id: string; event_id: string }>(
    await db.execute(sql`select corrects_event_id, event_id from trace.events where corrects_event_id = any(${textArray(eventIds)}::text[]) order by record_time, seq`),
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
