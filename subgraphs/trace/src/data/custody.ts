import { sql } from 'drizzle-orm';
import { isUuid, rowsOf, type Database, textArray, uuidArray } from '@nguon/shared';
import { containmentCtes, lotList, MAX_CONTAINMENT_DEPTH } from './containment';

/** The capturing organization: where it sits in the tree and what kind of node it is (operator or supervising authority). */
export async function capturerOf(db: Database, id: string): Promise<{ id: string; path: string; kind: string } | null> {
  if (!isUuid(id)) return null;
  const [row] = rowsOf<{ id: string; path: string; kind: string }>(
    await db.execute(sql`select id, path, kind from tenants.organization_scope where id = ${id}`),
  );
  return row ?? null;
}

/**
 * Which of `lotIds` the organization holds now (docs/write-authority.md,
 * "Custodian"), in one statement for the whole batch:
 *
 * - it owns the lot;
 * - a custody hop (shipping or receiving) has it as destination, or a
 *   shipping event of the lot names it among its destination parties (a
 *   shipment addressed to it, which it may receive);
 * - by containment: the lot was aggregated onto a parent (SSCC, pallet lot)
 *   the organization holds by the rules above, and not disaggregated from it
 *   since. Aggregation writes a lot_edges row (kind AGGREGATION, content →
 *   aggregate); disaggregation (AggregationEvent DELETE) writes none, only
 *   event_lots rows (PARENT, and the QUANTITY children it removes — none means
 *   all), so the release is looked up there. A disaggregation the organization
 *   captured itself does not release the contents from it: it unpacked them;
 * - a container the lot was in (a pallet lot, an SSCC, a GIAI or GRAI) was
 *   shipped or received to it, by the rules above, while the lot was in it
 *   (data/containment.ts).
 */
export async function heldLots(db: Database, lotIds: readonly string[], organizationId: string): Promise<Set<string>> {
  if (lotIds.length === 0) return new Set();
  const rows = rowsOf<{ root_id: string }>(
    await db.execute(sql`
      with recursive ${containmentCtes(lotList(lotIds))},
      up(root_id, lot_id, depth) as (
        select id, id, 0 from unnest(${uuidArray(lotIds)}::uuid[]) as w(id)
        union
        select u.root_id, e.child_lot_id, u.depth + 1
        from up u
        join trace.lot_edges e on e.parent_lot_id = u.lot_id and e.kind = 'AGGREGATION'
        join trace.events a on a.id = e.event_id
        where u.depth < ${MAX_CONTAINMENT_DEPTH}
          and not exists (
            select 1 from trace.event_lots p
            join trace.events d on d.id = p.event_id
            where p.lot_id = e.child_lot_id and p.role = 'PARENT'
              and d.type = 'AGGREGATION_EVENT' and d.action = 'DELETE'
              and d.organization_id <> ${organizationId}::uuid
              and (d.event_time, d.id) > (a.event_time, a.id)
              and (not exists (select 1 from trace.event_lots c where c.event_id = d.id and c.role = 'QUANTITY')
                   or exists (select 1 from trace.event_lots c where c.event_id = d.id and c.role = 'QUANTITY' and c.lot_id = u.lot_id)))
      )
      select distinct u.root_id from up u
      where exists (select 1 from trace.lots l where l.id = u.lot_id and l.owner_id = ${organizationId}::uuid)
         or exists (select 1 from hops h join trace.events s on s.id = h.event_id
                    where h.lot_id = u.root_id
                      and (h.to_org_id = ${organizationId}::uuid
                           or (h.kind = 'SHIPPING' and s.body -> 'destinationList' @> jsonb_build_array(jsonb_build_object('organizationId', ${organizationId}::text)))))
         or exists (select 1 from trace.custody c where c.lot_id = u.lot_id and c.to_org_id = ${organizationId}::uuid)
         or exists (select 1 from trace.custody c join trace.events s on s.id = c.event_id
                    where c.lot_id = u.lot_id and c.kind = 'SHIPPING'
                      and s.body -> 'destinationList' @> jsonb_build_array(jsonb_build_object('organizationId', ${organizationId}::text)))`),
  );
  return new Set(rows.map((r) => r.root_id));
}

/**
 * The tree paths of the organizations that registered each GLN
 * (tenants.location_scope), for the GLNs asked; a GLN nobody registered is
 * absent.
 */
export async function locationOwners(db: Database, glns: readonly string[]): Promise<Map<string, string[]>> {
  const owners = new Map<string, string[]>();
  if (glns.length === 0) return owners;
  const rows = rowsOf<{ gln: string; path: string }>(
    await db.execute(sql`select gln, path from tenants.location_scope where gln = any(${textArray(glns)}::text[])`),
  );
  for (const r of rows) owners.set(r.gln, [...(owners.get(r.gln) ?? []), r.path]);
  return owners;
}
