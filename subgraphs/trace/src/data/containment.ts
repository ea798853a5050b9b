import { sql, type SQL } from 'drizzle-orm';
import { uuidArray } from '@nguon/shared';

/** The lots of an id list, as `containmentCtes` takes its roots. */
export const lotList = (ids: readonly string[]) => sql`select unnest(${uuidArray(ids)}::uuid[])`;

/** How many aggregation levels containment is followed up (a case on a pallet in a container): bounds the walk. */
export const MAX_CONTAINMENT_DEPTH = 4;

/**
 * The organization an EPCIS source or destination list names, as capture
 * chooses it for a lot's own hop (data/events.ts): among our organizations,
 * the possessing party, else the owning party, else the first.
 */
const partyOf = (list: SQL) => sql`(
  select (p->>'organizationId')::uuid from jsonb_array_elements(coalesce(${list}, '[]'::jsonb)) with ordinality x(p, n)
  where p->>'organizationId' is not null
  order by case p->>'type' when 'possessing_party' then 0 when 'owning_party' then 1 else 2 end, n limit 1)`;

/**
 * Whether an event about a container was captured by one who held it: the
 * organization that aggregated the contents into it, or one that organization
 * shipped the container to (a destination of its shipping event about the
 * container, from `since` on). Anyone may name an SSCC in an event, and write
 * authority checks lots, not containers: without this, an organization could
 * take custody of another's goods, end their containment or put events into
 * their public history just by naming the pallet they sit on.
 */
const byHolder = (org: SQL, aggregator: SQL, epc: SQL, parentLot: SQL, since: SQL) => sql`(${org} = ${aggregator} or ${org} in (
  select (p->>'organizationId')::uuid from trace.events s cross join jsonb_array_elements(coalesce(s.body->'destinationList', '[]'::jsonb)) p
  where s.organization_id = ${aggregator} and s.biz_step = 'shipping' and s.event_time >= ${since} and p->>'organizationId' is not null
    and ((${epc} is not null and (s.body->'epcList' @> jsonb_build_array(${epc}) or s.body->>'parentID' = ${epc}))
         or (${parentLot} is not null and exists (select 1 from trace.event_lots sl where sl.event_id = s.id and sl.lot_id = ${parentLot})))))`;

/**
 * Containment, derived at read time from aggregation events (issue 19,
 * item 5), as CTEs to follow `with recursive`, for the lots `roots` selects
 * (one uuid column):
 *
 * - `inside(root_id, lot_id, epc, since, until, quantity, unit, depth)`: the
 *   containers each root lot was in and when. A container is a parent lot
 *   (`lot_id`) or any other parent identifier (`epc`: an SSCC, a GIAI or GRAI,
 *   in the canonical form capture stores). An AggregationEvent ADD or OBSERVE
 *   (OBSERVE re-states contents) puts a child in its parent from its event
 *   time until the parent's next DELETE that removes that child or, naming
 *   no child, all of them. A container that is itself a child (a case on a
 *   pallet) carries its contents along for the overlap of both periods, up to
 *   MAX_CONTAINMENT_DEPTH levels. `quantity` and `unit` are how much of the
 *   root went into its innermost container. Depth 0 is the root itself.
 * - `container_events(root_id, event_id)`: every event about one of those
 *   containers within its period, an identifier's only when captured by one
 *   who held the container (byHolder) (naming the parent lot in any role, or the
 *   identifier among its EPCs or as its parent): the root's history by
 *   containment.
 * - `hops(lot_id, from_org_id, to_org_id, kind, quantity, unit, event_id)`:
 *   the roots' custody — their own hops (trace.custody) and, by containment,
 *   a container's shipping or receiving moving everything in it, with the
 *   parties chosen as capture chooses them for a lot's own hop.
 */
