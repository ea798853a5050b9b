import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, readBody } from '@nguon/shared/http';
import type { Viewer } from '@nguon/shared/viewer';
import { canonicalId, EpcError, isGs1Id, parseGs1Id, toEpcUrn, type EpcFormat } from '@nguon/gs1/epc';
import { graphData, type EdgeContext, type EdgeRoute, type GraphAnswer } from '../edge';
import { signedIn } from '../http/guard';
import { sendProblem } from '../http/problem';
import { graphql } from '../generated';
import type { EpcisLotsOfGtinQuery, EventInput, TypedDocumentString } from '../generated/graphql';
import { EPCIS_CONTEXT, eventsOfDocument, graphEventType, lgtinsOf, toEventInput, toJsonLd } from './document';
import { EVENTS_FULL, EVENTS_PUBLIC } from './operations';
import { EpcisProblem, exceptionOfCode, fromGraphErrors, invalid, problemOf, WITH_CODE } from './problem';

/**
 * EPCIS 2.0 REST bindings (GS1 EPCIS 2.0 OpenAPI) at the gateway's edge.
 * They hold no data of their own: capture goes through the trace graph's
 * submitCaptureJob/captureEvents and queries through Query.events, as the
 * caller's own viewer, so the permission tree applies exactly as in GraphQL
 * and the graph shows captured events at once.
 *
 * Capture is asynchronous: the document is checked and translated at once
 * (400, nothing stored, when it is invalid), the trace service writes it in
 * the background in one transaction (rollback on error), and
 * GET /epcis/capture/{id} reports it.
 */
export const CAPTURE_LIMIT = 10_000;
export const CAPTURE_FILE_SIZE_LIMIT = 32 * 1024 * 1024;
// 50 full events stay under the gateway's per-operation cost limit for signed-in users.
const PAGE = 50;
const QUERY_PARAMS = new Set([
  'GE_eventTime',
  'LT_eventTime',
  'GE_recordTime',
  'LT_recordTime',
  'EQ_bizStep',
  'EQ_disposition',
  'EQ_bizLocation',
  'EQ_readPoint',
  'MATCH_epc',
  'MATCH_anyEPC',
  'MATCH_epcClass',
  'MATCH_anyEPCClass',
  'EQ_eventID',
  'EXISTS_errorDeclaration',
  'eventType',
  'perPage',
  'nextPageToken',
  'organizationId',
]);

type Json = Record<string, unknown>;

const epcisHeaders = (format: EpcFormat) => ({ 'GS1-EPCIS-Version': '2.0.0', 'GS1-CBV-Version': '2.0.0', 'GS1-EPC-Format': format });

function formatOf(req: IncomingMessage): EpcFormat {
  const h = String(req.headers['gs1-epc-format'] ?? 'No_Preference');
  return h === 'Always_GS1_Digital_Link' || h === 'Always_EPC_URN' ? h : 'No_Preference';
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/ld+json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  if (type !== 'application/json' && type !== 'application/ld+json')
    throw new EpcisProblem('UNSUPPORTED_MEDIA_TYPE', 'UnsupportedMediaTypeException', 'Send application/ld+json or application/json.');
  let text: string;
  try {
    text = await readBody(req, CAPTURE_FILE_SIZE_LIMIT);
  } catch (error) {
    if (error instanceof HttpError && error.status === 413)
      throw new EpcisProblem('PAYLOAD_TOO_LARGE', 'CaptureLimitExceededException', `The document is over ${CAPTURE_FILE_SIZE_LIMIT} bytes.`);
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw invalid('The body is not valid JSON.');
  }
}

const run = <R, V>(edge: EdgeContext, viewer: Viewer, document: TypedDocumentString<R, V>, variables: V) =>
  graphData(edge, viewer, document, variables, fromGraphErrors);

