import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { connect, inTransaction, type Connection, type Database } from './db';
import { createLogger } from './logger';
import { startSubgraph, type BaseContext, type RunningSubgraph, type SubgraphDefinition } from './server';
import { signViewer, type Viewer } from './viewer';

export interface TestDatabase {
  connection: Connection;
  /** Closes the connection and drops the database (PostgreSQL) it ran in. */
  close(): Promise<void>;
  description: string;
}

/**
 * A database of its own for one test file: in-memory PGlite by default; with
 * DATABASE_URL, a fresh database on that server, dropped afterwards — so
 * tests never share rows and the suite runs the same on both.
 */
export async function testDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const connection = await connect({ dataDir: 'memory://' });
    return { connection, close: () => connection.close(), description: 'PGlite (memory)' };
  }
  const name = `nguon_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const connection = await connect({ databaseUrl: dbUrl.toString(), poolMax: 5, applicationName: 'nguon-test' });
  return {
    connection,
    description: `PostgreSQL database ${name}`,
    async close() {
      await connection.close();
      const dropper = postgres(url, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

export const TEST_GATEWAY_SECRET = 'test-gateway-secret-that-is-long-enough-0123456789';

/** One subgraph on a loopback port, and a client that signs requests as the gateway would. */
export async function startTestSubgraph<C extends BaseContext>(definition: SubgraphDefinition<C>, connection: Connection) {
  const running: RunningSubgraph = await startSubgraph(definition, {
    connection,
    gatewaySecret: TEST_GATEWAY_SECRET,
    logger: createLogger(definition.name, 'silent'),
  });
  const request = async (query: string, variables: Record<string, unknown> = {}, viewer: Viewer = { kind: 'anonymous', requestId: 'test' }) => {
    const response = await fetch(running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-nguon-viewer': signViewer(viewer, TEST_GATEWAY_SECRET) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
  };
  return { ...running, request };
}

export type TestSubgraph = Awaited<ReturnType<typeof startTestSubgraph>>;

export interface SeededSubgraph {
  db: TestDatabase;
  subgraph: TestSubgraph;
  /** Closes the subgraph and drops its database. */
  stop(): Promise<void>;
}

/**
 * One subgraph on a fresh database of its own: the migrations of the
 * services whose read contracts it joins run first (tenants' organization
 * scope, say), then its own as it starts, then `seed` in one transaction.
 */
export async function startSeededSubgraph<C extends BaseContext>(
  definition: SubgraphDefinition<C>,
  options: { migrateFirst?: [folder: string, schema: string][]; seed?: (tx: Database) => Promise<unknown> } = {},
): Promise<SeededSubgraph> {
  const db = await testDatabase();
  try {
    for (const [folder, schema] of options.migrateFirst ?? []) await db.connection.migrate(folder, schema);
    const subgraph = await startTestSubgraph(definition, db.connection);
    if (options.seed) await inTransaction(db.connection.drizzle(), async (tx) => void (await options.seed!(tx)));
    return { db, subgraph, stop: async () => {
      await subgraph.close();
      await db.close();
    } };
  } catch (error) {
    await db.close();
    throw error;
  }
}