export function containmentCtes(roots: SQL): SQL {
  return sql`
  roots(id) as (${roots}),
  inside(root_id, lot_id, epc, since, until, quantity, unit, depth, org_id) as (
    select r.id, r.id, null::text, '-infinity'::timestamptz, 'infinity'::timestamptz, null::numeric, null::text, 0, null::uuid
    from roots r
    union all
    select i.root_id, (a.body->>'parentLotId')::uuid, a.body->>'parentID',
           greatest(i.since, a.event_time), least(i.until, d.until),
           case when i.depth = 0 then a.quantity else i.quantity end, case when i.depth = 0 then a.unit else i.unit end, i.depth + 1, a.organization_id
    from inside i
    cross join lateral (
      select a.event_time, a.body, a.organization_id, q.quantity, q.unit
      from trace.event_lots q join trace.events a on a.id = q.event_id
      where i.lot_id is not null and q.lot_id = i.lot_id and q.role = 'QUANTITY'
        and a.type = 'AGGREGATION_EVENT' and a.action in ('ADD', 'OBSERVE')
      union all
      select a.event_time, a.body, a.organization_id, null, null
      from trace.events a
      where i.epc is not null and a.body->'epcList' @> jsonb_build_array(i.epc)
        and a.type = 'AGGREGATION_EVENT' and a.action in ('ADD', 'OBSERVE')
    ) a
    cross join lateral (
      select coalesce(min(d.event_time), 'infinity'::timestamptz) as until
      from (
        select d.event_time, d.type, d.action, d.body, d.organization_id from trace.event_lots pe join trace.events d on d.id = pe.event_id
        where a.body->>'parentLotId' is not null and pe.lot_id = (a.body->>'parentLotId')::uuid and pe.role = 'PARENT'
        union all
        select d.event_time, d.type, d.action, d.body, d.organization_id from trace.events d
        where a.body->>'parentID' is not null and d.body->>'parentID' = a.body->>'parentID'
      ) d
      where d.type = 'AGGREGATION_EVENT' and d.action = 'DELETE' and d.event_time >= a.event_time
        and ${byHolder(sql`d.organization_id`, sql`a.organization_id`, sql`a.body->>'parentID'`, sql`(a.body->>'parentLotId')::uuid`, sql`a.event_time`)}
        and (jsonb_array_length(coalesce(d.body->'quantityList', '[]'::jsonb)) + jsonb_array_length(coalesce(d.body->'epcList', '[]'::jsonb)) = 0
             or d.body->'quantityList' @> jsonb_build_array(jsonb_build_object('lotId', i.lot_id::text))
             or d.body->'epcList' @> jsonb_build_array(i.epc))
    ) d
    where i.depth < ${MAX_CONTAINMENT_DEPTH} and greatest(i.since, a.event_time) <= least(i.until, d.until)
  ),
  container_events(root_id, event_id, quantity, unit) as (
    select i.root_id, e.id, i.quantity, i.unit
    from inside i join trace.event_lots el on el.lot_id = i.lot_id join trace.events e on e.id = el.event_id
    where i.depth > 0 and e.event_time between i.since and i.until
    union
    select i.root_id, e.id, i.quantity, i.unit
    from inside i
    cross join lateral (
      select e.id from trace.events e
      where i.epc is not null and (e.body->'epcList' @> jsonb_build_array(i.epc) or e.body->>'parentID' = i.epc)
        and e.event_time between i.since and i.until
        and ${byHolder(sql`e.organization_id`, sql`i.org_id`, sql`i.epc`, sql`null::uuid`, sql`i.since`)}
    ) e
  ),
  hops(lot_id, from_org_id, to_org_id, kind, quantity, unit, event_id) as (
    select c.lot_id, c.from_org_id, c.to_org_id, c.kind, c.quantity, c.unit, c.event_id
    from trace.custody c where c.lot_id in (select id from roots)
    union all
    (select distinct on (ce.root_id, e.id) ce.root_id, ${partyOf(sql`e.body->'sourceList'`)}, ${partyOf(sql`e.body->'destinationList'`)},
           upper(e.biz_step), ce.quantity, ce.unit, e.id
    from container_events ce join trace.events e on e.id = ce.event_id
    where e.biz_step in ('shipping', 'receiving') and (e.body->'sourceList' is not null or e.body->'destinationList' is not null)
      and not exists (select 1 from trace.custody own where own.event_id = e.id and own.lot_id = ce.root_id)
     order by ce.root_id, e.id, ce.quantity nulls last)
  )`;
}