const LOTS_OF_GTIN = graphql(`
  query EpcisLotsOfGtin($gtin: GTIN!, $after: String) {
    productByGtin(gtin: $gtin) {
      lots(first: 100, after: $after) {
        nodes {
          id
          lotCode
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);
const SUBMIT_CAPTURE = graphql(`
  mutation EpcisSubmitCapture($input: CaptureEventsInput!) {
    submitCaptureJob(input: $input) {
      id
    }
  }
`);
const CAPTURE_JOB = graphql(`
  query EpcisCaptureJob($id: ID!) {
    captureJob(id: $id) {
      id
      status
      eventCount
      createdCount
      duplicateCount
      errors {
        message
        code
        field
      }
      createdAt
      finishedAt
    }
  }
`);
const CAPTURE_ONE = graphql(`
  mutation EpcisCaptureOne($input: CaptureEventsInput!) {
    captureEvents(input: $input) {
      createdCount
      events {
        eventID
      }
    }
  }
`);

/** GTIN + lot code → lot id, through the graph (catalog finds the product, trace its lots). */
async function resolveLots(edge: EdgeContext, viewer: Viewer, lgtins: { gtin: string; lot: string }[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const gtins = [...new Set(lgtins.map((l) => l.gtin))];
  for (const gtin of gtins) {
    const wanted = new Set(lgtins.filter((l) => l.gtin === gtin).map((l) => l.lot));
    let after: string | null = null;
    for (;;) {
      const result: GraphAnswer<EpcisLotsOfGtinQuery> = await edge.execute(LOTS_OF_GTIN, { gtin, after }, viewer);
      const lots = result.data?.productByGtin?.lots;
      if (!lots) break;
      for (const l of lots.nodes) if (wanted.has(l.lotCode)) found.set(`${gtin}|${l.lotCode}`, l.id);
      if (!lots.pageInfo.hasNextPage || [...wanted].every((w) => found.has(`${gtin}|${w}`))) break;
      after = lots.pageInfo.endCursor;
    }
  }
  return found;
}

/** The capturing organization: ?organizationId=, else the one the caller operates. */
function organizationOf(viewer: Viewer, url: URL): string {
  const given = url.searchParams.get('organizationId');
  if (given) return given;
  if (viewer.kind === 'client') return viewer.orgId;
  if (viewer.kind === 'user') {
    const orgs = [...new Set(viewer.grants.filter((g) => g.role === 'STAFF' || g.role === 'ADMIN').map((g) => g.orgId))];
    if (orgs.length === 1) return orgs[0]!;
  }
  throw invalid('Say which organization captures the events: ?organizationId=<id>.');
}

/**
 * EPCIS JSON-LD events → the graph's EventInput. The translation is checked
 * field by field in document.ts; what the graph then refuses (an unknown
 * field, a bad value) comes back as its own BAD_USER_INPUT.
 */
async function translate(edge: EdgeContext, viewer: Viewer, events: Json[], at: (i: number) => string): Promise<EventInput[]> {
  const lots = await resolveLots(edge, viewer, lgtinsOf(events));
  return events.map((e, i) => toEventInput(e, at(i), lots) as unknown as EventInput);
}

async function capture(req: IncomingMessage, res: ServerResponse, edge: EdgeContext, url: URL) {
  const viewer = await signedIn(edge);
  if (!edge.allow(viewer)) return;
  const events = eventsOfDocument(await readJson(req));
  if (events.length > CAPTURE_LIMIT)
    throw new EpcisProblem('PAYLOAD_TOO_LARGE', 'CaptureLimitExceededException', `At most ${CAPTURE_LIMIT} events per capture.`);
  if (events.length === 0) throw invalid('The document has no events.', '/epcisBody/eventList');
  const inputs = await translate(edge, viewer, events, (i) => `/epcisBody/eventList/${i}`);
  const data = await run(edge, viewer, SUBMIT_CAPTURE, {
    input: { organizationId: organizationOf(viewer, url), events: inputs },
  });
  const location = `/epcis/capture/${data.submitCaptureJob.id}`;
  res.writeHead(202, { location, ...epcisHeaders(formatOf(req)), 'content-length': 0 });
  res.end();
}

async function captureJob(req: IncomingMessage, res: ServerResponse, edge: EdgeContext, id: string) {
  const viewer = await signedIn(edge);
  if (!edge.allow(viewer)) return;
  const data = await run(edge, viewer, CAPTURE_JOB, { id });
  const job = data.captureJob;
  if (!job) throw new EpcisProblem('NOT_FOUND', 'NoSuchResourceException', `No capture job ${id}.`);
  send(
    res,
    200,
    {
      captureID: job.id,
      createdAt: job.createdAt,
      finishedAt: job.finishedAt ?? undefined,
      running: job.status === 'RUNNING',
      success: job.status === 'SUCCESS',
      captureErrorBehaviour: 'rollback',
      eventCount: job.eventCount,
      createdCount: job.createdCount,
      duplicateCount: job.duplicateCount,
      errors: job.errors.map((e: Json) => {
        const { status, exception } = exceptionOfCode(e.code);
        return {
          type: `epcisException:${exception}`,
          title: e.message,
          status,
          ...(WITH_CODE.has(e.code as string) ? { code: e.code } : {}),
          ...(e.field ? { field: e.field } : {}),
        };
      }),
    },
    epcisHeaders(formatOf(req)),
  );
}

async function captureOne(req: IncomingMessage, res: ServerResponse, edge: EdgeContext, url: URL) {
  const viewer = await signedIn(edge);
  if (!edge.allow(viewer)) return;
  const body = await readJson(req);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalid('The body is one EPCIS event.');
  const [input] = (await translate(edge, viewer, [body as Json], () => '')) as [EventInput];
  const data = await run(edge, viewer, CAPTURE_ONE, {
    input: { organizationId: organizationOf(viewer, url), events: [input] },
  });
  const eventID = data.captureEvents.events[0]!.eventID;
  if (data.captureEvents.createdCount === 0)
    throw new EpcisProblem('CONFLICT', 'ResourceAlreadyExistsException', `The event is already stored as ${eventID}.`, { eventID });
  res.writeHead(201, { location: `/epcis/events/${encodeURIComponent(eventID)}`, ...epcisHeaders(formatOf(req)), 'content-length': 0 });
  res.end();
}

/** Every stored spelling of a location: GLN, SGLN URN and canonical Digital Link. */
function locationSpellings(value: string): string[] {
  if (/^\d{13}$/.test(value)) return [value, `https://id.gs1.org/414/${value}`, toEpcUrn({ kind: 'sgln', gln: value, extension: null })];
  if (!isGs1Id(value)) return [value];
  const id = parseGs1Id(value);
  if (id.kind !== 'sgln') return [value];
  return [...new Set([value, canonicalId(value), toEpcUrn(id), ...(id.extension ? [] : [id.gln])])];
}

