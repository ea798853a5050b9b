import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { stableId } from '@nguon/shared';
import { PRODUCTS } from '@nguon/demo/cantho';
import { demoOperator, demoOrgId, demoPaths, demoProductId } from '@nguon/demo/ids';
import { demoEmail, startTestStack, type TestStack } from './helpers';

/*
 * Recall authority (docs/write-authority.md, "Recalls") through the gateway,
 * on the demo rice chain: paddy of the Thới Thuận cooperative (district Thốt
 * Nốt) milled by Thốt Nốt Food Grain into rice and two packs, shipped to a
 * Ninh Kiều supermarket (pack A) and a Thốt Nốt store (pack B).
 */

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const operatorPath = (slug: string) => demoPaths.operator(demoOperator(slug));
const PRODUCER = operatorPath('htx_lua_thoi_thuan');
const STORE_A = operatorPath('st_mekong_xanh_ninh_kieu');
const STORE_B = operatorPath('ch_nong_san_an_toan_thot_not');
const DISTRICT = 'ct.agri.thot_not';

const ACTORS = {
  producerStaff: demoEmail('STAFF', PRODUCER),
  producerAdmin: demoEmail('ADMIN', PRODUCER),
  districtOfficer: demoEmail('OFFICER', DISTRICT),
  departmentOfficer: demoEmail('OFFICER', 'ct.agri'),
  otherDistrictOfficer: demoEmail('OFFICER', 'ct.agri.phong_dien'),
  storeStaff: demoEmail('STAFF', STORE_A),
} as const;
type Actor = keyof typeof ACTORS;
const userIdOf = (actor: Actor) => stableId('user', ACTORS[actor]);

const millProduct = demoProductId(PRODUCTS.find((p) => p.operator === 'ct_luong_thuc_thot_not')!);
const packA = stableId('lot', `${millProduct}/GOI-DX26-A`);
const packB = stableId('lot', `${millProduct}/GOI-DX26-B`);

const OPEN = `mutation($i: OpenRecallInput!) { openRecall(input: $i) { recall { id authorityPath affectedLotCount } } }`;
const EXTEND = `mutation($i: ExtendRecallInput!) { extendRecall(input: $i) { recall { id affectedLotCount rootLots { id } } } }`;
const RECOVER = `mutation($i: RecordRecallRecoveryInput!) { recordRecallRecovery(input: $i) { recall { id status } } }`;
const CLOSE = `mutation($i: CloseRecallInput!) { closeRecall(input: $i) { recall { id status closedBy closeReason writtenOff } } }`;
const ACTIONS = `query($id: ID!) { recall(id: $id) { authorityPath closedBy closeReason writtenOff actions { action at actorId actorKind actorPath reason detail } } }`;

type Severity = 'CLASS_I' | 'CLASS_II' | 'CLASS_III';

async function as(actor: Actor, query: string, input: Record<string, unknown>) {
  return stack.gql(query, { i: input }, { token: await stack.tokenFor(ACTORS[actor]) });
}

async function ok(actor: Actor, query: string, input: Record<string, unknown>) {
  const result = await as(actor, query, input);
  expect(result.errors, `${actor}: ${JSON.stringify(result.errors)}`).toBeUndefined();
  return Object.values(result.data as Record<string, { recall: any }>)[0]!.recall;
}

/** Everything a recall act could write, so a refusal can be shown to write nothing. */
async function footprint() {
  const [row] = await stack.db.connection.rows<Record<string, string | number>>(sql`
    select (select count(*) from trace.recalls)::int as recalls,
           (select count(*) from trace.recall_lots)::int as recall_lots,
           (select count(*) from trace.recall_actions)::int as recall_actions,
           (select count(*) from trace.events)::int as events,
           (select count(*) from trace.recalls where status = 'CLOSED')::int as closed,
           (select count(*) from trace.recall_lots where root)::int as roots,
           (select coalesce(sum(quantity_recovered), 0)::text from trace.recall_lots) as recovered`);
  return row!;
}

