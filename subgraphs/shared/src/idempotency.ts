import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { jsonb, primaryKey, text, timestamp, type PgSchema } from 'drizzle-orm/pg-core';
import { GraphQLError } from 'graphql';
import { inTransaction, type Database } from './db';
import { ErrorCode } from './errors';
import type { Viewer } from './viewer';

/**
 * Clients that retry writes (event capture, recall creation, sign-up of
 * organizations) send `Idempotency-Key: <their own unique string>`. The
 * gateway forwards it with mutations only; the subgraph records the key in
 * the same transaction as the write, so a retry of an acknowledged write
 * replays the first answer and a retry of a failed one runs again. The
 * header's name and syntax live in `./http`, where the gateway reads them.
 */

/** How long a key is remembered; after that the same key starts afresh. */
export const IDEMPOTENCY_TTL_HOURS = 24;

/**
 * The table each service declares in its own Postgres schema (so its
 * migrations own it, docs/architecture.md §8): `export const idempotencyKeys = idempotencyTable(mySchema);`
 */
export function idempotencyTable(schema: PgSchema) {
  return schema.table(
    'idempotency_keys',
    {
      /** Who asked and which mutation: a key never replays another viewer's answer. */
      scope: text('scope').notNull(),
      key: text('key').notNull(),
      /** sha256 of the mutation name and its canonical input. */
      requestHash: text('request_hash').notNull(),
      /** What `save` returned: enough to rebuild the answer. */
      response: jsonb('response'),
      createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    },
    (t) => [primaryKey({ columns: [t.scope, t.key] })],
  );
}

export type IdempotencyTable = ReturnType<typeof idempotencyTable>;

export interface IdempotencyContext {
  db: Database;
  viewer: Viewer;
  idempotencyKey?: string | undefined;
}

export interface IdempotentWrite<T, S> {
  table: IdempotencyTable;
  /** The mutation's name; part of the scope and of the request hash. */
  operation: string;
  /** The mutation's arguments: the same key with a different input is refused. */
  input: unknown;
  /** The write itself, inside the transaction that also records the key. Checks that depend on the database belong here. */
  write(tx: Database): Promise<T>;
  /** What to remember of the answer (JSON). */
  save(result: T): S;
  /** Rebuilds the answer from what was remembered. */
  replay(saved: S): Promise<T>;
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` hash alike. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const viewerScope = (viewer: Viewer) =>
  viewer.kind === 'user' ? `user:${viewer.userId}` : viewer.kind === 'client' ? `client:${viewer.clientId}` : 'anonymous';

export const idempotencyConflict = () =>
  new GraphQLError('This Idempotency-Key was already used with a different request; use a new key for a new request.', {
    extensions: { code: ErrorCode.CONFLICT, reason: 'IDEMPOTENCY_KEY_REUSED' },
  });

/**
 * Runs `spec.write` in a transaction exactly once per (viewer, mutation,
 * key). Without a key it is a plain transaction. A failed write rolls the
 * key back with it, so the client's retry runs the write again; a concurrent
 * duplicate waits on the first one's row lock and then replays its answer.
 */
export async function idempotent<T, S>(ctx: IdempotencyContext, spec: IdempotentWrite<T, S>): Promise<T> {
  const key = ctx.idempotencyKey;
  if (!key) return inTransaction(ctx.db, spec.write);
  const { table } = spec;
  const scope = `${viewerScope(ctx.viewer)}:${spec.operation}`;
  const requestHash = createHash('sha256')
    .update(`${spec.operation}\n${canonicalJson(spec.input)}`)
    .digest('hex');
  const fresh = sql`${table.createdAt} > now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`;

  const previous = async () => {
    const [row] = await ctx.db
      .select({ requestHash: table.requestHash, response: table.response })
      .from(table)
      .where(and(eq(table.scope, scope), eq(table.key, key), fresh));
    if (!row) return null;
    if (row.requestHash !== requestHash) throw idempotencyConflict();
    return spec.replay(row.response as S);
  };

  const replayed = await previous();
  if (replayed !== null) return replayed;

  const outcome = await inTransaction(ctx.db, async (tx) => {
    // An expired key is forgotten first, so the insert below can claim it.
    await tx.delete(table).where(and(eq(table.scope, scope), eq(table.key, key), sql`not (${fresh})`));
    const claimed = await tx.insert(table).values({ scope, key, requestHash }).onConflictDoNothing().returning({ key: table.key });
    if (!claimed.length) return { raced: true as const };
    const result = await spec.write(tx);
    await tx
      .update(table)
      .set({ response: spec.save(result) as never })
      .where(and(eq(table.scope, scope), eq(table.key, key)));
    return { raced: false as const, result };
  });
  if (!outcome.raced) return outcome.result;
  // Another request with this key committed between our look-up and our insert.
  const answer = await previous();
  if (answer === null) throw idempotencyConflict();
  return answer;
}
