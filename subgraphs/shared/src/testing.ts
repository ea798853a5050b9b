import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { connect, type Connection } from './db';
import { createLogger } from './logger';
import { startSubgraph, type BaseContext, type RunningSubgraph, type SubgraphDefinition } from './server';
import { signViewer, type Viewer } from './viewer';
import type {} from 'vitest';

export interface TestDatabase {
  connection: Connection;
  /** Closes the connection and drops the database (PostgreSQL) it ran in. */
  close(): Promise<void>;
  description: string;
}

/**
 * A database made once per test run for many files to start from: on
 * PostgreSQL a database cloned with `CREATE DATABASE … TEMPLATE`, on PGlite a
 * tarball of the data directory. Plain data, so vitest's global setup can hand
 * it to the test files (`provide`/`inject`).
 */
export type DatabaseTemplate = { kind: 'postgres'; database: string } | { kind: 'pglite'; file: string };

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated, seeded demo database of the run (e2e/global-setup.ts), for `testDatabase` to clone. */
    seededTemplate: DatabaseTemplate;
  }
}

const freshName = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

async function onServer<T>(url: string, work: (admin: postgres.Sql) => Promise<T>): Promise<T> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

const databaseUrl = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

/**
 * A database of its own for one test file: in-memory PGlite by default; with
 * DATABASE_URL, a fresh database on that server, dropped afterwards — so
 * tests never share rows and the suite runs the same on both. With a
 * `template`, it starts as a copy of that database instead of empty.
 */
export async function testDatabase(template?: DatabaseTemplate): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    if (template && template.kind !== 'pglite') throw new Error('a PostgreSQL template needs DATABASE_URL');
    const loadDataDir = template ? new Blob([readFileSync(template.file)]) : undefined;
    const connection = await connect({ dataDir: 'memory://', loadDataDir });
    return { connection, close: () => connection.close(), description: 'PGlite (memory)' };
  }
  if (template && template.kind !== 'postgres') throw new Error('a PGlite template cannot seed a PostgreSQL database');
  const name = freshName('nguon_test');
  await onServer(url, (admin) => admin.unsafe(template ? `create database ${name} template ${template.database}` : `create database ${name}`));
  const connection = await connect({ databaseUrl: databaseUrl(url, name), poolMax: 5, applicationName: 'nguon-test' });
  return {
    connection,
    description: `PostgreSQL database ${name}`,
    async close() {
      await connection.close();
      await onServer(url, (admin) => admin.unsafe(`drop database if exists ${name} with (force)`));
    },
  };
}

/**
 * Builds a template once: `build` migrates and seeds a fresh database, which
 * is then closed (PostgreSQL refuses to clone a database anyone is connected
 * to) or saved to `directory` (PGlite). `drop` removes it after the run.
 */
export async function buildDatabaseTemplate(
  build: (connection: Connection) => Promise<void>,
  directory: string,
): Promise<{ template: DatabaseTemplate; drop(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const connection = await connect({ dataDir: 'memory://' });
    const file = join(directory, `${freshName('nguon_template')}.tar`);
    try {
      await build(connection);
      writeFileSync(file, Buffer.from(await (await connection.snapshot!()).arrayBuffer()));
    } finally {
      await connection.close();
    }
    return { template: { kind: 'pglite', file }, drop: async () => rmSync(file, { force: true }) };
  }
  const database = freshName('nguon_template');
  const drop = () => onServer(url, (admin) => admin.unsafe(`drop database if exists ${database} with (force)`)).then(() => undefined);
  await onServer(url, (admin) => admin.unsafe(`create database ${database}`));
  try {
    const connection = await connect({ databaseUrl: databaseUrl(url, database), poolMax: 5, applicationName: 'nguon-test-template' });
    try {
      await build(connection);
    } finally {
      await connection.close();
    }
  } catch (error) {
    await drop();
    throw error;
  }
  return { template: { kind: 'postgres', database }, drop };
}

/** The password every seeded demo account has in tests (the run's template and any file that seeds its own). */
export const DEMO_PASSWORD = 'demo-password-for-tests';

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
 * One subgraph on a database of its own, a copy of `template`: the run's
 * migrated, seeded demo database (`inject('seededTemplate')`), so the
 * read contracts it joins (tenants' organization scope, catalog's products)
 * are there; its own migrations run again as it starts and find nothing to do.
 */
export async function startSeededSubgraph<C extends BaseContext>(definition: SubgraphDefinition<C>, template: DatabaseTemplate): Promise<SeededSubgraph> {
  const db = await testDatabase(template);
  try {
    const subgraph = await startTestSubgraph(definition, db.connection);
    return {
      db,
      subgraph,
      stop: async () => {
        await subgraph.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
