import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GROUPS,
  PLACES,
  WRITE_CELLS,
  WRITE_VIEWERS,
  renderWriteMatrix,
  sentence,
  type Group,
  type Outcome,
  type WriteCell,
  type WriteViewer,
} from './access/write-policy';
import { withCheckDigit } from '@nguon/gs1';
import { demoEmail, startTestStack, type GraphQLResult, type TestStack } from './helpers';

/**
 * The write-authority matrix (docs/write-authority.md, issue 14) through the
 * gateway: every mutation and EPCIS reference kind × every viewer of
 * access/write-policy.ts. An allowed cell must write (its rows appear); a
 * refused one must answer the stable code and write nothing — row counts,
 * a digest of the rows a write may change, and every chain head, compared in
 * one statement before and after.
 */

let stack: TestStack;
const org = new Map<string, string>(); // path → organization id
const auth = new Map<string, Record<string, string>>(); // viewer key → headers

/** What the setup builds once; cells name these. */
const fx = {} as {
  productO: string;
  productS: string;
  productS2: string;
  productD: string;
  draftProductO: string;
  draftProductS: string;
  /** productS2, licensed to the owner (null when grantProductLicence failed: the cells using it fail with the reason). */
  licensedProduct: string | null;
  licenceError: string;
  areaO: string;
  areaS: string;
  /** The owner's published lot the custodian received. */
  heldLot: string;
  /** The owner's published lot shipped to the custodian, not yet received. */
  shippedLot: string;
  /** A published lot without area, for quantity corrections. */
  plainLot: string;
  /** A published lot in the owner's area and season with a norm. */
  normedLot: string;
  /** A lot-free event the owner captured: its input and eventID. */
  ownerEvent: Record<string, unknown>;
  /** A recall the district OFFICER opened over a lot the custodian holds. */
  recoveryRecall: string;
  recoveryLot: string;
  /** A lot shipped to and received by the custodian, in a CLASS_II recall the owner opened. */
  ownerRecoveryRecall: string;
  ownerRecoveryLot: string;
  /** The owner's published product the catalog edit cells change. */
  editProduct: string;
  /** An account (no role) the sign-in cells sign in as. */
  signInUser: { id: string; email: string };
  /** A published lot of the owner the complaint cells report on and act on. */
  complaintLot: string;
  /** A draft lot of the owner: no report can be filed on it. */
  draftLot: string;
};

/**
 * The owner's webhook receiver on 127.0.0.1 (set in the setup): it accepts
 * every delivery, except while a retryNotification cell makes its dead letter
 * (the worker dead-letters at the first failure here, NOTIFY_MAX_ATTEMPTS=1).
 */
const hook = { url: '', answer: 200, server: null as Server | null };
const NOTIFY = { NOTIFY_INTERVAL_MS: '20', NOTIFY_BACKOFF_MS: '20', NOTIFY_BACKOFF_MAX_MS: '100', NOTIFY_MAX_ATTEMPTS: '1' };
const savedEnv: Record<string, string | undefined> = {};

const SEASON_DX = 'Đông Xuân 2025-2026';
const SEASON_HT = 'Hè Thu 2026';

// ---------------------------------------------------------------------------
// Plumbing
// ---------------------------------------------------------------------------

/** A fixture write by a named viewer; it must succeed. */
async function as<T = any>(key: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const r = await stack.gql(query, variables, { headers: auth.get(key) });
  if (r.errors || !r.data) throw new Error(`fixture (${key}) failed: ${JSON.stringify(r.errors)}`);
  return r.data as T;
}

let counter = 0;
const next = () => ++counter;
/** A fresh eventTime per event, so no two cells capture the same content. */
function eventTime(): string {
  const at = new Date(Date.UTC(2026, 2, 1, 0, 0, 0) + next() * 1000 + 7 * 3_600_000);
  return `${at.toISOString().slice(0, 19)}+07:00`;
}
const sgtin = () => `urn:epc:id:sgtin:0614141.107346.${9_000_000 + next()}`;

const M = {
  createLot: 'mutation($i: CreateLotInput!) { createLot(input: $i) { lot { id status } } }',
  publishLot: 'mutation($i: PublishLotInput!) { publishLot(input: $i) { lot { id status } } }',
  correctLotQuantity: 'mutation($i: CorrectLotQuantityInput!) { correctLotQuantity(input: $i) { lot { id status } } }',
  reviewLot: 'mutation($i: ReviewLotInput!) { reviewLot(input: $i) { lot { id status } } }',
  captureEvents: 'mutation($i: CaptureEventsInput!) { captureEvents(input: $i) { createdCount duplicateCount } }',
  openRecall: 'mutation($i: OpenRecallInput!) { openRecall(input: $i) { recall { id status } } }',
  extendRecall: 'mutation($i: ExtendRecallInput!) { extendRecall(input: $i) { recall { id status } } }',
  recordRecallRecovery: 'mutation($i: RecordRecallRecoveryInput!) { recordRecallRecovery(input: $i) { recall { id status } } }',
  closeRecall: 'mutation($i: CloseRecallInput!) { closeRecall(input: $i) { recall { id status } } }',
  createProduct: 'mutation($i: CreateProductInput!) { createProduct(input: $i) { product { id } } }',
  publishProduct: 'mutation($i: PublishProductInput!) { publishProduct(input: $i) { product { id status } } }',
  setSeasonNorm: 'mutation($i: SetSeasonNormInput!) { setSeasonNorm(input: $i) { __typename } }',
  grantProductLicence: 'mutation($i: GrantProductLicenceInput!) { grantProductLicence(input: $i) { __typename } }',
  revokeProductLicence: 'mutation($i: RevokeProductLicenceInput!) { revokeProductLicence(input: $i) { licence { id } } }',
  updateProduct: 'mutation($i: UpdateProductInput!) { updateProduct(input: $i) { product { id } } }',
  assignGtin: 'mutation($i: AssignGtinInput!) { assignGtin(input: $i) { product { id gtin } } }',
  withdrawProduct: 'mutation($i: WithdrawProductInput!) { withdrawProduct(input: $i) { product { id status } } }',
  addCertification: 'mutation($i: AddCertificationInput!) { addCertification(input: $i) { certification { id } } }',
  removeCertification: 'mutation($i: RemoveCertificationInput!) { removeCertification(input: $i) { product { id } } }',
  createProductionArea: 'mutation($i: CreateProductionAreaInput!) { createProductionArea(input: $i) { productionArea { id } } }',
  setCropNormTolerance: 'mutation($i: SetCropNormToleranceInput!) { setCropNormTolerance(input: $i) { cropNormTolerance { crop } } }',
  submitCaptureJob: 'mutation($i: CaptureEventsInput!) { submitCaptureJob(input: $i) { id status } }',
  issueSerials: 'mutation($i: IssueSerialsInput!) { issueSerials(input: $i) { serials { serial verificationCode } } }',
  recordScan: 'mutation($i: RecordScanInput!) { recordScan(input: $i) { recorded } }',
  verifyItem: 'mutation($i: VerifyItemInput!) { verifyItem(input: $i) { result } }',
  lockSerials: 'mutation($i: LockSerialsInput!) { lockSerials(input: $i) { locked unknown } }',
  unlockSerials: 'mutation($i: UnlockSerialsInput!) { unlockSerials(input: $i) { unlocked unknown } }',
  reportProblem: 'mutation($i: ReportProblemInput!) { reportProblem(input: $i) { receipt status } }',
  updateComplaint: 'mutation($i: UpdateComplaintInput!) { updateComplaint(input: $i) { complaint { id status } } }',
  escalateComplaint: 'mutation($i: EscalateComplaintInput!) { escalateComplaint(input: $i) { complaint { id status } recall { id status } } }',
  retryNotification: 'mutation($id: ID!) { retryNotification(id: $id) { id } }',
  setOrganizationWebhook: 'mutation($i: SetOrganizationWebhookInput!) { setOrganizationWebhook(input: $i) { webhook { url enabled } } }',
  signIn: 'mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }',
  changePassword: 'mutation($i: ChangePasswordInput!) { changePassword(input: $i) { accessToken } }',
  signOutEverywhere: 'mutation { signOutEverywhere { signedOutAt } }',
  createOrganization: 'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } } }',
  renameOrganization: 'mutation($i: RenameOrganizationInput!) { renameOrganization(input: $i) { organization { id } } }',
  setOrganizationGln: 'mutation($i: SetOrganizationGlnInput!) { setOrganizationGln(input: $i) { organization { id gln } } }',
  moveOrganization: 'mutation($i: MoveOrganizationInput!) { moveOrganization(input: $i) { organization { id path } } }',
  deactivateOrganization: 'mutation($i: DeactivateOrganizationInput!) { deactivateOrganization(input: $i) { organization { id active } } }',
  createUser: 'mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }',
  deactivateUser: 'mutation($i: DeactivateUserInput!) { deactivateUser(input: $i) { user { id active } } }',
  grantRole: 'mutation($i: GrantRoleInput!) { grantRole(input: $i) { grant { id } } }',
  revokeRole: 'mutation($i: RevokeRoleInput!) { revokeRole(input: $i) { grant { id } } }',
  createApiClient: 'mutation($i: CreateApiClientInput!) { createApiClient(input: $i) { client { id } } }',
  revokeApiClient: 'mutation($i: RevokeApiClientInput!) { revokeApiClient(input: $i) { client { id revokedAt } } }',
};

