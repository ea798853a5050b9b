import { sql } from 'drizzle-orm';
import { asDate, rowsOf, type Database } from '@nguon/shared';

/** A saved EPCIS named query (trace.epcis_queries). */
export interface NamedQueryModel {
  name: string;
  query: Record<string, unknown>;
  createdAt: Date;
}

type Row = { name: string; query: Record<string, unknown>; created_at: unknown };
const toModel = (r: Row): NamedQueryModel => ({ name: r.name, query: r.query, createdAt: asDate(r.created_at) });

export async function listNamedQueries(db: Database, owner: string): Promise<NamedQueryModel[]> {
  return rowsOf<Row>(await db.execute(sql`select name, query, created_at from trace.epcis_queries where owner = ${owner} order by name`)).map(toModel);
}

export async function namedQuery(db: Database, owner: string, name: string): Promise<NamedQueryModel | null> {
  const [row] = rowsOf<Row>(await db.execute(sql`select name, query, created_at from trace.epcis_queries where owner = ${owner} and name = ${name}`));
  return row ? toModel(row) : null;
}

/** Inserts the query; null when the owner already has one by that name. */
export async function insertNamedQuery(db: Database, owner: string, name: string, query: Record<string, unknown>): Promise<NamedQueryModel | null> {
  const [row] = rowsOf<Row>(
    await db.execute(sql`insert into trace.epcis_queries (owner, name, query) values (${owner}, ${name}, ${JSON.stringify(query)}::jsonb)
      on conflict do nothing returning name, query, created_at`),
  );
  return row ? toModel(row) : null;
}

export async function deleteNamedQuery(db: Database, owner: string, name: string): Promise<boolean> {
  return rowsOf(await db.execute(sql`delete from trace.epcis_queries where owner = ${owner} and name = ${name} returning name`)).length > 0;
}