/** Asserts the act is refused with `code` and leaves every recall table and the event chains untouched. */
async function refused(actor: Actor, query: string, input: Record<string, unknown>, code = 'FORBIDDEN') {
  const before = await footprint();
  const result = await as(actor, query, input);
  expect(result.errors?.[0]?.extensions?.code, `${actor}: ${JSON.stringify(result.errors ?? result.data)}`).toBe(code);
  expect(await footprint()).toEqual(before);
}

let paddyA: string;
let paddyB: string;
/** Another published lot of the producer, never shipped: the producer is its only holder. */
let ownLot: string;
let ownLot2: string;
let otherDistrictLot: string;

beforeAll(async () => {
  const lotOf = async (slug: string, exclude: string[] = []) => {
    const rows = await stack.db.connection.rows<{ id: string; lot_code: string }>(
      sql`select id, lot_code from trace.lots where owner_id = ${demoOrgId(operatorPath(slug))} and status = 'PUBLISHED' order by lot_code`,
    );
    return rows.filter((r) => !exclude.includes(r.id));
  };
  const producerLots = await lotOf('htx_lua_thoi_thuan');
  paddyA = producerLots.find((l) => l.lot_code.startsWith('DX26'))!.id;
  paddyB = (await lotOf('htx_lua_tan_loc')).find((l) => l.lot_code.startsWith('DX26'))!.id;
  const unshipped = producerLots.filter((l) => l.id !== paddyA);
  ownLot = unshipped[0]!.id;
  ownLot2 = unshipped[1]!.id;
  otherDistrictLot = (await lotOf('htx_dau_ha_chau'))[0]!.id;
});

async function open(actor: Actor, lotIds: string[], severity: Severity, reason = 'Dư lượng thuốc bảo vệ thực vật vượt ngưỡng') {
  return ok(actor, OPEN, { lotIds, severity, reason }) as Promise<{ id: string; authorityPath: string; affectedLotCount: number }>;
}

/** A district officer records every holding as fully recovered, so nothing is outstanding. */
async function recoverAll(recallId: string) {
  const result = await stack.gql(
    `query($id: ID!) { recall(id: $id) { affectedLots { lotId holder { id } quantityHeld quantityRecovered } } }`,
    { id: recallId },
    {
      token: await stack.tokenFor(ACTORS.districtOfficer),
    },
  );
  expect(result.data.recall.affectedLots.length).toBeGreaterThan(0);
  for (const l of result.data.recall.affectedLots) {
    const rest = (l.quantityHeld ?? 0) - l.quantityRecovered;
    if (rest > 0) await ok('districtOfficer', RECOVER, { recallId, lotId: l.lotId, holderId: l.holder.id, quantity: rest });
  }
}

describe('a CLASS_I recall a district officer opened', () => {
  it('cannot be closed or written off by the producer whose goods it recalls, and nothing is written', async () => {
    const recall = await open('districtOfficer', [paddyA], 'CLASS_I', 'Nấm mốc aflatoxin');
    expect(recall.authorityPath).toBe(DISTRICT);
    for (const actor of ['producerStaff', 'producerAdmin'] as const) {
      await refused(actor, CLOSE, { recallId: recall.id, writeOffOutstanding: true, reason: 'Đã xử lý xong' });
    }
    await recoverAll(recall.id);
    for (const actor of ['producerStaff', 'producerAdmin'] as const) {
      await refused(actor, CLOSE, { recallId: recall.id, reason: 'Đã thu hồi hết' });
    }
    const closed = await ok('districtOfficer', CLOSE, { recallId: recall.id, reason: 'Đã thu hồi và tiêu hủy toàn bộ' });
    expect(closed).toMatchObject({ status: 'CLOSED', closedBy: userIdOf('districtOfficer'), closeReason: 'Đã thu hồi và tiêu hủy toàn bộ', writtenOff: false });
  });
});

