import { randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';
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

/** Real, whole images (a 1×1 PNG; CPython's 16×16 test JPEG and WebP, neither with metadata): photos are parsed, not just sniffed. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBD/wAARCAAQABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABwQF/8QAJBAAAQQBBAICAwAAAAAAAAAAAQIDBAYFBwgSExEiABQJMTL/xAAVAQEBAAAAAAAAAAAAAAAAAAAABv/EACMRAAECBQMFAAAAAAAAAAAAAAECEQMEBQYhABIxFRZhgeH/2gAMAwEAAhEDEQA/ABSm0mobc8HmExLUlRzzEWPkJWW+ulrsaUVAseUgslSlH9LKuPryIKuWPZdskzXmm3fX5m2nF4GlVxx/HOpx4ks51+MiU/Iaad7UcUo4tILoS4kqcWkezS0hO/HvuRp0rO6hWnWO1UisZVuFi4GFeyEpmGepa5S5SWVPuciFKRFLgSrwetnyPIB+Vb4N9mKhQMzo5po9XLdDs9d6ZVix2VEhiL9kuNPxw2gEKcDQ/rs8AuA8VAe0vdl7VOYn+27flGAUgmITjbhSmCg3BYlyeWDkMolvw4KOp1KM6iCNvngZHwetf//Z',
  'base64',
);
const WEBP = Buffer.from(
  'UklGRqgBAABXRUJQVlA4WAoAAAAQAAAADwAADwAAQUxQSMMAAAABJ6KokSTleucYX+ffKpmImP90cY3gJjDi4Yt3MsjBEVyDKzDosHgVjnhRNcEIDAJPkqBqsFUZHNa2bUYvTsZ2PLbtd/uvKa4hov9J0f2PkPe6REkkGzolkTTzFG0Ox9PlFiD0CxS+kOGDtxoynjaCfx0pfk52CPuInrOR75lzRugygtv4zEiy90UwfSD9NheMITJWLaXWayO8XeOlWRXVnIGk2W6WdYoYMQ+KqixQNPowgt+6a1BSKbUtz+lUFAoBAAAAVlA4IL4AAACQAgCdASoQABAAAwA0JbACdDBPCIUMfAMdCCz96AD+/XSg/QKbH4r3Q3ycN/bSDK/T/zVo4u6nvclvG/SqxWOuup+XhN9BojvaW+Tv+MvxvX/hr/o/5Qns9LtmX/+qKdl/yWznhuasl7nkxvSTI4xf3Y85VSB/lU/8Ofj/b9JrA+ifvIOYZm2x1RP/dhfmsf5diuSfR7+z+r/+HR3zEo/+XM/B+vkYw73Pzx+ROaAB/ZoBSzEs3rzZe6qsAAAA',
  'base64',
);

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
    // RESOLVED is final for status changes; only an officer above the owner may still escalate it (below).
    expect((await refused(UPDATE, { input: { id, status: 'INVESTIGATING' } }, districtOfficer)).extensions?.code).toBe('INVALID_TRANSITION');
    expect((await refused(ESCALATE, { input: { id, reason: 'Nấm mốc', severity: 'CLASS_II' } }, farmStaff)).extensions?.code).toBe('FORBIDDEN');
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

describe('the producer cannot bury a complaint about itself', () => {
  const status = async (id: string) => (await db.connection.rows<{ status: string }>(sql`select status from trace.complaints where id = ${id}`))[0]!.status;

  it('lets the owner acknowledge and investigate a SAFETY complaint but only an officer above it resolve it', async () => {
    const id = await complaintId((await file(await lot(subgraph, farm, code()), shopper(), { category: 'SAFETY' })).receipt);
    await ok(subgraph, UPDATE, { input: { id, status: 'ACKNOWLEDGED' } }, farmStaff);
    await ok(subgraph, UPDATE, { input: { id, status: 'INVESTIGATING' } }, farmAdmin);
    const ownClient: Viewer = {
      kind: 'client',
      requestId: 't',
      clientId: randomUUID(),
      orgId: farm.id,
      path: farm.path,
      scopes: ['trace:write', 'internal:read'],
    };
    // The owner's STAFF, its own ADMIN (who supervises its own node) and its API client alike.
    for (const viewer of [farmStaff, farmAdmin, ownClient]) {
      const error = await refused(UPDATE, { input: { id, status: 'RESOLVED', resolution: 'Không có vấn đề gì.' } }, viewer);
      expect(error.extensions?.code).toBe('FORBIDDEN');
      expect(error.message).toContain('OFFICER or ADMIN above');
    }
    expect(await status(id)).toBe('INVESTIGATING');
    const resolved = (await ok(subgraph, UPDATE, { input: { id, status: 'RESOLVED', resolution: 'Đã kiểm nghiệm mẫu lưu: đạt.' } }, districtOfficer))
      .updateComplaint.complaint;
    expect(resolved.status).toBe('RESOLVED');
  });

  it('refuses the owner resolving a COUNTERFEIT complaint; other categories it may resolve itself', async () => {
    const fake = await complaintId((await file(await lot(subgraph, farm, code()), shopper(), { category: 'COUNTERFEIT' })).receipt);
    expect((await refused(UPDATE, { input: { id: fake, status: 'RESOLVED', resolution: 'Hàng thật.' } }, farmStaff)).extensions?.code).toBe('FORBIDDEN');
    expect(await status(fake)).toBe('NEW');
    const label = await complaintId((await file(await lot(subgraph, farm, code()), shopper(), { category: 'LABELLING' })).receipt);
    await ok(subgraph, UPDATE, { input: { id: label, status: 'RESOLVED', resolution: 'Đã in lại nhãn.' } }, farmStaff);
    expect(await status(label)).toBe('RESOLVED');
  });

  it('lets an officer above the owner escalate a RESOLVED complaint to a recall; the owner cannot', async () => {
    const lotId = await lot(subgraph, farm, code());
    const id = await complaintId((await file(lotId, shopper(), { category: 'QUALITY' })).receipt);
    await ok(subgraph, UPDATE, { input: { id, status: 'RESOLVED', resolution: 'Đã đổi hàng.' } }, farmStaff);
    for (const viewer of [farmStaff, farmAdmin]) {
      expect((await refused(ESCALATE, { input: { id, reason: 'Tự đóng rồi mở lại', severity: 'CLASS_III' } }, viewer)).extensions?.code).toBe('FORBIDDEN');
    }
    expect(await status(id)).toBe('RESOLVED');
    const data = (await ok(subgraph, ESCALATE, { input: { id, reason: 'Nhiều phản ánh cùng lô sau khi đóng', severity: 'CLASS_II' } }, districtOfficer))
      .escalateComplaint;
    expect(data.complaint).toMatchObject({ id, status: 'ESCALATED', recall: { id: data.recall.id } });
    expect(data.recall.rootLots).toEqual([{ id: lotId, status: 'RECALLED' }]);
    const actions = await db.connection.rows<{ action: string }>(sql`select action from trace.complaint_actions where complaint_id = ${id} order by at, id`);
    expect(actions.map((a) => a.action)).toEqual(['FILED', 'RESOLVED', 'ESCALATED']);
  });
});

describe('photos are stored without their metadata', () => {
  const png = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const jpegSegment = (marker: number, data: Buffer) => {
    const head = Buffer.from([0xff, marker, 0, 0]);
    head.writeUInt16BE(data.length + 2, 2);
    return Buffer.concat([head, data]);
  };
  const GPS = 'GPSLatitude 10.0452N GPSLongitude 105.7469E Model Pixel-7 Serial 8A1X2Y';
  const stored = async (receipt: string) =>
    Buffer.from((await db.connection.rows<{ photo: Uint8Array }>(sql`select photo from trace.complaints where receipt = ${receipt}`))[0]!.photo);

  it('drops EXIF and XMP segments from a JPEG and keeps JFIF and the picture', async () => {
    // APP0 (JFIF) is bytes 2–19 of the fixture: the metadata goes right after it, as a camera writes it.
    const exif = jpegSegment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), Buffer.from(GPS)]));
    const xmp = jpegSegment(0xe1, Buffer.from(`http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>${GPS}</x:xmpmeta>`, 'latin1'));
    const comment = jpegSegment(0xfe, Buffer.from(GPS));
    const tagged = Buffer.concat([JPEG.subarray(0, 20), exif, xmp, comment, JPEG.subarray(20), Buffer.from(`trailer ${GPS}`)]);
    const { receipt } = await file(await lot(subgraph, farm, code()), shopper(), { photo: { contentType: 'image/jpeg', base64: tagged.toString('base64') } });
    const bytes = await stored(receipt);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(bytes.includes('GPSLatitude')).toBe(false);
    expect(bytes.includes('Exif')).toBe(false);
    expect(bytes.includes('JFIF')).toBe(true);
    expect(bytes.equals(JPEG)).toBe(true);
  });

  it('drops tEXt, eXIf and tIME chunks from a PNG', async () => {
    const tagged = Buffer.concat([
      PNG.subarray(0, 33), // signature and IHDR
      png('tEXt', Buffer.from(`Comment\0${GPS}`, 'latin1')),
      png('eXIf', Buffer.from(`MM\0*${GPS}`, 'latin1')),
      png('tIME', Buffer.from([0x07, 0xea, 12, 3, 14, 30, 0])),
      PNG.subarray(33),
    ]);
    const { receipt } = await file(await lot(subgraph, farm, code()), shopper(), { photo: { contentType: 'image/png', base64: tagged.toString('base64') } });
    const bytes = await stored(receipt);
    expect(bytes.subarray(0, 8)).toEqual(PNG.subarray(0, 8));
    for (const gone of ['GPSLatitude', 'tEXt', 'eXIf', 'tIME']) expect(bytes.includes(gone), gone).toBe(false);
    expect(bytes.equals(PNG)).toBe(true);
  });

  it("drops a WebP's EXIF chunk and clears its flag in VP8X", async () => {
    expect(WEBP.subarray(12, 16).toString('latin1')).toBe('VP8X');
    const payload = Buffer.from(`Exif\0\0${GPS}`, 'latin1');
    const exif = Buffer.concat([Buffer.from('EXIF', 'latin1'), Buffer.alloc(4), payload, Buffer.alloc(payload.length % 2)]);
    exif.writeUInt32LE(payload.length, 4);
    const tagged = Buffer.concat([WEBP, exif]);
    tagged.writeUInt32LE(tagged.length - 8, 4);
    tagged[20] = tagged[20]! | 0x08; // VP8X: "has EXIF"
    const { receipt } = await file(await lot(subgraph, farm, code()), shopper(), { photo: { contentType: 'image/webp', base64: tagged.toString('base64') } });
    const bytes = await stored(receipt);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(bytes.subarray(8, 12).toString('latin1')).toBe('WEBP');
    expect(bytes.includes('GPSLatitude')).toBe(false);
    expect(bytes[20]! & 0x08).toBe(0);
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
    expect(bytes.equals(WEBP)).toBe(true);
  });

  it('refuses a photo that does not parse, with the photo error, storing nothing', async () => {
    const lotId = await lot(subgraph, farm, code());
    const before = await counts();
    const badCrc = Buffer.from(PNG);
    badCrc[29] = badCrc[29]! ^ 0xff;
    const cases: [string, Buffer][] = [
      ['image/jpeg', JPEG.subarray(0, 200)], // cut off before the scan ends
      ['image/jpeg', Buffer.concat([JPEG.subarray(0, 20), Buffer.from([0xff, 0xe1, 0xff, 0xff]), JPEG.subarray(20)])], // APP1 longer than the file
      ['image/png', badCrc],
      ['image/png', PNG.subarray(0, PNG.length - 12)], // no IEND
      ['image/webp', Buffer.concat([WEBP.subarray(0, 4), Buffer.from([0xff, 0xff, 0, 0]), WEBP.subarray(8)])], // RIFF size past the end
    ];
    for (const [contentType, bytes] of cases) {
      const error = await refused(REPORT, { input: input(lotId, { photo: { contentType, base64: bytes.toString('base64') } }) }, shopper());
      expect(error.extensions, contentType).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'photo', 'base64'] });
    }
    expect(await counts()).toEqual(before);
  });
});

describe('the per-address limit under parallel reports', () => {
  it('stores at most the limit when one address files on many lots at once', async () => {
    const viewer = shopper();
    const lots: string[] = [];
    for (let i = 0; i < 8; i++) lots.push(await lot(subgraph, farm, code()));
    const answers = await Promise.all(lots.map((lotId) => subgraph.request(REPORT, { input: input(lotId) }, viewer)));
    const key = `addr:${(viewer as { clientKey: string }).clientKey}`;
    const [row] = await db.connection.rows<{ n: number }>(sql`select count(*)::int as n from trace.complaints where client_key = ${key}`);
    expect(row!.n).toBe(LIMITS.perAddressPerHour);
    const refusals = answers.filter((a) => a.body.errors?.length);
    expect(refusals).toHaveLength(8 - LIMITS.perAddressPerHour);
    for (const a of refusals) expect(a.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'address' });
  });
});
