import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql, type Viewer } from '@nguon/shared';
import { OPERATORS, PRODUCTS } from '@nguon/demo/cantho';
import { demoOrgId, demoProductId } from '@nguon/demo/ids';
import { startSeededSubgraph, type TestDatabase } from '@nguon/shared/testing';
import { demoAreaId } from '@nguon/catalog/seed';
import { traceSubgraph } from '../src/server';
import { convert, evaluateNorm } from '../src/services/norms';
import { ok, org, staffOf, type Subgraph } from './helpers';

/**
 * Write authority over lots (docs/write-authority.md, "Lots" and
 * "Plausibility against the season norm"): each refusal has its stable code
 * and writes no lot, no audit row and no national-portal record.
 */

let db: TestDatabase;
let subgraph: Subgraph;
let stop = async () => {};

const farm = org('htx_lua_thoi_thuan'); // Thốt Nốt district, agriculture
const neighbour = org('htx_lua_tan_loc'); // same district
const farAway = org('htx_lua_thanh_an'); // Vĩnh Thạnh district
const userOn = (role: 'OFFICER' | 'ADMIN' | 'STAFF', path: string): Viewer => ({
  kind: 'user',
  requestId: 't',
  userId: randomUUID(),
  grants: [{ role, orgId: demoOrgId(path), path }],
});
const district = farm.path.split('.').slice(0, -1).join('.');
const districtOfficer = userOn('OFFICER', district);
const farmAdmin = userOn('ADMIN', farm.path);

const productOf = (slug: string, n = 0) => demoProductId(PRODUCTS.filter((p) => p.operator === slug)[n]!);
const riceProduct = productOf('htx_lua_thoi_thuan'); // published
const draftOfOther = productOf('htx_lua_thanh_an', 2); // a DRAFT of another district's producer
const otherDepartment = demoProductId(PRODUCTS.find((p, i) => i % 9 !== 8 && OPERATORS.find((o) => o.slug === p.operator)!.department === 'industry_trade')!);
const area = demoAreaId('VN-CT-TN-0003'); // 95 ha of ST25, norms 7 200 kg/ha (Đông Xuân) and 5 800 kg/ha (Hè Thu)
const neighbourArea = demoAreaId('VN-CT-TN-0011');
const SEASON = 'Hè Thu 2026'; // no seeded lots: capacity 95 × 5 800 × 1.2 = 661 200 kg

beforeAll(async () => {
  ({ db, subgraph, stop } = await startSeededSubgraph(traceSubgraph(), inject('seededTemplate')));
});
afterAll(() => stop());

const counts = async () => {
  const [row] = await db.connection.rows<{ lots: number; audit: number; outbox: number }>(sql`
    select (select count(*)::int from trace.lots) as lots, (select count(*)::int from trace.lot_audit) as audit,
           (select count(*)::int from trace.national_outbox) as outbox`);
  return row!;
};

const CREATE = `mutation($input: CreateLotInput!) { createLot(input: $input) { lot { id status quantity normCheck { season checked capacity alreadyClaimed requested claimed unit exceeded } } } }`;
let codes = 0;
const lotInput = (over: Record<string, unknown> = {}) => ({
  productId: riceProduct,
  ownerId: farm.id,
  lotCode: `LA-${++codes}`,
  quantity: 1000,
  unit: 'KGM',
  ...over,
});

/** Sets a season norm on the 95 ha field, as catalog's overseer would. */
const norm = (season: string, yieldPerHectare: number) =>
  db.connection.rows(
    sql`insert into catalog.season_norms (id, area_id, season, expected_yield_per_hectare, yield_unit) values (${randomUUID()}, ${area}, ${season}, ${yieldPerHectare}, 'KGM')`,
  );

/** Asks for a write that must be refused; asserts the code and that nothing was written. */
async function refusedWith(code: string, query: string, variables: Record<string, unknown>, viewer: Viewer) {
  const before = await counts();
  const { body } = await subgraph.request(query, variables, viewer);
  expect(body.errors?.[0]?.extensions?.code, JSON.stringify(body.errors)).toBe(code);
  expect(await counts()).toEqual(before);
  return body.errors![0]!;
}

