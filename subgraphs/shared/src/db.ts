import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { isConnectionError } from './connection';

export { isConnectionError };

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
  /** A PGlite data directory saved by `Connection.snapshot()` to start from (tests clone a seeded database this way). */
  loadDataDir?: Blob | undefined;
  poolMax?: number;
  /** Milliseconds before PostgreSQL cancels a statement. */
  statementTimeoutMs?: number;
  applicationName?: string;
  /**
   * Autocommit reads as named prepared statements (default true): PostgreSQL
   * parses and plans each distinct read once per connection instead of on
   * every request. Off for a pooler in transaction mode that cannot keep
   * session state (`DB_PREPARED_READS=0`).
   */
  preparedReads?: boolean;
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
  /** PGlite only: the whole data directory as an uncompressed tarball, for `ConnectOptions.loadDataDir`. */
  snapshot?(): Promise<Blob>;
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

const logger = (counter?: QueryCounter) => (counter ? { logQuery: () => void counter.statements++ } : undefined);

export async function connect(options: ConnectOptions): Promise<Connection> {
  return options.databaseUrl ? connectPostgres(options.databaseUrl, options) : connectPglite(options.dataDir ?? 'memory://', options.loadDataDir);
}

async function connectPglite(dataDir: string, loadDataDir?: Blob): Promise<Connection> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir, loadDataDir ? { loadDataDir } : {});
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
    snapshot: () => client.dumpDataDir('none'),
    close: () => client.close(),
  };
}

/** Waits between read attempts after a lost connection: long enough for a pool to reconnect, short beside a gateway timeout. */
export const READ_RETRY_DELAYS_MS = [200, 1000];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a read again when the connection (not the statement) failed. Only for
 * reads outside transactions: a write whose connection dropped may or may
 * not have committed, and retrying it here could apply it twice.
 */
export async function withReadRetry<T>(read: () => Promise<T>, delays: readonly number[] = READ_RETRY_DELAYS_MS): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= delays.length || !isConnectionError(error)) throw error;
      await sleep(delays[attempt]!);
    }
  }
}

/** A plain SELECT (no locking clause, no data-modifying CTE): safe to run twice. */
export function isReadOnlyStatement(query: string): boolean {
  const text = query.trimStart().slice(0, 4096);
  if (/^select\b/i.test(text)) return !/\bfor\s+(update|no\s+key\s+update|share|key\s+share)\b/i.test(query);
  if (/^with\b/i.test(text)) return !/\b(insert|update|delete|merge)\b/i.test(query) && !/\bfor\s+(update|share)\b/i.test(query);
  return false;
}

type PostgresClient = ReturnType<typeof postgres>;

/**
 * The pool as drizzle sees it, with autocommit reads retried on a lost
 * connection. Transactions (`begin`) get postgres.js's own reserved client,
 * so nothing inside a transaction is ever retried, and writes never are.
 * drizzle awaits `unsafe(...)` or calls `.values()` on it; both are kept.
 */
function retryingReads(client: PostgresClient, prepare: boolean): PostgresClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'unsafe') return Reflect.get(target, property, receiver);
      return (query: string, ...rest: unknown[]) => {
        if (!isReadOnlyStatement(query)) return (target.unsafe as (...args: unknown[]) => any)(query, ...rest);
        // drizzle asks postgres.js for unnamed statements, planned on every call; a read is worth keeping prepared
        // (the page's cost, BENCHMARKS.md issue 15). postgres.js re-prepares one a migration invalidated.
        const [params, options] = rest as [unknown[] | undefined, Record<string, unknown> | undefined];
        const run = () => (target.unsafe as (...args: unknown[]) => any)(query, params ?? [], prepare ? { ...options, prepare: true } : options);
        const attempt = <T>(pick: (pending: any) => Promise<T>) => withReadRetry(() => pick(run()));
        return {
          then: (resolve: any, reject: any) => attempt((p) => p).then(resolve, reject),
          catch: (reject: any) => attempt((p) => p).catch(reject),
          values: () => attempt((p) => p.values()),
        };
      };
    },
  });
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
  const reads = retryingReads(client, options.preparedReads ?? true);
  const make = (counter?: QueryCounter) => drizzlePostgres({ client: reads, logger: logger(counter) }) as unknown as Database;
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
    // Bounded: /ready must answer "not ready" quickly, not after connect_timeout.
    ping: () =>
      withTimeout(
        client`select 1`.then(() => undefined),
        PING_TIMEOUT_MS,
      ),
    close: () => client.end({ timeout: 5 }),
  };
}

const PING_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'CONNECT_TIMEOUT' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Rows of `db.execute(...)`: postgres.js returns an array, PGlite an object with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}

/**
 * Inserts many rows with one bound parameter: the rows go as one JSON array
 * and PostgreSQL unpacks them with json_to_recordset. Building a VALUES list
 * of rows × columns parameters costs more CPU in the ORM and in the server's
 * bind step than the insert itself (measured on 1 000-event captures: see
 * BENCHMARKS.md, scenario 4). `columns` maps each column to its SQL type; row
 * objects use the column names as keys (dates and nested objects serialise as
 * JSON). Both drivers (postgres.js and PGlite) accept it.
 */
export async function insertRecordset(db: Database, table: string, columns: Record<string, string>, rows: readonly object[], suffix = ''): Promise<void> {
  if (rows.length === 0) return;
  const names = Object.keys(columns);
  const list = names.map((n) => `"${n}"`).join(', ');
  const types = names.map((n) => `"${n}" ${columns[n]}`).join(', ');
  await db.execute(
    sql`insert into ${sql.raw(table)} (${sql.raw(list)}) select ${sql.raw(list)} from json_to_recordset(${JSON.stringify(rows)}::json) as r(${sql.raw(types)})${sql.raw(suffix ? ` ${suffix}` : '')}`,
  );
}

/** A uuid[] literal parameter: one bound value however many ids, so large sets stay one statement (callers pass UUIDs only). */
export const uuidArray = (ids: readonly string[]) => `{${ids.join(',')}}`;
/** A text[] literal parameter, each element quoted. */
export const textArray = (values: readonly string[]) => `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;

/**
 * A statement built once per database handle and reused. Drizzle builds the
 * SQL text of a query on every call, and for the by-id lookups behind every
 * entity fetch that cost more CPU than running them (subgraph profile of the
 * provenance scenario, BENCHMARKS.md). Use with `sql.placeholder` and `.prepare()`.
 */
export function preparedOnce<T>(build: (db: Database) => T): (db: Database) => T {
  const built = new WeakMap<Database, T>();
  return (db) => {
    let statement = built.get(db);
    if (statement === undefined) {
      statement = build(db);
      built.set(db, statement);
    }
    return statement;
  };
}

/** Run `fn` in a transaction: everything it writes lands, or nothing does. */
export function inTransaction<T>(db: Database, fn: (tx: Database) => Promise<T>): Promise<T> {
  return db.transaction((tx) => fn(tx as unknown as Database));
}

/** A unique-index race lost to a concurrent writer is the same CONFLICT the pre-check reports. */
export async function uniquely<T>(write: () => Promise<T>, onConflict: () => Error): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
    if (code === '23505') throw onConflict();
    throw error;
  }
}

export { sql };
