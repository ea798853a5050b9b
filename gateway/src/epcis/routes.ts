import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Viewer } from '@nguon/shared/viewer';
import { canonicalId, isGs1Id, parseGs1Id, toEpcUrn } from '@nguon/gs1/epc';
import type { EdgeContext, EdgeRoute } from '../edge';
import { signedIn } from '../http/guard';
import { sendProblem } from '../http/problem';
import { capture, captureJob, captureOne, type EpcisCaptureConfig } from './capture';
import { documentContext, EPCIS_CONTEXT, EVENT_TYPES, graphEventType, toJsonLd } from './document';
import { CAPTURE_FILE_SIZE_LIMIT, CAPTURE_LIMIT, epcisHeaders, formatOf, readJson, run, send, type Json } from './http';
import { CREATE_NAMED_QUERY, DELETE_NAMED_QUERY, EVENT_IDS, EVENTS_FULL, EVENTS_PUBLIC, NAMED_QUERIES, NAMED_QUERY } from './operations';
import { EpcisProblem, fromGraphErrors, problemOf } from './problem';

/**
 * EPCIS 2.0 REST bindings (GS1 EPCIS 2.0 OpenAPI) at the gateway's edge.
 * They hold no data of their own: capture goes through the trace graph's
 * submitCaptureJob/captureEvents, queries through Query.events and named
 * queries through Query.epcisQueries, as the caller's own viewer, so the
 * permission tree applies exactly as in GraphQL and the graph shows
 * captured events at once. The query parameters only translate into the
 * graph's EventFilter: a REST answer is the graph's answer.
 * Capture lives in capture.ts; this file holds the query side and the routing.
 */
// 50 full events stay under the gateway's per-operation cost limit for signed-in users.
const PAGE = 50;
/** The most events maxEventCount counts (the server's limit): a larger answer is QueryTooLargeException. */
const MAX_COUNTED = 10_000;
/** The graph's page size for counting (maxEventCount). */
const ID_PAGE = 100;

const qpe = (detail: string) => new EpcisProblem('BAD_USER_INPUT', 'QueryParameterException', detail);

/** Query parameters by name, each with its values (`|`-separated lists already split). */
type Params = Map<string, string[]>;

function paramsOfUrl(search: URLSearchParams): Params {
  const params: Params = new Map();
  for (const [key, value] of search) params.set(key, [...(params.get(key) ?? []), ...value.split('|').filter((v) => v !== '')]);
  return params;
}

/** A named query's body (query schema: lists as JSON arrays, scalars as themselves). */
function paramsOfJson(query: Json): Params {
  const params: Params = new Map();
  for (const [key, value] of Object.entries(query)) {
    if (key === '@context') continue;
    params.set(key, Array.isArray(value) ? value.map(String) : [String(value)]);
  }
  return params;
}

