import { sql } from 'drizzle-orm';
import { isUuid, rowsOf, type Database, uuidArray } from '@nguon/shared';

/** Tree paths of organizations (tenants' published read contract), for permission checks. */
export async function organizationPaths(db: Database, ids: readonly string[]): Promise<Map<string, string>> {
  // A client-given id that is not a UUID names no organization (and must not reach the ::uuid[] cast).
  const uuids = ids.filter(isUuid);
  if (uuids.length === 0) return new Map();
  const rows = rowsOf<{ id: string; path: string }>(
    await db.execute(sql`select id, path from tenants.organization_scope where id = any(${uuidArray(uuids)}::uuid[])`),
  );
  return new Map(rows.map((r) => [r.id, r.path]));
}