const PASSWORD = 'mat-khau-thu-ghi-1';

/** A fresh account in `path` (created by the city ADMIN), with a role there when asked. */
async function account(path: string, role?: string): Promise<{ id: string; email: string; grantId?: string }> {
  const email = `wm${next()}@example.vn`;
  const d = await as('cityAdmin', M.createUser, { i: { organizationId: org.get(path), name: `Người thử ghi ${counter}`, email, password: PASSWORD } });
  const id = d.createUser.user.id;
  if (!role) return { id, email };
  const g = await as('cityAdmin', M.grantRole, { i: { userId: id, role, organizationId: org.get(path) } });
  return { id, email, grantId: g.grantRole.grant.id };
}

/** For a user viewer, a fresh account with the viewer's role and place, signed in (acts on oneself must not end the viewer's own sessions). */
async function twin(v: WriteViewer): Promise<{ token: string } | null> {
  if (v.kind !== 'user') return null;
  const { email } = await account(v.path!, v.role);
  const d = await as('anonymous', M.signIn, { i: { email, password: PASSWORD } });
  return { token: d.signIn.accessToken };
}

/** A fresh producer under the owner's district (created by the city ADMIN). */
async function producer(): Promise<string> {
  const d = await as('cityAdmin', M.createOrganization, {
    i: { parentId: org.get(PLACES.district), kind: 'PRODUCER', nameVi: `HTX thử ghi ${next()}`, slug: `wm_${counter}` },
  });
  return d.createOrganization.organization.id;
}