/** The standard query parameters → the graph's EventFilter; LGTINs become lot ids. */
async function filterOf(edge: EdgeContext, viewer: Viewer, params: URLSearchParams): Promise<Json | null> {
  for (const key of params.keys())
    if (!QUERY_PARAMS.has(key)) throw new EpcisProblem('BAD_USER_INPUT', 'QueryParameterException', `Unknown query parameter ${key}.`);
  const list = (key: string) =>
    params.has(key)
      ? params
          .getAll(key)
          .flatMap((v) => v.split('|'))
          .filter(Boolean)
      : undefined;
  const time = (key: string) => {
    const v = params.get(key);
    if (v === null) return undefined;
    if (Number.isNaN(Date.parse(v)) || !/(Z|[+-]\d{2}:\d{2})$/.test(v))
      throw new EpcisProblem('BAD_USER_INPUT', 'QueryParameterException', `${key} is an ISO 8601 time with offset.`);
    return new Date(v).toISOString();
  };
  const checkIds = (key: string) =>
    list(key)?.map((v) => {
      try {
        if (/^urn:epc:|^https?:/.test(v) && isGs1Id(v)) return { value: v, id: parseGs1Id(v) };
        if (/^urn:epc:/.test(v)) parseGs1Id(v);
        return { value: v, id: null };
      } catch (error) {
        if (error instanceof EpcError) throw new EpcisProblem('BAD_USER_INPUT', 'QueryParameterException', `${key}: ${error.message}`);
        throw error;
      }
    });
  const filter: Json = {};
  const ge = time('GE_eventTime');
  const lt = time('LT_eventTime');
  const geR = time('GE_recordTime');
  const ltR = time('LT_recordTime');
  if (ge) filter.geEventTime = ge;
  if (lt) filter.ltEventTime = lt;
  if (geR) filter.geRecordTime = geR;
  if (ltR) filter.ltRecordTime = ltR;
  const types = list('eventType');
  if (types) {
    filter.eventTypes = types.map((t) => {
      const type = graphEventType(t);
      if (!type) throw new EpcisProblem('BAD_USER_INPUT', 'QueryParameterException', `Unknown eventType ${t}.`);
      return type;
    });
  }
  if (list('EQ_bizStep')) filter.bizSteps = list('EQ_bizStep');
  if (list('EQ_disposition')) filter.dispositions = list('EQ_disposition');
  if (list('EQ_bizLocation')) filter.bizLocations = list('EQ_bizLocation')!.flatMap(locationSpellings);
  if (list('EQ_readPoint')) filter.readPoints = list('EQ_readPoint')!.flatMap(locationSpellings);
  if (list('EQ_eventID')) filter.eventIDs = list('EQ_eventID');
  const exists = params.get('EXISTS_errorDeclaration');
  if (exists !== null) filter.errorDeclaration = exists !== 'false';

  const epc = checkIds('MATCH_epc');
  const any = checkIds('MATCH_anyEPC');
  const classes = [...(checkIds('MATCH_epcClass') ?? []), ...(checkIds('MATCH_anyEPCClass') ?? [])];
  if (epc) filter.epcs = epc.map((e) => e.value);
  const lgtins = [...classes, ...(any ?? [])].flatMap((e) => (e.id?.kind === 'lgtin' ? [{ gtin: e.id.gtin, lot: e.id.lot }] : []));
  const lots = lgtins.length ? await resolveLots(edge, viewer, lgtins) : new Map<string, string>();
  if (classes.length) {
    for (const c of classes)
      if (c.id?.kind !== 'lgtin')
        throw new EpcisProblem('BAD_USER_INPUT', 'QueryParameterException', `MATCH_epcClass takes lots (LGTIN); ${c.value} is not one.`);
    filter.lotIds = classes.flatMap((c) => (c.id?.kind === 'lgtin' ? [lots.get(`${c.id.gtin}|${c.id.lot}`)].filter(Boolean) : []));
    if ((filter.lotIds as string[]).length === 0) return null;
  }
  if (any) {
    const instance = any.filter((e) => e.id?.kind !== 'lgtin').map((e) => e.value);
    const lotIds = any.flatMap((e) => (e.id?.kind === 'lgtin' ? [lots.get(`${e.id.gtin}|${e.id.lot}`)].filter(Boolean) : [])) as string[];
    // MATCH_anyEPC names instances or lots: an event matches either way, so it is split in two and asked twice.
    if (instance.length && lotIds.length)
      throw new EpcisProblem('BAD_USER_INPUT', 'QueryParameterException', 'MATCH_anyEPC: send lots and instance EPCs in separate queries.');
    if (instance.length) filter.anyEpcs = instance;
    else if (lotIds.length) filter.anyLotIds = lotIds;
    else return null;
  }
  return filter;
}

