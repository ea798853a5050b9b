import { sql, type SQL } from 'drizzle-orm';
import { inAnySubtree, rowsOf, type Database, textArray, uuidArray } from '@nguon/shared';
import type { TraceEventModel } from '../models';
import { toEvent, type RawEvent } from './events';
import { PUBLIC_LOT_STATUSES } from '../models';

const PUBLIC = sql.raw(PUBLIC_LOT_STATUSES.map((s) => `'${s}'`).join(','));

/** EPCIS query conditions, already normalised (bare CBV words, canonical EPCs, lower-case lot ids). */
export interface EventQuery {
  types?: string[];
  geEventTime?: Date;
  ltEventTime?: Date;
  geRecordTime?: Date;
  ltRecordTime?: Date;
  bizSteps?: string[];
  dispositions?: string[];
  bizLocations?: string[];
  readPoints?: string[];
  epcs?: string[];
  anyEpcs?: string[];
  lotIds?: string[];
  anyLotIds?: string[];
  eventIDs?: string[];
  errorDeclaration?: boolean;
}

/** Keyset position: events are ordered by (event_time, id). */
export interface EventKey {
  eventTime: Date;
  id: string;
}

const anyOf = (expr: SQL, values: string[]) => sql`${expr} = any(${textArray(values)}::text[])`;
const jsonHasAny = (key: string, values: string[]) => sql`jsonb_exists_any(coalesce(e.body->${key}, '[]'::jsonb), ${textArray(values)}::text[])`;
const namesLots = (ids: string[], roles: string[]) =>
  sql`exists (select 1 from trace.event_lots q where q.event_id = e.id and q.lot_id = any(${uuidArray(ids)}::uuid[]) and q.role = any(${textArray(roles)}::text[]))`;

function conditions(q: EventQuery, internalRoots: readonly string[]): SQL[] {
  // Same rule as visibleEvent: it names a public lot, or you may read its capturer's internals.
  const list: SQL[] = [sql`(p.x_published or ${inAnySubtree(sql`o.path`, internalRoots)})`];
  if (q.types?.length) list.push(anyOf(sql`e.type`, q.types));
  if (q.geEventTime) list.push(sql`e.event_time >= ${q.geEventTime.toISOString()}::timestamptz`);
  if (q.ltEventTime) list.push(sql`e.event_time < ${q.ltEventTime.toISOString()}::timestamptz`);
  if (q.geRecordTime) list.push(sql`e.record_time >= ${q.geRecordTime.toISOString()}::timestamptz`);
  if (q.ltRecordTime) list.push(sql`e.record_time < ${q.ltRecordTime.toISOString()}::timestamptz`);
  if (q.bizSteps) list.push(anyOf(sql`e.biz_step`, q.bizSteps));
  if (q.dispositions) list.push(anyOf(sql`e.disposition`, q.dispositions));
  if (q.bizLocations) list.push(anyOf(sql`(e.body->>'bizLocation')`, q.bizLocations));
  if (q.readPoints) list.push(anyOf(sql`(e.body->>'readPoint')`, q.readPoints));
  if (q.epcs) list.push(jsonHasAny('epcList', q.epcs));
  if (q.anyEpcs) {
    list.push(
      sql`(${jsonHasAny('epcList', q.anyEpcs)} or ${jsonHasAny('inputEPCList', q.anyEpcs)} or ${jsonHasAny('outputEPCList', q.anyEpcs)} or ${anyOf(sql`(e.body->>'parentID')`, q.anyEpcs)})`,
    );
  }
  if (q.lotIds) list.push(namesLots(q.lotIds, ['QUANTITY', 'INPUT', 'OUTPUT']));
  if (q.anyLotIds) list.push(namesLots(q.anyLotIds, ['QUANTITY', 'INPUT', 'OUTPUT', 'PARENT']));
  if (q.eventIDs) list.push(anyOf(sql`e.event_id`, q.eventIDs));
  if (q.errorDeclaration === true) list.push(sql`e.corrects_event_id is not null`);
  if (q.errorDeclaration === false) list.push(sql`e.corrects_event_id is null`);
  return list;
}

/**
 * One page of events matching EPCIS query parameters that the viewer may see,
 * in (eventTime, id) order; `limit + 1` rows so the caller knows whether more
 * follow. Served by events_time_idx for time windows.
 */
export async function queryEvents(
  db: Database,
  q: EventQuery,
  internalRoots: readonly string[],
  limit: number,
  after: EventKey | null,
): Promise<TraceEventModel[]> {
  const where = conditions(q, internalRoots);
  if (after) where.push(sql`(e.event_time, e.id) > (${after.eventTime.toISOString()}::timestamptz, ${after.id}::uuid)`);
  const rows = rowsOf<RawEvent>(
    await db.execute(sql`
      select e.id, e.event_id, e.event_hash, e.organization_id, e.seq, e.prev_hash, e.chain_hash, e.event_time, e.record_time, e.body,
             o.path as org_path, p.x_published as published
      from trace.events e
      join tenants.organization_scope o on o.id = e.organization_id
      cross join lateral (
        select exists (select 1 from trace.event_lots el join trace.lots l on l.id = el.lot_id
                       where el.event_id = e.id and l.status in (${PUBLIC})) as x_published) p
      where ${sql.join(where, sql` and `)}
      order by e.event_time, e.id limit ${limit + 1}`),
  );
  return rows.map(toEvent);
}
