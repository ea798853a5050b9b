import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

/** The query builder every subgraph uses; the same type on PGlite and on a PostgreSQL server. */
export type Database = PgDatabase<PgQueryResultHKT, Record<string, never>>;

/** Counts SQL statements per service so tests and /metrics can prove batching. */
export class QueryCounter {
  statements = 0;
}

export interface ConnectOptions {
  /** postgres://… — a real server. Without it: embedded PGlite. */
  databaseUrl?: string | undefined;
  /** Where PGlite keeps its files; `memory://` for a throwaway database. */
  dataDir?: string | undefined;
  poolMax?: number;
  /** Milliseconds before PostgreSQL cancels a statement. */
  statementTimeoutMs?: number;
  applicationName?: string;
}

/**
 * One database connection (a PGlite instance or a postgres.js pool). In
 * embedded mode the four subgraphs share one PGlite; each wraps it in its own
 * drizzle instance so statement counts stay per service.
 */
export interface Connection {
  readonly kind: 'pglite' | 'postgres';
  drizzle(counter?: QueryCounter): Database;
  /** Runs one statement and returns its rows (also counted when a counter is given). */
  rows<T>(query: SQL, counter?: QueryCounter): Promise<T[]>;
  migrate(folder: string, schema: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Each service's migration journal lives in one bookkeeping schema, table per
 * service: the service's own schema is created by its first migration.
 */
const migrationConfig = (folder: string, schema: string) => ({
  migrationsFolder: folder,
  migrationsSchema: 'nguon_migrations',
  migrationsTable: `${schema}_journal`,
});

const logger = (counter?: QueryCounter) =>
  counter ? { logQuery: () => void counter.statements++ } : undefined;

export async function connect(options: ConnectOptions): Promise<Connection> {
  return options.databaseUrl ? connectPostgres(options.databaseUrl, options) : connectPglite(options.dataDir ?? 'memory://');
}

async function connectPglite(dataDir: string): Promise<Connection> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  const make = (counter?: QueryCounter) => drizzlePglite({ client, logger: logger(counter) }) as unknown as Database;
  const plain = make();
  return {
    kind: 'pglite',
    drizzle: make,
    async rows<T>(query: SQL, counter?: QueryCounter) {
      const result = (await make(counter).execute(query)) as unknown as { rows: T[] };
      return result.rows;
    },
    // PGlite is one session in one process: no other migrator can race us.
    migrate: (folder, schema) => migratePglite(plain as never, migrationConfig(folder, schema)),
    ping: async () => void (await client.query('select 1')),
    close: () => client.close(),
  };
}

async function connectPostgres(url: string, options: ConnectOptions): Promise<Connection> {
  const client = postgres(url, {
    max: options.poolMax ?? 10,
    idle_timeout: 30,
    connect_timeout: 10,
    onnotice: () => {},
    connection: {
      application_name: options.applicationName ?? 'nguon',
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    },
  });
  const make = (counter?: QueryCounter) => drizzlePostgres({ client, logger: logger(counter) }) as unknown as Database;
  const plain = make();
  return {
    kind: 'postgres',
    drizzle: make,
    async rows<T>(query: SQL, counter?: QueryCounter) {
      return [...((await make(counter).execute(query)) as unknown as T[])];
    },
    async migrate(folder, schema) {
      // Replicas of one service may start together: one migrates, the others
      // wait on the lock and then find nothing left to do. A one-connection
      // client keeps the session lock and the migration on the same session.
      const single = postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: `${options.applicationName ?? 'nguon'}-migrate` } });
      const key = `nguon.migrate.${schema}`;
      try {
        await single`select pg_advisory_lock(hashtext(${key}))`;
        await migratePostgres(drizzlePostgres({ client: single }), migrationConfig(folder, schema));
        await single`select pg_advisory_unlock(hashtext(${key}))`;
      } finally {
        await single.end({ timeout: 5 });
      }
    },
    ping: async () => void (await client`select 1`),
    close: () => client.end({ timeout: 5 }),
  };
}

/** Rows of `db.execute(...)`: postgres.js returns an array, PGlite an object with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}

/** Run `fn` in a transaction: everything it writes lands, or nothing does. */
export function inTransaction<T>(db: Database, fn: (tx: Database) => Promise<T>): Promise<T> {
  return db.transaction((tx) => fn(tx as unknown as Database));
}

export { sql };