describe('the season norm, as a rule', () => {
  it('converts tonnes and kilograms and nothing else', () => {
    expect(convert(2, 'TNE', 'KGM')).toBe(2000);
    expect(convert(500, 'KGM', 'TNE')).toBe(0.5);
    expect(convert(3, 'H87', 'KGM')).toBeNull();
  });

  it('sums the other lots with this one against hectares × yield × (1 + tolerance)', () => {
    const base = { areaId: area, season: 'x', hectares: 95, yieldPerHectare: 7200, tolerance: 0.2, unit: 'KGM' };
    expect(evaluateNorm({ ...base, alreadyClaimed: 0, requested: 820_800 })).toMatchObject({ capacity: 820_800, claimed: 820_800, exceeded: false });
    expect(evaluateNorm({ ...base, alreadyClaimed: 820_000, requested: 801 })).toMatchObject({ exceeded: true, alreadyClaimed: 820_000, requested: 801 });
    expect(evaluateNorm({ ...base, alreadyClaimed: 0, requested: 9_500_000 }).exceeded).toBe(true);
  });
});

describe('createLot references', () => {
  it('answers a made-up product and another organization’s invisible draft alike', async () => {
    const madeUp = await refusedWith('BAD_USER_INPUT', CREATE, { input: lotInput({ productId: randomUUID() }) }, staffOf(farm));
    const draft = await refusedWith('BAD_USER_INPUT', CREATE, { input: lotInput({ productId: draftOfOther }) }, staffOf(farm));
    expect(draft.message).toBe(madeUp.message);
    expect(draft.extensions?.field).toEqual(['input', 'productId']);
    expect(madeUp.extensions?.field).toEqual(['input', 'productId']);
  });

  it('refuses a lot of another organization’s published product, even another department’s, as NOT_OWNER', async () => {
    await refusedWith('NOT_OWNER', CREATE, { input: lotInput({ productId: productOf('htx_lua_tan_loc'), publish: true }) }, staffOf(farm));
    await refusedWith('NOT_OWNER', CREATE, { input: lotInput({ productId: otherDepartment, publish: true }) }, staffOf(farm));
  });

  it('refuses another organization’s production area and a made-up one alike', async () => {
    const theirs = await refusedWith('NOT_OWNER', CREATE, { input: lotInput({ productionAreaId: neighbourArea, season: SEASON }) }, staffOf(farm));
    const none = await refusedWith('NOT_OWNER', CREATE, { input: lotInput({ productionAreaId: randomUUID(), season: SEASON }) }, staffOf(farm));
    expect(none.message).toBe(theirs.message);
  });

  it('refuses to publish a lot of a draft product, and a lot of a withdrawn product at all', async () => {
    const draftProduct = productOf('htx_lua_thanh_an', 2);
    await refusedWith('NOT_PUBLISHABLE', CREATE, { input: lotInput({ productId: draftProduct, ownerId: farAway.id, publish: true }) }, staffOf(farAway));
    // A draft lot of one's own draft product is fine.
    expect((await ok(subgraph, CREATE, { input: lotInput({ productId: draftProduct, ownerId: farAway.id }) }, staffOf(farAway))).createLot.lot.status).toBe(
      'DRAFT',
    );
    const withdrawn = randomUUID();
    await db.connection.rows(sql`insert into catalog.products (id, owner_id, internal_code, category, name, status)
      values (${withdrawn}, ${farm.id}, ${`W-${withdrawn.slice(0, 8)}`}, (select code from catalog.categories limit 1), '{"vi":"Rút"}'::jsonb, 'WITHDRAWN')`);
    await refusedWith('NOT_PUBLISHABLE', CREATE, { input: lotInput({ productId: withdrawn }) }, staffOf(farm));
  });

  it('lets a licensed contract packer make lots of the licensor’s product', async () => {
    await refusedWith('NOT_OWNER', CREATE, { input: lotInput({ productId: riceProduct, ownerId: neighbour.id }) }, staffOf(neighbour));
    await db.connection.rows(
      sql`insert into catalog.product_licences (id, product_id, licensee_id, granted_by) values (${randomUUID()}, ${riceProduct}, ${neighbour.id}, 'test')`,
    );
    const made = await ok(subgraph, CREATE, { input: lotInput({ ownerId: neighbour.id, publish: true }) }, staffOf(neighbour));
    expect(made.createLot.lot.status).toBe('PUBLISHED');
  });
});

