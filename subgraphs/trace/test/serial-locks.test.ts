import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql, type Viewer } from '@nguon/shared';
import { startSeededSubgraph, type TestDatabase } from '@nguon/shared/testing';
import { traceSubgraph } from '../src/server';
import { anonymous, at, capture, lot, ok, org, staffOf, useCatalog, type Subgraph } from './helpers';

/*
 * lockSerials and unlockSerials (issue 15): a producer locks the serials of
 * stolen, destroyed or withdrawn packages; Lot.item then answers LOCKED with
 * the reason, and verifyItem never calls such an item genuine. Only who may
 * issue the lot's serials may lock them, and a refusal writes nothing.
 */

let db: TestDatabase;
let subgraph: Subgraph;
let stop = async () => {};
beforeAll(async () => {
  ({ db, subgraph, stop } = await startSeededSubgraph(traceSubgraph(), inject('seededTemplate')));
  useCatalog(db);
});
afterAll(() => stop());

const farm = org('htx_lua_thoi_thuan');
const otherFarm = org('htx_lua_tan_loc');
const store = org('st_mekong_xanh_ninh_kieu');
const adminOf = (o: { id: string; path: string }): Viewer => ({
  kind: 'user',
  requestId: 't',
  userId: randomUUID(),
  grants: [{ role: 'ADMIN', orgId: o.id, path: o.path }],
});
const clientOf = (o: { id: string; path: string }, scopes: ('trace:write' | 'internal:read')[]): Viewer => ({
  kind: 'client',
  requestId: 't',
  clientId: randomUUID(),
  orgId: o.id,
  path: o.path,
  scopes,
});

const ISSUE = `mutation($input: IssueSerialsInput!) { issueSerials(input: $input) { serials { serial verificationCode } } }`;
const LOCK = `mutation($input: LockSerialsInput!) { lockSerials(input: $input) { locked unknown } }`;
const UNLOCK = `mutation($input: UnlockSerialsInput!) { unlockSerials(input: $input) { unlocked unknown } }`;
const ITEM = `query($id: ID!, $serial: String!) { lot(id: $id) { item(serial: $serial) { serial state reasonCode vi: reason(lang: "vi") en: reason(lang: "en") } } }`;
const VERIFY = `mutation($input: VerifyItemInput!) { verifyItem(input: $input) { result firstVerifiedAt } }`;

let lotId: string;
let codes: Map<string, string>;
beforeAll(async () => {
  lotId = await lot(subgraph, farm, `LCK-${randomUUID().slice(0, 6).toUpperCase()}`);
  const data = await ok(subgraph, ISSUE, { input: { lotId, from: 1, to: 10 } }, staffOf(farm));
  codes = new Map(data.issueSerials.serials.map((s: { serial: string; verificationCode: string }) => [s.serial, s.verificationCode]));
});

const check = async (serial: string) => (await ok(subgraph, ITEM, { id: lotId, serial }, anonymous)).lot.item;
const lockRows = () =>
  db.connection.rows<{ serial: string; locked_at: unknown; lock_reason: string | null; locked_by: string | null }>(
    sql`select serial, locked_at, lock_reason, locked_by from trace.serial_items where lot_id = ${lotId}::uuid order by serial`,
  );
const itemCount = async () => (await db.connection.rows<{ n: number }>(sql`select count(*)::int as n from trace.serial_items`))[0]!.n;

