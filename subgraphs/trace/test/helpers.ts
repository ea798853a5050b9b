import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { sql, type Viewer } from '@nguon/shared';
import { demoOperator, demoOrgId, demoPaths } from '@nguon/demo/ids';
import type { startTestSubgraph, TestDatabase } from '@nguon/shared/testing';

export type Subgraph = Awaited<ReturnType<typeof startTestSubgraph>>;

/** A demo operator by slug: its id and tree path. */
export function org(slug: string) {
  const path = demoPaths.operator(demoOperator(slug));
  return { id: demoOrgId(path), path };
}

export const staffOf = (o: { id: string; path: string }): Viewer => ({
  kind: 'user',
  requestId: 't',
  userId: randomUUID(),
  grants: [{ role: 'STAFF', orgId: o.id, path: o.path }],
});
export const cityOfficer: Viewer = { kind: 'user', requestId: 't', userId: randomUUID(), grants: [{ role: 'OFFICER', orgId: demoOrgId('ct'), path: 'ct' }] };
export const anonymous: Viewer = { kind: 'anonymous', requestId: 't' };

export async function ok(subgraph: Subgraph, query: string, variables: Record<string, unknown>, viewer: Viewer) {
  const { body } = await subgraph.request(query, variables, viewer);
  expect(body.errors).toBeUndefined();
  return body.data;
}

/**
 * createLot checks its product against catalog's read contracts
 * (docs/write-authority.md): tests that create lots register a product per
 * lot in the catalog schema of their database (the seeded template has it).
 */
let catalogDb: TestDatabase | null = null;
/** The database `lot()` registers its products in. */
export const useCatalog = (db: TestDatabase) => void (catalogDb = db);

/** A catalog product of `owner`, written directly (catalog has its own tests); returns its id. */
export async function product(db: TestDatabase, owner: { id: string }, status: 'DRAFT' | 'PUBLISHED' | 'WITHDRAWN' = 'PUBLISHED'): Promise<string> {
  const id = randomUUID();
  await db.connection.rows(sql`insert into catalog.products (id, owner_id, internal_code, category, name, status)
    values (${id}, ${owner.id}, ${`T-${id}`}, (select code from catalog.categories order by code limit 1), '{"vi":"Sản phẩm thử"}'::jsonb, ${status})`);
  return id;
}

const CREATE_LOT = `mutation($input: CreateLotInput!) { createLot(input: $input) { lot { id lotCode status } } }`;

/** Creates a published lot of a fresh product owned by `owner` (call useCatalog first); returns its id. */
export async function lot(subgraph: Subgraph, owner: { id: string; path: string }, code: string, productId?: string): Promise<string> {
  if (!productId) {
    if (!catalogDb) throw new Error('lot() needs useCatalog(db) to register its product');
    productId = await product(catalogDb, owner);
  }
  const data = await ok(
    subgraph,
    CREATE_LOT,
    { input: { productId, ownerId: owner.id, lotCode: code, quantity: 1000, unit: 'KGM', season: 'Đông Xuân 2025-2026', publish: true } },
    staffOf(owner),
  );
  return data.createLot.lot.id;
}

export const CAPTURE = `mutation($input: CaptureEventsInput!) {
  captureEvents(input: $input) { createdCount duplicateCount events { id eventID eventHash bizStep } }
}`;

export async function capture(subgraph: Subgraph, owner: { id: string; path: string }, events: Record<string, unknown>[]) {
  const data = await ok(subgraph, CAPTURE, { input: { organizationId: owner.id, events } }, staffOf(owner));
  return data.captureEvents as { createdCount: number; duplicateCount: number; events: { id: string; eventID: string; eventHash: string }[] };
}

let minute = 0;
/** Strictly increasing event times, so timelines have one order. */
export const at = () => {
  minute++;
  const d = new Date(Date.UTC(2026, 0, 1, 0, 0) + minute * 60_000 - 7 * 3_600_000);
  return `${new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;
};
