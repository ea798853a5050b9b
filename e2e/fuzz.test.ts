import {
  buildClientSchema,
  getIntrospectionQuery,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, sql, withCheckDigit } from '@nguon/shared';
import { demoOperator, demoOrgId, demoPaths } from '@nguon/demo/ids';
import { DEMO_PASSWORD, demoEmail, startTestStack, type GraphQLResult, type TestStack } from './helpers';

/**
 * Issue 9 follow-up: every mutation's input, fuzzed through the gateway as a
 * city admin and as an owner's staff (so writes pass permission checks and
 * reach validation). Each case must answer with a stable error code or data,
 * never INTERNAL_SERVER_ERROR or a 5xx, and a failed mutation must leave every
 * row of tenants/catalog/trace exactly as it found it.
 *
 * FUZZ_CASES (default 2000) and FUZZ_SEED (default 9) make a run repeatable;
 * a failure prints the seed, case number, mutation and input.
 */
const CASES = Number(process.env.FUZZ_CASES ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 9);
const STABLE_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'RATE_LIMITED',
  'GRAPHQL_VALIDATION_FAILED',
  'QUERY_LIMIT_EXCEEDED',
  // Write-authority refusals (docs/write-authority.md): stable codes like the others.
  'NOT_OWNER',
  'NOT_CUSTODIAN',
  'NORM_EXCEEDED',
  'NOT_PUBLISHABLE',
  // A complaint moved along a transition its status does not allow (issue 15).
  'INVALID_TRANSITION',
]);
const FINDINGS_FILE = join(tmpdir(), `nguon-fuzz-findings-${SEED}.json`);

/** mulberry32: small, seeded, good enough to pick cases. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
  return { next, int, pick, chance: (p: number) => next() < p, hex };
}
type Rng = ReturnType<typeof prng>;

const STAFF_ORG_PATH = demoPaths.operator(demoOperator('htx_lua_thoi_thuan'));
const STAFF_ORG = demoOrgId(STAFF_ORG_PATH);

interface Pools {
  orgs: string[];
  /** Organizations a destructive mutation (move, deactivate) may hit without ending the run's access. */
  expendableOrgs: string[];
  products: string[];
  lots: string[];
  areas: string[];
  certifications: string[];
  recalls: string[];
  users: string[];
  grants: string[];
  apiClients: string[];
  gtins: string[];
  lotCodes: string[];
}

// ---- hostile values ---------------------------------------------------------