describe('lockSerials and unlockSerials', () => {
  it('locks issued serials: Lot.item answers LOCKED with the reason in vi and en; unlock makes them ISSUED again', async () => {
    const staff = staffOf(farm);
    const locked = await ok(subgraph, LOCK, { input: { lotId, serials: ['1', '2', '2'], reason: 'STOLEN', note: 'Mất trên xe tải 65C-123.45' } }, staff);
    expect(locked.lockSerials).toEqual({ locked: 2, unknown: [] });
    expect(await check('1')).toEqual({
      serial: '1',
      state: 'LOCKED',
      reasonCode: 'STOLEN',
      vi: 'Nhà sản xuất đã khoá số sê-ri này vì gói hàng bị mất cắp.',
      en: 'The producer locked this serial number: the package was stolen.',
    });
    expect(await check('3')).toMatchObject({ state: 'ISSUED', reasonCode: null });
    const [row] = await db.connection.rows<{ lock_reason: string; locked_by: string }>(
      sql`select lock_reason, locked_by from trace.serial_items where lot_id = ${lotId}::uuid and serial = '1'`,
    );
    expect(row).toEqual({ lock_reason: 'STOLEN: Mất trên xe tải 65C-123.45', locked_by: `user:${(staff as { userId: string }).userId}` });

    // Locked again with another reason: the new reason is the one shown.
    await ok(subgraph, LOCK, { input: { lotId, serials: ['2'], reason: 'WITHDRAWN' } }, adminOf(farm));
    expect(await check('2')).toMatchObject({ state: 'LOCKED', reasonCode: 'WITHDRAWN', en: expect.stringMatching(/withdrawn from sale/) });

    const unlocked = await ok(subgraph, UNLOCK, { input: { lotId, serials: ['1', '2', '3'], note: 'Tìm lại được' } }, staff);
    // '3' was never locked: left as it is, not counted.
    expect(unlocked.unlockSerials).toEqual({ unlocked: 2, unknown: [] });
    expect(await check('1')).toEqual({ serial: '1', state: 'ISSUED', reasonCode: null, vi: null, en: null });
    expect(await check('2')).toMatchObject({ state: 'ISSUED', reasonCode: null });
    expect((await lockRows()).every((r) => r.locked_at === null && r.lock_reason === null && r.locked_by === null)).toBe(true);
  });

  it('lets the owner’s API client with trace:write lock, and reports serials never issued without creating them', async () => {
    const before = await itemCount();
    const data = await ok(subgraph, LOCK, { input: { lotId, serials: ['4', '999', 'X-1'], reason: 'DESTROYED' } }, clientOf(farm, ['trace:write']));
    expect(data.lockSerials).toEqual({ locked: 1, unknown: ['999', 'X-1'] });
    expect(await itemCount()).toBe(before);
    expect(await check('4')).toMatchObject({ state: 'LOCKED', reasonCode: 'DESTROYED', vi: expect.stringMatching(/đã bị huỷ/) });
    expect(await check('999')).toMatchObject({ state: 'NOT_ISSUED' });
    const undone = await ok(subgraph, UNLOCK, { input: { lotId, serials: ['4', '999'] } }, clientOf(farm, ['trace:write']));
    expect(undone.unlockSerials).toEqual({ unlocked: 1, unknown: ['999'] });
  });

  it('does not lock the row a scan kept for a serial never issued: it stays NOT_ISSUED and is reported unknown', async () => {
    await ok(
      subgraph,
      `mutation($input: RecordScanInput!) { recordScan(input: $input) { recorded } }`,
      { input: { lotId, serial: '5000', lang: 'vi' } },
      anonymous,
    );
    const data = await ok(subgraph, LOCK, { input: { lotId, serials: ['5000'], reason: 'OTHER' } }, staffOf(farm));
    expect(data.lockSerials).toEqual({ locked: 0, unknown: ['5000'] });
    expect(await check('5000')).toMatchObject({ state: 'NOT_ISSUED', reasonCode: 'NOT_ISSUED' });
  });

  it('answers verifyItem on a locked item LOCKED, never genuine, even with its right code', async () => {
    const verify = (serial: string) => ok(subgraph, VERIFY, { input: { lotId, serial, code: codes.get(serial)! } }, anonymous);
    await ok(subgraph, LOCK, { input: { lotId, serials: ['6'], reason: 'STOLEN' } }, staffOf(farm));
    expect((await verify('6')).verifyItem).toEqual({ result: 'LOCKED', firstVerifiedAt: null });
    // Nothing was recorded as a verification.
    const [row] = await db.connection.rows<{ first_verified_at: unknown; verifications: number }>(
      sql`select first_verified_at, verifications from trace.serial_items where lot_id = ${lotId}::uuid and serial = '6'`,
    );
    expect(row).toEqual({ first_verified_at: null, verifications: 0 });
    await ok(subgraph, UNLOCK, { input: { lotId, serials: ['6'] } }, staffOf(farm));
    expect((await verify('6')).verifyItem.result).toBe('VERIFIED_FIRST_TIME');
  });

  it('refuses another producer, a store holding the lot, a client without trace:write and anonymous callers, and writes nothing', async () => {
    // The store received the lot: it holds it, but holding is not issuing.
    const ship = {
      type: 'OBJECT_EVENT',
      action: 'OBSERVE',
      eventTime: at(),
      bizStep: 'shipping',
      disposition: 'in_transit',
      quantities: [{ lotId, quantity: 10, unit: 'KGM' }],
    };
    await capture(subgraph, farm, [
      { ...ship, sourceParties: [{ type: 'owning_party', organizationId: farm.id }], destinationParties: [{ type: 'owning_party', organizationId: store.id }] },
    ]);
    await ok(subgraph, LOCK, { input: { lotId, serials: ['7'], reason: 'STOLEN' } }, staffOf(farm));
    const before = await lockRows();
    const refusals: [Viewer, string][] = [
      [staffOf(otherFarm), 'FORBIDDEN'],
      [adminOf(otherFarm), 'FORBIDDEN'],
      [staffOf(store), 'FORBIDDEN'],
      [clientOf(farm, ['internal:read']), 'FORBIDDEN'],
      [anonymous, 'UNAUTHENTICATED'],
    ];
    for (const [viewer, code] of refusals) {
      const lock = await subgraph.request(LOCK, { input: { lotId, serials: ['8'], reason: 'STOLEN' } }, viewer);
      expect(lock.body.errors?.[0]?.extensions?.code, `${viewer.kind} lock`).toBe(code);
      expect(lock.body.data?.lockSerials ?? null).toBeNull();
      const unlock = await subgraph.request(UNLOCK, { input: { lotId, serials: ['7'] } }, viewer);
      expect(unlock.body.errors?.[0]?.extensions?.code, `${viewer.kind} unlock`).toBe(code);
    }
    // A lot nobody may see, like a made-up one, is NOT_FOUND.
    const missing = await subgraph.request(LOCK, { input: { lotId: randomUUID(), serials: ['1'], reason: 'STOLEN' } }, staffOf(farm));
    expect(missing.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await lockRows()).toEqual(before);
    expect(await check('8')).toMatchObject({ state: 'ISSUED' });
    expect(await check('7')).toMatchObject({ state: 'LOCKED' });
  });

  it('refuses bad input whole: nothing is locked when one serial is malformed, too many are given, or the note is too long', async () => {
    const before = await lockRows();
    const bad: [Record<string, unknown>, string[]][] = [
      [{ serials: ['9', 'bad serial'], reason: 'STOLEN' }, ['input', 'serials', '1']],
      [{ serials: ['9', 'X'.repeat(21)], reason: 'STOLEN' }, ['input', 'serials', '1']],
      [{ serials: [], reason: 'STOLEN' }, ['input', 'serials']],
      [{ serials: Array.from({ length: 1001 }, (_, i) => String(i + 1)), reason: 'STOLEN' }, ['input', 'serials']],
      [{ serials: ['9'], reason: 'STOLEN', note: 'x'.repeat(501) }, ['input', 'note']],
    ];
    for (const [input, field] of bad) {
      const { body } = await subgraph.request(LOCK, { input: { lotId, ...input } }, staffOf(farm));
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const unknownReason = await subgraph.request(LOCK, { input: { lotId, serials: ['9'], reason: 'LOST' } }, staffOf(farm));
    expect(unknownReason.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badUnlock = await subgraph.request(UNLOCK, { input: { lotId, serials: ['7', 'bad serial'] } }, staffOf(farm));
    expect(badUnlock.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'serials', '1'] });
    expect(await lockRows()).toEqual(before);
    expect(await check('9')).toMatchObject({ state: 'ISSUED' });
    expect(await check('7')).toMatchObject({ state: 'LOCKED' });
  });
});
