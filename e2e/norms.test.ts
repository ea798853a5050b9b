import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@nguon/shared';
import { OPERATORS, PRODUCTS } from '@nguon/demo/cantho';
import { demoGtin, demoOperator, demoOrgId, demoPaths, demoProductId } from '@nguon/demo/ids';
import { demoEmail, startTestStack, type TestStack } from './helpers';

/**
 * Lot write authority end to end (docs/write-authority.md, "Lots" and
 * "Plausibility against the season norm"), through the gateway with real
 * sign-ins: the cases found from the outside, each refused with its code and
 * nothing written; the over-norm lot held for review, invisible to consumers
 * until the district officer approves it.
 */

let stack: TestStack;
let base: string;
beforeAll(async () => {
  stack = await startTestStack();
  base = stack.gateway.url.replace(/\/graphql$/, '');
});
afterAll(() => stack?.stop());

const farmPath = demoPaths.operator(demoOperator('htx_lua_thoi_thuan'));
const farmId = demoOrgId(farmPath);
const farAwayPath = demoPaths.operator(demoOperator('htx_lua_thanh_an'));
const districtPath = demoPaths.district('agri', 'thot_not');
const products = (slug: string) => PRODUCTS.map((p, i) => ({ p, i })).filter(({ p }) => p.operator === slug);
const rice = products('htx_lua_thoi_thuan')[0]!.p; // PUBLISHED
const farAwayDraft = products('htx_lua_thanh_an').find(({ i }) => i % 9 === 8)!.p; // that producer's DRAFT
const otherDepartment = PRODUCTS.find((p, i) => i % 9 !== 8 && OPERATORS.find((o) => o.slug === p.operator)!.department === 'industry_trade')!;

const staff = () => stack.tokenFor(demoEmail('STAFF', farmPath));
const CREATE = `mutation($input: CreateLotInput!) { createLot(input: $input) { lot { id lotCode status normCheck { capacity claimed exceeded } } } }`;
const PUBLISH = `mutation($id: ID!) { publishLot(input: { lotId: $id }) { lot { status } } }`;
const REVIEW = `mutation($input: ReviewLotInput!) { reviewLot(input: $input) { lot { status } } }`;
const CORRECT = `mutation($input: CorrectLotQuantityInput!) { correctLotQuantity(input: $input) { lot { quantity status audit { action reason detail } } } }`;

/** The farm's 95 ha ST25 field (Đông Xuân norm 7 200 kg/ha, Hè Thu 5 800 kg/ha, default tolerance 20 %). */
let areaId = '';
beforeAll(async () => {
  const [row] = await stack.db.connection.rows<{ id: string }>(sql`select id from catalog.area_scope where owner_id = ${farmId} and hectares = 95`);
  areaId = row!.id;
});

const counts = async () => {
  const [row] = await stack.db.connection.rows<{ lots: number; audit: number; outbox: number }>(sql`
    select (select count(*)::int from trace.lots) as lots, (select count(*)::int from trace.lot_audit) as audit,
           (select count(*)::int from trace.national_outbox) as outbox`);
  return row!;
};

/** A write that must be refused: its code, and nothing written anywhere the lot would leave a trace. */
async function refused(code: string, query: string, variables: Record<string, unknown>, token: string) {
  const before = await counts();
  const result = await stack.gql(query, variables, { token });
  expect(result.errors?.[0]?.extensions?.code, JSON.stringify(result.errors)).toBe(code);
  expect(result.data?.createLot ?? null).toBeNull();
  expect(await counts()).toEqual(before);
  return result.errors![0]!;
}

let n = 0;
const input = (over: Record<string, unknown> = {}) => ({
  productId: demoProductId(rice),
  ownerId: farmId,
  lotCode: `NM-${process.pid % 1000}-${++n}`,
  quantity: 1000,
  unit: 'KGM',
  ...over,
});
/** What a phone gets when it scans the lot's QR code. */
const resolve = (lotCode: string) => fetch(`${base}/01/${demoGtin(rice)}/10/${encodeURIComponent(lotCode)}`, { headers: { accept: 'text/html' } });

describe('who may create and publish which lot', () => {
  it('refuses a producer’s STAFF a lot of another department’s product (NOT_OWNER)', async () => {
    await refused('NOT_OWNER', CREATE, { input: input({ productId: demoProductId(otherDepartment), publish: true }) }, await staff());
  });

  it('refuses a made-up product id and another organization’s draft with the same answer', async () => {
    const madeUp = await refused('BAD_USER_INPUT', CREATE, { input: input({ productId: '0190aaaa-0000-7000-8000-000000000001' }) }, await staff());
    const draft = await refused('BAD_USER_INPUT', CREATE, { input: input({ productId: demoProductId(farAwayDraft), publish: true }) }, await staff());
    expect(draft.message).toBe(madeUp.message);
    expect(draft.extensions?.field).toEqual(['input', 'productId']);
  });

  it('refuses to publish a lot of the owner’s own draft product (NOT_PUBLISHABLE)', async () => {
    const token = await stack.tokenFor(demoEmail('STAFF', farAwayPath));
    await refused(
      'NOT_PUBLISHABLE',
      CREATE,
      { input: input({ productId: demoProductId(farAwayDraft), ownerId: demoOrgId(farAwayPath), publish: true }) },
      token,
    );
  });

  it('still publishes a plausible lot at once, and a phone finds it', async () => {
    const made = await stack.gql(
      CREATE,
      { input: input({ productionAreaId: areaId, season: 'Hè Thu 2026', quantity: 1000, publish: true }) },
      { token: await staff() },
    );
    expect(made.errors).toBeUndefined();
    expect(made.data.createLot.lot).toMatchObject({ status: 'PUBLISHED', normCheck: { capacity: 661_200, claimed: 1000, exceeded: false } });
    expect((await resolve(made.data.createLot.lot.lotCode)).status).toBe(200);
  });
});

