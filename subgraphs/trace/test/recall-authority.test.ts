import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql, type Database, type Viewer } from '@nguon/shared';
import { demoOrgId } from '@nguon/demo/ids';
import { startSeededSubgraph, type TestDatabase } from '@nguon/shared/testing';
import { traceSubgraph } from '../src/server';
import { closeRecall, extendRecall, recordRecovery } from '../src/services/recall';
import { lot, ok, org, useCatalog, type Subgraph } from './helpers';

/*
 * Recall acts decided against the recall as it is under its lock
 * (docs/write-authority.md, "Recalls"): an extension that commits between a
 * closer's first reads and its lock adds root lots the closer must oversee too.
 */

let db: TestDatabase;
let subgraph: Subgraph;
let stop = async () => {};
beforeAll(async () => {
  ({ db, subgraph, stop } = await startSeededSubgraph(traceSubgraph(), inject('seededTemplate')));
  useCatalog(db);
});
afterAll(() => stop());

const farm = org('htx_lua_thoi_thuan'); // Thốt Nốt district
const farAway = org('htx_dau_ha_chau'); // Phong Điền district, same department
const district = farm.path.split('.').slice(0, -1).join('.');
const department = district.split('.').slice(0, -1).join('.');
const officer = (path: string): Viewer => ({ kind: 'user', requestId: 't', userId: randomUUID(), grants: [{ role: 'OFFICER', orgId: demoOrgId(path), path }] });
const districtOfficer = officer(district);
const departmentOfficer = officer(department);

const OPEN = `mutation($input: OpenRecallInput!) { openRecall(input: $input) { recall { id } } }`;

/**
 * `db`, except that its first transaction starts only after `meanwhile` has
 * run and committed on the real database: a write landing between a
 * service's reads and its lock, every time.
 */
function racing(target: Database, meanwhile: () => Promise<unknown>): Database {
  let raced = false;
  return new Proxy(target, {
    get(t, key) {
      const value = Reflect.get(t, key, t);
      if (typeof value !== 'function') return value;
      if (key !== 'transaction' || raced) return value.bind(t);
      return async (...args: unknown[]) => {
        raced = true;
        await meanwhile();
        return value.apply(t, args);
      };
    },
  });
}

const statusOf = async (recallId: string) =>
  (
    await db.connection.rows<{ status: string; roots: number }>(sql`
    select status, (select count(*)::int from trace.recall_lots where recall_id = r.id and root) as roots from trace.recalls r where id = ${recallId}`)
  )[0]!;

describe('a recall extended while another act waits for its lock', () => {
  let n = 0;
  /** A CLASS_I recall the district officer opened on a farm lot, and a Phong Điền lot the department officer adds during the act. */
  async function setUp() {
    expect(farAway.path.startsWith(`${department}.`) && !farAway.path.startsWith(`${district}.`)).toBe(true);
    const mine = await lot(subgraph, farm, `RACE-${++n}`);
    const theirs = await lot(subgraph, farAway, `RACE-${++n}`);
    const recallId = (await ok(subgraph, OPEN, { input: { lotIds: [mine], severity: 'CLASS_I', reason: 'Nấm mốc aflatoxin' } }, districtOfficer)).openRecall
      .recall.id as string;
    const conn = db.connection.drizzle();
    const extend = () => extendRecall({ db: conn, viewer: departmentOfficer }, { recallId, lotIds: [theirs], reason: 'Cùng nguồn giống' });
    return { mine, recallId, conn, extend };
  }

  it('is not closed by an officer who does not oversee the root lot added meanwhile', async () => {
    const { recallId, conn, extend } = await setUp();
    await expect(
      closeRecall({ db: racing(conn, extend), viewer: districtOfficer }, { recallId, writeOffOutstanding: true, reason: 'Không thu hồi được' }),
    ).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    expect(await statusOf(recallId)).toEqual({ status: 'OPEN', roots: 2 });
    // The department officer oversees both root lots' owners.
    await closeRecall({ db: conn, viewer: departmentOfficer }, { recallId, writeOffOutstanding: true, reason: 'Không thu hồi được' });
    expect((await statusOf(recallId)).status).toBe('CLOSED');
  });

  it('takes recovery for another holder only from an officer who oversees every root lot, the one added meanwhile included', async () => {
    const { mine, recallId, conn, extend } = await setUp();
    const input = { recallId, lotId: mine, holderId: farm.id, quantity: 1 };
    await expect(recordRecovery({ db: racing(conn, extend), viewer: districtOfficer }, input)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const [row] = await db.connection.rows<{ recovered: string }>(
      sql`select quantity_recovered::text as recovered from trace.recall_lots where recall_id = ${recallId} and lot_id = ${mine}`,
    );
    expect(Number(row!.recovered)).toBe(0);
    await recordRecovery({ db: conn, viewer: departmentOfficer }, input);
    expect((await statusOf(recallId)).status).toBe('IN_PROGRESS');
  });
});
