import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '@nguon/shared';
import { PUBLIC_LOT_STATUSES, type LotStatusValue, type TraceEventModel } from '../models';
import { eventSelect, toEvent, type RawEvent } from './events';

export type OriginRelationValue = 'INPUT' | 'CONTENT' | 'CONTAINER';

/**
 * One stage of a lot's origin as the public may see it (issue 15). An
 * undisclosed stage keeps its depth and relation only: no id, code, owner,
 * product or area survives this boundary, so no resolver can leak them.
 */
export type OriginStageModel =
  | { depth: number; relation: OriginRelationValue; disclosed: false }
  | {
      depth: number;
      relation: OriginRelationValue;
      disclosed: true;
      lotId: string;
      lotCode: string;
      productId: string;
      ownerId: string;
      productionAreaId: string | null;
      season: string | null;
      producedOn: string | null;
    };

/** A stage's events as the timeline loaders hold them: time-ordered, each with its corrections. */
export interface StageEvent {
  event: TraceEventModel;
  correctedBy: string[];
}

export interface Origin {
  stages: OriginStageModel[];
  /** The events of every disclosed stage, by lot id (an empty list for a stage with none). */
  eventsByLot: Map<string, StageEvent[]>;
}

interface Row extends Partial<Omit<RawEvent, 'id'>> {
  ord: number;
  event_row_id: string | null;
  corrected_by: string[] | null;
  lot_id: string;
  depth: number;
  relation: OriginRelationValue;
  lot_code: string;
  product_id: string;
  owner_id: string;
  production_area_id: string | null;
  season: string | null;
  produced_on: string | Date | null;
  status: LotStatusValue;
}

/**
 * At most this many stages: a page names its farms, not a whole harvest's
 * thousand pallets, and the list is bounded whatever the data holds.
 */
export const MAX_ORIGIN_STAGES = 100;
const PUBLIC_STATUS_ARRAY = sql`array[${sql.join(
  PUBLIC_LOT_STATUSES.map((s) => sql`${s}`),
  sql`, `,
)}]`;

const isoDate = (d: string | Date | null) => (d === null ? null : typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10));

/**
 * A lot's origin in one statement: upstream along every genealogy edge
 * (child → parent: a transformation's inputs, a pallet's contents) and
 * downstream along aggregation edges only (the pallets and cases the lot
 * travelled in, and theirs). Each lot keeps its shortest depth; UNION and the
 * depth bound end every path, so a cycle in bad data terminates, and the lot
 * itself is never a stage of its own origin. Nearest first.
 *
 * Disclosure is the public rule (PUBLISHED, RECALLED or CLOSED) whoever asks:
 * the origin is what the consumer page shows (docs/architecture.md §7).
 * Within a depth, disclosed stages come first and undisclosed ones last, in
 * no order that tells anything about them (not their dates).
 *
 * The same statement brings every disclosed stage's events with their
 * corrections, in timeline order, so the stages' steps need no second round
 * trip (the page's cost with its origin, BENCHMARKS.md issue 15). An
 * undisclosed stage brings none.
 */
export async function originOf(db: Database, lotId: string, maxDepth: number): Promise<Origin> {
  const rows = rowsOf<Row>(
    await db.execute(sql`
      with recursive up(lot_id, depth, relation) as (
        select e.parent_lot_id, 1, case e.kind when 'AGGREGATION' then 'CONTENT' else 'INPUT' end
        from trace.lot_edges e where e.child_lot_id = ${lotId}::uuid
        union
        select e.parent_lot_id, u.depth + 1, case e.kind when 'AGGREGATION' then 'CONTENT' else 'INPUT' end
        from up u join trace.lot_edges e on e.child_lot_id = u.lot_id
        where u.depth < ${maxDepth}
      ),
      down(lot_id, depth) as (
        select e.child_lot_id, 1 from trace.lot_edges e where e.parent_lot_id = ${lotId}::uuid and e.kind = 'AGGREGATION'
        union
        select e.child_lot_id, d.depth + 1
        from down d join trace.lot_edges e on e.parent_lot_id = d.lot_id and e.kind = 'AGGREGATION'
        where d.depth < ${maxDepth}
      ),
      stages as (
        select distinct on (lot_id) lot_id, depth, relation
        from (select lot_id, depth, relation from up union all select lot_id, depth, 'CONTAINER' from down) s
        where lot_id <> ${lotId}::uuid
        order by lot_id, depth, relation
      ),
      picked as (
        select row_number() over (
                 order by s.depth, s.relation, (l.status = any(${PUBLIC_STATUS_ARRAY}::text[])) desc, l.produced_on desc nulls last, s.lot_id
               ) as ord,
               s.lot_id, s.depth, s.relation, l.lot_code, l.product_id, l.owner_id, l.production_area_id, l.season,
               l.produced_on::text as produced_on, l.status, (l.status = any(${PUBLIC_STATUS_ARRAY}::text[])) as disclosed
        from stages s join trace.lots l on l.id = s.lot_id
        order by ord
        limit ${MAX_ORIGIN_STAGES}
      )
      select p.ord, p.lot_id, p.depth, p.relation, p.lot_code, p.product_id, p.owner_id, p.production_area_id, p.season,
             p.produced_on, p.status,
             x.id as event_row_id, x.event_id, x.event_hash, x.organization_id, x.seq, x.prev_hash, x.chain_hash,
             x.event_time, x.record_time, x.body, x.org_path, x.published,
             case when x.id is null then null else
               array(select c.event_id from trace.events c where c.corrects_event_id = x.event_id order by c.record_time, c.seq)
             end as corrected_by
      from picked p
      left join lateral (
        ${eventSelect} where p.disclosed and e.id in (select el.event_id from trace.event_lots el where el.lot_id = p.lot_id)
      ) x on true
      order by p.ord, x.event_time, x.organization_id, x.seq`),
  );
  const stages: OriginStageModel[] = [];
  const eventsByLot = new Map<string, StageEvent[]>();
  let last: number | undefined;
  for (const r of rows) {
    const ord = Number(r.ord);
    if (ord !== last) {
      last = ord;
      stages.push(toStage(r));
      if (PUBLIC_LOT_STATUSES.includes(r.status)) eventsByLot.set(r.lot_id, []);
    }
    if (r.event_row_id) {
      eventsByLot.get(r.lot_id)!.push({ event: toEvent({ ...(r as unknown as RawEvent), id: r.event_row_id }), correctedBy: r.corrected_by ?? [] });
    }
  }
  return { stages, eventsByLot };
}

function toStage(r: Row): OriginStageModel {
  const depth = Number(r.depth);
  if (!PUBLIC_LOT_STATUSES.includes(r.status)) return { depth, relation: r.relation, disclosed: false };
  return {
    depth,
    relation: r.relation,
    disclosed: true,
    lotId: r.lot_id,
    lotCode: r.lot_code,
    productId: r.product_id,
    ownerId: r.owner_id,
    productionAreaId: r.production_area_id,
    season: r.season,
    producedOn: isoDate(r.produced_on),
  };
}
