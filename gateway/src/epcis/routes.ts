import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Viewer } from '@nguon/shared/viewer';
import { canonicalId, EpcError, isGs1Id, parseGs1Id, toEpcUrn } from '@nguon/gs1/epc';
import type { EdgeContext, EdgeRoute } from '../edge';
import { signedIn } from '../http/guard';
import { sendProblem } from '../http/problem';
import { capture, captureJob, captureOne } from './capture';
import { EPCIS_CONTEXT, graphEventType, toJsonLd } from './document';
import { CAPTURE_FILE_SIZE_LIMIT, CAPTURE_LIMIT, epcisHeaders, formatOf, run, send, type Json } from './http';
import { resolveLots } from './lots';
import { EVENTS_FULL, EVENTS_PUBLIC } from './operations';
import { EpcisProblem, fromGraphErrors, problemOf } from './problem';

/**
 * EPCIS 2.0 REST bindings (GS1 EPCIS 2.0 OpenAPI) at the gateway's edge.
 * They hold no data of their own: capture goes through the trace graph's
 * submitCaptureJob/captureEvents and queries through Query.events, as the
 * caller's own viewer, so the permission tree applies exactly as in GraphQL
 * and the graph shows captured events at once.
 * Capture lives in capture.ts; this file holds the query side and the routing.
 */
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