async function fetchEvents(edge: EdgeContext, viewer: Viewer, filter: Json, first: number, after: string | null) {
  const full = await edge.execute(EVENTS_FULL, { filter, first, after }, viewer);
  if (!full.errors?.length && full.data) return full.data.events;
  // Events of others you may see (they name public lots) without their INTERNAL fields.
  if (!full.errors?.every((e) => e.extensions?.code === 'FORBIDDEN')) throw fromGraphErrors(full.errors ?? []);
  return (await run(edge, viewer, EVENTS_PUBLIC, { filter, first, after })).events;
}

async function queryEvents(req: IncomingMessage, res: ServerResponse, edge: EdgeContext, url: URL) {
  const viewer = await signedIn(edge);
  if (!edge.allow(viewer)) return;
  const perPage = Number(url.searchParams.get('perPage') ?? PAGE);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > PAGE) throw new EpcisProblem('BAD_USER_INPUT', 'QueryParameterException', `perPage is 1–${PAGE}.`);
  const filter = await filterOf(edge, viewer, url.searchParams);
  const format = formatOf(req);
  const page = filter
    ? await fetchEvents(edge, viewer, filter, perPage, url.searchParams.get('nextPageToken'))
    : { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
  const headers: Record<string, string> = epcisHeaders(format);
  if (page.pageInfo.hasNextPage) {
    const next = new URL(url);
    next.searchParams.set('nextPageToken', page.pageInfo.endCursor ?? '');
    headers.link = `<${next.pathname}${next.search}>; rel="next"`;
  }
  send(
    res,
    200,
    {
      '@context': [EPCIS_CONTEXT],
      type: 'EPCISQueryDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList: page.nodes.map((e: Json) => toJsonLd(e, format)) } } },
      ...(page.pageInfo.hasNextPage ? { nextPageToken: page.pageInfo.endCursor } : {}),
    },
    headers,
  );
}

