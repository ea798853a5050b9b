import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSeededSubgraph, type TestDatabase, type TestSubgraph } from '@nguon/shared/testing';
import { migrationsFolder as tenantsMigrations } from '@nguon/tenants';
import { seedTenants } from '@nguon/tenants/seed';
import { seedTrace } from '../src/seed';
import { traceSubgraph } from '../src/server';
import { CATALOG, cityOfficer, ok, org, product, staffOf, type Subgraph } from './helpers';

let db: TestDatabase;
let subgraph: Subgraph;
const farm = org('htx_lua_thoi_thuan');

let stop = async () => {};
beforeAll(async () => {
  ({ db, subgraph, stop } = await startSeededSubgraph(traceSubgraph(), {
    migrateFirst: [[tenantsMigrations, 'tenants'], CATALOG],
    seed: async (tx) => {
      await seedTenants(tx, 'outbox-test-password');
      await seedTrace(tx);
    },
  }));
});
afterAll(() => stop());

const OUTBOX = `{ nationalOutbox { pendingCount deliveredCount deadCount entries(first: 100) { nodes { lotId status attempts } } } }`;
const CREATE = `mutation($input: CreateLotInput!) { createLot(input: $input) { lot { id status } } }`;
const PUBLISH = `mutation($id: ID!) { publishLot(input: { lotId: $id }) { lot { status } } }`;

describe('national portal outbox', () => {
  it('starts empty: the seeded demo lots are never queued for the national portal', async () => {
    expect(await ok(subgraph, OUTBOX, {}, cityOfficer)).toEqual({ nationalOutbox: { pendingCount: 0, deliveredCount: 0, deadCount: 0, entries: { nodes: [] } } });
  });

  it('queues a lot when it is published, once, and never a draft', async () => {
    const productId = await product(db, farm);
    const input = { productId, ownerId: farm.id, quantity: 10, unit: 'KGM' };
    const draft = (await ok(subgraph, CREATE, { input: { ...input, lotCode: 'OB-1' } }, staffOf(farm))).createLot.lot.id;
    const atOnce = (await ok(subgraph, CREATE, { input: { ...input, lotCode: 'OB-2', publish: true } }, staffOf(farm))).createLot.lot.id;
    let queued = (await ok(subgraph, OUTBOX, {}, cityOfficer)).nationalOutbox.entries.nodes.map((e: { lotId: string }) => e.lotId);
    expect(queued).toContain(atOnce);
    expect(queued).not.toContain(draft);

    await ok(subgraph, PUBLISH, { id: draft }, staffOf(farm));
    const again = await subgraph.request(PUBLISH, { id: draft }, staffOf(farm));
    expect(again.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    queued = (await ok(subgraph, OUTBOX, {}, cityOfficer)).nationalOutbox.entries.nodes.map((e: { lotId: string }) => e.lotId);
    expect(queued.filter((id: string) => id === draft)).toHaveLength(1);
  });

  it('shows the queue to supervisors of the lots only', async () => {
    const staff = await subgraph.request(OUTBOX, {}, staffOf(farm));
    expect(staff.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const otherDistrict = org('htx_dau_ha_chau');
    const districtPath = otherDistrict.path.split('.').slice(0, -1).join('.');
    const officer = { kind: 'user' as const, requestId: 't', userId: randomUUID(), grants: [{ role: 'OFFICER' as const, orgId: randomUUID(), path: districtPath }] };
    if (!farm.path.startsWith(`${districtPath}.`)) expect((await ok(subgraph, OUTBOX, {}, officer)).nationalOutbox.pendingCount).toBe(0);
    expect((await ok(subgraph, OUTBOX, {}, cityOfficer)).nationalOutbox.pendingCount).toBe(2);
  });
});
