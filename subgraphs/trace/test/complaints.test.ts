import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql, type Viewer } from '@nguon/shared';
import { demoOrgId } from '@nguon/demo/ids';
import { startSeededSubgraph, type TestDatabase } from '@nguon/shared/testing';
import { traceSubgraph } from '../src/server';
import { lot, ok, org, product, staffOf, useCatalog, type Subgraph } from './helpers';

/*
 * Complaints (issue 15): a shopper's report on a published lot reaches the
 * owner's and its supervisors' inbox; bad input and callers over their limit
 * store nothing; only the owner's side and the officers above it see and act;
 * escalation opens a recall with the complaint linked, in one act.
 */

const LIMITS = { perAddressPerHour: 3, perLotPerHour: 5 };

let db: TestDatabase;
let subgraph: Subgraph;
let stop = async () => {};
beforeAll(async () => {
  ({ db, subgraph, stop } = await startSeededSubgraph(traceSubgraph({ complaintLimits: LIMITS }), inject('seededTemplate')));
  useCatalog(db);
});
afterAll(() => stop());

const farm = org('htx_lua_thoi_thuan'); // Thốt Nốt district, agriculture
const otherFarm = org('htx_dau_ha_chau'); // Phong Điền district, same department
const store = org('ch_thuc_pham_sach_an_khanh');
const district = farm.path.split('.').slice(0, -1).join('.');
const department = district.split('.').slice(0, -1).join('.');
const otherDistrict = otherFarm.path.split('.').slice(0, -1).join('.');
const user = (role: 'OFFICER' | 'ADMIN' | 'STAFF' | 'ANALYST', path: string): Viewer => ({
  kind: 'user',
  requestId: 't',
  userId: randomUUID(),
  grants: [{ role, orgId: demoOrgId(path), path }],
});
const districtOfficer = user('OFFICER', district);
const departmentOfficer = user('OFFICER', department);
const otherDistrictOfficer = user('OFFICER', otherDistrict);
const farmStaff = staffOf(farm);
const farmAdmin = user('ADMIN', farm.path);
const shopper = (): Viewer => ({ kind: 'anonymous', requestId: 't', clientKey: `k-${randomUUID()}` });

const REPORT = `mutation($input: ReportProblemInput!) { reportProblem(input: $input) { receipt status } }`;
const UPDATE = `mutation($input: UpdateComplaintInput!) { updateComplaint(input: $input) { complaint { id status firstResponseAt responseSeconds resolution actions { action actorPath note } } } }`;
const ESCALATE = `mutation($input: EscalateComplaintInput!) {
  escalateComplaint(input: $input) { complaint { id status recall { id } } recall { id severity reason rootLots { id status } } }
}`;
const RECEIPT = `query($r: String!) { complaintReceipt(receipt: $r) { receipt status category createdAt updatedAt resolution recalled } }`;
const INBOX = `query($filter: ComplaintFilter) {
  complaints(filter: $filter, first: 50) { totalCount nodes { id receipt status category description serial hasPhoto lot { id } owner { id } } }
}`;
const ONE = `query($id: ID!) { complaint(id: $id) { id status description responseSeconds ageSeconds createdAt firstResponseAt } }`;

let n = 0;
const code = () => `CPL-${++n}-${randomUUID().slice(0, 4)}`;

/** A PNG's signature and a minimal IHDR: enough for the magic-byte check. */
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);

const input = (lotId: string, extra: Record<string, unknown> = {}) => ({
  lotId,
  category: 'QUALITY',
  description: 'Gạo có mùi mốc, hạt bị vàng.',
  lang: 'vi',
  ...extra,
});

async function file(lotId: string, viewer: Viewer = shopper(), extra: Record<string, unknown> = {}) {
  const data = await ok(subgraph, REPORT, { input: input(lotId, extra) }, viewer);
  return data.reportProblem as { receipt: string; status: string };
}