/** A GTIN-13 no seed uses, with its check digit. */
function gtin13(n: number): string {
  const body = `8939${String(70_000_000 + n).padStart(8, '0')}`;
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * (i % 2 ? 3 : 1), 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** A lot of the owner (created by the owner's STAFF). */
async function ownerLot(
  o: { quantity?: number; publish?: boolean; productId?: string; areaId?: string; season?: string; review?: boolean } = {},
): Promise<string> {
  const d = await as('ownerStaff', M.createLot, {
    i: {
      productId: o.productId ?? fx.productO,
      ownerId: org.get(PLACES.owner),
      lotCode: `WM${next()}`,
      quantity: o.quantity ?? 10,
      unit: 'KGM',
      publish: o.publish ?? true,
      ...(o.areaId ? { productionAreaId: o.areaId, season: o.season } : {}),
      ...(o.review ? { onNormExceeded: 'REVIEW' } : {}),
    },
  });
  return d.createLot.lot.id;
}

/** A lot held UNDER_REVIEW: far above the owner's area norm for Hè Thu. */
async function reviewLot(): Promise<string> {
  const id = await ownerLot({ quantity: 1e8, publish: true, areaId: fx.areaO, season: SEASON_HT, review: true });
  return id;
}

async function capture(key: string, organizationPath: string, events: Record<string, unknown>[]) {
  return as(key, M.captureEvents, { i: { organizationId: org.get(organizationPath), events } });
}

const ship = (lotId: string, quantity: number, from: string, to: string) => ({
  type: 'OBJECT_EVENT',
  action: 'OBSERVE',
  bizStep: 'shipping',
  eventTime: eventTime(),
  quantities: [{ lotId, quantity, unit: 'KGM' }],
  sourceParties: [{ type: 'owning_party', organizationId: org.get(from) }],
  destinationParties: [{ type: 'owning_party', organizationId: org.get(to) }],
});
const receive = (lotId: string, quantity: number, from: string, to: string) => ({ ...ship(lotId, quantity, from, to), bizStep: 'receiving' });

/** A recall over a fresh lot, opened by the owner's STAFF or the district OFFICER. */
async function recallOf(opener: 'owner' | 'officer', severity: string, lotIds: string[]): Promise<string> {
  const d = await as(opener === 'owner' ? 'ownerStaff' : 'districtOfficer', M.openRecall, {
    i: { lotIds, reason: 'Dư lượng thuốc bảo vệ thực vật vượt ngưỡng', severity },
  });
  return d.openRecall.recall.id;
}

/** A draft product of `path`, created by the city ADMIN; published when asked. */
async function productOf(path: string, publish = false): Promise<string> {
  const d = await as('cityAdmin', M.createProduct, {
    i: {
      ownerId: org.get(path),
      categoryCode: path.startsWith('ct.health') ? 'functional_food' : 'rice',
      name: [{ lang: 'vi', text: `Sản phẩm thử ghi ${next()}` }],
      unit: 'KGM',
    },
  });
  const id = d.createProduct.product.id;
  if (publish) await as('cityAdmin', M.publishProduct, { i: { id } });
  return id;
}

/**
 * A shopper's report on `lotId`, filed by a fresh account with no role (each
 * caller may file 5 an hour, so the cells' targets do not share one budget);
 * resolved by the owner's STAFF first when asked. Returns the complaint's id.
 */
async function complaintOn(lotId: string, category: 'QUALITY' | 'SAFETY', resolved = false): Promise<string> {
  const { email } = await account(PLACES.consignee);
  const token = (await as('anonymous', M.signIn, { i: { email, password: PASSWORD } })).signIn.accessToken as string;
  const filed = await stack.gql(M.reportProblem, { i: { lotId, category, description: `Báo cáo thử số ${next()}: sản phẩm có mùi lạ.` } }, { token });
  if (filed.errors) throw new Error(`fixture (reportProblem) failed: ${JSON.stringify(filed.errors)}`);
  const [row] = await stack.db.connection.rows<{ id: string }>(sql`select id from trace.complaints where receipt = ${filed.data.reportProblem.receipt}`);
  if (resolved) await as('ownerStaff', M.updateComplaint, { i: { id: row!.id, status: 'RESOLVED', resolution: 'Đã kiểm tra, lô đạt yêu cầu.' } });
  return row!.id;
}

async function waitForRows(what: string, query: ReturnType<typeof sql>, done: (n: number) => boolean): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const [row] = await stack.db.connection.rows<{ n: number }>(query);
    if (done(Number(row!.n))) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * A DEAD notification of the owner: a never-issued serial scanned on a fresh
 * lot tells the owner (ITEM_FLAGGED), and the owner's receiver refuses it
 * once, which dead-letters it (NOTIFY_MAX_ATTEMPTS=1). Returns its id.
 */
async function deadLetter(): Promise<string> {
  const owner = org.get(PLACES.owner)!;
  // Nothing else of the owner's in flight, so only this delivery meets the refusing receiver.
  await waitForRows(
    'the owner’s queue to empty',
    sql`select count(*)::int as n from trace.notifications where organization_id = ${owner} and status = 'PENDING'`,
    (n) => n === 0,
  );
  hook.answer = 500;
  try {
    const lotId = await ownerLot();
    // A serial issued makes the product serialised: only then is a serial never issued a suspected counterfeit.
    await as('ownerStaff', M.issueSerials, { i: { lotId, from: 1, to: 1, verificationCodes: false } });
    await as('anonymous', M.recordScan, { i: { lotId, serial: `KHONG-CO-${next()}`, lang: 'vi' } });
    const dead = sql`select count(*)::int as n from trace.notifications where organization_id = ${owner} and subject_id = ${lotId} and status = 'DEAD'`;
    await waitForRows('the dead letter', dead, (n) => n === 1);
    const [row] = await stack.db.connection.rows<{ id: string }>(
      sql`select id from trace.notifications where organization_id = ${owner} and subject_id = ${lotId} and status = 'DEAD'`,
    );
    return row!.id;
  } finally {
    hook.answer = 200;
  }
}

// ---------------------------------------------------------------------------
// "Nothing was written": one statement over every table a write touches
// ---------------------------------------------------------------------------

const COUNTED = [
  'trace.lots',
  'trace.events',
  'trace.event_lots',
  'trace.lot_edges',
  'trace.custody',
  'trace.recalls',
  'trace.recall_lots',
  'trace.recall_actions',
  'trace.lot_audit',
  'trace.national_outbox',
  'catalog.products',
  'catalog.season_norms',
  'catalog.product_licences',
  'catalog.certifications',
  'catalog.production_areas',
  'catalog.crop_norm_tolerances',
  'trace.scans',
  'trace.serial_items',
  'trace.capture_jobs',
  'tenants.organizations',
  'tenants.organization_changes',
  'tenants.users',
  'tenants.role_grants',
  'tenants.api_clients',
  'trace.complaints',
  'trace.complaint_actions',
  // Counted, not digested: the notification worker updates rows (attempts, status) in the background.
  'trace.notifications',
  'tenants.organization_webhooks',
] as const;
/** Rows a write may change in place (a status, a quantity): a digest of them. */
const DIGESTED: Record<string, string> = {
  'trace.lots#rows': "select md5(coalesce(string_agg(t::text, ',' order by t.id), '')) from trace.lots t",
  'trace.recalls#rows': "select md5(coalesce(string_agg(t::text, ',' order by t.id), '')) from trace.recalls t",
  'trace.recall_lots#rows': "select md5(coalesce(string_agg(t::text, ',' order by t.recall_id, t.lot_id, t.holder_id), '')) from trace.recall_lots t",
  'catalog.products#rows': "select md5(coalesce(string_agg(t::text, ',' order by t.id), '')) from catalog.products t",
  'catalog.season_norms#rows': "select md5(coalesce(string_agg(t::text, ',' order by t.id), '')) from catalog.season_norms t",
  'catalog.product_licences#rows': "select md5(coalesce(string_agg(t::text, ',' order by t.id), '')) from catalog.product_licences t",
  'catalog.crop_norm_tolerances#rows': "select md5(coalesce(string_agg(t::text, ',' order by t.crop), '')) from catalog.crop_norm_tolerances t",
  'trace.serial_items#rows': "select md5(coalesce(string_agg(t::text, ',' order by t.lot_id, t.serial), '')) from trace.serial_items t",
  'tenants.organizations#rows': "select md5(coalesce(string_agg(t::text, ',' order by t.id), '')) from tenants.organizations t",
  'tenants.users#rows': "select md5(coalesce(string_agg(t::text, ',' order by t.id), '')) from tenants.users t",
  'tenants.role_grants#rows': "select md5(coalesce(string_agg(t::text, ',' order by t.id), '')) from tenants.role_grants t",
  // Not last_used_at: every request of a client stamps it.
  'tenants.api_clients#rows':
    "select md5(coalesce(string_agg(t.id::text || ':' || coalesce(t.revoked_at::text, '') || ':' || array_to_string(t.scopes, ' '), ',' order by t.id), '')) from tenants.api_clients t",
  'trace.chain_heads#seq': 'select coalesce(sum(seq), 0)::text from trace.chain_heads',
  'trace.complaints#rows': "select md5(coalesce(string_agg(t::text, ',' order by t.id), '')) from trace.complaints t",
  // The dead letters: the worker neither makes nor revives one while the owner's receiver accepts; retryNotification revives one.
  'trace.notifications#dead': "select md5(coalesce(string_agg(id::text, ',' order by id), '')) from trace.notifications where status = 'DEAD'",
  'tenants.organization_webhooks#rows': "select md5(coalesce(string_agg(t::text, ',' order by t.organization_id), '')) from tenants.organization_webhooks t",
  'trace.chain_heads#hash':
    "select md5(coalesce(string_agg(organization_id::text || ':' || seq || ':' || head_hash, ',' order by organization_id), '')) from trace.chain_heads",
};
const SNAPSHOT = `select ${[
  ...COUNTED.map((t) => `(select count(*) from ${t})::text as "${t}"`),
  ...Object.entries(DIGESTED).map(([k, q]) => `(${q}) as "${k}"`),
].join(', ')}`;
type Snapshot = Record<string, string>;
const snapshot = async (): Promise<Snapshot> => (await stack.db.connection.rows<Snapshot>(sql.raw(SNAPSHOT)))[0]!;
const changed = (a: Snapshot, b: Snapshot) => Object.keys(a).filter((k) => a[k] !== b[k]);

// ---------------------------------------------------------------------------
// How each cell is played: its target (fresh when the write will happen),
// the mutation as the viewer, and what must have changed when allowed
// ---------------------------------------------------------------------------

interface Play {
  /** Builds the target; called afresh for a cell expected to write, once and shared for refusals. */
  prepare?: (v: WriteViewer) => Promise<any>;
  run: (v: WriteViewer, target: any) => [string, Record<string, unknown>];
  /** Who sends it, when not the viewer's own credential (acts on oneself are played by a twin account). */
  headers?: (v: WriteViewer, target: any) => Record<string, string> | undefined;
  /** Waits for what the answer leaves running (a capture job) before the second snapshot. */
  settle?: (data: any) => Promise<void>;
  /** Snapshot keys an allowed write must change. */
  writes: string[];
  /** What the answer of an allowed write must say (a status, say). */
  answer?: Record<string, unknown>;
  /** Further proof an allowed act took effect (the token a sign-in returned works). */
  check?: (data: any, v: WriteViewer) => Promise<void>;
}

const home = (v: WriteViewer) => org.get(v.home);
const captureAs = (v: WriteViewer, ...events: Record<string, unknown>[]): [string, Record<string, unknown>] => [
  M.captureEvents,
  { i: { organizationId: home(v), events } },
];
const lotQ = (lotId: string, quantity = 1) => [{ lotId, quantity, unit: 'KGM' }];
const CAPTURED = ['trace.events', 'trace.chain_heads#hash'];
const reason = 'Kiểm đếm lại sau khi sấy';

const PLAYS: Record<string, Play> = {
  // catalog
  createProduct: {
    run: () => [
      M.createProduct,
      { i: { ownerId: org.get(PLACES.owner), categoryCode: 'rice', name: [{ lang: 'vi', text: `Gạo thử ghi ${next()}` }], unit: 'KGM' } },
    ],
    writes: ['catalog.products'],
  },
  publishProduct: {
    prepare: () => productOf(PLACES.owner),
    run: (_, id) => [M.publishProduct, { i: { id } }],
    writes: ['catalog.products#rows'],
    answer: { publishProduct: { product: { status: 'PUBLISHED' } } },
  },
  setSeasonNorm: {
    run: () => [M.setSeasonNorm, { i: { areaId: fx.areaO, season: `Vụ thử ${next()}`, inputs: [], expectedYieldPerHectare: 7000, yieldUnit: 'KGM' } }],
    writes: ['catalog.season_norms'],
  },
  grantProductLicence: {
    prepare: () => productOf(PLACES.owner, true),
    run: (_, productId) => [M.grantProductLicence, { i: { productId, licenseeId: org.get(PLACES.sibling) } }],
    writes: ['catalog.product_licences'],
  },
  grantProductLicenceToDistrict: { run: () => [M.grantProductLicence, { i: { productId: fx.productO, licenseeId: org.get(PLACES.district) } }], writes: [] },

  // lots
  ...Object.fromEntries(
    (
      [
        ['createLotOwnProduct', () => ({ productId: fx.productO })],
        ['createLotLicensedProduct', () => ({ productId: fx.licensedProduct ?? failFixture(fx.licenceError) })],
        ['createLotSiblingProduct', () => ({ productId: fx.productS })],
        ['createLotOtherDepartmentProduct', () => ({ productId: fx.productD })],
        ['createLotForSibling', () => ({ productId: fx.productO, ownerId: org.get(PLACES.sibling) })],
        ['createLotSiblingArea', () => ({ productId: fx.productO, productionAreaId: fx.areaS, season: SEASON_DX })],
        ['createLotSiblingDraftProduct', () => ({ productId: fx.draftProductS })],
        ['createLotUnknownProduct', () => ({ productId: randomUUID() })],
        ['createLotPublishDraftProduct', () => ({ productId: fx.draftProductO, publish: true })],
        ['createLotOverNorm', () => ({ productId: fx.productO, productionAreaId: fx.areaO, season: SEASON_HT, quantity: 1e9 })],
        ['createLotOverNormReview', () => ({ productId: fx.productO, productionAreaId: fx.areaO, season: SEASON_HT, quantity: 1e9, onNormExceeded: 'REVIEW' })],
      ] as [string, () => Record<string, unknown>][]
    ).map(([id, input]): [string, Play] => [
      id,
      {
        run: () => [M.createLot, { i: { ownerId: org.get(PLACES.owner), lotCode: `WM${next()}`, quantity: 10, unit: 'KGM', ...input() } }],
        writes: ['trace.lots'],
        answer: { createLot: { lot: { status: id === 'createLotOverNormReview' ? 'UNDER_REVIEW' : 'DRAFT' } } },
      },
    ]),
  ),
  publishLot: {
    prepare: () => ownerLot({ publish: false }),
    run: (_, lotId) => [M.publishLot, { i: { lotId } }],
    writes: ['trace.lots#rows'],
    answer: { publishLot: { lot: { status: 'PUBLISHED' } } },
  },
  publishLotUnderReview: { prepare: reviewLot, run: (_, lotId) => [M.publishLot, { i: { lotId } }], writes: [] },
  publishLotDraftProduct: {
    prepare: () => ownerLot({ publish: false, productId: fx.draftProductO }),
    run: (_, lotId) => [M.publishLot, { i: { lotId } }],
    writes: [],
  },
  publishLotUnknown: { run: () => [M.publishLot, { i: { lotId: randomUUID() } }], writes: [] },
  correctLotQuantity: {
    run: () => [M.correctLotQuantity, { i: { lotId: fx.plainLot, quantity: 100 + next(), reason } }],
    writes: ['trace.lots#rows', 'trace.lot_audit'],
  },
  correctLotQuantityNoReason: { run: () => [M.correctLotQuantity, { i: { lotId: fx.plainLot, quantity: 100 + next(), reason: '' } }], writes: [] },
  correctLotQuantityOverNorm: { run: () => [M.correctLotQuantity, { i: { lotId: fx.normedLot, quantity: 1e9, reason } }], writes: [] },
  reviewLotApprove: {
    prepare: reviewLot,
    run: (_, lotId) => [M.reviewLot, { i: { lotId, decision: 'APPROVE', reason: 'Đã kiểm tra thực địa' } }],
    writes: ['trace.lots#rows'],
    answer: { reviewLot: { lot: { status: 'PUBLISHED' } } },
  },
  reviewLotReject: {
    prepare: reviewLot,
    run: (_, lotId) => [M.reviewLot, { i: { lotId, decision: 'REJECT', reason: 'Vượt năng suất vùng' } }],
    writes: ['trace.lots#rows'],
  },
  reviewLotRejectNoReason: { prepare: reviewLot, run: (_, lotId) => [M.reviewLot, { i: { lotId, decision: 'REJECT' } }], writes: [] },

  // capture: each viewer into its own organization's chain
  captureInspection: {
    run: (v) => captureAs(v, { type: 'OBJECT_EVENT', action: 'OBSERVE', bizStep: 'inspecting', eventTime: eventTime(), quantities: lotQ(fx.heldLot) }),
    writes: CAPTURED,
  },
  captureObserve: {
    run: (v) => captureAs(v, { type: 'OBJECT_EVENT', action: 'OBSERVE', bizStep: 'storing', eventTime: eventTime(), quantities: lotQ(fx.heldLot) }),
    writes: CAPTURED,
  },
  captureAdd: {
    run: (v) => captureAs(v, { type: 'OBJECT_EVENT', action: 'ADD', bizStep: 'commissioning', eventTime: eventTime(), quantities: lotQ(fx.heldLot) }),
    writes: CAPTURED,
  },
  captureTransformationInput: {
    run: (v) => captureAs(v, { type: 'TRANSFORMATION_EVENT', eventTime: eventTime(), inputs: lotQ(fx.heldLot), outputEPCs: [sgtin()] }),
    writes: CAPTURED,
  },
  captureTransformationOutput: {
    run: (v) => captureAs(v, { type: 'TRANSFORMATION_EVENT', eventTime: eventTime(), inputEPCs: [sgtin()], outputs: lotQ(fx.heldLot) }),
    writes: CAPTURED,
  },
  captureAggregationParent: {
    run: (v) =>
      captureAs(v, { type: 'AGGREGATION_EVENT', action: 'ADD', bizStep: 'packing', eventTime: eventTime(), parentLotId: fx.heldLot, epcs: [sgtin()] }),
    writes: CAPTURED,
  },
  captureAggregationChild: {
    run: (v) =>
      captureAs(v, {
        type: 'AGGREGATION_EVENT',
        action: 'ADD',
        bizStep: 'packing',
        eventTime: eventTime(),
        parentID: `urn:epc:id:sscc:0614141.${String(1_000_000_000 + next())}`,
        quantities: lotQ(fx.heldLot),
      }),
    writes: CAPTURED,
  },
  captureShippingOwnerSource: { run: (v) => captureAs(v, ship(fx.heldLot, 1, PLACES.owner, PLACES.consignee)), writes: [...CAPTURED, 'trace.custody'] },
  captureShippingSelfSource: { run: (v) => captureAs(v, ship(fx.heldLot, 1, v.home, PLACES.consignee)), writes: [...CAPTURED, 'trace.custody'] },
  captureReceivingAddressed: { run: (v) => captureAs(v, receive(fx.shippedLot, 1, PLACES.owner, v.home)), writes: [...CAPTURED, 'trace.custody'] },
  captureErrorDeclarationOfOwnerEvent: {
    run: (v) => {
      const at = eventTime();
      return captureAs(v, {
        type: 'OBJECT_EVENT',
        action: 'OBSERVE',
        eventTime: at,
        epcs: [sgtin()],
        errorDeclaration: { declarationTime: at, reason: 'incorrect_data', correctedEventID: fx.ownerEvent.eventID },
      });
    },
    writes: CAPTURED,
  },
  captureErrorDeclarationOfMissingEvent: {
    run: (v) => {
      const at = eventTime();
      return captureAs(v, {
        type: 'OBJECT_EVENT',
        action: 'OBSERVE',
        eventTime: at,
        epcs: [sgtin()],
        errorDeclaration: { declarationTime: at, reason: 'incorrect_data', correctedEventID: `urn:uuid:${randomUUID()}` },
      });
    },
    writes: CAPTURED,
  },
  captureOwnerEventIdSameContent: { run: (v) => captureAs(v, fx.ownerEvent), writes: [] },
  captureOwnerEventIdOtherContent: { run: (v) => captureAs(v, { ...fx.ownerEvent, eventTime: eventTime() }), writes: [] },

  // recalls
  openRecall: {
    prepare: () => ownerLot(),
    run: (_, lotId) => [M.openRecall, { i: { lotIds: [lotId], reason: 'Nghi nhiễm nấm mốc', severity: 'CLASS_II' } }],
    writes: ['trace.recalls', 'trace.recall_lots', 'trace.recall_actions'],
  },
  openRecallWithSiblingLot: {
    prepare: async () => {
      const mine = await ownerLot();
      const d = await as('siblingStaff', M.createLot, {
        i: { productId: fx.productS, ownerId: org.get(PLACES.sibling), lotCode: `WM${next()}`, quantity: 10, unit: 'KGM', publish: true },
      });
      return [mine, d.createLot.lot.id];
    },
    run: (_, lotIds) => [M.openRecall, { i: { lotIds, reason: 'Nghi nhiễm nấm mốc', severity: 'CLASS_II' } }],
    writes: ['trace.recalls', 'trace.recall_lots', 'trace.recall_actions'],
  },
  ...Object.fromEntries(
    (
      [
        ['extendOfficerRecall', 'officer', reason],
        ['extendOwnerRecall', 'owner', reason],
        ['extendOwnerRecallNoReason', 'owner', ''],
      ] as const
    ).map(([id, opener, why]): [string, Play] => [
      id,
      {
        prepare: async () => ({ recallId: await recallOf(opener, 'CLASS_II', [await ownerLot()]), lotId: await ownerLot() }),
        run: (_, t) => [M.extendRecall, { i: { recallId: t.recallId, lotIds: [t.lotId], reason: why } }],
        writes: why ? ['trace.recall_lots', 'trace.recall_actions'] : [],
      },
    ]),
  ),
  recordCustodianRecovery: {
    run: () => [M.recordRecallRecovery, { i: { recallId: fx.recoveryRecall, lotId: fx.recoveryLot, holderId: org.get(PLACES.custodian), quantity: 1 } }],
    writes: ['trace.recall_lots#rows', 'trace.recall_actions'],
  },
  recordCustodianRecoveryOwnerRecall: {
    run: () => [
      M.recordRecallRecovery,
      { i: { recallId: fx.ownerRecoveryRecall, lotId: fx.ownerRecoveryLot, holderId: org.get(PLACES.custodian), quantity: 1 } },
    ],
    writes: ['trace.recall_lots#rows', 'trace.recall_actions'],
  },
  ...Object.fromEntries(
    (
      [
        ['closeClassIOwnerRecall', 'owner', 'CLASS_I', false, reason],
        ['closeClassIOfficerRecall', 'officer', 'CLASS_I', false, reason],
        ['closeClassIOwnerRecallWriteOff', 'owner', 'CLASS_I', true, reason],
        ['closeClassIIIOwnerRecall', 'owner', 'CLASS_III', false, reason],
        ['closeClassIIIOfficerRecall', 'officer', 'CLASS_III', false, reason],
        ['closeClassIIIOwnerRecallWriteOff', 'owner', 'CLASS_III', true, reason],
        ['closeClassIIIOfficerRecallWriteOff', 'officer', 'CLASS_III', true, reason],
        ['closeClassIIIOwnerRecallNoReason', 'owner', 'CLASS_III', false, ''],
      ] as const
    ).map(([id, opener, severity, writeOff, why]): [string, Play] => [
      id,
      {
        // Nothing outstanding: a lot of quantity 0; a write-off: 10 still with the owner.
        prepare: async () => recallOf(opener, severity, [await ownerLot({ quantity: writeOff ? 10 : 0 })]),
        run: (_, recallId) => [M.closeRecall, { i: { recallId, reason: why || null, ...(writeOff ? { writeOffOutstanding: true } : {}) } }],
        writes: why ? ['trace.recalls#rows', 'trace.recall_actions'] : [],
        answer: { closeRecall: { recall: { status: 'CLOSED' } } },
      },
    ]),
  ),

  recordOwnerRecovery: {
    run: () => [M.recordRecallRecovery, { i: { recallId: fx.recoveryRecall, lotId: fx.recoveryLot, holderId: org.get(PLACES.owner), quantity: 1 } }],
    writes: ['trace.recall_lots#rows', 'trace.recall_actions'],
  },

  // catalog: the rest
  updateProduct: { run: () => [M.updateProduct, { i: { id: fx.editProduct, brand: `Thương hiệu ${next()}` } }], writes: ['catalog.products#rows'] },
  updateDraftProduct: { run: () => [M.updateProduct, { i: { id: fx.draftProductO, brand: `Thương hiệu ${next()}` } }], writes: ['catalog.products#rows'] },
  assignGtin: {
    prepare: () => productOf(PLACES.owner),
    run: (_, id) => [M.assignGtin, { i: { id, gtin: gtin13(next()) } }],
    writes: ['catalog.products#rows'],
  },
  withdrawProduct: {
    prepare: () => productOf(PLACES.owner, true),
    run: (_, id) => [M.withdrawProduct, { i: { id, reason: 'Ngừng sản xuất' } }],
    writes: ['catalog.products#rows'],
    answer: { withdrawProduct: { product: { status: 'WITHDRAWN' } } },
  },
  addCertification: {
    run: () => [
      M.addCertification,
      {
        i: {
          productId: fx.editProduct,
          scheme: 'VIETGAP',
          issuer: 'Trung tâm Chứng nhận thử',
          number: `VG-${next()}`,
          validFrom: '2025-01-01',
          validTo: '2027-12-31',
        },
      },
    ],
    writes: ['catalog.certifications'],
  },
  removeCertification: {
    prepare: async () =>
      (
        await as('ownerStaff', M.addCertification, {
          i: {
            productId: fx.editProduct,
            scheme: 'ORGANIC',
            issuer: 'Trung tâm Chứng nhận thử',
            number: `HC-${next()}`,
            validFrom: '2025-01-01',
            validTo: '2027-12-31',
          },
        })
      ).addCertification.certification.id,
    run: (_, id) => [M.removeCertification, { i: { id } }],
    writes: ['catalog.certifications'],
  },
  ...Object.fromEntries(
    (
      [
        ['createProductionArea', PLACES.owner],
        ['createProductionAreaForSibling', PLACES.sibling],
      ] as const
    ).map(([id, owner]): [string, Play] => [
      id,
      {
        run: () => [
          M.createProductionArea,
          { i: { ownerId: org.get(owner), code: `WM-${next()}`, name: [{ lang: 'vi', text: `Cánh đồng thử ${counter}` }], crop: 'Lúa', hectares: 1.5 } },
        ],
        writes: ['catalog.production_areas'],
      },
    ]),
  ),
  // A crop of its own per cell: no other cell's norm check moves.
  setCropNormTolerance: {
    run: () => [M.setCropNormTolerance, { i: { crop: `Cây thử ${next()}`, tolerance: 0.25 } }],
    writes: ['catalog.crop_norm_tolerances'],
  },
  revokeProductLicence: {
    prepare: async () => {
      const productId = await productOf(PLACES.owner, true);
      await as('cityAdmin', M.grantProductLicence, { i: { productId, licenseeId: org.get(PLACES.sibling) } });
      return productId;
    },
    run: (_, productId) => [M.revokeProductLicence, { i: { productId, licenseeId: org.get(PLACES.sibling) } }],
    writes: ['catalog.product_licences#rows'],
  },

  // capture, asynchronous: the job is refused at once, or written in the background (waited for)
  submitCaptureJob: {
    run: (v) => [
      M.submitCaptureJob,
      {
        i: {
          organizationId: home(v),
          events: [{ type: 'OBJECT_EVENT', action: 'OBSERVE', bizStep: 'storing', eventTime: eventTime(), quantities: lotQ(fx.heldLot) }],
        },
      },
    ],
    settle: async (data) => {
      const id = data?.submitCaptureJob?.id;
      if (!id) return;
      for (let i = 0; i < 200; i++) {
        const [job] = await stack.db.connection.rows<{ status: string }>(sql`select status from trace.capture_jobs where id = ${id}`);
        if (job?.status !== 'RUNNING') {
          expect(job?.status, 'the capture job').toBe('SUCCESS');
          return;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the capture job did not finish');
    },
    writes: ['trace.capture_jobs', ...CAPTURED],
  },

  // serials and scans
  issueSerials: {
    run: () => {
      const from = 100_000 + next() * 10;
      return [M.issueSerials, { i: { lotId: fx.plainLot, from, to: from + 2, verificationCodes: true } }];
    },
    writes: ['trace.serial_items'],
  },
  recordScan: { run: () => [M.recordScan, { i: { lotId: fx.plainLot, lang: 'vi' } }], writes: ['trace.scans'], answer: { recordScan: { recorded: true } } },
  verifyItem: {
    prepare: async () => {
      const from = 100_000 + next() * 10;
      const d = await as('ownerStaff', M.issueSerials, { i: { lotId: fx.plainLot, from, to: from, verificationCodes: true } });
      return d.issueSerials.serials[0];
    },
    run: (_, item) => [M.verifyItem, { i: { lotId: fx.plainLot, serial: item.serial, code: item.verificationCode } }],
    writes: ['trace.serial_items#rows'],
    answer: { verifyItem: { result: 'VERIFIED_FIRST_TIME' } },
  },
  lockSerials: {
    prepare: async () => {
      const from = 100_000 + next() * 10;
      const d = await as('ownerStaff', M.issueSerials, { i: { lotId: fx.plainLot, from, to: from, verificationCodes: false } });
      return d.issueSerials.serials[0].serial;
    },
    run: (_, serial) => [M.lockSerials, { i: { lotId: fx.plainLot, serials: [serial], reason: 'STOLEN' } }],
    writes: ['trace.serial_items#rows'],
    answer: { lockSerials: { locked: 1, unknown: [] } },
  },
  unlockSerials: {
    prepare: async () => {
      const from = 100_000 + next() * 10;
      const d = await as('ownerStaff', M.issueSerials, { i: { lotId: fx.plainLot, from, to: from, verificationCodes: false } });
      const serial = d.issueSerials.serials[0].serial;
      await as('ownerStaff', M.lockSerials, { i: { lotId: fx.plainLot, serials: [serial], reason: 'WITHDRAWN' } });
      return serial;
    },
    run: (_, serial) => [M.unlockSerials, { i: { lotId: fx.plainLot, serials: [serial] } }],
    writes: ['trace.serial_items#rows'],
    answer: { unlockSerials: { unlocked: 1, unknown: [] } },
  },

  // complaints and notifications
  reportProblem: {
    run: () => [M.reportProblem, { i: { lotId: fx.complaintLot, category: 'QUALITY', description: `Gạo có sạn và mọt trong bao (${next()}).` } }],
    writes: ['trace.complaints', 'trace.complaint_actions', 'trace.notifications'],
    answer: { reportProblem: { status: 'NEW' } },
  },
  reportProblemDraftLot: {
    run: () => [M.reportProblem, { i: { lotId: fx.draftLot, category: 'QUALITY', description: 'Gạo có sạn và mọt trong bao.' } }],
    writes: [],
  },
  updateComplaint: {
    prepare: () => complaintOn(fx.complaintLot, 'QUALITY'),
    run: (_, id) => [M.updateComplaint, { i: { id, status: 'ACKNOWLEDGED', note: 'Đã nhận, đang kiểm tra lô.' } }],
    writes: ['trace.complaints#rows', 'trace.complaint_actions'],
    answer: { updateComplaint: { complaint: { status: 'ACKNOWLEDGED' } } },
  },
  resolveQualityComplaint: {
    prepare: () => complaintOn(fx.complaintLot, 'QUALITY'),
    run: (_, id) => [M.updateComplaint, { i: { id, status: 'RESOLVED', resolution: 'Đã đổi hàng cho người mua.' } }],
    writes: ['trace.complaints#rows', 'trace.complaint_actions'],
    answer: { updateComplaint: { complaint: { status: 'RESOLVED' } } },
  },
  resolveSafetyComplaint: {
    prepare: () => complaintOn(fx.complaintLot, 'SAFETY'),
    run: (_, id) => [M.updateComplaint, { i: { id, status: 'RESOLVED', resolution: 'Mẫu kiểm nghiệm đạt, không có nguy cơ.' } }],
    writes: ['trace.complaints#rows', 'trace.complaint_actions'],
    answer: { updateComplaint: { complaint: { status: 'RESOLVED' } } },
  },
  // A lot of its own per target: the escalation recalls it.
  escalateComplaint: {
    prepare: async () => complaintOn(await ownerLot(), 'SAFETY'),
    run: (_, id) => [M.escalateComplaint, { i: { id, reason: 'Nghi nhiễm nấm mốc theo phản ánh', severity: 'CLASS_II' } }],
    writes: ['trace.recalls', 'trace.recall_lots', 'trace.complaints#rows', 'trace.complaint_actions'],
    answer: { escalateComplaint: { complaint: { status: 'ESCALATED' }, recall: { status: 'OPEN' } } },
  },
  escalateResolvedComplaint: {
    prepare: async () => complaintOn(await ownerLot(), 'QUALITY', true),
    run: (_, id) => [M.escalateComplaint, { i: { id, reason: 'Phản ánh lặp lại sau khi đã xử lý', severity: 'CLASS_III' } }],
    writes: ['trace.recalls', 'trace.recall_lots', 'trace.complaints#rows', 'trace.complaint_actions'],
    answer: { escalateComplaint: { complaint: { status: 'ESCALATED' } } },
  },
  retryNotification: {
    prepare: deadLetter,
    run: (_, id) => [M.retryNotification, { id }],
    writes: ['trace.notifications#dead'],
    check: async (data) => {
      // Back in the queue, it reaches the receiver, which accepts it now.
      const id = data.retryNotification.id as string;
      await waitForRows(
        'the retried delivery',
        sql`select count(*)::int as n from trace.notifications where id = ${id} and status = 'DELIVERED'`,
        (n) => n === 1,
      );
    },
  },

  // tenants
  signIn: {
    run: () => [M.signIn, { i: { email: fx.signInUser.email, password: PASSWORD } }],
    // A sign-in stores nothing (the token is signed, not stored): the proof is that the token works.
    writes: [],
    check: async (data) => {
      const r = await stack.gql('{ viewer { kind user { id } } }', {}, { token: data.signIn.accessToken });
      expect(r.data?.viewer).toEqual({ kind: 'USER', user: { id: fx.signInUser.id } });
    },
  },
  signInWrongPassword: { run: () => [M.signIn, { i: { email: fx.signInUser.email, password: `${PASSWORD}-sai` } }], writes: [] },
  changePassword: {
    prepare: twin,
    headers: (v, t) => (t ? { authorization: `Bearer ${t.token}` } : auth.get(v.key)),
    run: () => [M.changePassword, { i: { currentPassword: PASSWORD, newPassword: `${PASSWORD}-moi` } }],
    writes: ['tenants.users#rows'],
  },
  signOutEverywhere: {
    prepare: twin,
    headers: (v, t) => (t ? { authorization: `Bearer ${t.token}` } : auth.get(v.key)),
    run: () => [M.signOutEverywhere, {}],
    writes: ['tenants.users#rows'],
  },
  createOrganization: {
    run: () => [M.createOrganization, { i: { parentId: org.get(PLACES.district), kind: 'PRODUCER', nameVi: `HTX thử ghi ${next()}`, slug: `wm_${counter}` } }],
    writes: ['tenants.organizations', 'tenants.organization_changes'],
  },
  renameOrganization: {
    run: () => [M.renameOrganization, { i: { id: org.get(PLACES.owner), nameVi: `Hợp tác xã Lúa Thới Thuận (${next()})` } }],
    writes: ['tenants.organizations#rows', 'tenants.organization_changes'],
  },
  setOrganizationGln: {
    // 8930000 followed by 8 and a counter: a GLN no demo organization has.
    run: () => [M.setOrganizationGln, { i: { id: org.get(PLACES.owner), gln: withCheckDigit(`89300008${String(next()).padStart(4, '0')}`) } }],
    writes: ['tenants.organizations#rows', 'tenants.organization_changes'],
  },
  moveOrganization: {
    prepare: producer,
    run: (_, id) => [M.moveOrganization, { i: { id, newParentId: org.get(PLACES.otherDistrict) } }],
    writes: ['tenants.organizations#rows', 'tenants.organization_changes'],
  },
  deactivateOrganization: {
    prepare: producer,
    run: (_, id) => [M.deactivateOrganization, { i: { id } }],
    writes: ['tenants.organizations#rows', 'tenants.organization_changes'],
    answer: { deactivateOrganization: { organization: { active: false } } },
  },
  createUser: {
    run: () => [
      M.createUser,
      { i: { organizationId: org.get(PLACES.owner), name: `Người thử ghi ${next()}`, email: `wm${counter}@example.vn`, password: PASSWORD } },
    ],
    writes: ['tenants.users'],
  },
  deactivateUser: {
    prepare: () => account(PLACES.owner, 'STAFF'),
    run: (_, a) => [M.deactivateUser, { i: { id: a.id } }],
    writes: ['tenants.users#rows'],
    answer: { deactivateUser: { user: { active: false } } },
  },
  grantRole: {
    prepare: () => account(PLACES.owner),
    run: (_, a) => [M.grantRole, { i: { userId: a.id, role: 'STAFF', organizationId: org.get(PLACES.owner) } }],
    writes: ['tenants.role_grants'],
  },
  grantRoleToSiblingUser: {
    prepare: () => account(PLACES.sibling),
    run: (_, a) => [M.grantRole, { i: { userId: a.id, role: 'STAFF', organizationId: org.get(PLACES.owner) } }],
    writes: ['tenants.role_grants'],
  },
  revokeRole: {
    prepare: () => account(PLACES.owner, 'STAFF'),
    run: (_, a) => [M.revokeRole, { i: { grantId: a.grantId } }],
    writes: ['tenants.role_grants#rows'],
  },
  createApiClient: {
    run: () => [M.createApiClient, { i: { organizationId: org.get(PLACES.owner), name: `Máy thử ghi ${next()}`, scopes: ['TRACE_WRITE'] } }],
    writes: ['tenants.api_clients'],
  },
  revokeApiClient: {
    prepare: async () =>
      (await as('cityAdmin', M.createApiClient, { i: { organizationId: org.get(PLACES.owner), name: `Máy thử ghi ${next()}`, scopes: ['TRACE_WRITE'] } }))
        .createApiClient.client.id,
    run: (_, id) => [M.revokeApiClient, { i: { id } }],
    writes: ['tenants.api_clients#rows'],
  },
  // The same receiver each time (a new secret): the owner's deliveries keep arriving.
  setOrganizationWebhook: {
    run: () => [M.setOrganizationWebhook, { i: { organizationId: org.get(PLACES.owner), url: hook.url } }],
    writes: ['tenants.organization_webhooks#rows', 'tenants.organization_changes'],
    answer: { setOrganizationWebhook: { webhook: { enabled: true } } },
  },
  // Refused in every deployment (plain http and private addresses are a deployment's choice, WEBHOOK_ALLOW_PRIVATE).
  setOrganizationWebhookWithCredentials: {
    run: () => [M.setOrganizationWebhook, { i: { organizationId: org.get(PLACES.owner), url: 'https://nguon:mat-khau@hooks.example.vn/nguon' } }],
    writes: [],
  },
};

function failFixture(why: string): never {
  throw new Error(`fixture missing: ${why}`);
}

// ---------------------------------------------------------------------------
// Setup: one stack, the demo seed, sign-in per viewer, the shared targets
// ---------------------------------------------------------------------------

beforeAll(async () => {
  const t0 = Date.now();
  const step = (what: string) => process.env.WM_DEBUG && console.log(`setup ${what} at ${Date.now() - t0} ms`);
  // The trace subgraph's notification worker reads NOTIFY_* as the stack starts: fast polls, a dead letter at the first failure.
  for (const [key, value] of Object.entries(NOTIFY)) {
    savedEnv[key] = process.env[key];
    process.env[key] = value;
  }
  stack = await startTestStack();
  step('stack');
  const paths = [...new Set([...Object.values(PLACES), ...WRITE_VIEWERS.flatMap((v) => (v.path ? [v.path] : []))])];
  for (const path of paths) {
    const r = await stack.gql('query($p: String!) { organizationByPath(path: $p) { id } }', { p: path });
    if (!r.data?.organizationByPath) throw new Error(`no organization ${path}`);
    org.set(path, r.data.organizationByPath.id);
  }
  const cityAdmin = await stack.tokenFor(demoEmail('ADMIN', 'ct'));
  for (const v of WRITE_VIEWERS) {
    if (v.kind === 'anonymous') auth.set(v.key, {});
    if (v.kind === 'user') auth.set(v.key, { authorization: `Bearer ${await stack.tokenFor(demoEmail(v.role!, v.path!))}` });
    if (v.kind === 'client') {
      const created = await stack.gql(
        'mutation($i: CreateApiClientInput!) { createApiClient(input: $i) { key } }',
        { i: { organizationId: org.get(v.path!), name: 'write matrix', scopes: v.scopes } },
        { token: cityAdmin },
      );
      if (!created.data?.createApiClient) throw new Error(`api client: ${JSON.stringify(created.errors)}`);
      auth.set(v.key, { authorization: `ApiKey ${created.data.createApiClient.key}` });
    }
  }

  step('viewers');
  const q = async <T>(query: string) => stack.db.connection.rows<T>(sql.raw(query));
  const published = async (path: string) =>
    (
      await q<{ id: string }>(`select id from catalog.products where owner_id = '${org.get(path)}' and status = 'PUBLISHED' and unit = 'KGM' order by gtin`)
    ).map((r) => r.id);
  const [productO, productS, productS2] = [...(await published(PLACES.owner)).slice(0, 1), ...(await published(PLACES.sibling)).slice(0, 2)];
  fx.productO = productO!;
  fx.productS = productS!;
  fx.productS2 = productS2!;
  const [productD] = await published(PLACES.otherDepartment);
  fx.productD = productD ?? (await productOf(PLACES.otherDepartment, true));
  const area = async (path: string) =>
    (
      await q<{ id: string }>(
        `select a.id from catalog.production_areas a join catalog.season_norms n on n.area_id = a.id where a.owner_id = '${org.get(path)}' and n.season = '${SEASON_HT}' order by a.code limit 1`,
      )
    )[0]!.id;
  fx.areaO = await area(PLACES.owner);
  fx.areaS = await area(PLACES.sibling);
  for (const [name, id] of Object.entries({ productO, productS, productS2, areaO: fx.areaO, areaS: fx.areaS })) {
    if (!id) throw new Error(`write matrix fixture ${name} is missing from the demo data`);
  }

  fx.draftProductS = await productOf(PLACES.sibling);
  fx.draftProductO = (
    await as('ownerStaff', M.createProduct, {
      i: { ownerId: org.get(PLACES.owner), categoryCode: 'rice', name: [{ lang: 'vi', text: 'Gạo nháp' }], unit: 'KGM' },
    })
  ).createProduct.product.id;
  // The licence the licensed-product cell needs; granted by the city ADMIN (ADMIN above the product's owner).
  const licence = await stack.gql(M.grantProductLicence, { i: { productId: fx.productS2, licenseeId: org.get(PLACES.owner) } }, { token: cityAdmin });
  fx.licensedProduct = licence.errors ? null : fx.productS2;
  fx.licenceError = `grantProductLicence: ${JSON.stringify(licence.errors?.map((e) => e.extensions?.code ?? e.message))}`;

  step('products');
  // The custodian: the owner ships a lot to the store, the store records receiving it.
  fx.heldLot = await ownerLot({ quantity: 1000 });
  await capture('ownerStaff', PLACES.owner, [ship(fx.heldLot, 500, PLACES.owner, PLACES.custodian)]);
  await capture('custodianStaff', PLACES.custodian, [receive(fx.heldLot, 500, PLACES.owner, PLACES.custodian)]);
  fx.shippedLot = await ownerLot({ quantity: 1000 });
  await capture('ownerStaff', PLACES.owner, [ship(fx.shippedLot, 500, PLACES.owner, PLACES.custodian)]);
  fx.plainLot = await ownerLot({ quantity: 100 });
  fx.normedLot = await ownerLot({ quantity: 100, areaId: fx.areaO, season: SEASON_DX });
  fx.ownerEvent = { eventID: `urn:uuid:${randomUUID()}`, type: 'OBJECT_EVENT', action: 'OBSERVE', eventTime: eventTime(), epcs: [sgtin()] };
  await capture('ownerStaff', PLACES.owner, [fx.ownerEvent]);
  // A recall the district OFFICER opened over a lot the custodian holds 50 of.
  fx.recoveryLot = await ownerLot({ quantity: 100 });
  await capture('ownerStaff', PLACES.owner, [ship(fx.recoveryLot, 50, PLACES.owner, PLACES.custodian)]);
  await capture('custodianStaff', PLACES.custodian, [receive(fx.recoveryLot, 50, PLACES.owner, PLACES.custodian)]);
  fx.recoveryRecall = await recallOf('officer', 'CLASS_II', [fx.recoveryLot]);
  fx.ownerRecoveryLot = await ownerLot({ quantity: 100 });
  await capture('ownerStaff', PLACES.owner, [ship(fx.ownerRecoveryLot, 50, PLACES.owner, PLACES.custodian)]);
  await capture('custodianStaff', PLACES.custodian, [receive(fx.ownerRecoveryLot, 50, PLACES.owner, PLACES.custodian)]);
  fx.ownerRecoveryRecall = await recallOf('owner', 'CLASS_II', [fx.ownerRecoveryLot]);
  fx.editProduct = await productOf(PLACES.owner, true);
  fx.signInUser = await account(PLACES.owner);
  // Complaints: a published lot to report on, a draft one nobody can report on, and the owner's webhook receiver.
  fx.complaintLot = await ownerLot({ quantity: 100 });
  fx.draftLot = await ownerLot({ publish: false });
  // A never-issued serial flags an item only on a product that issues serials.
  const serialFrom = 100_000 + next() * 10;
  await as('ownerStaff', M.issueSerials, { i: { lotId: await ownerLot(), from: serialFrom, to: serialFrom, verificationCodes: false } });
  hook.server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(hook.answer).end());
  });
  await new Promise<void>((resolve) => hook.server!.listen(0, '127.0.0.1', resolve));
  hook.url = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/nguon`;
  await as('cityAdmin', M.setOrganizationWebhook, { i: { organizationId: org.get(PLACES.owner), url: hook.url } });
  step('done');
}, 300_000);
afterAll(async () => {
  await stack?.stop();
  await new Promise<void>((resolve) => (hook.server ? hook.server.close(() => resolve()) : resolve()));
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

// ---------------------------------------------------------------------------
// The matrix
// ---------------------------------------------------------------------------

/** Shared targets of refusal cells, built once per cell (and rebuilt if a refusal wrongly wrote). */
const shared = new Map<string, Promise<any>>();
const codes = (r: GraphQLResult) => (r.errors ?? []).map((e) => e.extensions?.code as string | undefined);

async function play(cell: WriteCell, v: WriteViewer, want: Outcome) {
  const p = PLAYS[cell.id];
  if (!p) throw new Error(`no play for ${cell.id}`);
  let target: unknown;
  if (p.prepare) {
    if (want.ok) target = await p.prepare(v);
    else {
      if (!shared.has(cell.id)) shared.set(cell.id, p.prepare(v));
      target = await shared.get(cell.id);
    }
  }
  const [query, variables] = p.run(v, target);
  const headers = p.headers ? p.headers(v, target) : auth.get(v.key);
  const before = await snapshot();
  const result = await stack.gql(query, variables, { headers });
  if (p.settle) await p.settle(result.data);
  const after = await snapshot();
  const diff = changed(before, after);
  const got = result.errors ? `refused ${JSON.stringify(codes(result))}: ${result.errors[0]!.message}` : `allowed ${JSON.stringify(result.data)}`;
  if (want.ok && !want.duplicate) {
    expect(result.errors, got).toBeUndefined();
    expect(diff, `the write should change ${p.writes.join(', ')}`).toEqual(expect.arrayContaining(p.writes));
    if (p.answer) expect(result.data).toMatchObject(p.answer);
    if (p.check) await p.check(result.data, v);
  } else if (want.ok) {
    expect(result.errors, got).toBeUndefined();
    expect(result.data?.captureEvents, got).toMatchObject({ createdCount: 0, duplicateCount: 1 });
    expect(diff, 'a duplicate writes nothing').toEqual([]);
  } else {
    if (diff.length) shared.delete(cell.id);
    expect(result.errors?.length ?? 0, `expected ${want.codes.join(' or ')}, got ${got} (wrote ${diff.join(', ') || 'nothing'})`).toBeGreaterThan(0);
    expect(want.codes, `expected ${want.codes.join(' or ')}, got ${got}`).toContain(codes(result)[0]);
    expect(result.data?.[Object.keys(result.data ?? {})[0] ?? ''] ?? null).toBeNull();
    expect(diff, 'a refusal writes nothing').toEqual([]);
  }
}

for (const group of Object.keys(GROUPS) as Group[]) {
  describe(`write matrix — ${GROUPS[group]}`, () => {
    const rows = WRITE_CELLS.filter((c) => c.group === group).flatMap((cell) => WRITE_VIEWERS.map((v) => ({ name: sentence(v, cell), cell, viewer: v })));
    // One named test per cell (it.each would truncate the sentence in its name).
    for (const { name, cell, viewer } of rows) it(name, () => play(cell, viewer, cell.expect(viewer)));
  });
}

describe('the write matrix document', () => {
  it('docs/write-matrix.md is the matrix this test checks', () => {
    const docs = readFileSync(new URL('../docs/write-matrix.md', import.meta.url), 'utf8');
    expect(docs, 'run `npm run docs:access`').toBe(renderWriteMatrix());
  });
  it('every cell of the policy is played', () => {
    expect(WRITE_CELLS.filter((c) => !PLAYS[c.id]).map((c) => c.id)).toEqual([]);
  });
});
