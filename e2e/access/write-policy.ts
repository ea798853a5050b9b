/**
 * The write-authority model of docs/write-authority.md written down as
 * expectations, cell by cell: every mutation (and every EPCIS reference kind
 * of captureEvents) × every viewer — the owner's STAFF and ADMIN, a sibling
 * producer, a producer of another department, the store that holds the lot,
 * the supervisors above, an officer of another district, an analyst, an API
 * client and an anonymous caller. This is the specification
 * e2e/write-matrix.test.ts checks the running graph against, and the
 * source of docs/write-matrix.md.
 *
 * Like policy.ts for reads it deliberately does not import the
 * implementation's rules (canOperate, canSupervise, …): the words of the doc
 * are re-derived here from grant paths, so loosening a rule in the code fails
 * the test instead of moving the expectation with it.
 */

export type Code =
  'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'NOT_OWNER' | 'NOT_CUSTODIAN' | 'NORM_EXCEEDED' | 'NOT_PUBLISHABLE' | 'BAD_USER_INPUT' | 'CONFLICT';

/**
 * What a cell expects: the write happens (`ok`), the same event was already
 * stored and nothing is written (`duplicate`), or a refusal with one of
 * `codes`. Several codes are accepted only where the viewer breaks several
 * rules at once (the doc does not order them), or where the doc names a rule
 * but no code (then any refusal that writes nothing).
 */
export type Outcome = { ok: true; duplicate?: boolean } | { ok: false; codes: Code[] };

const OK: Outcome = { ok: true };
const DUPLICATE: Outcome = { ok: true, duplicate: true };
const refuse = (...codes: Code[]): Outcome => ({ ok: false, codes: [...new Set(codes)] });
/** A rule the doc states without naming its code: any stable refusal. */
const UNNAMED: Code[] = ['FORBIDDEN', 'NOT_OWNER', 'NOT_CUSTODIAN', 'BAD_USER_INPUT'];

/** The places of the demo tree the matrix is played on. */
export const PLACES = {
  city: 'ct',
  department: 'ct.agri',
  district: 'ct.agri.thot_not',
  /** The owner of every product, lot, area and event under test. */
  owner: 'ct.agri.thot_not.htx_lua_thoi_thuan',
  /** A producer in the same district. */
  sibling: 'ct.agri.thot_not.htx_lua_tan_loc',
  /** A producer under another department. */
  otherDepartment: 'ct.health.ninh_kieu.ct_thao_duoc_mekong',
  /** A store (another department's tree) that received the owner's lot: its custodian. */
  custodian: 'ct.industry_trade.ninh_kieu.st_mekong_xanh_ninh_kieu',
  /** A store goods are shipped on to; no viewer acts for it. */
  consignee: 'ct.industry_trade.cai_rang.cho_cai_rang',
  /** A district of the same department, not above the owner. */
  otherDistrict: 'ct.agri.phong_dien',
} as const;
export type Place = keyof typeof PLACES;

export type Role = 'ADMIN' | 'OFFICER' | 'ANALYST' | 'STAFF';
export type Scope = 'TRACE_WRITE' | 'CATALOG_WRITE' | 'INTERNAL_READ';

export interface WriteViewer {
  key: string;
  /** Subject of the test sentence: "a sibling producer's STAFF may not …". */
  label: string;
  /** Column heading in docs/write-matrix.md. */
  short: string;
  kind: 'anonymous' | 'user' | 'client';
  role?: Role;
  /** The node the grant (or API client) is bound to. */
  path?: string;
  scopes?: Scope[];
  /** The organization whose chain the viewer captures events into: its own. */
  home: string;
}

export const WRITE_VIEWERS: WriteViewer[] = [
  { key: 'ownerStaff', label: "the owner's STAFF", short: 'owner STAFF', kind: 'user', role: 'STAFF', path: PLACES.owner, home: PLACES.owner },
  { key: 'ownerAdmin', label: "the owner's ADMIN", short: 'owner ADMIN', kind: 'user', role: 'ADMIN', path: PLACES.owner, home: PLACES.owner },
  {
    key: 'ownerClient',
    label: "the owner's API client (trace:write, catalog:write, internal:read)",
    short: 'owner API client',
    kind: 'client',
    path: PLACES.owner,
    scopes: ['TRACE_WRITE', 'CATALOG_WRITE', 'INTERNAL_READ'],
    home: PLACES.owner,
  },
  { key: 'siblingStaff', label: "a sibling producer's STAFF", short: 'sibling STAFF', kind: 'user', role: 'STAFF', path: PLACES.sibling, home: PLACES.sibling },
  {
    key: 'otherDepartmentStaff',
    label: "another department's producer's STAFF",
    short: 'other-department STAFF',
    kind: 'user',
    role: 'STAFF',
    path: PLACES.otherDepartment,
    home: PLACES.otherDepartment,
  },
  {
    key: 'custodianStaff',
    label: "the custodian store's STAFF",
    short: 'custodian STAFF',
    kind: 'user',
    role: 'STAFF',
    path: PLACES.custodian,
    home: PLACES.custodian,
  },
  {
    key: 'districtOfficer',
    label: 'the district OFFICER',
    short: 'district OFFICER',
    kind: 'user',
    role: 'OFFICER',
    path: PLACES.district,
    home: PLACES.district,
  },
  {
    key: 'departmentOfficer',
    label: 'the department OFFICER',
    short: 'department OFFICER',
    kind: 'user',
    role: 'OFFICER',
    path: PLACES.department,
    home: PLACES.department,
  },
  { key: 'cityAdmin', label: 'the city ADMIN', short: 'city ADMIN', kind: 'user', role: 'ADMIN', path: PLACES.city, home: PLACES.city },
  {
    key: 'otherDistrictOfficer',
    label: "another district's OFFICER",
    short: 'other-district OFFICER',
    kind: 'user',
    role: 'OFFICER',
    path: PLACES.otherDistrict,
    home: PLACES.otherDistrict,
  },
  { key: 'analyst', label: 'the district ANALYST', short: 'district ANALYST', kind: 'user', role: 'ANALYST', path: PLACES.district, home: PLACES.district },
  { key: 'anonymous', label: 'an anonymous caller', short: 'anonymous', kind: 'anonymous', home: PLACES.owner },
];