describe('createLot against the season norm', () => {
  it('refuses a 9 500 000 kg lot on the 95 ha field with the figures, writing nothing', async () => {
    const error = await refusedWith(
      'NORM_EXCEEDED',
      CREATE,
      { input: lotInput({ productionAreaId: area, season: SEASON, quantity: 9_500_000, publish: true }) },
      staffOf(farm),
    );
    expect(error.extensions).toMatchObject({ capacity: 661_200, alreadyClaimed: 0, requested: 9_500_000, unit: 'KGM' });
  });

  it('refuses the lot whose sum with its siblings crosses the capacity, in tonnes too', async () => {
    const season = 'Hè Thu 2026';
    const first = await ok(subgraph, CREATE, { input: lotInput({ productionAreaId: area, season, quantity: 400_000, publish: true }) }, staffOf(farm));
    expect(first.createLot.lot).toMatchObject({
      status: 'PUBLISHED',
      normCheck: { checked: true, capacity: 661_200, alreadyClaimed: 0, claimed: 400_000, exceeded: false },
    });
    const second = await ok(subgraph, CREATE, { input: lotInput({ productionAreaId: area, season, quantity: 200, unit: 'TNE' }) }, staffOf(farm));
    expect(second.createLot.lot.normCheck).toMatchObject({ alreadyClaimed: 400_000, requested: 200_000, claimed: 600_000 });
    const error = await refusedWith('NORM_EXCEEDED', CREATE, { input: lotInput({ productionAreaId: area, season, quantity: 61_201 }) }, staffOf(farm));
    expect(error.extensions).toMatchObject({ alreadyClaimed: 600_000, requested: 61_201 });
    // Exactly up to the capacity still fits.
    await ok(subgraph, CREATE, { input: lotInput({ productionAreaId: area, season, quantity: 61_200 }) }, staffOf(farm));
  });

  it('serialises concurrent creates so two lots cannot both slip under the capacity', async () => {
    const season = 'Đông Xuân 2025-2026';
    const [row] = await db.connection.rows<{ claimed: string }>(
      sql`select coalesce(sum(quantity), 0) as claimed from trace.lots where production_area_id = ${area} and season = ${season} and status <> 'REJECTED'`,
    );
    const left = 95 * 7200 * 1.2 - Number(row!.claimed);
    const tries = await Promise.all(
      [0, 1, 2].map(() => subgraph.request(CREATE, { input: lotInput({ productionAreaId: area, season, quantity: Math.floor(left * 0.6) }) }, staffOf(farm))),
    );
    expect(tries.filter((t) => !t.body.errors).length).toBe(1);
    expect(tries.filter((t) => t.body.errors?.[0]?.extensions?.code === 'NORM_EXCEEDED').length).toBe(2);
  });

  it('refuses a unit that cannot be compared with the norm', async () => {
    const error = await refusedWith(
      'BAD_USER_INPUT',
      CREATE,
      { input: lotInput({ productionAreaId: area, season: SEASON, quantity: 3, unit: 'H87' }) },
      staffOf(farm),
    );
    expect(error.message).toMatch(/H87.*KGM/);
  });

  it('checks a season typed with other accents, case, spacing or dashes against the norm it names, and refuses a lot with no season', async () => {
    const label = 'Đông Xuân 2031-2032';
    await norm(label, 7200);
    for (const season of [
      label.toLowerCase(),
      label.normalize('NFD'),
      `  ${label.toUpperCase().replace(' ', '   ').replace('-', ' – ')} `,
      'dong xuan 2031/2032',
    ]) {
      await refusedWith('NORM_EXCEEDED', CREATE, { input: lotInput({ productionAreaId: area, season, quantity: 9_500_000, publish: true }) }, staffOf(farm));
    }
    const none = await refusedWith(
      'BAD_USER_INPUT',
      CREATE,
      { input: lotInput({ productionAreaId: area, quantity: 9_500_000, publish: true }) },
      staffOf(farm),
    );
    expect(none.extensions?.field).toEqual(['input', 'season']);
    // A plausible lot typed the other way is recorded under the norm's own label, so later sums count it.
    const made = await ok(subgraph, CREATE, { input: lotInput({ productionAreaId: area, season: label.toLowerCase(), quantity: 5 }) }, staffOf(farm));
    expect(made.createLot.lot.normCheck).toMatchObject({ checked: true, season: label, alreadyClaimed: 0 });
  });

  it('records that a season without a norm was not checked', async () => {
    const made = await ok(subgraph, CREATE, { input: lotInput({ productionAreaId: area, season: 'Thu Đông 2030', quantity: 5 }) }, staffOf(farm));
    expect(made.createLot.lot.normCheck).toMatchObject({ checked: false, exceeded: false });
  });
});

