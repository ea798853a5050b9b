import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, isConnectionError, maskError, sql, type Connection } from '@nguon/shared';
import { startTestSubgraph } from '@nguon/shared/testing';
import { tenantsSubgraph } from '@nguon/tenants';
import { canRunPrivateCluster, privateCluster, type PrivateCluster } from './pgcluster';

/** A PostgreSQL cluster of this file's own, so stopping and starting it disturbs nobody else's tests. */
let cluster: PrivateCluster;
const startCluster = () => cluster.start();
const stopCluster = () => cluster.stop();

let connection: Connection;
let subgraph: Awaited<ReturnType<typeof startTestSubgraph>>;

beforeAll(async () => {
  if (!canRunPrivateCluster) return;
  cluster = await privateCluster();
  startCluster();
  connection = await connect({
    databaseUrl: cluster.url,
    poolMax: 3,
    statementTimeoutMs: 500,
    applicationName: 'nguon-fault-test',
  });
  subgraph = await startTestSubgraph(tenantsSubgraph({ secret: 'token-secret-for-the-database-fault-test-0123', ttlSeconds: 60 }), connection);
  await connection.rows(sql`create table if not exists public.captures (id serial primary key, note text not null)`);
});

afterAll(async () => {
  if (!canRunPrivateCluster) return;
  await subgraph?.close();
  await connection?.close();
  cluster?.destroy();
});

const ready = async () => (await fetch(`${new URL(subgraph.url).origin}/ready`)).status;
const ORGANIZATIONS = `{ organizations(first: 5) { nodes { id } } }`;

describe.skipIf(!canRunPrivateCluster)('database faults (a private PostgreSQL cluster)', () => {
  it('cancels a statement that runs longer than the statement timeout', async () => {
    await expect(connection.rows(sql`select pg_sleep(3)`)).rejects.toMatchObject({ cause: { code: '57014' } });
  });

  it('reports not ready while PostgreSQL is down, answers reads with SERVICE_UNAVAILABLE, and recovers without a restart', async () => {
    expect(await ready()).toBe(200);
    expect((await subgraph.request(ORGANIZATIONS)).body.errors).toBeUndefined();
    stopCluster();
    try {
      const started = performance.now();
      expect(await ready()).toBe(503);
      expect(performance.now() - started).toBeLessThan(3000);
      const down = await subgraph.request(ORGANIZATIONS);
      expect(down.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
      expect(JSON.stringify(down.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|postgres|\.ts:\d+/);
    } finally {
      startCluster();
    }
    expect(await ready()).toBe(200);
    const back = await subgraph.request(ORGANIZATIONS);
    expect(back.body.errors).toBeUndefined();
  });

  it('retries a read that meets a restarting server and answers it', async () => {
    const db = connection.drizzle();
    await db.execute(sql`select 1`); // a pooled connection that the restart will kill
    stopCluster();
    const restart = new Promise<void>((resolve) => setTimeout(() => (startCluster(), resolve()), 300));
    const rows = await db.execute(sql`select 42 as answer`);
    await restart;
    expect([...(rows as unknown as { answer: number }[])]).toEqual([{ answer: 42 }]);
  });

  it('does not retry a write: it fails cleanly while the server is down and leaves no row behind', async () => {
    const db = connection.drizzle();
    stopCluster();
    let failure: unknown;
    try {
      await db.execute(sql`insert into public.captures (note) values ('during outage')`);
    } catch (error) {
      failure = error;
    } finally {
      startCluster();
    }
    expect(isConnectionError(failure)).toBe(true);
    const masked = maskError({ error: () => {} })({ message: String(failure), path: ['captureEvent'] }, failure);
    expect(masked.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(masked.message).not.toMatch(/127\.0\.0\.1|ECONN/);
    expect(await connection.rows(sql`select count(*)::int as n from public.captures`)).toEqual([{ n: 0 }]);
    await db.execute(sql`insert into public.captures (note) values ('after recovery')`);
    expect(await connection.rows(sql`select note from public.captures`)).toEqual([{ note: 'after recovery' }]);
  });
});