const CONTROL = '\u0000\u0001\u0007\b\t\n\r\u001b\u007f\u0085\u2028\u2029\u200b\u200e\ufeff';
const hostileStrings = (r: Rng): unknown[] => [
  '',
  ' ',
  '   \t\n ',
  'x'.repeat(1 + r.int(300)),
  'Đ'.repeat(5_000),
  'a'.repeat(100_000),
  'Nguồn Cần Thơ — gạo ST25 ưu tiên',
  'Ñandú ǅ e\u0301 ﬁ Å',
  '👩‍🌾🌾🍚'.repeat(3),
  CONTROL,
  'a\u0000b',
  '\ud800',
  "'; drop table tenants.organizations; --",
  '%s%n{{7*7}}${x}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  'NaN',
  'Infinity',
  '-0',
  'null',
  'undefined',
  'true',
  'OBSERVE',
  'object_event',
  'CLASS_IV',
  'ADMIN ',
  'urn:epc:id:sgtin:8936041.330010.1',
  '12345678901234',
  '0'.repeat(14),
  uuid4(r),
  r.hex(32),
];
const hostileIds = (r: Rng, pools: Pools): unknown[] => [
  '',
  ' ',
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  uuid4(r),
  uuid4(r).toUpperCase(),
  `{${uuid4(r)}}`,
  uuid4(r).replace(/-/g, ''),
  `${uuid4(r)} `,
  `${uuid4(r)}x`,
  'g'.repeat(36),
  "1' or '1'='1",
  '1',
  '-1',
  'x'.repeat(10_000),
  ...pick3(r, pools.orgs),
  ...pick3(r, pools.products),
  ...pick3(r, pools.lots),
];
const hostileInts = (r: Rng): unknown[] => [0, -1, 1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 53, -(2 ** 53), 1.5, r.int(1e6) - 5e5, '1', '', true, 1e308];
const hostileFloats = (r: Rng): unknown[] => [
  0,
  -0,
  -1,
  1,
  0.1,
  1e-308,
  5e-324,
  1e308,
  -1e308,
  1.7976931348623157e308,
  2 ** 63,
  (r.next() - 0.5) * 1e9,
  'NaN',
  'Infinity',
  '1e400',
  '',
  '1,5',
  true,
];
const hostileDates = (r: Rng): unknown[] => [
  '',
  '2024-02-30',
  '2023-02-29',
  '2024-13-01',
  '2024-00-10',
  '2024-1-1',
  '24-01-01',
  '0000-01-01',
  '9999-12-31',
  '+275760-09-13',
  '-000001-01-01',
  '2024-01-01T00:00:00Z',
  '01/02/2024',
  'today',
  ' 2024-01-01',
  `2024-01-0${r.int(10)}`,
  20240101,
];
const hostileTimes = (r: Rng): unknown[] => [
  '',
  '2024-05-01T10:00:00',
  '2024-05-01 10:00:00+07:00',
  '2024-05-01T10:00:00+07:00',
  '2024-05-01T25:00:00+07:00',
  '2024-05-01T23:59:60Z',
  '2024-02-30T10:00:00Z',
  '2024-05-01T10:00:00+24:00',
  '2024-05-01T10:00:00+0700',
  '2024-05-01T10:00:00.123456789Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '+275760-09-13T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '2099-01-01T00:00:00+07:00',
  'yesterday',
  '1714557600',
  `2024-0${1 + r.int(9)}-1${r.int(10)}T1${r.int(10)}:00:00-03:30`,
];
const hostileOffsets: unknown[] = [
  '',
  '+07:00',
  '-00:00',
  'Z',
  '+7',
  '07:00',
  '+0700',
  '+14:00',
  '+14:01',
  '-12:00',
  '-12:30',
  '+25:00',
  '+07:60',
  'UTC',
  'Asia/Ho_Chi_Minh',
];
const hostileGtins = (r: Rng, pools: Pools): unknown[] => [
  '',
  '0',
  '12345670',
  '012345678905',
  '4006381333931',
  '04006381333931',
  '04006381333932',
  '1234567890123456',
  '00000000000000',
  '0000000000000',
  'abcdefghijklmn',
  ' 04006381333931',
  '04006381333931 ',
  '0400638133393١',
  '-4006381333931',
  '4.006381333931',
  randomGtin(r),
  randomGtin(r).slice(0, 13) + ((Number(randomGtin(r).at(-1)) + 1) % 10),
  ...pick3(r, pools.gtins),
];
const hostileLotCodes = (r: Rng, pools: Pools): unknown[] => [
  '',
  ' ',
  'LOT 1',
  'LOT/1',
  'lô-số-1',
  'L'.repeat(21),
  'L'.repeat(300),
  'A\u0000B',
  'A\nB',
  '"',
  '%2F',
  '🍚',
  'lot#1',
  `L-${r.hex(6)}`,
  ...pick3(r, pools.lotCodes),
];
const hostileEmails = (r: Rng): unknown[] => [
  '',
  'a',
  'a@',
  '@b',
  'a@b',
  'A@B.VN',
  ' x@y.vn',
  'x@y.vn ',
  `${'a'.repeat(300)}@x.vn`,
  'nguyễn@cầnthơ.vn',
  `f${r.hex(6)}@example.vn`,
  demoEmail('ADMIN', 'ct'),
  'a@b@c.vn',
  'a\n@b.vn',
];
const hostileUrls = (r: Rng): unknown[] => [
  '',
  'example.com/x.png',
  'javascript:alert(1)',
  'data:image/png;base64,AAAA',
  'ftp://x/y',
  'http://',
  `https://example.vn/${r.hex(8)}.jpg`,
  'https://' + 'a'.repeat(3000) + '.vn',
  'https://ví-dụ.vn/ảnh.png',
  'file:///etc/passwd',
];
const hostileLangs: unknown[] = ['', 'vi', 'en', 'EN', 'zh-Hant-TW', 'x', 'en_US', 'vi-VN', 'qaa', '123', 'en-', 'a'.repeat(100), 'en-US-u-ca-buddhist'];
const hostileEpcs = (r: Rng): unknown[] => [
  '',
  'urn:epc:id:sgtin:',
  'urn:epc:id:sgtin:893604133.0001.1',
  'urn:epc:class:lgtin:893604133.0001.LOT1',
  'urn:epc:id:sgln:893604133.0.0',
  `https://id.gs1.org/01/${randomGtin(r)}/10/LOT${r.int(99)}`,
  'https://id.gs1.org/01/123/10/x',
  'https://example.com/01/04006381333931/21/1',
  'urn:epc:id:sscc:893604133.1234567',
  'http://id.gs1.org/414/8936041330003',
  'epc',
];
const hostileJson = (r: Rng): unknown[] => [
  null,
  {},
  [],
  'x',
  0,
  true,
  { a: { b: { c: {} } } },
  deepObject(r.int(200)),
  { '@context': 'x', 'ex:k': 'v' },
  { 'example:field': 'ü'.repeat(1000) },
  Array.from({ length: 100 }, (_, i) => ({ i })),
  { __proto__: { x: 1 } },
  { constructor: { prototype: { polluted: true } } },
];