/** Prefix → namespace from the GS1-Extensions header (`ex=https://…, ex2=…`) and a named query's @context. */
function prefixesOf(header: string | string[] | undefined, context?: unknown): Record<string, string> {
  const prefixes: Record<string, string> = {};
  for (const part of (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')) {
    const m = /^\s*([A-Za-z][\w.-]*)\s*=\s*(\S+)\s*$/.exec(part);
    if (m) prefixes[m[1]!] = m[2]!;
  }
  for (const c of Array.isArray(context) ? context : [context])
    if (c && typeof c === 'object') for (const [k, v] of Object.entries(c)) if (typeof v === 'string') prefixes[k] = v;
  return prefixes;
}

/** Every stored spelling of a location: GLN, SGLN URN and canonical Digital Link. */
function locationSpellings(value: string): string[] {
  if (/^\d{13}$/.test(value)) return [value, `https://id.gs1.org/414/${value}`, toEpcUrn({ kind: 'sgln', gln: value, extension: null })];
  if (!isGs1Id(value)) return [value];
  const id = parseGs1Id(value);
  if (id.kind !== 'sgln') return [value];
  return [...new Set([value, canonicalId(value), toEpcUrn(id), ...(id.extension ? [] : [id.gln])])];
}

type Compare = 'EQ' | 'GT' | 'GE' | 'LT' | 'LE';
/** Standard sensor parameters (EPCIS 2.0 §8.2.7.1) → the graph's SensorField. */
const SENSOR_EQ: Record<string, string> = {
  EQ_type: 'TYPE',
  EQ_deviceID: 'DEVICE_ID',
  EQ_deviceMetadata: 'DEVICE_METADATA',
  EQ_rawData: 'RAW_DATA',
  EQ_dataProcessingMethod: 'DATA_PROCESSING_METHOD',
  EQ_bizRules: 'BIZ_RULES',
  EQ_microorganism: 'MICROORGANISM',
  EQ_chemicalSubstance: 'CHEMICAL_SUBSTANCE',
  EQ_stringValue: 'STRING_VALUE',
  EQ_booleanValue: 'BOOLEAN_VALUE',
  EQ_hexBinaryValue: 'HEX_BINARY_VALUE',
  EQ_uriValue: 'URI_VALUE',
};
const SENSOR_MEASURES: Record<string, string> = {
  value: 'VALUE',
  minValue: 'MIN_VALUE',
  maxValue: 'MAX_VALUE',
  meanValue: 'MEAN_VALUE',
  sDev: 'S_DEV',
  percRank: 'PERC_RANK',
  percValue: 'PERC_VALUE',
};
const SENSOR_TIMES: Record<string, string> = { time: 'TIME', startTime: 'START_TIME', endTime: 'END_TIME' };
/** List parameters → EventFilter fields, values as given. */
const LISTS: Record<string, string> = {
  EQ_bizStep: 'bizSteps',
  EQ_disposition: 'dispositions',
  EQ_persistentDisposition_set: 'persistentDispositionSet',
  EQ_persistentDisposition_unset: 'persistentDispositionUnset',
  WD_readPoint: 'readPointsWithin',
  WD_bizLocation: 'bizLocationsWithin',
  EQ_transformationID: 'transformationIDs',
  MATCH_epc: 'epcs',
  MATCH_parentID: 'parentIDs',
  MATCH_inputEPC: 'inputEpcs',
  MATCH_outputEPC: 'outputEpcs',
  MATCH_anyEPC: 'anyEpcs',
  MATCH_epcClass: 'epcClasses',
  MATCH_inputEPCClass: 'inputEpcClasses',
  MATCH_outputEPCClass: 'outputEpcClasses',
  MATCH_anyEPCClass: 'anyEpcClasses',
  EQ_eventID: 'eventIDs',
  EQ_errorReason: 'errorReasons',
  EQ_correctiveEventID: 'correctiveEventIDs',
};
const TIMES: Record<string, string> = {
  GE_eventTime: 'geEventTime',
  LT_eventTime: 'ltEventTime',
  GE_recordTime: 'geRecordTime',
  LT_recordTime: 'ltRecordTime',
  GE_errorDeclarationTime: 'geErrorDeclarationTime',
  LT_errorDeclarationTime: 'ltErrorDeclarationTime',
  // The query schema's spelling of the same two.
  GE_errorDeclaration_Time: 'geErrorDeclarationTime',
  LT_errorDeclaration_Time: 'ltErrorDeclarationTime',
};
/** Paging and the edge's own parameters: not conditions. */
const PAGING = new Set(['perPage', 'nextPageToken', 'organizationId']);

/** An EPCIS query translated: the graph's filter and order, and the result-size limits the edge applies. */
interface Translated {
  filter: Json;
  orderBy?: 'EVENT_TIME' | 'RECORD_TIME';
  orderDirection?: 'ASC' | 'DESC';
  eventCountLimit?: number;
  maxEventCount?: number;
}

const push = (filter: Json, key: string, ...items: unknown[]) => {
  filter[key] = [...((filter[key] as unknown[]) ?? []), ...items];
};

function time(key: string, values: string[]): string {
  const v = values[0] ?? '';
  if (values.length !== 1 || Number.isNaN(Date.parse(v)) || !/(Z|[+-]\d{2}:\d{2})$/.test(v)) throw qpe(`${key} is an ISO 8601 time with offset.`);
  return new Date(v).toISOString();
}

function count(key: string, values: string[]): number {
  const n = Number(values[0]);
  if (values.length !== 1 || !Number.isInteger(n) || n < 1) throw qpe(`${key} is a positive integer.`);
  return n;
}

/** A user field named in a parameter: a full IRI, or a prefixed name expanded by the declared prefixes. */
function fieldName(name: string, prefixes: Record<string, string>): string {
  const m = /^([A-Za-z][\w.-]*):([^/].*)$/.exec(name);
  return m && prefixes[m[1]!] ? `${prefixes[m[1]!]}${m[2]}` : name;
}
/** Families of the query schema not offered here (user fields of error declarations, locations and sensor elements; HASATTR_/EQ_ATTR_): refused, never silently empty. */
const UNSUPPORTED =
  /^(ERROR_DECLARATION_|INNER_ERROR_DECLARATION_|SENSORELEMENT_|SENSORMETADATA_|SENSORREPORT_|INNER_SENSOR|readPoint_|bizLocation_|INNER_readPoint_|INNER_bizLocation_)/;
const isFieldName = (name: string) => /^[A-Za-z][\w.+-]*:\S+$/.test(name) && !UNSUPPORTED.test(name);

/**
 * The standard's query parameters → the graph's EventFilter and order. An
 * unknown parameter, or a value of the wrong form, is a QueryParameterException.
 */
export function translate(params: Params, prefixes: Record<string, string>): Translated {
  const filter: Json = {};
  const out: Translated = { filter };
  for (const [key, values] of params) {
    if (PAGING.has(key)) continue;
    const list = values;
    if (key === 'eventType') {
      filter.eventTypes = list.map((t) => {
        const type = graphEventType(t);
        if (!type) throw qpe(`Unknown eventType ${t}.`);
        return type;
      });
    } else if (TIMES[key]) filter[TIMES[key]] = time(key, list);
    else if (key === 'EQ_action') {
      for (const a of list) if (!['ADD', 'OBSERVE', 'DELETE'].includes(a)) throw qpe(`EQ_action is ADD, OBSERVE or DELETE, not ${a}.`);
      filter.actions = list;
    } else if (key === 'EQ_readPoint') filter.readPoints = list.flatMap(locationSpellings);
    else if (key === 'EQ_bizLocation') filter.bizLocations = list.flatMap(locationSpellings);
    else if (LISTS[key]) push(filter, LISTS[key], ...list);
    else if (key === 'EXISTS_errorDeclaration') {
      // Only `true` restricts: without it (or false) events come regardless of a declaration.
      if (list[0] !== 'false') filter.errorDeclaration = true;
    } else if (key === 'orderBy') {
      const by = { eventTime: 'EVENT_TIME', recordTime: 'RECORD_TIME' }[list[0] ?? ''] as Translated['orderBy'];
      if (!by) throw qpe('orderBy is eventTime or recordTime here.');
      out.orderBy = by;
    } else if (key === 'orderDirection') {
      if (list[0] !== 'ASC' && list[0] !== 'DESC') throw qpe('orderDirection is ASC or DESC.');
      out.orderDirection = list[0];
    } else if (key === 'eventCountLimit') out.eventCountLimit = count(key, list);
    else if (key === 'maxEventCount') out.maxEventCount = count(key, list);
    else if (SENSOR_EQ[key]) push(filter, 'sensors', { field: SENSOR_EQ[key], op: 'EQ', values: list });
    else if (key === 'EXISTS_sensorElementList') push(filter, 'exists', 'sensorElementList');
    else translatePattern(key, list, filter, prefixes);
  }
  if (out.eventCountLimit !== undefined && out.maxEventCount !== undefined) throw qpe('eventCountLimit and maxEventCount exclude each other.');
  // EPCIS 2.0 REST binding: eventCountLimit without orderBy SHALL raise QueryParameterException.
  if (out.eventCountLimit !== undefined && !params.has('orderBy')) throw qpe('eventCountLimit needs orderBy.');
  return out;
}

/** The parameter families named by pattern: quantities, typed lists, sensor measures, EXISTS_ and user fields. */
function translatePattern(key: string, list: string[], filter: Json, prefixes: Record<string, string>) {
  let m: RegExpExecArray | null;
  if ((m = /^(EQ|GT|GE|LT|LE)_quantity(?:_([A-Za-z0-9]{2,4}))?$/.exec(key))) {
    const value = Number(list[0]);
    if (list.length !== 1 || !Number.isFinite(value)) throw qpe(`${key} is a number.`);
    push(filter, 'quantities', { op: m[1], value, ...(m[2] ? { uom: m[2] } : {}) });
  } else if ((m = /^EQ_(bizTransaction|source|destination)_(.+)$/.exec(key))) {
    const field = { bizTransaction: 'bizTransactions', source: 'sources', destination: 'destinations' }[m[1]!]!;
    push(filter, field, { type: m[2], values: list });
  } else if ((m = /^(EQ|GT|GE|LT|LE)_(value|minValue|maxValue|meanValue|sDev|percRank|percValue)(?:_([A-Za-z0-9]{2,4}))?$/.exec(key))) {
    push(filter, 'sensors', { field: SENSOR_MEASURES[m[2]!], op: m[1], values: list, ...(m[3] ? { uom: m[3] } : {}) });
  } else if ((m = /^(GE|LT)_(time|startTime|endTime)$/.exec(key))) {
    push(filter, 'sensors', { field: SENSOR_TIMES[m[2]!], op: m[1], values: [time(key, list)] });
  } else if ((m = /^EXISTS_(INNER_ILMD_|ILMD_|INNER_)?(.+)$/.exec(key))) {
    const scope = { INNER_ILMD_: 'INNER_ILMD', ILMD_: 'ILMD', INNER_: 'INNER' }[m[1] ?? ''] ?? 'EXTENSION';
    if (scope === 'EXTENSION' && !isFieldName(m[2]!)) push(filter, 'exists', m[2]);
    else if (isFieldName(m[2]!)) push(filter, 'fields', { scope, field: fieldName(m[2]!, prefixes), op: 'EXISTS' });
    else throw qpe(`${key}: ${m[2]} is not a namespaced field.`);
  } else if ((m = /^(EQ|GT|GE|LT|LE)_(INNER_ILMD_|ILMD_|INNER_)?(.+)$/.exec(key)) && isFieldName(m[3]!)) {
    const scope = { INNER_ILMD_: 'INNER_ILMD', ILMD_: 'ILMD', INNER_: 'INNER' }[m[2] ?? ''] ?? 'EXTENSION';
    if (m[1] !== 'EQ' && list.length !== 1) throw qpe(`${key} compares with one value.`);
    push(filter, 'fields', { scope, field: fieldName(m[3]!, prefixes), op: m[1] as Compare, values: list });
  } else throw qpe(`Unknown query parameter ${key}.`);
}

/** Graph refusals of a query's values are the client's query parameters at fault. */
function asQueryProblem(error: unknown): never {
  const problem = problemOf(error);
  if (problem?.code === 'BAD_USER_INPUT') throw qpe(problem.message);
  throw error;
}

type Page = { nodes: Json[]; pageInfo: { hasNextPage: boolean; endCursor?: string | null } };

async function fetchEvents(edge: EdgeContext, viewer: Viewer, q: Translated, first: number, after: string | null): Promise<Page> {
  const variables = { filter: q.filter, first, after, orderBy: q.orderBy ?? null, orderDirection: q.orderDirection ?? null };
  const full = await edge.execute(EVENTS_FULL, variables, viewer);
  if (!full.errors?.length && full.data) return full.data.events as Page;
  // Events of others you may see (they name public lots) without their INTERNAL fields.
  if (!full.errors?.every((e) => e.extensions?.code === 'FORBIDDEN')) asQueryProblem(fromGraphErrors(full.errors ?? []));
  return (await run(edge, viewer, EVENTS_PUBLIC, variables).catch(asQueryProblem)).events as Page;
}

/** maxEventCount: counts matches through the graph, one page of ids at a time, and refuses past the limit. */
async function checkSize(edge: EdgeContext, viewer: Viewer, q: Translated) {
  if (q.maxEventCount === undefined) return;
  // Counting is bounded whatever the caller asks: past the server's limit a query is too large anyway.
  const limit = Math.min(q.maxEventCount, MAX_COUNTED);
  let seen = 0;
  let after: string | null = null;
  for (;;) {
    const page: { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor?: string | null } } = (
      await run(edge, viewer, EVENT_IDS, { filter: q.filter, first: ID_PAGE, after }).catch(asQueryProblem)
    ).events;
    seen += page.nodes.length;
    if (seen > limit)
      throw new EpcisProblem(
        'PAYLOAD_TOO_LARGE',
        'QueryTooLargeException',
        `More than ${limit} events match (maxEventCount ${q.maxEventCount}, server limit ${MAX_COUNTED}).`,
      );
    if (!page.pageInfo.hasNextPage) return;
    after = page.pageInfo.endCursor ?? null;
  }
}