// ---------------------------------------------------------------------------
// The words of docs/write-authority.md, from grant paths only
// ---------------------------------------------------------------------------

/** `path` is `node` or below it (a dot boundary: `a.b_2` is not under `a.b`). */
export const under = (path: string, node: string) => path === node || path.startsWith(`${node}.`);

/** Operator of X: STAFF or ADMIN on X or above it, or an API client bound at or above X with the write scope. */
export function operates(v: WriteViewer, path: string, scope: 'TRACE_WRITE' | 'CATALOG_WRITE'): boolean {
  if (v.kind === 'user') return (v.role === 'STAFF' || v.role === 'ADMIN') && under(path, v.path!);
  if (v.kind === 'client') return under(path, v.path!) && (v.scopes ?? []).includes(scope);
  return false;
}

/** Supervisor of X: OFFICER or ADMIN on X or an ancestor. */
export const supervises = (v: WriteViewer, path: string) => v.kind === 'user' && (v.role === 'OFFICER' || v.role === 'ADMIN') && under(path, v.path!);

/** Overseer of X: OFFICER or ADMIN on a *proper* ancestor of X; a producer's own ADMIN never oversees it. */
export const oversees = (v: WriteViewer, path: string) => supervises(v, path) && v.path !== path;

/** ADMIN of X or above. */
export const adminOf = (v: WriteViewer, path: string) => v.kind === 'user' && v.role === 'ADMIN' && under(path, v.path!);

/**
 * Who sees internal rows (a DRAFT or UNDER_REVIEW lot, a DRAFT product) of X:
 * its STAFF and ADMIN, supervising OFFICER/ADMIN above it, a client with
 * internal:read in its subtree (docs/access-matrix.md, DRAFT/INTERNAL). To
 * anyone else such a row answers like a made-up id: `BAD_USER_INPUT` naming
 * the field in the catalog, `NOT_FOUND` for the lot a trace mutation acts on.
 */
export function seesInternal(v: WriteViewer, path: string): boolean {
  if (v.kind === 'user') return v.role !== 'ANALYST' && under(path, v.path!);
  if (v.kind === 'client') return under(path, v.path!) && (v.scopes ?? []).includes('INTERNAL_READ');
  return false;
}

/**
 * The order every mutation answers in: no credential; a target the viewer
 * may not see (as if it did not exist); no role for the act; then the checks
 * on references and state (`then`, empty when the write happens).
 */
function decide(v: WriteViewer, o: { visible?: boolean; hidden?: Code; may: boolean; then?: Code[]; malformed?: boolean }): Outcome {
  if (v.kind === 'anonymous') return refuse('UNAUTHENTICATED');
  if (o.visible === false) return refuse(o.hidden ?? 'BAD_USER_INPUT');
  // Malformed input (a missing reason) may be answered before the role is
  // looked at: the doc does not order the two, and neither leaks anything.
  if (!o.may) return o.malformed ? refuse('FORBIDDEN', 'BAD_USER_INPUT') : refuse('FORBIDDEN');
  return o.then?.length ? refuse(...o.then) : OK;
}

// ---------------------------------------------------------------------------
// captureEvents: the per-field rules
// ---------------------------------------------------------------------------

/** A lot an event refers to: whose it is and who holds it (owner, custody hops). */
interface LotFacts {
  owner: string;
  holders: string[];
  /** Organizations a shipment of it is addressed to, not yet received. */
  addressedTo: string[];
}
/** The owner's published lot, shipped to and received by the custodian in the setup. */
const HELD: LotFacts = { owner: PLACES.owner, holders: [PLACES.owner, PLACES.custodian], addressedTo: [] };
/** The owner's published lot, shipped to the custodian, not received yet. */
const SHIPPED: LotFacts = { owner: PLACES.owner, holders: [PLACES.owner], addressedTo: [PLACES.custodian] };