describe('opening a recall', () => {
  it('records the authority of the grant used: the officer’s node, or the owner’s node for a voluntary recall', async () => {
    expect((await open('districtOfficer', [paddyA], 'CLASS_II')).authorityPath).toBe(DISTRICT);
    expect((await open('departmentOfficer', [paddyA], 'CLASS_II')).authorityPath).toBe('ct.agri');
    expect((await open('producerStaff', [paddyA], 'CLASS_III')).authorityPath).toBe(PRODUCER);
    expect((await open('producerAdmin', [paddyA], 'CLASS_I')).authorityPath).toBe(PRODUCER);
  });

  it('refuses another district’s officer and a store that only holds the goods, writing nothing', async () => {
    for (const severity of ['CLASS_I', 'CLASS_II', 'CLASS_III'] as const) {
      await refused('otherDistrictOfficer', OPEN, { lotIds: [paddyA], severity, reason: 'x' });
      await refused('storeStaff', OPEN, { lotIds: [paddyA], severity, reason: 'x' });
      // Holding pack A does not make the supermarket its owner.
      await refused('storeStaff', OPEN, { lotIds: [packA], severity, reason: 'x' });
      await refused('producerStaff', OPEN, { lotIds: [paddyA, paddyB], severity, reason: 'x' });
    }
  });

  it('audits the opening with who, from where, when, why, the root lots, the severity and the affected count', async () => {
    const recall = await open('districtOfficer', [paddyA], 'CLASS_I', 'Nấm mốc aflatoxin');
    const read = await stack.gql(ACTIONS, { id: recall.id }, { token: await stack.tokenFor(ACTORS.departmentOfficer) });
    expect(read.errors).toBeUndefined();
    const [opened] = read.data.recall.actions;
    expect(opened).toMatchObject({ action: 'OPEN', actorId: userIdOf('districtOfficer'), actorKind: 'user', actorPath: DISTRICT, reason: 'Nấm mốc aflatoxin' });
    expect(opened.detail).toMatchObject({ rootLotIds: [paddyA], severity: 'CLASS_I', affectedLotCount: 4 });
    expect(Math.abs(Date.parse(opened.at) - Date.now())).toBeLessThan(60_000);
  });
});

describe('extending a recall', () => {
  it('adds a root lot’s downstream lots and holders, marks it recalled, appends its recalled event and audits it', async () => {
    const recall = await open('districtOfficer', [paddyA], 'CLASS_I');
    const before = await footprint();
    const extended = await ok('districtOfficer', EXTEND, { recallId: recall.id, lotIds: [paddyB], reason: 'Cùng lô xay xát' });
    expect(new Set(extended.rootLots.map((l: any) => l.id))).toEqual(new Set([paddyA, paddyB]));
    expect(extended.affectedLotCount).toBe(5);
    const after = await footprint();
    // Paddy B is new to the recall: one recalled event on its owner's chain; rice and packs were recalled already.
    expect(Number(after.events) - Number(before.events)).toBe(1);
    const [status] = await stack.db.connection.rows<{ status: string }>(sql`select status from trace.lots where id = ${paddyB}`);
    expect(status!.status).toBe('RECALLED');
    const [event] = await stack.db.connection.rows<{ n: number }>(
      sql`select count(*)::int as n from trace.events where body->>'disposition' = 'recalled' and body::text like ${`%${paddyB}%`} and body::text like ${`%${recall.id}%`}`,
    );
    expect(event!.n).toBe(1);
    const read = await stack.gql(ACTIONS, { id: recall.id }, { token: await stack.tokenFor(ACTORS.districtOfficer) });
    expect(read.data.recall.actions.map((a: any) => a.action)).toEqual(['OPEN', 'EXTEND']);
    expect(read.data.recall.actions[1]).toMatchObject({ actorId: userIdOf('districtOfficer'), actorPath: DISTRICT, reason: 'Cùng lô xay xát' });
    expect(read.data.recall.actions[1].detail).toMatchObject({ rootLotIds: [paddyB], addedLotIds: [paddyB] });
  });

  it('lets the district and department officers extend an officer’s recall, and no one else', async () => {
    for (const severity of ['CLASS_I', 'CLASS_II', 'CLASS_III'] as const) {
      const recall = await open('districtOfficer', [ownLot], severity);
      for (const actor of ['producerStaff', 'producerAdmin', 'otherDistrictOfficer', 'storeStaff'] as const) {
        await refused(actor, EXTEND, { recallId: recall.id, lotIds: [ownLot2], reason: 'Thêm lô' });
      }
      expect((await ok('districtOfficer', EXTEND, { recallId: recall.id, lotIds: [ownLot2], reason: 'Thêm lô' })).affectedLotCount).toBe(2);
      expect((await ok('departmentOfficer', EXTEND, { recallId: recall.id, lotIds: [paddyB], reason: 'Thêm lô' })).rootLots).toHaveLength(3);
      // The district officer does not supervise a lot of Phong Điền.
      await refused('districtOfficer', EXTEND, { recallId: recall.id, lotIds: [otherDistrictLot], reason: 'Thêm lô' });
    }
  });

  it('lets the owner extend its own voluntary recall with its own lots only, and needs a reason', async () => {
    const recall = await open('producerStaff', [ownLot], 'CLASS_II');
    await refused('producerStaff', EXTEND, { recallId: recall.id, lotIds: [paddyB], reason: 'Thêm lô' });
    await refused('producerStaff', EXTEND, { recallId: recall.id, lotIds: [ownLot2], reason: '  ' }, 'BAD_USER_INPUT');
    await refused('storeStaff', EXTEND, { recallId: recall.id, lotIds: [ownLot2], reason: 'Thêm lô' });
    expect((await ok('producerStaff', EXTEND, { recallId: recall.id, lotIds: [ownLot2], reason: 'Thêm lô' })).affectedLotCount).toBe(2);
  });
});