/** One page of a query as an EPCISQueryDocument, with the next page's link. */
async function answerQuery(
  req: IncomingMessage,
  res: ServerResponse,
  edge: EdgeContext,
  url: URL,
  queryOf: (viewer: Viewer) => Translated | Promise<Translated>,
  queryName: string,
) {
  const viewer = await signedIn(edge);
  if (!edge.allow(viewer)) return;
  const q = await queryOf(viewer);
  const perPage = Number(url.searchParams.get('perPage') ?? PAGE);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > PAGE) throw qpe(`perPage is 1–${PAGE}.`);
  // Counted once, on the first page: a next page is the same query.
  if (!url.searchParams.has('nextPageToken')) await checkSize(edge, viewer, q);
  const format = formatOf(req);
  // eventCountLimit: the next page's link carries what is left of it.
  const first = Math.min(perPage, q.eventCountLimit ?? perPage);
  const page = await fetchEvents(edge, viewer, q, first, url.searchParams.get('nextPageToken'));
  const left = q.eventCountLimit === undefined ? undefined : q.eventCountLimit - page.nodes.length;
  const more = page.pageInfo.hasNextPage && (left === undefined || left > 0);
  const headers: Record<string, string> = epcisHeaders(format);
  if (more) {
    const next = new URL(url);
    next.searchParams.set('nextPageToken', page.pageInfo.endCursor ?? '');
    if (left !== undefined && url.searchParams.has('eventCountLimit')) next.searchParams.set('eventCountLimit', String(left));
    headers.link = `<${next.pathname}${next.search}>; rel="next"`;
  }
  const eventList = page.nodes.map((e: Json) => toJsonLd(e, format));
  send(
    res,
    200,
    {
      '@context': documentContext(eventList),
      type: 'EPCISQueryDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      // The next page is in the Link header only: GS1's schema allows no other key on a query document.
      epcisBody: { queryResults: { queryName, resultsBody: { eventList } } },
    },
    headers,
  );
}