type Need = 'own' | 'hold' | 'ownOrHold' | 'holdOrAddressed';
interface EventSpec {
  /** OBJECT / OBSERVE with bizStep inspecting: the one event a supervising node may capture. */
  inspection?: boolean;
  lots?: { lot: LotFacts; need: Need }[];
  /** shipping: the source party named, as a place; `home` = the capturer itself. */
  shippingSource?: string | 'home';
  /** errorDeclaration.correctedEventID: the owner's event, or one nobody captured. */
  corrects?: 'ownerEvent' | 'missing';
  /** eventID: the owner's event's id, with the same content or other content. */
  eventIdOfOwner?: 'sameContent' | 'otherContent';
}

/** Operator organizations (depth 3) capture their own events; district, department and city are supervising nodes. */
const supervisingNode = (path: string) => path.split('.').length < 4;

function capture(v: WriteViewer, e: EventSpec): Outcome {
  if (v.kind === 'anonymous') return refuse('UNAUTHENTICATED');
  const home = v.home;
  const inspecting = supervisingNode(home);
  if (inspecting) {
    // A supervising node captures only inspections, by its OFFICER or ADMIN.
    if (!e.inspection || !(v.kind === 'user' && (v.role === 'OFFICER' || v.role === 'ADMIN') && v.path === home)) return refuse('FORBIDDEN');
  } else if (!operates(v, home, 'TRACE_WRITE')) {
    return refuse('FORBIDDEN');
  }
  const broken: Code[] = [];
  for (const { lot, need } of e.lots ?? []) {
    if (inspecting) {
      // … and only about lots in its subtree (the doc names no code).
      if (!under(lot.owner, home)) broken.push(...UNNAMED);
      continue;
    }
    const owns = lot.owner === home;
    const holds = lot.holders.includes(home);
    if (need === 'own' && !owns) broken.push('NOT_OWNER');
    if (need === 'hold' && !holds) broken.push('NOT_CUSTODIAN');
    if (need === 'ownOrHold' && !owns && !holds) broken.push('NOT_CUSTODIAN', 'NOT_OWNER');
    if (need === 'holdOrAddressed' && !holds && !lot.addressedTo.includes(home)) broken.push('NOT_CUSTODIAN');
  }
  // No one ships on another's behalf (the doc names no code).
  if (e.shippingSource && e.shippingSource !== 'home' && e.shippingSource !== home) broken.push(...UNNAMED);
  // A correction of another organization's event, or of one held elsewhere, is kept unlinked: accepted alike (e.corrects).
  if (broken.length) return refuse(...broken);
  if (e.eventIdOfOwner === 'otherContent') return refuse('CONFLICT');
  if (e.eventIdOfOwner === 'sameContent') return home === PLACES.owner ? DUPLICATE : refuse('CONFLICT');
  return OK;
}

// ---------------------------------------------------------------------------
// The cells
// ---------------------------------------------------------------------------

export const GROUPS = {
  catalog: 'Catalog: products, season norms, licences',
  lots: 'Lots: createLot, publishLot, correctLotQuantity, reviewLot',
  capture: 'EPCIS capture: each reference kind (each viewer captures into its own organization’s chain)',
  recalls: 'Recalls: open, extend, recovery, close',
  serials: 'Serials and scans: issueSerials, lockSerials and unlockSerials, and the consumer page’s recordScan and verifyItem (open to anyone)',
  complaints:
    'Complaints and notifications: reportProblem (open to anyone), updateComplaint, escalateComplaint (the recall’s authority too), retryNotification (a dead letter of the owner)',
  tenants: 'Tenants: sign-in, sessions, organizations, users, roles, API clients, webhooks (ADMIN of the subtree)',
} as const;
export type Group = keyof typeof GROUPS;

export interface WriteCell {
  id: string;
  group: Group;
  /** Predicate of the test sentence: "<viewer> may (not) <act>". */
  act: string;
  expect: (v: WriteViewer) => Outcome;
}

const O = PLACES.owner;
const S = PLACES.sibling;
const D = PLACES.district;
const trace = (v: WriteViewer, path: string = O) => operates(v, path, 'TRACE_WRITE');
const cat = (v: WriteViewer, path: string = O) => operates(v, path, 'CATALOG_WRITE');
/** A crop's tolerance applies across districts: an OFFICER or ADMIN of a department or the city sets it. */
/** Crop policy: an OFFICER or ADMIN of the city or of the agriculture department (PLACES.department), never another sector's. */
const cropPolicyMaker = (v: WriteViewer) =>
  v.kind === 'user' && (v.role === 'OFFICER' || v.role === 'ADMIN') && (v.path === PLACES.city || v.path === PLACES.department);
/** A user's own password and sessions: any signed-in user; an API client has neither. */
const self = (v: WriteViewer) => decide(v, { may: v.kind === 'user' });
/** Acts open to anyone, anonymous included (the consumer page, signing in). */
const anyone = (): Outcome => OK;