const complaintId = async (receipt: string) =>
  (await db.connection.rows<{ id: string }>(sql`select id from trace.complaints where receipt = ${receipt}`))[0]!.id;

const counts = async () =>
  (
    await db.connection.rows<{ complaints: number; actions: number; notifications: number }>(sql`
      select (select count(*)::int from trace.complaints) as complaints,
             (select count(*)::int from trace.complaint_actions) as actions,
             (select count(*)::int from trace.notifications where kind = 'COMPLAINT_FILED') as notifications`)
  )[0]!;

async function refused(query: string, variables: Record<string, unknown>, viewer: Viewer) {
  const { body } = await subgraph.request(query, variables, viewer);
  expect(body.errors?.length).toBeGreaterThan(0);
  return body.errors![0]!;
}

describe('filing a report', () => {
  it('stores the complaint with a FILED action and notifies the owner, its district and its department once each', async () => {
    const lotId = await lot(subgraph, farm, code());
    const viewer = shopper();
    const { receipt, status } = await file(lotId, viewer, {
      serial: '123',
      contact: '0901 234 567',
      photo: { contentType: 'image/png', base64: PNG.toString('base64') },
    });
    expect(status).toBe('NEW');
    expect(receipt).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const [row] = await db.connection.rows<Record<string, unknown>>(
      sql`select owner_id, lot_id, serial, contact, photo_type, length(photo) as photo_bytes, client_key, status, lang from trace.complaints where receipt = ${receipt}`,
    );
    expect(row).toMatchObject({ owner_id: farm.id, lot_id: lotId, serial: '123', contact: '0901 234 567', photo_type: 'image/png', status: 'NEW', lang: 'vi' });
    expect(Number(row!.photo_bytes)).toBe(PNG.length);
    // The gateway's keyed hash of the address, never anything else about the caller.
    expect(row!.client_key).toBe(`addr:${(viewer as { clientKey: string }).clientKey}`);
    const id = await complaintId(receipt);
    const actions = await db.connection.rows<{ action: string }>(sql`select action from trace.complaint_actions where complaint_id = ${id}`);
    expect(actions.map((a) => a.action)).toEqual(['FILED']);
    const notified = await db.connection.rows<{ organization_id: string; kind: string; payload: Record<string, unknown> }>(
      sql`select organization_id, kind, payload from trace.notifications where subject_id = ${id} order by organization_id`,
    );
    expect(notified.map((r) => r.organization_id).sort()).toEqual([farm.id, demoOrgId(district), demoOrgId(department)].sort());
    expect(notified.every((r) => r.kind === 'COMPLAINT_FILED')).toBe(true);
    // Nothing personal travels in a notification.
    expect(JSON.stringify(notified.map((r) => r.payload))).not.toContain('0901');
  });

  it('refuses bad input with a clear message and stores nothing', async () => {
    const lotId = await lot(subgraph, farm, code());
    const draft = (
      await ok(
        subgraph,
        `mutation($input: CreateLotInput!) { createLot(input: $input) { lot { id } } }`,
        { input: { productId: await product(db, farm), ownerId: farm.id, lotCode: code(), quantity: 10, unit: 'KGM', season: 'Đông Xuân 2025-2026' } },
        farmStaff,
      )
    ).createLot.lot.id as string;
    const before = await counts();
    const big = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ description: '   ngắn   ' }, 'BAD_USER_INPUT', 'input.description'],
      [{ description: 'x'.repeat(2001) }, 'BAD_USER_INPUT', 'input.description'],
      [{ contact: 'x'.repeat(201) }, 'BAD_USER_INPUT', 'input.contact'],
      [{ lang: 'not a tag!' }, 'BAD_USER_INPUT', 'input.lang'],
      [{ serial: 'bad serial with spaces and far too long' }, 'BAD_USER_INPUT', 'input.serial'],
      [{ photo: { contentType: 'image/gif', base64: PNG.toString('base64') } }, 'BAD_USER_INPUT', 'input.photo.contentType'],
      [{ photo: { contentType: 'image/jpeg', base64: PNG.toString('base64') } }, 'BAD_USER_INPUT', 'input.photo.base64'],
      [{ photo: { contentType: 'image/png', base64: '***not base64***' } }, 'BAD_USER_INPUT', 'input.photo.base64'],
      [{ photo: { contentType: 'image/png', base64: big.toString('base64') } }, 'BAD_USER_INPUT', 'input.photo.base64'],
      [{ scanId: randomUUID() }, 'BAD_USER_INPUT', 'input.scanId'],
    ];
    for (const [extra, code, field] of cases) {
      const error = await refused(REPORT, { input: input(lotId, extra) }, shopper());
      expect(error.extensions, JSON.stringify(extra).slice(0, 80)).toMatchObject({ code, field: field.split('.') });
      expect(error.message.length).toBeGreaterThan(5);
    }
    // An unknown lot and a draft lot answer alike.
    const unknown = await refused(REPORT, { input: input(randomUUID()) }, shopper());
    const unpublished = await refused(REPORT, { input: input(draft) }, shopper());
    expect(unknown.extensions?.code).toBe('NOT_FOUND');
    expect(unpublished).toEqual(unknown);
    expect(await counts()).toEqual(before);
  });

  it('accepts a JPEG and a report that names a scan of the lot', async () => {
    const lotId = await lot(subgraph, farm, code());
    await ok(subgraph, `mutation($input: RecordScanInput!) { recordScan(input: $input) { recorded } }`, { input: { lotId, lang: 'vi' } }, shopper());
    const [scan] = await db.connection.rows<{ id: string }>(sql`select id from trace.scans where lot_id = ${lotId}`);
    const { receipt } = await file(lotId, shopper(), { scanId: scan!.id, photo: { contentType: 'image/jpeg', base64: JEPG64() } });
    const [row] = await db.connection.rows<{ scan_id: string }>(sql`select scan_id from trace.complaints where receipt = ${receipt}`);
    expect(row!.scan_id).toBe(scan!.id);
  });
});