describe('the 95 ha field whose season norm is 7 200 kg/ha', () => {
  let held: { id: string; lotCode: string };

  it('refuses a 9 500 000 kg lot with the capacity, what is claimed and what was asked', async () => {
    const error = await refused(
      'NORM_EXCEEDED',
      CREATE,
      { input: input({ productionAreaId: areaId, season: 'Đông Xuân 2025-2026', quantity: 9_500_000, publish: true }) },
      await staff(),
    );
    expect(error.extensions).toMatchObject({ capacity: 820_800, requested: 9_500_000, unit: 'KGM' });
    expect(error.extensions?.alreadyClaimed).toBeGreaterThan(0); // the seeded harvest lots of the season
  });

  it('holds it UNDER_REVIEW on request: not on the consumer page, not in public lists, not publishable', async () => {
    const made = await stack.gql(
      CREATE,
      { input: input({ productionAreaId: areaId, season: 'Đông Xuân 2025-2026', quantity: 9_500_000, publish: true, onNormExceeded: 'REVIEW' }) },
      { token: await staff() },
    );
    expect(made.errors).toBeUndefined();
    held = made.data.createLot.lot;
    expect(made.data.createLot.lot.status).toBe('UNDER_REVIEW');
    // The resolver walks up to the product (GS1 resolver standard): its page shows nothing of the held lot.
    expect(await (await resolve(held.lotCode)).text()).not.toContain(held.lotCode);
    const anonymous = await stack.gql(`query($id: ID!, $p: ID!) { lot(id: $id) { id } lots(productId: $p, first: 100) { nodes { id } } }`, {
      id: held.id,
      p: demoProductId(rice),
    });
    expect(anonymous.data.lot).toBeNull();
    expect(anonymous.data.lots.nodes.map((l: { id: string }) => l.id)).not.toContain(held.id);
    await refused('NOT_PUBLISHABLE', PUBLISH, { id: held.id }, await staff());
  });

  it('does not let the producer’s own ADMIN approve it', async () => {
    const admin = await stack.tokenFor(demoEmail('ADMIN', farmPath));
    await refused('FORBIDDEN', REVIEW, { input: { lotId: held.id, decision: 'APPROVE', reason: 'Đúng số liệu' } }, admin);
    const queue = await stack.gql(`{ lotsUnderReview(first: 100) { nodes { id } } }`, {}, { token: admin });
    expect(queue.data.lotsUnderReview.nodes).toEqual([]);
  });

  it('publishes it when the district officer approves from the queue', async () => {
    const officer = await stack.tokenFor(demoEmail('OFFICER', districtPath));
    const queue = await stack.gql(`{ lotsUnderReview(first: 100) { nodes { id normCheck { capacity claimed exceeded } } } }`, {}, { token: officer });
    expect(queue.data.lotsUnderReview.nodes).toContainEqual(
      expect.objectContaining({ id: held.id, normCheck: expect.objectContaining({ capacity: 820_800, exceeded: true }) }),
    );
    const before = await counts();
    const approved = await stack.gql(REVIEW, { input: { lotId: held.id, decision: 'APPROVE', reason: 'Đã xác minh biên bản thu hoạch' } }, { token: officer });
    expect(approved.errors).toBeUndefined();
    expect(approved.data.reviewLot.lot.status).toBe('PUBLISHED');
    expect(await counts()).toEqual({ lots: before.lots, audit: before.audit + 2, outbox: before.outbox + 1 });
    expect(await (await resolve(held.lotCode)).text()).toContain(held.lotCode);
  });

  it('refuses the lot whose sum with the season’s other lots crosses the capacity', async () => {
    const token = await staff();
    for (const quantity of [400_000, 200_000]) {
      const ok = await stack.gql(CREATE, { input: input({ productionAreaId: areaId, season: 'Hè Thu 2026', quantity }) }, { token });
      expect(ok.errors).toBeUndefined();
    }
    const error = await refused('NORM_EXCEEDED', CREATE, { input: input({ productionAreaId: areaId, season: 'Hè Thu 2026', quantity: 100_000 }) }, token);
    expect(error.extensions).toMatchObject({ capacity: 661_200, alreadyClaimed: 601_000, requested: 100_000 });
  });

  it('audits a quantity correction and checks it against the norm again', async () => {
    const token = await staff();
    const made = await stack.gql(CREATE, { input: input({ productionAreaId: areaId, season: 'Hè Thu 2026', quantity: 50_000 }) }, { token });
    const lotId = made.data.createLot.lot.id;
    const fixed = await stack.gql(CORRECT, { input: { lotId, quantity: 60_000, reason: 'Cân lại tại kho' } }, { token });
    expect(fixed.errors).toBeUndefined();
    expect(fixed.data.correctLotQuantity.lot.quantity).toBe(60_000);
    expect(fixed.data.correctLotQuantity.lot.audit).toContainEqual(
      expect.objectContaining({ action: 'CORRECTED', reason: 'Cân lại tại kho', detail: expect.objectContaining({ quantity: { from: 50_000, to: 60_000 } }) }),
    );
    await refused('NORM_EXCEEDED', CORRECT, { input: { lotId, quantity: 61_000, reason: 'Cộng nhầm' } }, token);
    await refused('BAD_USER_INPUT', CORRECT, { input: { lotId, quantity: 1, reason: '' } }, token);
  });
});