const PUBLISH = `mutation($id: ID!) { publishLot(input: { lotId: $id }) { lot { status } } }`;
const REVIEW = `mutation($input: ReviewLotInput!) { reviewLot(input: $input) { lot { status review { reviewedBy note publishOnApproval } audit { action reason actorId detail } } } }`;
const CORRECT = `mutation($input: CorrectLotQuantityInput!) { correctLotQuantity(input: $input) { lot { status quantity normCheck { claimed exceeded } audit { action reason detail } } } }`;
const QUEUE = `{ lotsUnderReview(first: 100) { totalCount nodes { id status } } }`;

describe('review of lots over the norm', () => {
  let held: string;
  it('holds an over-norm lot UNDER_REVIEW on request: hidden from anonymous viewers, not publishable', async () => {
    await norm('Hè Thu 2027', 7200);
    const outbox = (await counts()).outbox;
    const made = await ok(
      subgraph,
      CREATE,
      { input: lotInput({ productionAreaId: area, season: 'Hè Thu 2027', quantity: 9_500_000, publish: true, onNormExceeded: 'REVIEW' }) },
      staffOf(farm),
    );
    held = made.createLot.lot.id;
    expect(made.createLot.lot).toMatchObject({ status: 'UNDER_REVIEW', normCheck: { exceeded: true } });
    expect((await counts()).outbox).toBe(outbox);
    expect((await subgraph.request(`query($id: ID!) { lot(id: $id) { id } }`, { id: held })).body.data.lot).toBeNull();
    await refusedWith('NOT_PUBLISHABLE', PUBLISH, { id: held }, staffOf(farm));
    const rows = await db.connection.rows<{ action: string }>(sql`select action from trace.lot_audit where lot_id = ${held} order by at, id`);
    expect(rows.map((r) => r.action)).toEqual(['CREATED', 'HELD_FOR_REVIEW']);
  });

  it('lists it in the district officer’s queue, not in the producer ADMIN’s', async () => {
    expect((await ok(subgraph, QUEUE, {}, districtOfficer)).lotsUnderReview.nodes.map((n: { id: string }) => n.id)).toContain(held);
    expect((await ok(subgraph, QUEUE, {}, farmAdmin)).lotsUnderReview.totalCount).toBe(0);
    expect((await ok(subgraph, QUEUE, {}, userOn('OFFICER', farAway.path.split('.').slice(0, -1).join('.')))).lotsUnderReview.totalCount).toBe(0);
  });

  it('lets neither the producer’s own ADMIN nor its staff approve it', async () => {
    await refusedWith('FORBIDDEN', REVIEW, { input: { lotId: held, decision: 'APPROVE', reason: 'ok' } }, farmAdmin);
    await refusedWith('FORBIDDEN', REVIEW, { input: { lotId: held, decision: 'APPROVE' } }, staffOf(farm));
  });

  it('needs a reason to reject', async () => {
    await refusedWith('BAD_USER_INPUT', REVIEW, { input: { lotId: held, decision: 'REJECT', reason: '  ' } }, districtOfficer);
  });

  it('publishes it when the district officer approves, because the producer had asked for publication', async () => {
    const outbox = (await counts()).outbox;
    const reviewed = await ok(subgraph, REVIEW, { input: { lotId: held, decision: 'APPROVE', reason: 'Biên bản thu hoạch đã kiểm tra' } }, districtOfficer);
    expect(reviewed.reviewLot.lot.status).toBe('PUBLISHED');
    expect(reviewed.reviewLot.lot.review).toMatchObject({ reviewedBy: (districtOfficer as { userId: string }).userId, note: 'Biên bản thu hoạch đã kiểm tra' });
    expect(reviewed.reviewLot.lot.audit.map((a: { action: string }) => a.action)).toEqual(['CREATED', 'HELD_FOR_REVIEW', 'APPROVED', 'PUBLISHED']);
    expect((await counts()).outbox).toBe(outbox + 1);
    expect((await subgraph.request(`query($id: ID!) { lot(id: $id) { status } }`, { id: held })).body.data.lot.status).toBe('PUBLISHED');
    await refusedWith('BAD_USER_INPUT', REVIEW, { input: { lotId: held, decision: 'REJECT', reason: 'again' } }, districtOfficer);
  });

  it('keeps a rejected lot internal for good and stops counting it against the norm', async () => {
    const season = 'Hè Thu 2028';
    await norm(season, 5800);
    const made = await ok(
      subgraph,
      CREATE,
      { input: lotInput({ productionAreaId: area, season, quantity: 700_000, onNormExceeded: 'REVIEW' }) },
      staffOf(farm),
    );
    const id = made.createLot.lot.id;
    expect(made.createLot.lot.status).toBe('UNDER_REVIEW');
    const rejected = await ok(subgraph, REVIEW, { input: { lotId: id, decision: 'REJECT', reason: 'Vượt năng suất' } }, districtOfficer);
    expect(rejected.reviewLot.lot.status).toBe('REJECTED');
    await refusedWith('NOT_PUBLISHABLE', PUBLISH, { id }, staffOf(farm));
    const next = await ok(subgraph, CREATE, { input: lotInput({ productionAreaId: area, season, quantity: 600_000 }) }, staffOf(farm));
    expect(next.createLot.lot.normCheck).toMatchObject({ alreadyClaimed: 0, exceeded: false });
  });
});