describe('recording recovery', () => {
  it('lets a store record its own holding but not another holder’s', async () => {
    const recall = await open('districtOfficer', [paddyA], 'CLASS_I');
    await ok('storeStaff', RECOVER, { recallId: recall.id, lotId: packA, holderId: demoOrgId(STORE_A), quantity: 120 });
    await refused('storeStaff', RECOVER, { recallId: recall.id, lotId: packB, holderId: demoOrgId(STORE_B), quantity: 120 });
    const read = await stack.gql(ACTIONS, { id: recall.id }, { token: await stack.tokenFor(ACTORS.districtOfficer) });
    const recovery = read.data.recall.actions.find((a: any) => a.action === 'RECOVERY');
    expect(recovery).toMatchObject({ actorId: userIdOf('storeStaff'), actorPath: STORE_A });
    expect(recovery.detail).toMatchObject({ lotId: packA, holderId: demoOrgId(STORE_A), quantity: 120 });
  });

  it('follows the table for every actor and severity', async () => {
    for (const severity of ['CLASS_I', 'CLASS_II', 'CLASS_III'] as const) {
      const recall = await open('districtOfficer', [paddyA], severity);
      const atStore = { recallId: recall.id, lotId: packA, holderId: demoOrgId(STORE_A), quantity: 1 };
      const atProducer = { recallId: recall.id, lotId: paddyA, holderId: demoOrgId(PRODUCER), quantity: 1 };
      for (const actor of ['producerStaff', 'producerAdmin', 'otherDistrictOfficer'] as const) await refused(actor, RECOVER, atStore);
      await refused('otherDistrictOfficer', RECOVER, atProducer);
      await refused('storeStaff', RECOVER, atProducer);
      // The producer is a holder too: its own holding is its to report.
      await ok('producerStaff', RECOVER, atProducer);
      await ok('producerAdmin', RECOVER, atProducer);
      await ok('storeStaff', RECOVER, atStore);
      await ok('districtOfficer', RECOVER, atStore);
      await ok('departmentOfficer', RECOVER, atProducer);
      const [row] = await stack.db.connection.rows<{ n: number }>(
        sql`select count(*)::int as n from trace.recall_actions where recall_id = ${recall.id} and action = 'RECOVERY'`,
      );
      expect(row!.n).toBe(5);
    }
  });
});

