import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Database, asDate, asJson, asNullableNumber, uuidArray } from '@nguon/shared';
import { containmentCtes, lotList } from './containment';
import type { CustodyHopModel, GenealogyEdgeModel, TracedLotModel } from '../models';

export type Direction = 'UPSTREAM' | 'DOWNSTREAM';

/**
 * The recursive step of a trace, by direction: downstream walks
 * parent → child on the primary key (parent_lot_id, …), upstream walks
 * child → parent on lot_edges_child_idx. Either way each step is an index
 * range scan.
 */
const step = (direction: Direction) =>
  direction === 'DOWNSTREAM'
    ? { from: sql.raw('parent_lot_id'), to: sql.raw('child_lot_id') }
    : { from: sql.raw('child_lot_id'), to: sql.raw('parent_lot_id') };

/**
 * Lots reached from the roots within `maxDepth` steps, each with its shortest
 * depth (the benchmark runs this directly as the baseline of a trace). UNION drops repeated (lot, depth) rows and the depth bound ends
 * every path, so a cycle in bad data cannot loop forever.
 */
export function traceSql(rootIds: readonly string[], direction: Direction, maxDepth: number): SQL {
  const { from, to } = step(direction);
  return sql`
    with recursive reach(lot_id, depth) as (
      select unnest(${uuidArray(rootIds)}::uuid[]), 0
      union
      select e.${to}, r.depth + 1
      from reach r join trace.lot_edges e on e.${from} = r.lot_id
      where r.depth < ${maxDepth}
    )
    select lot_id, min(depth)::int as depth from reach group by lot_id order by 2, 1`;
}

/**
 * Lots reached and the genealogy edges among them, in one statement: the
 * edges join the recursive result itself rather than filtering lot_edges by
 * two arrays of every reached id.
 */
export async function reachWithEdges(
  db: Database,
  rootId: string,
  direction: Direction,
  maxDepth: number,
): Promise<{ lots: TracedLotModel[]; edges: GenealogyEdgeModel[] }> {
  const { from, to } = step(direction);
  const [row] = rowsOf<{ lots: unknown; edges: unknown }>(
    await db.execute(sql`
      with recursive reach(lot_id, depth) as (
        select ${rootId}::uuid, 0
        union
        select e.${to}, r.depth + 1
        from reach r join trace.lot_edges e on e.${from} = r.lot_id
        where r.depth < ${maxDepth}
      ),
      reached as (select lot_id, min(depth)::int as depth from reach group by lot_id)
      select
        (select coalesce(json_agg(json_build_array(lot_id, depth) order by depth, lot_id), '[]'::json) from reached) as lots,
        (select coalesce(json_agg(json_build_array(e.parent_lot_id, e.child_lot_id, e.kind, ev.event_id) order by ev.event_time, e.parent_lot_id, e.child_lot_id), '[]'::json)
           from trace.lot_edges e
           join reached p on p.lot_id = e.parent_lot_id
           join reached c on c.lot_id = e.child_lot_id
           join trace.events ev on ev.id = e.event_id) as edges`),
  );
  const lots = asJson<[string, number][]>(row!.lots).map(([id, depth]) => ({ id, depth }));
  const edges = asJson<[string, string, 'TRANSFORMATION' | 'AGGREGATION', string][]>(row!.edges).map(([parentLotId, childLotId, kind, eventID]) => ({
    parentLotId,
    childLotId,
    kind,
    eventID,
  }));
  return { lots, edges };
}

/**
 * Every lot downstream of the roots, roots included, whatever its status or
 * owner: a recall must reach drafts and other organizations' lots too. UNION
 * over the lot id alone makes the closure cycle-safe without a depth bound.
 */
export async function downstreamClosure(db: Database, rootIds: readonly string[]): Promise<string[]> {
  const rows = rowsOf<{ lot_id: string }>(
    await db.execute(sql`
      with recursive reach(lot_id) as (
        select unnest(${uuidArray(rootIds)}::uuid[])
        union
        select e.child_lot_id from reach r join trace.lot_edges e on e.parent_lot_id = r.lot_id
      )
      select lot_id from reach`),
  );
  return rows.map((r) => r.lot_id);
}

/**
 * Shipping and receiving hops of these lots, their own and their containers'
 * while they were in them (a pallet's shipping moves what is on it), with the
 * parties' paths for visibility.
 */
export async function custodyOf(db: Database, lotIds: readonly string[]): Promise<CustodyHopModel[]> {
  if (lotIds.length === 0) return [];
  const rows = rowsOf<{
    lot_id: string;
    from_org_id: string | null;
    to_org_id: string | null;
    kind: string;
    quantity: unknown;
    unit: string | null;
    event_id: string;
    event_time: unknown;
    capturer_path: string;
    from_path: string | null;
    to_path: string | null;
  }>(
    await db.execute(sql`
      with recursive ${containmentCtes(lotList(lotIds))}
      select c.lot_id, c.from_org_id, c.to_org_id, c.kind, c.quantity, c.unit, ev.event_id, ev.event_time,
             cap.path as capturer_path, f.path as from_path, t.path as to_path
      from hops c
      join trace.events ev on ev.id = c.event_id
      join tenants.organization_scope cap on cap.id = ev.organization_id
      left join tenants.organization_scope f on f.id = c.from_org_id
      left join tenants.organization_scope t on t.id = c.to_org_id
      order by ev.event_time, c.lot_id`),
  );
  return rows.map((r) => ({
    lotId: r.lot_id,
    fromOrgId: r.from_org_id,
    toOrgId: r.to_org_id,
    bizStep: r.kind.toLowerCase(),
    quantity: asNullableNumber(r.quantity),
    unit: r.unit,
    eventID: r.event_id,
    eventTime: asDate(r.event_time),
    capturerPath: r.capturer_path,
    partyPaths: [r.from_path, r.to_path].filter((p): p is string => !!p),
  }));
}