export const WRITE_CELLS: WriteCell[] = [
  // --- catalog ---
  { id: 'createProduct', group: 'catalog', act: 'register a product for the owner', expect: (v) => decide(v, { may: operates(v, O, 'CATALOG_WRITE') }) },
  {
    id: 'publishProduct',
    group: 'catalog',
    act: "publish the owner's draft product",
    expect: (v) => decide(v, { visible: seesInternal(v, O), may: supervises(v, O) }),
  },
  { id: 'setSeasonNorm', group: 'catalog', act: "set a season norm on the owner's production area", expect: (v) => decide(v, { may: oversees(v, O) }) },
  {
    id: 'grantProductLicence',
    group: 'catalog',
    act: "licence the owner's published product to a sibling producer",
    expect: (v) => decide(v, { may: adminOf(v, O) }),
  },
  {
    id: 'grantProductLicenceToDistrict',
    group: 'catalog',
    act: "licence the owner's product to a district (not a producer or business)",
    expect: (v) => decide(v, { may: adminOf(v, O), then: ['BAD_USER_INPUT'] }),
  },

  // --- lots ---
  { id: 'createLotOwnProduct', group: 'lots', act: "create, for the owner, a lot of the owner's product", expect: (v) => decide(v, { may: trace(v) }) },
  {
    id: 'createLotLicensedProduct',
    group: 'lots',
    act: "create, for the owner, a lot of a sibling's product licensed to the owner",
    expect: (v) => decide(v, { may: trace(v) }),
  },
  {
    id: 'createLotSiblingProduct',
    group: 'lots',
    act: "create, for the owner, a lot of a sibling's unlicensed product",
    expect: (v) => decide(v, { may: trace(v), then: ['NOT_OWNER'] }),
  },
  {
    id: 'createLotOtherDepartmentProduct',
    group: 'lots',
    act: "create, for the owner, a lot of another department's product",
    expect: (v) => decide(v, { may: trace(v), then: ['NOT_OWNER'] }),
  },
  {
    id: 'createLotForSibling',
    group: 'lots',
    act: "create, for a sibling producer, a lot of the owner's product",
    expect: (v) => decide(v, { may: trace(v, S), then: ['NOT_OWNER'] }),
  },
  {
    id: 'createLotSiblingArea',
    group: 'lots',
    act: "create a lot of the owner's product in a sibling's production area",
    expect: (v) => decide(v, { may: trace(v), then: ['NOT_OWNER'] }),
  },
  {
    id: 'createLotSiblingDraftProduct',
    group: 'lots',
    act: "create, for the owner, a lot of a sibling's draft product",
    // A product the viewer may not see answers like a made-up id; one it sees but does not own, NOT_OWNER.
    expect: (v) => decide(v, { may: trace(v), then: [seesInternal(v, S) ? 'NOT_OWNER' : 'BAD_USER_INPUT'] }),
  },
  {
    id: 'createLotUnknownProduct',
    group: 'lots',
    act: 'create a lot of a product that does not exist',
    expect: (v) => decide(v, { may: trace(v), then: ['BAD_USER_INPUT'] }),
  },
  {
    id: 'createLotPublishDraftProduct',
    group: 'lots',
    act: "create and publish at once a lot of the owner's draft product",
    expect: (v) => decide(v, { may: trace(v), then: ['NOT_PUBLISHABLE'] }),
  },
  {
    id: 'createLotOverNorm',
    group: 'lots',
    act: "create a lot above its area's season norm",
    expect: (v) => decide(v, { may: trace(v), then: ['NORM_EXCEEDED'] }),
  },
  { id: 'createLotOverNormReview', group: 'lots', act: 'create a lot above its season norm, held UNDER_REVIEW', expect: (v) => decide(v, { may: trace(v) }) },
  {
    id: 'publishLot',
    group: 'lots',
    act: "publish the owner's draft lot",
    expect: (v) => decide(v, { hidden: 'NOT_FOUND', visible: seesInternal(v, O), may: trace(v) || supervises(v, O) }),
  },
  {
    id: 'publishLotUnderReview',
    group: 'lots',
    act: "publish the owner's lot held UNDER_REVIEW",
    expect: (v) => decide(v, { hidden: 'NOT_FOUND', visible: seesInternal(v, O), may: trace(v) || supervises(v, O), then: ['NOT_PUBLISHABLE'] }),
  },
  {
    id: 'publishLotDraftProduct',
    group: 'lots',
    act: "publish a lot of the owner's draft product",
    expect: (v) => decide(v, { hidden: 'NOT_FOUND', visible: seesInternal(v, O), may: trace(v) || supervises(v, O), then: ['NOT_PUBLISHABLE'] }),
  },
  {
    id: 'publishLotUnknown',
    group: 'lots',
    act: 'publish a lot that does not exist',
    expect: (v) => decide(v, { hidden: 'NOT_FOUND', visible: false, may: false }),
  },
  {
    id: 'correctLotQuantity',
    group: 'lots',
    act: "correct the quantity of the owner's published lot, with a reason",
    expect: (v) => decide(v, { may: trace(v) }),
  },
  {
    id: 'correctLotQuantityNoReason',
    group: 'lots',
    act: "correct the quantity of the owner's lot without a reason",
    expect: (v) => decide(v, { may: trace(v), then: ['BAD_USER_INPUT'], malformed: true }),
  },
  {
    id: 'correctLotQuantityOverNorm',
    group: 'lots',
    act: "correct the owner's lot to above its season norm",
    expect: (v) => decide(v, { may: trace(v), then: ['NORM_EXCEEDED'] }),
  },
  {
    id: 'reviewLotApprove',
    group: 'lots',
    act: "approve the owner's lot held UNDER_REVIEW",
    expect: (v) => decide(v, { hidden: 'NOT_FOUND', visible: seesInternal(v, O), may: oversees(v, O) }),
  },
  {
    id: 'reviewLotReject',
    group: 'lots',
    act: "reject the owner's lot held UNDER_REVIEW, with a reason",
    expect: (v) => decide(v, { hidden: 'NOT_FOUND', visible: seesInternal(v, O), may: oversees(v, O) }),
  },
  {
    id: 'reviewLotRejectNoReason',
    group: 'lots',
    act: "reject the owner's lot held UNDER_REVIEW without a reason",
    expect: (v) => decide(v, { hidden: 'NOT_FOUND', visible: seesInternal(v, O), may: oversees(v, O), then: ['BAD_USER_INPUT'], malformed: true }),
  },

  // --- capture ---
  {
    id: 'captureInspection',
    group: 'capture',
    act: "capture an inspection (OBSERVE, inspecting) of the owner's lot",
    expect: (v) => capture(v, { inspection: true, lots: [{ lot: HELD, need: 'hold' }] }),
  },
  {
    id: 'captureObserve',
    group: 'capture',
    act: "capture an OBSERVE (storing) of the owner's lot",
    expect: (v) => capture(v, { lots: [{ lot: HELD, need: 'hold' }] }),
  },
  {
    id: 'captureAdd',
    group: 'capture',
    act: "capture an ADD (commissioning) of the owner's lot",
    expect: (v) => capture(v, { lots: [{ lot: HELD, need: 'own' }] }),
  },
  {
    id: 'captureTransformationInput',
    group: 'capture',
    act: "capture a transformation consuming the owner's lot",
    expect: (v) => capture(v, { lots: [{ lot: HELD, need: 'hold' }] }),
  },
  {
    id: 'captureTransformationOutput',
    group: 'capture',
    act: "capture a transformation whose output is the owner's lot",
    expect: (v) => capture(v, { lots: [{ lot: HELD, need: 'own' }] }),
  },
  {
    id: 'captureAggregationParent',
    group: 'capture',
    act: "capture an aggregation (ADD) onto the owner's lot as parent",
    expect: (v) => capture(v, { lots: [{ lot: HELD, need: 'ownOrHold' }] }),
  },
  {
    id: 'captureAggregationChild',
    group: 'capture',
    act: "capture an aggregation (ADD) of the owner's lot onto a pallet",
    expect: (v) => capture(v, { lots: [{ lot: HELD, need: 'hold' }] }),
  },
  {
    id: 'captureShippingOwnerSource',
    group: 'capture',
    act: "capture a shipping of the owner's lot naming the owner as source",
    expect: (v) => capture(v, { lots: [{ lot: HELD, need: 'hold' }], shippingSource: PLACES.owner }),
  },
  {
    id: 'captureShippingSelfSource',
    group: 'capture',
    act: "capture a shipping of the owner's lot naming the capturer itself as source",
    expect: (v) => capture(v, { lots: [{ lot: HELD, need: 'hold' }], shippingSource: 'home' }),
  },
  {
    id: 'captureReceivingAddressed',
    group: 'capture',
    act: "capture receiving of the owner's shipment addressed to the custodian",
    expect: (v) => capture(v, { lots: [{ lot: SHIPPED, need: 'holdOrAddressed' }] }),
  },
  {
    id: 'captureErrorDeclarationOfOwnerEvent',
    group: 'capture',
    act: "declare the owner's event erroneous (errorDeclaration)",
    expect: (v) => capture(v, { corrects: 'ownerEvent' }),
  },
  {
    id: 'captureErrorDeclarationOfMissingEvent',
    group: 'capture',
    act: 'declare an event nobody captured erroneous',
    expect: (v) => capture(v, { corrects: 'missing' }),
  },
  {
    id: 'captureOwnerEventIdSameContent',
    group: 'capture',
    act: "capture the owner's event again (same eventID, same content)",
    expect: (v) => capture(v, { eventIdOfOwner: 'sameContent' }),
  },
  {
    id: 'captureOwnerEventIdOtherContent',
    group: 'capture',
    act: "capture another event under the owner's eventID",
    expect: (v) => capture(v, { eventIdOfOwner: 'otherContent' }),
  },

  // --- recalls ---
  { id: 'openRecall', group: 'recalls', act: "open a recall of the owner's lot", expect: (v) => decide(v, { may: supervises(v, O) || trace(v) }) },
  {
    id: 'openRecallWithSiblingLot',
    group: 'recalls',
    act: "open a recall of the owner's lot together with a sibling's lot",
    expect: (v) => decide(v, { may: [O, S].every((p) => supervises(v, p) || trace(v, p)) }),
  },
  {
    id: 'extendOfficerRecall',
    group: 'recalls',
    act: "extend a recall the district OFFICER opened with another of the owner's lots",
    expect: (v) => decide(v, { may: supervises(v, D) && supervises(v, O) }),
  },
  {
    id: 'extendOwnerRecall',
    group: 'recalls',
    act: "extend a recall the owner opened with another of the owner's lots",
    expect: (v) => decide(v, { may: supervises(v, O) || trace(v) }),
  },
  {
    id: 'extendOwnerRecallNoReason',
    group: 'recalls',
    act: 'extend a recall the owner opened without a reason',
    expect: (v) => decide(v, { may: supervises(v, O) || trace(v), then: ['BAD_USER_INPUT'], malformed: true }),
  },
  {
    id: 'recordCustodianRecovery',
    group: 'recalls',
    act: "record recovery of the custodian's holding in a recall the district OFFICER opened",
    // Another's holding: a supervisor of the recall's authority who also oversees the owner of its root lot.
    expect: (v) => decide(v, { may: trace(v, PLACES.custodian) || (supervises(v, D) && oversees(v, O)) }),
  },
  {
    id: 'recordCustodianRecoveryOwnerRecall',
    group: 'recalls',
    act: "record recovery of the custodian's holding in a recall the owner opened",
    // The owner's ADMIN supervises the recall's authority (its own node) but does not oversee itself.
    expect: (v) => decide(v, { may: trace(v, PLACES.custodian) || (supervises(v, O) && oversees(v, O)) }),
  },
  {
    id: 'closeClassIOwnerRecall',
    group: 'recalls',
    act: 'close a CLASS_I recall the owner opened, nothing outstanding',
    expect: (v) => decide(v, { may: oversees(v, O) }),
  },
  {
    id: 'closeClassIOfficerRecall',
    group: 'recalls',
    act: 'close a CLASS_I recall the district OFFICER opened, nothing outstanding',
    expect: (v) => decide(v, { may: supervises(v, D) && oversees(v, O) }),
  },
  {
    id: 'closeClassIOwnerRecallWriteOff',
    group: 'recalls',
    act: 'close, writing off what is still out, a CLASS_I recall the owner opened',
    expect: (v) => decide(v, { may: oversees(v, O) }),
  },
  {
    id: 'closeClassIIIOwnerRecall',
    group: 'recalls',
    act: 'close a CLASS_III recall the owner opened, nothing outstanding',
    expect: (v) => decide(v, { may: supervises(v, O) || adminOf(v, O) }),
  },
  {
    id: 'closeClassIIIOfficerRecall',
    group: 'recalls',
    act: 'close a CLASS_III recall the district OFFICER opened, nothing outstanding',
    expect: (v) => decide(v, { may: supervises(v, D) }),
  },
  {
    id: 'closeClassIIIOwnerRecallWriteOff',
    group: 'recalls',
    act: 'close, writing off what is still out, a CLASS_III recall the owner opened',
    expect: (v) => decide(v, { may: supervises(v, O) || adminOf(v, O) }),
  },
  {
    id: 'closeClassIIIOfficerRecallWriteOff',
    group: 'recalls',
    act: 'close, writing off what is still out, a CLASS_III recall the district OFFICER opened',
    expect: (v) => decide(v, { may: supervises(v, D) }),
  },
  {
    id: 'closeClassIIIOwnerRecallNoReason',
    group: 'recalls',
    act: 'close a CLASS_III recall the owner opened without a reason',
    expect: (v) => decide(v, { may: supervises(v, O) || adminOf(v, O), then: ['BAD_USER_INPUT'], malformed: true }),
  },
  {
    id: 'recordOwnerRecovery',
    group: 'recalls',
    act: "record recovery of the owner's own holding in a recall the district OFFICER opened",
    expect: (v) => decide(v, { may: trace(v) || (supervises(v, D) && oversees(v, O)) }),
  },

  // --- catalog: the rest of the product's life, areas, tolerances, licences ---
  { id: 'updateProduct', group: 'catalog', act: "change the owner's published product", expect: (v) => decide(v, { may: cat(v) }) },
  {
    id: 'updateDraftProduct',
    group: 'catalog',
    act: "change the owner's draft product",
    expect: (v) => decide(v, { visible: seesInternal(v, O), may: cat(v) }),
  },
  { id: 'assignGtin', group: 'catalog', act: "give the owner's draft product a GTIN", expect: (v) => decide(v, { visible: seesInternal(v, O), may: cat(v) }) },
  { id: 'withdrawProduct', group: 'catalog', act: "withdraw the owner's published product", expect: (v) => decide(v, { may: supervises(v, O) || cat(v) }) },
  { id: 'addCertification', group: 'catalog', act: "add a certificate to the owner's product", expect: (v) => decide(v, { may: cat(v) }) },
  { id: 'removeCertification', group: 'catalog', act: "remove a certificate of the owner's product", expect: (v) => decide(v, { may: cat(v) }) },
  { id: 'createProductionArea', group: 'catalog', act: 'register a production area for the owner', expect: (v) => decide(v, { may: cat(v) }) },
  {
    id: 'createProductionAreaForSibling',
    group: 'catalog',
    act: 'register a production area for a sibling producer',
    expect: (v) => decide(v, { may: cat(v, S) }),
  },
  { id: 'setCropNormTolerance', group: 'catalog', act: "set a crop's tolerance over its season norms", expect: (v) => decide(v, { may: cropPolicyMaker(v) }) },
  {
    id: 'revokeProductLicence',
    group: 'catalog',
    act: "revoke a sibling producer's licence of the owner's product",
    expect: (v) => decide(v, { may: adminOf(v, O) }),
  },

  // --- capture, asynchronous ---
  {
    id: 'submitCaptureJob',
    group: 'capture',
    act: "submit a capture job (OBSERVE, storing) of the owner's lot",
    expect: (v) => capture(v, { lots: [{ lot: HELD, need: 'hold' }] }),
  },

  // --- serials and scans ---
  {
    id: 'issueSerials',
    group: 'serials',
    act: "issue serial numbers with verification codes for the owner's lot",
    expect: (v) => decide(v, { may: trace(v) }),
  },
  // Exactly who may issue the lot's serials may lock them (stolen, destroyed, withdrawn) and unlock them.
  { id: 'lockSerials', group: 'serials', act: "lock an issued serial of the owner's lot (stolen)", expect: (v) => decide(v, { may: trace(v) }) },
  { id: 'unlockSerials', group: 'serials', act: "unlock a locked serial of the owner's lot", expect: (v) => decide(v, { may: trace(v) }) },
  { id: 'recordScan', group: 'serials', act: "record a scan of the owner's published lot", expect: anyone },
  { id: 'verifyItem', group: 'serials', act: "verify an item of the owner's lot with its code (kept as the first verification)", expect: anyone },

  // --- complaints and notifications (issue 15) ---
  { id: 'reportProblem', group: 'complaints', act: "report a problem with the owner's published lot", expect: anyone },
  // An unpublished lot answers like an unknown one, to its owner too: reports are on public lots only.
  { id: 'reportProblemDraftLot', group: 'complaints', act: "report a problem with the owner's draft lot", expect: () => refuse('NOT_FOUND') },
  {
    id: 'updateComplaint',
    group: 'complaints',
    act: "acknowledge a new QUALITY complaint on the owner's lot",
    // A complaint the viewer may not read answers like an unknown one.
    expect: (v) => decide(v, { hidden: 'NOT_FOUND', visible: seesInternal(v, O), may: trace(v) || supervises(v, O) }),
  },
  {
    id: 'resolveQualityComplaint',
    group: 'complaints',
    act: "resolve a QUALITY complaint on the owner's lot",
    expect: (v) => decide(v, { hidden: 'NOT_FOUND', visible: seesInternal(v, O), may: trace(v) || supervises(v, O) }),
  },
  {
    id: 'resolveSafetyComplaint',
    group: 'complaints',
    act: "resolve a SAFETY complaint on the owner's lot (the producer is judge in its own cause)",
    expect: (v) => decide(v, { hidden: 'NOT_FOUND', visible: seesInternal(v, O), may: oversees(v, O) }),
  },
  {
    id: 'escalateComplaint',
    group: 'complaints',
    act: "escalate a new complaint on the owner's lot to a recall",
    // Acting on the complaint and opening the recall ask the same: an operator of the owner or a supervisor of it.
    expect: (v) => decide(v, { hidden: 'NOT_FOUND', visible: seesInternal(v, O), may: trace(v) || supervises(v, O) }),
  },
  {
    id: 'escalateResolvedComplaint',
    group: 'complaints',
    act: 'escalate a complaint the owner resolved to a recall',
    expect: (v) => decide(v, { hidden: 'NOT_FOUND', visible: seesInternal(v, O), may: oversees(v, O) }),
  },
  {
    id: 'retryNotification',
    group: 'complaints',
    act: "put the owner's dead-lettered notification back in the queue",
    // Seen by the owner's own staff (and its client with internal:read) and by the officers above; retried by its ADMIN or a supervisor.
    expect: (v) => decide(v, { hidden: 'NOT_FOUND', visible: seesInternal(v, O), may: supervises(v, O) }),
  },

  // --- tenants ---
  { id: 'signIn', group: 'tenants', act: 'sign in with an account’s email and password', expect: anyone },
  { id: 'signInWrongPassword', group: 'tenants', act: 'sign in with a wrong password', expect: () => refuse('UNAUTHENTICATED') },
  { id: 'changePassword', group: 'tenants', act: 'change its own password (an account of the same role, fresh per cell)', expect: self },
  { id: 'signOutEverywhere', group: 'tenants', act: 'end all its own sessions (an account of the same role, fresh per cell)', expect: self },
  { id: 'createOrganization', group: 'tenants', act: "create a producer under the owner's district", expect: (v) => decide(v, { may: adminOf(v, D) }) },
  { id: 'renameOrganization', group: 'tenants', act: 'rename the owner organization', expect: (v) => decide(v, { may: adminOf(v, O) }) },
  { id: 'setOrganizationGln', group: 'tenants', act: "set the owner organization's GLN (a fresh one)", expect: (v) => decide(v, { may: adminOf(v, O) }) },
  {
    id: 'moveOrganization',
    group: 'tenants',
    act: "move a producer of the owner's district to another district (a fresh producer)",
    expect: (v) => decide(v, { may: adminOf(v, D) && adminOf(v, PLACES.otherDistrict) }),
  },
  {
    id: 'deactivateOrganization',
    group: 'tenants',
    act: "deactivate a producer of the owner's district (a fresh producer)",
    expect: (v) => decide(v, { may: adminOf(v, D) }),
  },
  { id: 'createUser', group: 'tenants', act: 'create a user account in the owner organization', expect: (v) => decide(v, { may: adminOf(v, O) }) },
  {
    id: 'deactivateUser',
    group: 'tenants',
    act: 'deactivate a user of the owner organization (a fresh account)',
    expect: (v) => decide(v, { may: adminOf(v, O) }),
  },
  { id: 'grantRole', group: 'tenants', act: 'grant STAFF on the owner to a user of the owner', expect: (v) => decide(v, { may: adminOf(v, O) }) },
  {
    id: 'grantRoleToSiblingUser',
    group: 'tenants',
    act: "grant STAFF on the owner to a sibling producer's user (nobody edits another organization's users)",
    expect: (v) => decide(v, { may: adminOf(v, O) && adminOf(v, S) }),
  },
  { id: 'revokeRole', group: 'tenants', act: 'revoke a STAFF grant on the owner (a fresh grant)', expect: (v) => decide(v, { may: adminOf(v, O) }) },
  { id: 'createApiClient', group: 'tenants', act: 'create an API client of the owner', expect: (v) => decide(v, { may: adminOf(v, O) }) },
  { id: 'revokeApiClient', group: 'tenants', act: 'revoke an API client of the owner (a fresh client)', expect: (v) => decide(v, { may: adminOf(v, O) }) },
  { id: 'setOrganizationWebhook', group: 'tenants', act: "set the owner's notification webhook", expect: (v) => decide(v, { may: adminOf(v, O) }) },
  {
    id: 'setOrganizationWebhookWithCredentials',
    group: 'tenants',
    act: "set the owner's webhook to a URL carrying credentials (deliveries are signed instead)",
    expect: (v) => decide(v, { may: adminOf(v, O), then: ['BAD_USER_INPUT'] }),
  },
];