describe('closing and writing off, by severity', () => {
  const refusedEverywhere = ['producerStaff', 'producerAdmin', 'otherDistrictOfficer', 'storeStaff'] as const;

  it('closes an officer’s recall with nothing outstanding only by the district or department officer, at every severity', async () => {
    for (const severity of ['CLASS_I', 'CLASS_II', 'CLASS_III'] as const) {
      for (const closer of ['districtOfficer', 'departmentOfficer'] as const) {
        const recall = await open('districtOfficer', [ownLot], severity);
        await recoverAll(recall.id);
        for (const actor of refusedEverywhere) await refused(actor, CLOSE, { recallId: recall.id, reason: 'Đã thu hồi hết' });
        await refused(closer, CLOSE, { recallId: recall.id }, 'BAD_USER_INPUT');
        expect(await ok(closer, CLOSE, { recallId: recall.id, reason: 'Đã thu hồi hết' })).toMatchObject({
          status: 'CLOSED',
          closedBy: userIdOf(closer),
          writtenOff: false,
        });
        await refused(closer, CLOSE, { recallId: recall.id, reason: 'Lần nữa' }, 'BAD_USER_INPUT');
      }
    }
  });

  it('writes off an officer’s recall only by the district or department officer, with a reason', async () => {
    for (const severity of ['CLASS_I', 'CLASS_II', 'CLASS_III'] as const) {
      for (const closer of ['districtOfficer', 'departmentOfficer'] as const) {
        const recall = await open('districtOfficer', [ownLot], severity);
        for (const actor of refusedEverywhere) await refused(actor, CLOSE, { recallId: recall.id, writeOffOutstanding: true, reason: 'Không thu hồi được' });
        await refused(closer, CLOSE, { recallId: recall.id, writeOffOutstanding: true }, 'BAD_USER_INPUT');
        await refused(closer, CLOSE, { recallId: recall.id, reason: 'Còn hàng ngoài thị trường' }, 'BAD_USER_INPUT');
        const closed = await ok(closer, CLOSE, { recallId: recall.id, writeOffOutstanding: true, reason: 'Không thu hồi được' });
        expect(closed).toMatchObject({ status: 'CLOSED', closedBy: userIdOf(closer), closeReason: 'Không thu hồi được', writtenOff: true });
      }
    }
  });

  it('lets the owner’s ADMIN close its own voluntary CLASS_II or III recall, never a CLASS_I one, and never its STAFF', async () => {
    const expected: Record<Severity, boolean> = { CLASS_I: false, CLASS_II: true, CLASS_III: true };
    for (const severity of ['CLASS_I', 'CLASS_II', 'CLASS_III'] as const) {
      const recall = await open('producerAdmin', [ownLot], severity);
      expect(recall.authorityPath).toBe(PRODUCER);
      await recoverAll(recall.id);
      await refused('producerStaff', CLOSE, { recallId: recall.id, reason: 'Đã thu hồi hết' });
      await refused('otherDistrictOfficer', CLOSE, { recallId: recall.id, reason: 'Đã thu hồi hết' });
      if (expected[severity]) {
        expect((await ok('producerAdmin', CLOSE, { recallId: recall.id, reason: 'Đã thu hồi hết' })).status).toBe('CLOSED');
      } else {
        await refused('producerAdmin', CLOSE, { recallId: recall.id, reason: 'Đã thu hồi hết' });
        expect((await ok('districtOfficer', CLOSE, { recallId: recall.id, reason: 'Đã thu hồi hết' })).status).toBe('CLOSED');
      }
    }
  });

  it('lets the owner’s ADMIN write off only its own voluntary CLASS_III recall; CLASS_I and II need an officer above it', async () => {
    const expected: Record<Severity, boolean> = { CLASS_I: false, CLASS_II: false, CLASS_III: true };
    for (const severity of ['CLASS_I', 'CLASS_II', 'CLASS_III'] as const) {
      const recall = await open('producerAdmin', [ownLot], severity);
      const input = { recallId: recall.id, writeOffOutstanding: true, reason: 'Hàng đã bán hết, không thu hồi được' };
      await refused('producerStaff', CLOSE, input);
      if (expected[severity]) {
        expect((await ok('producerAdmin', CLOSE, input)).writtenOff).toBe(true);
      } else {
        await refused('producerAdmin', CLOSE, input);
        expect((await ok('districtOfficer', CLOSE, input)).writtenOff).toBe(true);
      }
    }
  });

  it('audits the close and the write-off with who, from where and why', async () => {
    const recall = await open('districtOfficer', [ownLot], 'CLASS_I');
    await ok('departmentOfficer', CLOSE, { recallId: recall.id, writeOffOutstanding: true, reason: 'Lô đã tiêu thụ hết' });
    const read = await stack.gql(ACTIONS, { id: recall.id }, { token: await stack.tokenFor(ACTORS.districtOfficer) });
    expect(read.errors).toBeUndefined();
    expect(read.data.recall).toMatchObject({
      authorityPath: DISTRICT,
      closedBy: userIdOf('departmentOfficer'),
      closeReason: 'Lô đã tiêu thụ hết',
      writtenOff: true,
    });
    const last = read.data.recall.actions.at(-1);
    expect(last).toMatchObject({
      action: 'WRITE_OFF',
      actorId: userIdOf('departmentOfficer'),
      actorKind: 'user',
      actorPath: 'ct.agri',
      reason: 'Lô đã tiêu thụ hết',
    });
    expect(last.detail).toMatchObject({ severity: 'CLASS_I' });
    expect(last.detail.outstanding).toBeGreaterThan(0);
  });
});