const JEPG64 = () => JPEG.toString('base64');

describe('rate limits', () => {
  it('refuses a fourth report from one address within the hour, storing nothing', async () => {
    const viewer = shopper();
    for (let i = 0; i < LIMITS.perAddressPerHour; i++) await file(await lot(subgraph, farm, code()), viewer);
    const before = await counts();
    const error = await refused(REPORT, { input: input(await lot(subgraph, farm, code())) }, viewer);
    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'address' });
    expect(await counts()).toEqual(before);
    // Another address is not affected.
    await file(await lot(subgraph, farm, code()), shopper());
  });

  it('refuses reports on one lot beyond its hourly limit, whoever files them', async () => {
    const lotId = await lot(subgraph, farm, code());
    for (let i = 0; i < LIMITS.perLotPerHour; i++) await file(lotId);
    const before = await counts();
    const error = await refused(REPORT, { input: input(lotId) }, shopper());
    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'lot' });
    expect(await counts()).toEqual(before);
  });
});

describe('who sees and acts', () => {
  let id: string;
  let receipt: string;
  beforeAll(async () => {
    const lotId = await lot(subgraph, farm, code());
    ({ receipt } = await file(lotId, shopper(), { contact: 'nguoimua@example.vn' }));
    id = await complaintId(receipt);
  });

  it('shows it to the owner and the officers above it, in their inbox', async () => {
    for (const viewer of [farmStaff, farmAdmin, districtOfficer, departmentOfficer]) {
      const data = await ok(subgraph, INBOX, { filter: { status: ['NEW'] } }, viewer);
      expect(data.complaints.nodes.map((c: { id: string }) => c.id)).toContain(id);
      expect((await ok(subgraph, ONE, { id }, viewer)).complaint.id).toBe(id);
    }
  });

  it('hides it from another producer, a store and an officer of another district, and refuses them alike', async () => {
    for (const viewer of [staffOf(otherFarm), staffOf(store), otherDistrictOfficer, user('ANALYST', district)]) {
      const data = await ok(subgraph, INBOX, {}, viewer);
      expect(data.complaints.nodes.map((c: { id: string }) => c.id)).not.toContain(id);
      expect((await ok(subgraph, ONE, { id }, viewer)).complaint).toBeNull();
      const error = await refused(UPDATE, { input: { id, status: 'ACKNOWLEDGED' } }, viewer);
      expect(error.extensions?.code).toBe('NOT_FOUND');
      const unknown = await refused(UPDATE, { input: { id: randomUUID(), status: 'ACKNOWLEDGED' } }, viewer);
      expect(error.message).toBe(unknown.message);
    }
  });

  it('refuses anonymous callers', async () => {
    expect((await refused(INBOX, {}, shopper())).extensions?.code).toBe('UNAUTHENTICATED');
    expect((await refused(UPDATE, { input: { id, status: 'ACKNOWLEDGED' } }, shopper())).extensions?.code).toBe('UNAUTHENTICATED');
    expect((await refused(ESCALATE, { input: { id, reason: 'x', severity: 'CLASS_II' } }, shopper())).extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('lets a reader without write rights read but not act (FORBIDDEN)', async () => {
    const reader: Viewer = { kind: 'client', requestId: 't', clientId: randomUUID(), orgId: farm.id, path: farm.path, scopes: ['internal:read'] };
    expect((await ok(subgraph, ONE, { id }, reader)).complaint.id).toBe(id);
    expect((await refused(UPDATE, { input: { id, status: 'ACKNOWLEDGED' } }, reader)).extensions?.code).toBe('FORBIDDEN');
  });

  it("shows the shopper's contact (PERSONAL) to the owner's ADMIN only", async () => {
    const q = `query($id: ID!) { complaint(id: $id) { id contact } }`;
    expect((await ok(subgraph, q, { id }, farmAdmin)).complaint.contact).toBe('nguoimua@example.vn');
    for (const viewer of [farmStaff, districtOfficer]) {
      const { body } = await subgraph.request(q, { id }, viewer);
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(body.data?.complaint?.contact ?? null).toBeNull();
    }
  });

  it('answers the shopper with the status by receipt, nothing personal; unknown codes are null', async () => {
    const data = await ok(subgraph, RECEIPT, { r: receipt.toLowerCase().replace(/-/g, ' ') }, { kind: 'anonymous', requestId: 't' });
    expect(data.complaintReceipt).toMatchObject({ receipt, status: 'NEW', category: 'QUALITY', resolution: null, recalled: false });
    expect((await ok(subgraph, RECEIPT, { r: 'AAAA-BBBB-CCCC' }, { kind: 'anonymous', requestId: 't' })).complaintReceipt).toBeNull();
    expect((await ok(subgraph, RECEIPT, { r: 'nonsense' }, { kind: 'anonymous', requestId: 't' })).complaintReceipt).toBeNull();
    const { body } = await subgraph.request(`query($r: String!) { complaintReceipt(receipt: $r) { contact } }`, { r: receipt });
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('status transitions and the response-time clock', () => {
  it('moves NEW → ACKNOWLEDGED → INVESTIGATING → RESOLVED and refuses any other move', async () => {
    const { receipt } = await file(await lot(subgraph, farm, code()));
    const id = await complaintId(receipt);
    const running = (await ok(subgraph, ONE, { id }, districtOfficer)).complaint;
    expect(running.firstResponseAt).toBeNull();
    expect(running.responseSeconds).toBeGreaterThanOrEqual(0);

    const acknowledged = (await ok(subgraph, UPDATE, { input: { id, status: 'ACKNOWLEDGED', note: 'Đã nhận' } }, farmStaff)).updateComplaint.complaint;
    expect(acknowledged.status).toBe('ACKNOWLEDGED');
    expect(acknowledged.firstResponseAt).not.toBeNull();
    expect(acknowledged.actions.map((a: { action: string }) => a.action)).toEqual(['FILED', 'ACKNOWLEDGED']);
    expect(acknowledged.actions[1].actorPath).toBe(farm.path);

    const again = await refused(UPDATE, { input: { id, status: 'ACKNOWLEDGED' } }, farmStaff);
    expect(again.extensions).toMatchObject({ code: 'INVALID_TRANSITION', from: 'ACKNOWLEDGED', to: 'ACKNOWLEDGED' });
    await ok(subgraph, UPDATE, { input: { id, status: 'INVESTIGATING' } }, districtOfficer);
    expect((await refused(UPDATE, { input: { id, status: 'ACKNOWLEDGED' } }, farmStaff)).extensions?.code).toBe('INVALID_TRANSITION');
    // Resolving needs a resolution the shopper can read.
    expect((await refused(UPDATE, { input: { id, status: 'RESOLVED' } }, districtOfficer)).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: ['input', 'resolution'],
    });
    const resolved = (await ok(subgraph, UPDATE, { input: { id, status: 'RESOLVED', resolution: 'Đã đổi sản phẩm cho người mua.' } }, districtOfficer))
      .updateComplaint.complaint;
    expect(resolved).toMatchObject({ status: 'RESOLVED', resolution: 'Đã đổi sản phẩm cho người mua.' });
    // The clock stopped at the first response.
    expect(resolved.firstResponseAt).toBe(acknowledged.firstResponseAt);
    expect(resolved.responseSeconds).toBe(acknowledged.responseSeconds);
    // RESOLVED is final.
    expect((await refused(UPDATE, { input: { id, status: 'INVESTIGATING' } }, districtOfficer)).extensions?.code).toBe('INVALID_TRANSITION');
    expect((await refused(ESCALATE, { input: { id, reason: 'Nấm mốc', severity: 'CLASS_II' } }, districtOfficer)).extensions?.code).toBe('INVALID_TRANSITION');
    const shown = (await ok(subgraph, RECEIPT, { r: receipt }, shopper())).complaintReceipt;
    expect(shown).toMatchObject({ status: 'RESOLVED', resolution: 'Đã đổi sản phẩm cho người mua.', recalled: false });
  });
});

describe('grouping', () => {
  it('groups complaints on the same lot and on the same product, most open first', async () => {
    const productId = await product(db, farm);
    const a = await lot(subgraph, farm, code(), productId);
    const b = await lot(subgraph, farm, code(), productId);
    for (let i = 0; i < 3; i++) await file(a);
    const { receipt } = await file(b);
    await ok(subgraph, UPDATE, { input: { id: await complaintId(receipt), status: 'RESOLVED', resolution: 'Không phát hiện lỗi.' } }, farmStaff);
    const q = `query($filter: ComplaintFilter) { complaints(filter: $filter) {
      totalCount
      byLot: groups { lot { id } product { id } count openCount oldestOpenAt }
      byProduct: groups(by: PRODUCT) { lot { id } product { id } count openCount oldestOpenAt }
    } }`;
    const data = (await ok(subgraph, q, { filter: { productId } }, departmentOfficer)).complaints;
    expect(data.totalCount).toBe(4);
    expect(data.byLot).toMatchObject([
      { lot: { id: a }, product: { id: productId }, count: 3, openCount: 3 },
      { lot: { id: b }, product: { id: productId }, count: 1, openCount: 0, oldestOpenAt: null },
    ]);
    expect(data.byLot[0].oldestOpenAt).not.toBeNull();
    expect(data.byProduct).toMatchObject([{ lot: null, product: { id: productId }, count: 4, openCount: 3 }]);
    // The lot's own complaints, through Lot.complaints.
    const onLot = await ok(subgraph, `query($id: ID!) { lot(id: $id) { complaints { totalCount } } }`, { id: a }, farmStaff);
    expect(onLot.lot.complaints.totalCount).toBe(3);
    const { body } = await subgraph.request(`query($id: ID!) { lot(id: $id) { complaints { totalCount } } }`, { id: a }, shopper());
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('escalation', () => {
  it('opens a recall of the lot with the complaint linked, in one act', async () => {
    const lotId = await lot(subgraph, farm, code());
    const { receipt } = await file(lotId);
    const id = await complaintId(receipt);
    await ok(subgraph, UPDATE, { input: { id, status: 'ACKNOWLEDGED' } }, farmStaff);
    const data = (await ok(subgraph, ESCALATE, { input: { id, reason: 'Nấm mốc aflatoxin vượt ngưỡng', severity: 'CLASS_I' } }, districtOfficer))
      .escalateComplaint;
    expect(data.complaint).toMatchObject({ id, status: 'ESCALATED', recall: { id: data.recall.id } });
    expect(data.recall).toMatchObject({ severity: 'CLASS_I', reason: 'Nấm mốc aflatoxin vượt ngưỡng', rootLots: [{ id: lotId, status: 'RECALLED' }] });
    const [row] = await db.connection.rows<{ recall_id: string; status: string }>(sql`select recall_id, status from trace.complaints where id = ${id}`);
    expect(row).toEqual({ recall_id: data.recall.id, status: 'ESCALATED' });
    const [recall] = await db.connection.rows<{ authority_path: string }>(sql`select authority_path from trace.recalls where id = ${data.recall.id}`);
    expect(recall!.authority_path).toBe(district);
    expect((await ok(subgraph, RECEIPT, { r: receipt }, shopper())).complaintReceipt).toMatchObject({ status: 'ESCALATED', recalled: true });
    // ESCALATED is final.
    expect((await refused(ESCALATE, { input: { id, reason: 'lần nữa', severity: 'CLASS_I' } }, districtOfficer)).extensions?.code).toBe('INVALID_TRANSITION');
    expect((await refused(UPDATE, { input: { id, status: 'RESOLVED', resolution: 'x' } }, districtOfficer)).extensions?.code).toBe('INVALID_TRANSITION');
  });

  it("lets the owner escalate (a voluntary recall) and writes nothing when the recall's own checks refuse", async () => {
    const lotId = await lot(subgraph, farm, code());
    const id = await complaintId((await file(lotId)).receipt);
    const recallsBefore = (await db.connection.rows<{ n: number }>(sql`select count(*)::int as n from trace.recalls`))[0]!.n;
    const error = await refused(ESCALATE, { input: { id, reason: '   ', severity: 'CLASS_II' } }, farmStaff);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'reason'] });
    expect((await db.connection.rows<{ n: number }>(sql`select count(*)::int as n from trace.recalls`))[0]!.n).toBe(recallsBefore);
    const [still] = await db.connection.rows<{ status: string; recall_id: string | null }>(
      sql`select status, recall_id from trace.complaints where id = ${id}`,
    );
    expect(still).toEqual({ status: 'NEW', recall_id: null });
    expect((await refused(ESCALATE, { input: { id, reason: 'Nấm mốc', severity: 'CLASS_II' } }, otherDistrictOfficer)).extensions?.code).toBe('NOT_FOUND');

    const data = (await ok(subgraph, ESCALATE, { input: { id, reason: 'Tự nguyện thu hồi', severity: 'CLASS_III' } }, farmStaff)).escalateComplaint;
    expect(data.complaint.status).toBe('ESCALATED');
    const [recall] = await db.connection.rows<{ authority_path: string }>(sql`select authority_path from trace.recalls where id = ${data.recall.id}`);
    expect(recall!.authority_path).toBe(farm.path);
  });
});
