import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '@nguon/shared';
import { PUBLIC_LOT_STATUSES, type LotStatusValue } from '../models';

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

interface Row {
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
 */
export async function originOf(db: Database, lotId: string, maxDepth: number): Promise<OriginStageModel[]> {
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
      )
      select s.lot_id, s.depth, s.relation, l.lot_code, l.product_id, l.owner_id, l.production_area_id, l.season,
             l.produced_on::text as produced_on, l.status
      from stages s join trace.lots l on l.id = s.lot_id
      order by s.depth, s.relation, (l.status = any(${PUBLIC_STATUS_ARRAY}::text[])) desc, l.produced_on desc nulls last, s.lot_id
      limit ${MAX_ORIGIN_STAGES}`),
  );
  return rows.map((r): OriginStageModel => {
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
  });
}