describe('reading the audit trail', () => {
  it('shows the actions to the recall’s supervisors and the owner, not to another district or the public', async () => {
    const recall = await open('districtOfficer', [ownLot], 'CLASS_II');
    for (const actor of ['districtOfficer', 'departmentOfficer', 'producerStaff', 'producerAdmin'] as const) {
      const read = await stack.gql(ACTIONS, { id: recall.id }, { token: await stack.tokenFor(ACTORS[actor]) });
      expect(read.errors, actor).toBeUndefined();
      expect(read.data.recall.actions.map((a: any) => a.action)).toEqual(['OPEN']);
    }
    for (const token of [await stack.tokenFor(ACTORS.otherDistrictOfficer), undefined]) {
      const read = await stack.gql(`query($id: ID!) { recall(id: $id) { severity actions { action } } }`, { id: recall.id }, { token });
      expect(read.errors?.[0]?.extensions?.code).toMatch(/FORBIDDEN|UNAUTHENTICATED/);
      expect(read.data?.recall?.actions ?? null).toBeNull();
    }
  });
});

describe('recording recovery in a recall the owner opened', () => {
  it('lets the owner’s ADMIN record its own holding but not a store’s, so it cannot clear a CLASS_II recall to close it without a write-off', async () => {
    const recall = await open('producerAdmin', [paddyA], 'CLASS_II');
    expect(recall.authorityPath).toBe(PRODUCER);
    const atStore = { recallId: recall.id, lotId: packA, holderId: demoOrgId(STORE_A), quantity: 1 };
    const atProducer = { recallId: recall.id, lotId: paddyA, holderId: demoOrgId(PRODUCER), quantity: 1 };
    // Supervising its own node (the recall's authority) is not overseeing the goods.
    for (const actor of ['producerAdmin', 'producerStaff', 'otherDistrictOfficer'] as const) await refused(actor, RECOVER, atStore);
    await ok('producerAdmin', RECOVER, atProducer);
    await ok('storeStaff', RECOVER, atStore);
    // An officer above the producer covers the authority and oversees the root lot's owner.
    await ok('districtOfficer', RECOVER, atStore);
    const read = await stack.gql(ACTIONS, { id: recall.id }, { token: await stack.tokenFor(ACTORS.districtOfficer) });
    expect(read.data.recall.actions.filter((a: any) => a.action === 'RECOVERY').map((a: any) => a.actorPath)).toEqual([PRODUCER, STORE_A, DISTRICT]);
    // What the store still holds is outstanding: the owner's ADMIN may not close without writing it off, nor write it off.
    await refused('producerAdmin', CLOSE, { recallId: recall.id, reason: 'Đã thu hồi hết' }, 'BAD_USER_INPUT');
    await refused('producerAdmin', CLOSE, { recallId: recall.id, writeOffOutstanding: true, reason: 'Đã thu hồi hết' });
  });
});