const queryOfUrl = (req: IncomingMessage, url: URL, extra: Params = new Map()) => {
  const params = paramsOfUrl(url.searchParams);
  for (const [k, v] of extra) params.set(k, [...(params.get(k) ?? []), ...v]);
  return translate(params, prefixesOf(req.headers['gs1-extensions']));
};

async function oneEvent(req: IncomingMessage, res: ServerResponse, edge: EdgeContext, eventID: string) {
  const viewer = await signedIn(edge);
  if (!edge.allow(viewer)) return;
  const page = await fetchEvents(edge, viewer, { filter: { eventIDs: [eventID] } }, 1, null);
  if (!page.nodes.length) throw new EpcisProblem('NOT_FOUND', 'NoSuchResourceException', `No event ${eventID}.`);
  const format = formatOf(req);
  const event = toJsonLd(page.nodes[0]!, format);
  send(res, 200, { '@context': documentContext([event]), ...event }, epcisHeaders(format));
}

// ---------------------------------------------------------------------------
// Named queries (/queries): stored in the trace graph per owner, run as the caller.
// ---------------------------------------------------------------------------

async function listQueries(res: ServerResponse, edge: EdgeContext) {
  const viewer = await signedIn(edge);
  if (!edge.allow(viewer)) return;
  const { epcisQueries } = await run(edge, viewer, NAMED_QUERIES, {});
  send(
    res,
    200,
    epcisQueries.map((q) => ({ name: q.name, query: q.query })),
    { ...epcisHeaders('No_Preference'), 'content-type': 'application/json' },
  );
}