describe('correctLotQuantity', () => {
  it('needs a reason and the owner’s operator', async () => {
    const made = await ok(subgraph, CREATE, { input: lotInput({ productionAreaId: area, season: 'Hè Thu 2029', quantity: 1000 }) }, staffOf(farm));
    const id = made.createLot.lot.id;
    await refusedWith('BAD_USER_INPUT', CORRECT, { input: { lotId: id, quantity: 900, reason: '' } }, staffOf(farm));
    await refusedWith('BAD_USER_INPUT', CORRECT, { input: { lotId: id, quantity: 900, reason: 'x'.repeat(2001) } }, staffOf(farm));
    await refusedWith('FORBIDDEN', CORRECT, { input: { lotId: id, quantity: 900, reason: 'cân lại' } }, districtOfficer);
  });

  it('audits the old and new value and re-checks the norm without the lot’s own old quantity', async () => {
    const season = 'Đông Xuân 2030-2031';
    await norm(season, 7200);
    const made = await ok(subgraph, CREATE, { input: lotInput({ productionAreaId: area, season, quantity: 800_000, publish: true }) }, staffOf(farm));
    const id = made.createLot.lot.id;
    // 820 000 fits only because the lot's old 800 000 is not counted twice.
    const fixed = await ok(subgraph, CORRECT, { input: { lotId: id, quantity: 820_000, reason: 'Cân lại tại kho' } }, staffOf(farm));
    expect(fixed.correctLotQuantity.lot).toMatchObject({ status: 'PUBLISHED', quantity: 820_000, normCheck: { claimed: 820_000, exceeded: false } });
    const corrected = fixed.correctLotQuantity.lot.audit.find((a: { action: string }) => a.action === 'CORRECTED');
    expect(corrected).toMatchObject({ reason: 'Cân lại tại kho', detail: { quantity: { from: 800_000, to: 820_000 } } });

    await refusedWith('NORM_EXCEEDED', CORRECT, { input: { lotId: id, quantity: 900_000, reason: 'nhầm' } }, staffOf(farm));
    const held = await ok(
      subgraph,
      CORRECT,
      { input: { lotId: id, quantity: 900_000, reason: 'Cộng thêm ruộng thuê', onNormExceeded: 'REVIEW' } },
      staffOf(farm),
    );
    expect(held.correctLotQuantity.lot.status).toBe('UNDER_REVIEW');
    // A published lot leaves the public until approved.
    expect((await subgraph.request(`query($id: ID!) { lot(id: $id) { id } }`, { id })).body.data.lot).toBeNull();
    const approved = await ok(subgraph, REVIEW, { input: { lotId: id, decision: 'APPROVE' } }, districtOfficer);
    expect(approved.reviewLot.lot.status).toBe('PUBLISHED');
  });
});