async function oneEvent(req: IncomingMessage, res: ServerResponse, edge: EdgeContext, eventID: string) {
  const viewer = await signedIn(edge);
  if (!edge.allow(viewer)) return;
  const page = await fetchEvents(edge, viewer, { eventIDs: [eventID] }, 1, null);
  if (!page.nodes.length) throw new EpcisProblem('NOT_FOUND', 'NoSuchResourceException', `No event ${eventID}.`);
  const format = formatOf(req);
  send(res, 200, { '@context': [EPCIS_CONTEXT], ...toJsonLd(page.nodes[0]!, format) }, epcisHeaders(format));
}

/** The EPCIS 2.0 REST routes: mount with `edgeRoutes: [epcisRoutes(), …]`. */
export function epcisRoutes(): EdgeRoute {
  return async (req, res, edge) => {
    const url = new URL(req.url ?? '/', 'http://edge');
    const path = url.pathname;
    if (path !== '/epcis' && !path.startsWith('/epcis/')) return false;
    const method = req.method ?? 'GET';
    try {
      if (path === '/epcis/capture') {
        if (method === 'OPTIONS') {
          res.writeHead(204, {
            allow: 'OPTIONS, POST',
            'GS1-EPCIS-Capture-Limit': String(CAPTURE_LIMIT),
            'GS1-EPCIS-Capture-File-Size-Limit': String(CAPTURE_FILE_SIZE_LIMIT),
            'GS1-Capture-Error-Behaviour': 'rollback',
            ...epcisHeaders('No_Preference'),
          });
          res.end();
          return true;
        }
        if (method === 'POST') return await capture(req, res, edge, url).then(() => true);
      } else if (path.startsWith('/epcis/capture/')) {
        if (method === 'GET') return await captureJob(req, res, edge, decodeURIComponent(path.slice('/epcis/capture/'.length))).then(() => true);
      } else if (path === '/epcis/events') {
        if (method === 'GET') return await queryEvents(req, res, edge, url).then(() => true);
        if (method === 'POST') return await captureOne(req, res, edge, url).then(() => true);
      } else if (path.startsWith('/epcis/events/')) {
        if (method === 'GET') return await oneEvent(req, res, edge, decodeURIComponent(path.slice('/epcis/events/'.length))).then(() => true);
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