async function createQuery(req: IncomingMessage, res: ServerResponse, edge: EdgeContext) {
  const viewer = await signedIn(edge);
  if (!edge.allow(viewer)) return;
  const body = (await readJson(req)) as Json;
  if (!body || typeof body !== 'object' || typeof body.name !== 'string' || !body.query || typeof body.query !== 'object' || Array.isArray(body.query))
    throw qpe('A named query is {"name": …, "query": {…query parameters}}.');
  const query = body.query as Json;
  // Refused now rather than on every run: the same translation as GET /events.
  translate(paramsOfJson(query), prefixesOf(req.headers['gs1-extensions'], query['@context']));
  const created = await edge.execute(CREATE_NAMED_QUERY, { input: { name: body.name, query } }, viewer);
  if (created.errors?.length) {
    const problem = fromGraphErrors(created.errors);
    if (problem.code === 'CONFLICT') throw new EpcisProblem('CONFLICT', 'ResourceAlreadyExistsException', problem.message);
    if (problem.code === 'BAD_USER_INPUT') throw qpe(problem.message);
    throw problem;
  }
  res.writeHead(201, { ...epcisHeaders('No_Preference'), location: `/epcis/queries/${encodeURIComponent(body.name)}` });
  res.end();
}

async function savedQuery(edge: EdgeContext, viewer: Viewer, name: string) {
  const { epcisQuery } = await run(edge, viewer, NAMED_QUERY, { name });
  if (!epcisQuery) throw new EpcisProblem('NOT_FOUND', 'NoSuchNameException', `No query ${name}.`);
  return epcisQuery as { name: string; query: Json };
}