/** "the district OFFICER may not close a CLASS_I recall … (FORBIDDEN)". */
export function sentence(v: WriteViewer, cell: WriteCell): string {
  const o = cell.expect(v);
  if (o.ok) return `${v.label} may ${cell.act}${o.duplicate ? ' (a duplicate: nothing new is written)' : ''}`;
  return `${v.label} may not ${cell.act} (${mark(o)})`;
}

function mark(o: Outcome): string {
  if (o.ok) return o.duplicate ? '✓ dup' : '✓';
  if (UNNAMED.every((c) => o.codes.includes(c))) return 'refused';
  return o.codes.join(' / ');
}

/** docs/write-matrix.md, rendered from the same expectations the test asserts. */
export function renderWriteMatrix(): string {
  const lines = [
    '# Write matrix',
    '',
    'Generated from `e2e/access/write-policy.ts` by `npm run docs:access`; the test',
    '`e2e/write-matrix.test.ts` plays every cell below through the gateway and',
    'fails when this file is stale. The rules are those of',
    '[write-authority.md](write-authority.md); the read side is [access-matrix.md](access-matrix.md).',
    '',
    `The owner is \`${PLACES.owner}\`; every product, lot, area, event and recall under`,
    `test is the owner's. The sibling is \`${PLACES.sibling}\` (same district), the`,
    `other-department producer \`${PLACES.otherDepartment}\`, the custodian the store`,
    `\`${PLACES.custodian}\`, which received the owner's lot (a shipping then a receiving),`,
    `the other district \`${PLACES.otherDistrict}\`. The API client is bound at the owner.`,
    'Each viewer captures EPCIS events into its own organization’s chain (the supervisors',
    'into their district, department or city node).',
    '',
    '- **✓** the write happens (the test checks the rows appeared);',
    '- **✓ dup** the same event is already stored: answered, nothing new written;',
    '- a **code** (`extensions.code`) is a refusal; `A / B` accepts either where the viewer',
    '  breaks two rules at once, or sends malformed input (no reason) without the role for',
    '  the act (the doc does not order those checks); **refused** is a rule the doc states',
    '  without naming a code.',
    '  Every refusal is checked to write nothing: the row counts of every trace and catalog',
    '  table a write touches, a digest of the rows a write may change, and every',
    '  organization’s chain head (seq and hash), compared before and after in one statement.',
    '',
  ];
  for (const group of Object.keys(GROUPS) as Group[]) {
    lines.push(`## ${GROUPS[group]}`, '');
    lines.push(`| act | ${WRITE_VIEWERS.map((v) => v.short).join(' | ')} |`);
    lines.push(`| --- | ${WRITE_VIEWERS.map(() => '---').join(' | ')} |`);
    for (const cell of WRITE_CELLS.filter((c) => c.group === group)) {
      lines.push(`| ${cell.act} | ${WRITE_VIEWERS.map((v) => mark(cell.expect(v))).join(' | ')} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