/** A lot far over the farm's season norm, held UNDER_REVIEW instead of refused (`onNormExceeded: REVIEW`). */
async function createHeldLot(code: string) {
  const farmId = demoOrgId(PRODUCER);
  const [area] = await stack.db.connection.rows<{ id: string }>(sql`select id from catalog.area_scope where owner_id = ${farmId} and hectares = 95`);
  const rice = PRODUCTS.find((p) => p.operator === 'htx_lua_thoi_thuan')!;
  return stack.gql(
    `mutation($input: CreateLotInput!) { createLot(input: $input) { lot { id status } } }`,
    {
      input: {
        productId: demoProductId(rice),
        ownerId: farmId,
        lotCode: `${code}-${process.pid % 1000}`,
        quantity: 9_500_000,
        unit: 'KGM',
        productionAreaId: area!.id,
        season: 'Đông Xuân 2025-2026',
        publish: true,
        onNormExceeded: 'REVIEW',
      },
    },
    { token: await stack.tokenFor(ACTORS.producerStaff) },
  );
}

describe('a recall reaching a lot held for review against its season norm', () => {
  it('lists the lot and appends its recalled event, but leaves it UNDER_REVIEW: off the public, out of statistics, still reviewable', async () => {
    const farmId = demoOrgId(PRODUCER);
    const made = await createHeldLot('RC-HELD');
    expect(made.errors).toBeUndefined();
    const held = made.data.createLot.lot.id as string;
    expect(made.data.createLot.lot.status).toBe('UNDER_REVIEW');

    const recall = await open('producerStaff', [held], 'CLASS_III');
    expect(recall.affectedLotCount).toBe(1);
    const [row] = await stack.db.connection.rows<{ status: string; in_statistics: number; recalled_events: number }>(sql`
      select (select status from trace.lots where id = ${held}) as status,
             (select count(*)::int from analytics.lots where id = ${held}) as in_statistics,
             (select count(*)::int from trace.events where organization_id = ${farmId} and body->>'disposition' = 'recalled'
                and body::text like ${`%${held}%`} and body::text like ${`%${recall.id}%`}) as recalled_events`);
    expect(row).toEqual({ status: 'UNDER_REVIEW', in_statistics: 0, recalled_events: 1 });
    const anonymous = await stack.gql(`query($id: ID!) { lot(id: $id) { id status } }`, { id: held });
    expect(anonymous.data.lot).toBeNull();

    // The recall still counts the holding, and recovery is accounted against it.
    const lots = await stack.gql(
      `query($id: ID!) { recall(id: $id) { affectedLots { lotId holder { id } quantityHeld } } }`,
      { id: recall.id },
      {
        token: await stack.tokenFor(ACTORS.districtOfficer),
      },
    );
    expect(lots.data.recall.affectedLots).toEqual([{ lotId: held, holder: { id: farmId }, quantityHeld: 9_500_000 }]);
    expect((await ok('producerStaff', RECOVER, { recallId: recall.id, lotId: held, holderId: farmId, quantity: 9_500_000 })).status).toBe('IN_PROGRESS');

    const reviewed = await stack.gql(
      `mutation($input: ReviewLotInput!) { reviewLot(input: $input) { lot { id } } }`,
      {
        input: { lotId: held, decision: 'REJECT', reason: 'Vượt năng suất vùng trồng' },
      },
      { token: await stack.tokenFor(ACTORS.districtOfficer) },
    );
    expect(reviewed.errors).toBeUndefined();
    const [after] = await stack.db.connection.rows<{ status: string }>(sql`select status from trace.lots where id = ${held}`);
    expect(after!.status).toBe('REJECTED');
  });
  it('brings a held lot out of review RECALLED when an overseer approves it while its recall is open', async () => {
    const held = (await createHeldLot('RC-HELD-A')).data.createLot.lot.id as string;
    await open('producerStaff', [held], 'CLASS_III');
    const approved = await stack.gql(
      `mutation($input: ReviewLotInput!) { reviewLot(input: $input) { lot { status } } }`,
      {
        input: { lotId: held, decision: 'APPROVE', reason: 'Số liệu đúng' },
      },
      { token: await stack.tokenFor(ACTORS.districtOfficer) },
    );
    expect(approved.errors).toBeUndefined();
    expect(approved.data.reviewLot.lot.status).toBe('RECALLED');
    const anonymous = await stack.gql(`query($id: ID!) { lot(id: $id) { status activeRecall { severity } } }`, { id: held });
    expect(anonymous.data.lot).toEqual({ status: 'RECALLED', activeRecall: { severity: 'CLASS_III' } });
  });
});