async function getQuery(res: ServerResponse, edge: EdgeContext, name: string) {
  const viewer = await signedIn(edge);
  if (!edge.allow(viewer)) return;
  const q = await savedQuery(edge, viewer, name);
  send(res, 200, { name: q.name, query: q.query }, { ...epcisHeaders('No_Preference'), 'content-type': 'application/json' });
}

async function deleteQuery(res: ServerResponse, edge: EdgeContext, name: string) {
  const viewer = await signedIn(edge);
  if (!edge.allow(viewer)) return;
  const { deleteEpcisQuery } = await run(edge, viewer, DELETE_NAMED_QUERY, { name });
  if (!deleteEpcisQuery) throw new EpcisProblem('NOT_FOUND', 'NoSuchNameException', `No query ${name}.`);
  res.writeHead(204, epcisHeaders('No_Preference'));
  res.end();
}

/** GET /queries/{name}/events: the saved parameters, run with the caller's own permissions. */
function runQuery(req: IncomingMessage, res: ServerResponse, edge: EdgeContext, url: URL, name: string) {
  return answerQuery(
    req,
    res,
    edge,
    url,
    async (viewer) => {
      for (const key of url.searchParams.keys()) if (!PAGING.has(key)) throw qpe(`A named query takes only perPage and nextPageToken, not ${key}.`);
      const saved = await savedQuery(edge, viewer, name);
      return translate(paramsOfJson(saved.query), prefixesOf(req.headers['gs1-extensions'], saved.query['@context']));
    },
    name,
  );
}

// ---------------------------------------------------------------------------
// Discovery: OPTIONS on every resource, GET on the top level and the vocabularies.
// ---------------------------------------------------------------------------

const VERSIONS = {
  'GS1-EPCIS-Version': '2.0.0',
  'GS1-EPCIS-Min': '2.0.0',
  'GS1-EPCIS-Max': '2.0.0',
  'GS1-CBV-Version': '2.0.0',
  'GS1-CBV-Min': '2.0.0',
  'GS1-CBV-Max': '2.0.0',
  'GS1-Vendor-Version': 'nguon-1',
  'GS1-Extensions': '',
  'GS1-EPC-Format': 'No_Preference',
};

function discover(res: ServerResponse, allow: string, extra: Record<string, string> = {}) {
  res.writeHead(204, { allow, ...VERSIONS, ...extra });
  res.end();
}

const TOP_LEVEL = ['events', 'eventTypes', 'epcs', 'bizSteps', 'bizLocations', 'readPoints', 'dispositions', 'capture', 'queries'];

function collection(res: ServerResponse, member: string[]) {
  send(res, 200, { '@context': EPCIS_CONTEXT, type: 'Collection', member }, epcisHeaders('No_Preference'));
}

/** The browse resources (/eventTypes/{t}/events …): each is GET /events with one more condition. */
const BROWSE: Record<string, string> = {
  eventTypes: 'eventType',
  epcs: 'MATCH_epc',
  bizSteps: 'EQ_bizStep',
  bizLocations: 'EQ_bizLocation',
  readPoints: 'EQ_readPoint',
  dispositions: 'EQ_disposition',
};

async function vocabulary(res: ServerResponse, edge: EdgeContext, kind: string) {
  const viewer = await signedIn(edge);
  if (!edge.allow(viewer)) return;
  if (kind === 'eventTypes') return collection(res, Object.keys(EVENT_TYPES));
  throw new EpcisProblem('NOT_FOUND', 'NoSuchResourceException', `Listing ${kind} is not offered; query /${kind}/{id}/events.`);
}