function uuid4(r: Rng) {
  const h = r.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[r.int(4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
function randomGtin(r: Rng) {
  return withCheckDigit(Array.from({ length: 13 }, () => r.int(10)).join(''));
}
function pick3<T>(r: Rng, items: T[]): T[] {
  return items.length ? [r.pick(items), r.pick(items), r.pick(items)] : [];
}
function deepObject(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { n: value };
  return value;
}
function deepList(depth: number, leaf: unknown): unknown {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

// ---- plausible values (so a case gets past the first check) -------------------

function plausibleId(r: Rng, pools: Pools, mutation: string, field: string): string {
  const pool = (() => {
    switch (field) {
      case 'ownerId':
      case 'organizationId':
      case 'holderId':
        return r.chance(0.7) ? [STAFF_ORG] : pools.orgs;
      case 'parentId':
        return pools.orgs;
      case 'newParentId':
        return pools.orgs;
      case 'productId':
        return mutation === 'addCertification' ? pools.products : pools.products;
      case 'lotId':
      case 'parentLotId':
      case 'lotIds':
        return pools.lots;
      case 'areaId':
      case 'productionAreaId':
        return pools.areas;
      case 'recallId':
        return pools.recalls;
      case 'userId':
        return pools.users;
      case 'grantId':
        return pools.grants;
      case 'id':
        if (/Product|Gtin/.test(mutation)) return pools.products;
        if (mutation === 'removeCertification') return pools.certifications;
        if (mutation === 'revokeApiClient') return pools.apiClients;
        if (/Organization/.test(mutation)) return mutation === 'renameOrganization' ? pools.orgs : pools.expendableOrgs;
        return pools.orgs;
      default:
        return pools.orgs;
    }
  })();
  return pool.length ? r.pick(pool) : uuid4(r);
}

function plausibleString(r: Rng, pools: Pools, mutation: string, field: string): unknown {
  const now = new Date(Date.now() - r.int(1e10)).toISOString();
  switch (field) {
    case 'gtin':
      return r.chance(0.5) ? randomGtin(r) : r.pick(pools.gtins);
    case 'lotCode':
      return `FZ-${r.hex(6).toUpperCase()}`;
    case 'eventTime':
    case 'declarationTime':
      return now.replace('Z', '+07:00');
    case 'eventTimeZoneOffset':
      return '+07:00';
    case 'email':
      return mutation === 'signIn' ? r.pick([demoEmail('ADMIN', 'ct'), demoEmail('STAFF', STAFF_ORG_PATH)]) : `fz-${r.hex(8)}@example.vn`;
    case 'contactEmail':
      return `lienhe-${r.hex(4)}@example.vn`;
    case 'password':
      return mutation === 'signIn' ? r.pick([DEMO_PASSWORD, 'wrong-password']) : `pw-${r.hex(12)}`;
    case 'slug':
      return `fz_${r.hex(6)}`;
    case 'gln':
      return withCheckDigit(`893${Array.from({ length: 9 }, () => r.int(10)).join('')}`);
    case 'lang':
      return r.pick(['vi', 'en']);
    case 'url':
    case 'documentUrl':
      return `https://example.vn/${r.hex(6)}.jpg`;
    case 'categoryCode':
      return r.pick(['rice', 'fruit', 'seafood', 'vegetable']);
    case 'unit':
    case 'yieldUnit':
      return r.pick(['KGM', 'TNE', 'LTR', 'H87']);
    case 'season':
      return r.pick(['2024-DX', '2025-HT', 'Đông Xuân 2024-2025']);
    case 'bizStep':
      return r.pick(['commissioning', 'shipping', 'receiving', 'https://ref.gs1.org/cbv/BizStep-packing']);
    case 'disposition':
      return r.pick(['active', 'in_transit', 'https://ref.gs1.org/cbv/Disp-in_progress']);
    case 'readPoint':
    case 'bizLocation':
      return `urn:epc:id:sgln:893604133.${r.int(10)}.0`;
    case 'eventID':
    case 'correctedEventID':
      return `urn:uuid:${uuid4(r)}`;
    case 'type':
      return r.pick(['owning_party', 'possessing_party', 'location', 'po', 'desadv', 'inv']);
    case 'epcs':
    case 'inputEPCs':
    case 'outputEPCs':
    case 'parentID':
      return `https://id.gs1.org/01/${r.pick(pools.gtins)}/10/${r.pick(pools.lotCodes)}`;
    case 'serial':
      return String(1 + r.int(50));
    case 'code':
      return r.hex(8);
    default:
      return `${field} ${r.pick(['Cần Thơ', 'fuzz', 'ST25', 'Gạo'])} ${r.int(1000)}`;
  }
}

function plausibleNumber(r: Rng, field: string, isInt: boolean): number {
  if (field === 'latitude') return 9 + r.next() * 2;
  if (field === 'longitude') return 105 + r.next() * 2;
  if (field === 'stars') return 1 + r.int(5);
  if (field === 'from') return 1 + r.int(20);
  if (field === 'to') return 20 + r.int(20);
  return isInt ? 1 + r.int(400) : Math.round(r.next() * 10_000) / 100;
}

function hostileString(r: Rng, pools: Pools, field: string): unknown {
  if (field === 'gtin') return r.pick(hostileGtins(r, pools));
  if (field === 'lotCode') return r.pick(hostileLotCodes(r, pools));
  if (/Time$/.test(field)) return r.pick(hostileTimes(r));
  if (field === 'eventTimeZoneOffset') return r.pick(hostileOffsets);
  if (/[eE]mail$/.test(field)) return r.pick(hostileEmails(r));
  if (/[uU]rl$/.test(field)) return r.pick(hostileUrls(r));
  if (field === 'lang') return r.pick(hostileLangs);
  if (/EPCs?$|^epcs$|^parentID$|^readPoint$|^bizLocation$|EventID$|^eventID$/.test(field)) return r.pick([...hostileEpcs(r), ...hostileStrings(r)]);
  return r.pick(hostileStrings(r));
}

// ---- the generator ----------------------------------------------------------

/** A value for one input position: mostly plausible, sometimes hostile, sometimes the wrong shape. */
function valueFor(r: Rng, pools: Pools, type: GraphQLInputType, mutation: string, field: string, depth: number, hostility: number): unknown {
  const nonNull = isNonNullType(type);
  const inner = getNullableType(type) as GraphQLInputType;
  if (r.chance(hostility * 0.08)) return nonNull ? r.pick([null, undefined]) : null;
  if (r.chance(hostility * 0.03)) return deepList(1 + r.int(60), r.pick(['x', 1, null, {}]));
  if (isListType(inner)) {
    const length = r.chance(hostility * 0.15) ? r.pick([0, 0, 40, 250]) : 1 + r.int(3);
    return Array.from({ length }, () => valueFor(r, pools, inner.ofType as GraphQLInputType, mutation, field, depth + 1, hostility));
  }
  if (isInputObjectType(inner)) {
    if (depth > 4) return {};
    const out: Record<string, unknown> = {};
    for (const f of Object.values(inner.getFields())) {
      if (!isNonNullType(f.type) && r.chance(0.4)) continue;
      out[f.name] = valueFor(r, pools, f.type, mutation, f.name, depth + 1, hostility);
    }
    if (r.chance(hostility * 0.03)) out[`unknown_${r.hex(3)}`] = 1;
    return out;
  }
  const hostile = r.chance(hostility);
  if (isEnumType(inner)) {
    const values = inner.getValues().map((v) => v.name);
    return hostile ? r.pick(['', values[0]!.toLowerCase(), `${values[0]}_X`, 'CLASS_IV', 0, ...values]) : r.pick(values);
  }
  if (!isScalarType(inner)) return null;
  switch (inner.name) {
    case 'ID':
      return hostile ? r.pick(hostileIds(r, pools)) : plausibleId(r, pools, mutation, field);
    case 'String':
      return hostile ? hostileString(r, pools, field) : plausibleString(r, pools, mutation, field);
    case 'Int':
      return hostile ? r.pick(hostileInts(r)) : plausibleNumber(r, field, true);
    case 'Float':
      return hostile ? r.pick(hostileFloats(r)) : plausibleNumber(r, field, false);
    case 'Boolean':
      return hostile ? r.pick([true, false, 'true', 0]) : r.chance(0.5);
    case 'Date':
      return hostile ? r.pick(hostileDates(r)) : new Date(Date.now() + (r.next() - 0.5) * 3e10).toISOString().slice(0, 10);
    case 'JSON':
      return hostile ? r.pick(hostileJson(r)) : { 'ex:note': `fz ${r.int(100)}` };
    default:
      return hostile ? r.pick(hostileStrings(r)) : plausibleString(r, pools, mutation, field);
  }
}

/** Mutations that would end the run's own access if they hit the wrong row get expendable targets only. */
function caseFor(r: Rng, pools: Pools, schema: GraphQLSchema, mutation: string) {
  // Stay under the gateway's 4 MiB body limit (413 PAYLOAD_TOO_LARGE is tested in limits.test.ts).
  for (;;) {
    const candidate = draftCase(r, pools, schema, mutation);
    if (JSON.stringify(candidate.variables).length < 3_500_000) return candidate;
  }
}

function draftCase(r: Rng, pools: Pools, schema: GraphQLSchema, mutation: string) {
  const field = schema.getMutationType()!.getFields()[mutation]!;
  const hostility = r.pick([0, 0.1, 0.25, 0.5, 1]);
  const variables: Record<string, unknown> = {};
  for (const arg of field.args) variables[arg.name] = valueFor(r, pools, arg.type, mutation, '', 0, hostility);
  // Keep the run's own accounts and grants alive: revoke only grants made during the run.
  if (mutation === 'revokeRole' && hostility < 0.5) (variables.input as any) = { grantId: pools.grants.length ? r.pick(pools.grants) : uuid4(r) };
  const args = field.args.map((a) => `$${a.name}: ${a.type}`).join(', ');
  const pass = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  // A mutation without arguments (signOutEverywhere) takes no parentheses at all.
  const query = args ? `mutation Fuzz(${args}) { ${mutation}(${pass}) { __typename } }` : `mutation Fuzz { ${mutation} { __typename } }`;
  return { query, variables, hostility };
}

// ---- the database's side of the story ------------------------------------------

async function tableNames(stack: TestStack): Promise<string[]> {
  const rows = await stack.db.connection.rows<{ name: string }>(
    sql`select format('%I.%I', table_schema, table_name) as name from information_schema.tables
        where table_schema in ('tenants', 'catalog', 'trace') and table_type = 'BASE TABLE' order by 1`,
  );
  return rows.map((r) => r.name);
}

async function rowCounts(stack: TestStack, tables: string[]): Promise<Record<string, number>> {
  const query = tables.map((t) => `select '${t}' as t, count(*)::int as n from ${t}`).join(' union all ');
  const rows = await stack.db.connection.rows<{ t: string; n: number }>(sql.raw(query));
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

async function loadPools(stack: TestStack, staffUserId: string, adminUserId: string): Promise<Pools> {
  const ids = async (query: string) => (await stack.db.connection.rows<{ v: string }>(sql.raw(query))).map((r) => String(r.v));
  const staffAncestors = await ids(`select id as v from tenants.organizations where '${STAFF_ORG_PATH}' like path || '%'`);
  const keep = new Set([...staffAncestors, STAFF_ORG]);
  const orgs = await ids(`select id as v from tenants.organizations`);
  return {
    orgs,
    expendableOrgs: orgs.filter((id) => !keep.has(id)),
    products: await ids(`select id as v from catalog.products order by (owner_id = '${STAFF_ORG}') desc, id limit 40`),
    lots: await ids(`select id as v from trace.lots order by (owner_id = '${STAFF_ORG}') desc, id limit 60`),
    areas: await ids(`select id as v from catalog.production_areas`),
    certifications: await ids(`select id as v from catalog.certifications limit 40`),
    recalls: await ids(`select id as v from trace.recalls`),
    users: (await ids(`select id as v from tenants.users limit 40`)).filter((id) => id !== staffUserId && id !== adminUserId),
    grants: [],
    apiClients: await ids(`select id as v from tenants.api_clients`),
    gtins: await ids(`select gtin as v from catalog.products where gtin is not null limit 40`),
    lotCodes: await ids(`select lot_code as v from trace.lots limit 40`),
  };
}

// ---- the run -----------------------------------------------------------------

let stack: TestStack;
let schema: GraphQLSchema;
let tables: string[];
let tokens: { admin: string; staff: string };
let pools: Pools;

beforeAll(async () => {
  // FUZZ_LOG=error shows what the services logged (a masked error's cause) next to the findings.
  stack = await startTestStack({ gateway: { rateLimits: false }, logger: createLogger('nguon', (process.env.FUZZ_LOG ?? 'silent') as 'error') });
  tokens = { admin: await stack.tokenFor(demoEmail('ADMIN', 'ct')), staff: await stack.tokenFor(demoEmail('STAFF', STAFF_ORG_PATH)) };
  const introspection = await stack.gql<IntrospectionQuery>(getIntrospectionQuery(), {}, { token: tokens.admin });
  schema = buildClientSchema(introspection.data!);
  tables = await tableNames(stack);
  const userId = async (email: string) => (await stack.db.connection.rows<{ id: string }>(sql`select id from tenants.users where email = ${email}`))[0]!.id;
  pools = await loadPools(stack, await userId(demoEmail('STAFF', STAFF_ORG_PATH)), await userId(demoEmail('ADMIN', 'ct')));
}, 120_000);
afterAll(() => stack?.stop());

interface Finding {
  case: number;
  mutation: string;
  viewer: string;
  problem: string;
  variables: unknown;
  errors?: unknown;
}

/** Sends one case and says what, if anything, is wrong with the answer. */
async function runCase(n: number, r: Rng, mutation: string, viewer: 'admin' | 'staff', findings: Finding[]) {
  const { query, variables } = caseFor(r, pools, schema, mutation);
  const before = await rowCounts(stack, tables);
  let result: GraphQLResult;
  try {
    result = await stack.gql(query, variables, { token: tokens[viewer] });
  } catch (error) {
    findings.push({ case: n, mutation, viewer, problem: `no GraphQL answer: ${error}`, variables });
    return;
  }
  const report = (problem: string) => findings.push({ case: n, mutation, viewer, problem, variables: truncate(variables), errors: result.errors });
  if (result.status >= 500) report(`HTTP ${result.status}`);
  for (const error of result.errors ?? []) {
    const code = String(error.extensions?.code);
    if (!STABLE_CODES.has(code)) report(`error code ${code}: ${error.message}`);
  }
  if (result.errors?.length) {
    const after = await rowCounts(stack, tables);
    const changed = tables.filter((t) => before[t] !== after[t]).map((t) => `${t} ${before[t]}→${after[t]}`);
    if (changed.length) report(`failed mutation changed rows: ${changed.join(', ')}`);
  } else {
    await remember(mutation, viewer);
  }
}

/** Rows a successful case made become targets for later cases (a grant to revoke, a job to wait for). */
async function remember(mutation: string, viewer: 'admin' | 'staff') {
  // Signing out everywhere ends the viewer's token (docs/sessions.md): sign in again so later cases still reach validation.
  if (mutation === 'signOutEverywhere')
    tokens[viewer] = await stack.tokenFor(viewer === 'admin' ? demoEmail('ADMIN', 'ct') : demoEmail('STAFF', STAFF_ORG_PATH));
  if (mutation === 'grantRole')
    pools.grants = (
      await stack.db.connection.rows<{ id: string }>(sql.raw(`select id from tenants.role_grants order by granted_at desc nulls last limit 20`)).catch(() => [])
    ).map((g) => g.id);
  if (mutation === 'submitCaptureJob') {
    // The job runs after the answer; wait for it so its rows are not counted against the next case.
    for (let i = 0; i < 200; i++) {
      const [{ n }] = (await stack.db.connection.rows<{ n: number }>(sql`select count(*)::int as n from trace.capture_jobs where status = 'RUNNING'`)) as [
        { n: number },
      ];
      if (Number(n) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

function truncate(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null, (_k, v) => (typeof v === 'string' && v.length > 120 ? `${v.slice(0, 60)}…(${v.length} chars)` : v)));
}

describe('fuzzing every mutation input through the gateway', () => {
  const expectBadInput = async (query: string, variables: Record<string, unknown>, viewer: 'admin' | 'staff') => {
    const before = await rowCounts(stack, tables);
    const result = await stack.gql(query, variables, { token: tokens[viewer] });
    expect(result.status).toBeLessThan(500);
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(await rowCounts(stack, tables)).toEqual(before);
    return result.errors![0]!;
  };

  // Found by the fuzzer (seed 9): subgraph-only scalars (Date) are opaque to the gateway, and the
  // subgraph's 400 request error was relayed as SERVICE_UNAVAILABLE.
  it('answers a Date that is not a real date with BAD_USER_INPUT, not an outage', async () => {
    const error = await expectBadInput(
      `mutation($input: CreateLotInput!) { createLot(input: $input) { __typename } }`,
      { input: { productId: pools.products[0], ownerId: STAFF_ORG, lotCode: 'FZ-DATE', quantity: 1, unit: 'KGM', expiresOn: '2023-02-29' } },
      'staff',
    );
    expect(error.message).toMatch(/2023-02-29 is not a real date/);
  });

  // Found by the fuzzer (seed 9): the id went straight into a ::uuid[] cast and failed inside the database.
  it('answers a capture for an organization id that is not a UUID with NOT_FOUND', async () => {
    for (const organizationId of ['x'.repeat(100), 'not-a-uuid', `${STAFF_ORG},${STAFF_ORG}`]) {
      const before = await rowCounts(stack, tables);
      const result = await stack.gql(
        `mutation($input: CaptureEventsInput!) { captureEvents(input: $input) { __typename } }`,
        { input: { organizationId, events: [] } },
        { token: tokens.staff },
      );
      expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
      expect(await rowCounts(stack, tables)).toEqual(before);
    }
  });

  // Found by the fuzzer (seed 9): PostgreSQL cannot store U+0000, so the insert failed as INTERNAL_SERVER_ERROR.
  it('refuses text containing a NUL character with BAD_USER_INPUT naming the field', async () => {
    const [org] = pools.expendableOrgs;
    const error = await expectBadInput(
      `mutation($input: CreateApiClientInput!) { createApiClient(input: $input) { __typename } }`,
      { input: { organizationId: org, name: 'a\u0000b', scopes: ['INTERNAL_READ'] } },
      'admin',
    );
    expect(error.extensions?.field).toEqual(['input', 'name']);
    await expectBadInput(`mutation { withdrawProduct(input: { id: "${pools.products[0]}", reason: "a\\u0000b" }) { __typename } }`, {}, 'admin');
  });

  // Found by the fuzzer (seed 10): a lone surrogate cannot be stored as UTF-8 text, and PostgreSQL has no year 0.
  it('refuses half a surrogate pair and a year-0 date with BAD_USER_INPUT', async () => {
    const [org] = pools.expendableOrgs;
    const surrogate = await expectBadInput(
      `mutation($input: CreateApiClientInput!) { createApiClient(input: $input) { __typename } }`,
      { input: { organizationId: org, name: 'a\ud800b', scopes: ['INTERNAL_READ'] } },
      'admin',
    );
    expect(surrogate.extensions?.field).toEqual(['input', 'name']);
    const yearZero = await expectBadInput(
      `mutation($input: CreateLotInput!) { createLot(input: $input) { __typename } }`,
      { input: { productId: pools.products[0], ownerId: STAFF_ORG, lotCode: 'FZ-YEAR0', quantity: 1, unit: 'KGM', producedOn: '0000-01-01' } },
      'staff',
    );
    expect(yearZero.message).toMatch(/before year 1/);
  });

  it(`answers ${CASES} random and boundary inputs with stable error codes and never leaves a failed write half done`, async () => {
    const r = prng(SEED);
    const mutations = Object.keys(schema.getMutationType()!.getFields()).sort();
    const findings: Finding[] = [];
    const started = performance.now();
    for (let n = 0; n < CASES; n++) {
      const mutation = mutations[n % mutations.length]!;
      await runCase(n, r, mutation, n % 2 === 0 ? 'staff' : 'admin', findings);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`fuzz: ${CASES} cases over ${mutations.length} mutations in ${seconds}s (seed ${SEED}), ${findings.length} findings`);
    if (findings.length) writeFileSync(FINDINGS_FILE, JSON.stringify(findings, null, 2));
    const summary = [...new Set(findings.map((f) => `${f.mutation} (${f.viewer}): ${f.problem.replace(/\(reference [^)]*\)/, '').slice(0, 160)}`))];
    expect(summary, `first findings: ${JSON.stringify(findings.slice(0, 3), null, 1)}\nall of them in ${FINDINGS_FILE}`).toEqual([]);
  }, 600_000);
});
