import { sql } from 'drizzle-orm';
import { insertRecordset, rowsOf, textArray, uuidArray, type Database } from '@nguon/shared';

/*
 * The GS1 keys of our lots and organizations, from the read contracts
 * catalog.product_scope (GTIN) and tenants.organization_scope (GLN): what
 * the standard event hash names them by, and how a capture naming a lot by
 * LGTIN or a party by GLN finds ours. Each is one statement per capture.
 */

export const lgtinKey = (gtin: string, lotCode: string) => `${gtin}|${lotCode}`;

/** GTIN (14 digits) and lot code of those lots whose product has a GTIN. */
export async function lotGtins(db: Database, lotIds: readonly string[]): Promise<Map<string, { gtin: string; lotCode: string }>> {
  if (lotIds.length === 0) return new Map();
  const rows = rowsOf<{ id: string; gtin: string; lot_code: string }>(
    await db.execute(sql`select l.id, p.gtin, l.lot_code from trace.lots l join catalog.product_scope p on p.id = l.product_id
      where l.id = any(${uuidArray(lotIds)}::uuid[]) and p.gtin is not null`),
  );
  return new Map(rows.map((r) => [r.id, { gtin: r.gtin, lotCode: r.lot_code }]));
}

/** Our lots named by GTIN + lot code (lgtinKey → lot id), visible or not: write authority decides what may be said of them. */
export async function lotsByLgtin(db: Database, lgtins: readonly { gtin: string; lot: string }[]): Promise<Map<string, string>> {
  if (lgtins.length === 0) return new Map();
  const rows = rowsOf<{ id: string; gtin: string; lot_code: string }>(
    await db.execute(sql`select l.id, p.gtin, l.lot_code
      from unnest(${textArray(lgtins.map((l) => l.gtin))}::text[], ${textArray(lgtins.map((l) => l.lot))}::text[]) as w(gtin, lot_code)
      join catalog.product_scope p on p.gtin = w.gtin
      join trace.lots l on l.product_id = p.id and l.lot_code = w.lot_code`),
  );
  return new Map(rows.map((r) => [lgtinKey(r.gtin, r.lot_code), r.id]));
}

export interface OrganizationKey {
  id: string;
  path: string;
  gln: string | null;
}

/** Organizations named by id or by GLN, in one statement. */
export async function organizationsByIdOrGln(db: Database, ids: readonly string[], glns: readonly string[]): Promise<OrganizationKey[]> {
  if (ids.length === 0 && glns.length === 0) return [];
  return rowsOf<OrganizationKey>(
    await db.execute(sql`select id, path, gln from tenants.organization_scope
      where id = any(${uuidArray(ids)}::uuid[]) or gln = any(${textArray(glns)}::text[])`),
  );
}

export interface StoredEventKey {
  id: string;
  event_id: string;
  event_hash: string;
  organization_id: string;
}

/** Stored events known by these sender eventIDs (trace.event_aliases), keyed by the alias. */
export async function eventsByAlias(db: Database, aliases: readonly string[]): Promise<Map<string, StoredEventKey>> {
  if (aliases.length === 0) return new Map();
  const rows = rowsOf<StoredEventKey & { alias: string }>(
    await db.execute(sql`select a.event_id as alias, e.id, e.event_id, e.event_hash, e.organization_id
      from trace.event_aliases a join trace.events e on e.id = a.stored_event_id
      where a.event_id = any(${textArray(aliases)}::text[])`),
  );
  return new Map(rows.map(({ alias, ...event }) => [alias, event]));
}

/** Keeps sender eventIDs of deduplicated events; one already kept is kept once. */
export async function insertAliases(db: Database, rows: readonly { event_id: string; stored_event_id: string; organization_id: string }[]) {
  await insertRecordset(
    db,
    'trace.event_aliases',
    { event_id: 'text', stored_event_id: 'uuid', organization_id: 'uuid' },
    rows,
    'on conflict (event_id) do nothing',
  );
}