/** The EPCIS 2.0 REST routes: mount with `edgeRoutes: [epcisRoutes(config), …]`. */
export function epcisRoutes(config: EpcisCaptureConfig = { unregisteredLots: 'refuse' }): EdgeRoute {
  return async (req, res, edge) => {
    const url = new URL(req.url ?? '/', 'http://edge');
    const path = url.pathname;
    if (path !== '/epcis' && !path.startsWith('/epcis/')) return false;
    const method = req.method ?? 'GET';
    const parts = path
      .slice('/epcis'.length)
      .split('/')
      .filter(Boolean)
      .map((p) => decodeURIComponent(p));
    const [top, id, sub] = parts;
    try {
      if (method === 'OPTIONS') {
        if (top === 'capture' && !id)
          return (
            discover(res, 'OPTIONS, POST', {
              'GS1-EPCIS-Capture-Limit': String(CAPTURE_LIMIT),
              'GS1-EPCIS-Capture-File-Size-Limit': String(CAPTURE_FILE_SIZE_LIMIT),
              'GS1-Capture-Error-Behaviour': 'rollback',
            }),
            true
          );
        if (!top || (top in BROWSE && !sub) || (top === 'events' && id) || (top === 'capture' && id)) return (discover(res, 'OPTIONS, GET'), true);
        if ((top === 'events' || top === 'queries') && !id) return (discover(res, 'OPTIONS, GET, POST'), true);
        if (top === 'queries' && id && !sub) return (discover(res, 'OPTIONS, GET, DELETE'), true);
        if ((top === 'queries' || top in BROWSE) && sub === 'events' && parts.length === 3) return (discover(res, 'OPTIONS, GET'), true);
        throw new EpcisProblem('NOT_FOUND', 'NoSuchResourceException', `No EPCIS resource ${path}.`);
      }
      if (!top) {
        if (method === 'GET') return (collection(res, TOP_LEVEL), true);
      } else if (top === 'capture' && !id) {
        if (method === 'POST') return await capture(req, res, edge, url, config).then(() => true);
      } else if (top === 'capture' && parts.length === 2) {
        if (method === 'GET') return await captureJob(req, res, edge, id!).then(() => true);
      } else if (top === 'events' && !id) {
        if (method === 'GET') return await answerQuery(req, res, edge, url, () => queryOfUrl(req, url), 'SimpleEventQuery').then(() => true);
        if (method === 'POST') return await captureOne(req, res, edge, url, config).then(() => true);
      } else if (top === 'events' && parts.length === 2) {
        if (method === 'GET') return await oneEvent(req, res, edge, id!).then(() => true);
      } else if (top === 'queries' && !id) {
        if (method === 'GET') return await listQueries(res, edge).then(() => true);
        if (method === 'POST') return await createQuery(req, res, edge).then(() => true);
      } else if (top === 'queries' && parts.length === 2) {
        if (method === 'GET') return await getQuery(res, edge, id!).then(() => true);
        if (method === 'DELETE') return await deleteQuery(res, edge, id!).then(() => true);
      } else if (top === 'queries' && sub === 'events' && parts.length === 3) {
        if (method === 'GET') return await runQuery(req, res, edge, url, id!).then(() => true);
      } else if (top in BROWSE && !id) {
        if (method === 'GET') return await vocabulary(res, edge, top).then(() => true);
      } else if (top in BROWSE && parts.length === 2) {
        if (method === 'GET') return (collection(res, ['events']), true);
      } else if (top in BROWSE && sub === 'events' && parts.length === 3) {
        if (method === 'GET') {
          const extra = new Map([[BROWSE[top]!, [id!]]]);
          return await answerQuery(req, res, edge, url, () => queryOfUrl(req, url, extra), 'SimpleEventQuery').then(() => true);
        }
      } else {
        throw new EpcisProblem('NOT_FOUND', 'NoSuchResourceException', `No EPCIS resource ${path}.`);
      }
      throw new EpcisProblem('METHOD_NOT_ALLOWED', 'MethodNotAllowedException', `${method} is not allowed on ${path}.`);
    } catch (error) {
      const problem = problemOf(error);
      if (!problem) throw error;
      if (!res.headersSent) sendProblem(res, problem, path);
      return true;
    }
  };
}
