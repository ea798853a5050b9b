import type { ServerResponse } from 'node:http';
import type { Viewer } from '@nguon/shared/viewer';
import { graphData, type EdgeContext, type EdgeRoute, type GraphAnswer } from '../edge';
import { csvFile } from '../http/csv';
import { signedIn } from '../http/guard';
import { Problem } from '../http/problem';
import { graphql } from '../generated';
import type { EventFilter, FsmaProductQuery, TypedDocumentString, VnProducerLotsQuery } from '../generated/graphql';
import { compareFsmaRows, FSMA_COLUMNS, fsmaRows, type FsmaRow } from '@nguon/interop/fsma204';
import { vnCompleteness, vnLotCompleteness, vnMinimumRecord, type VnLotCompleteness } from '@nguon/interop/vn-minimum';
import { EPCIS_CONTEXT, toJsonLd } from './document';
import { toDigitalLink, toEpcUrn, type EpcFormat, type Gs1Id } from '@nguon/gs1/epc';
import { EVENT_IDS, EVENTS_PUBLIC, type EventsPage, type EventsPageResult } from './operations';

/**
 * Interoperability exports at the edge (issue 10), all read through the graph
 * as the caller so the permission tree applies exactly as in GraphQL. The
 * rules of each format (which events are FSMA critical tracking events, what
 * the Circular's record holds and lacks) are @nguon/interop's; this file
 * reads, pages and streams:
 *
 *   GET /exports/fsma204.csv?gtin=…|productId=…&from=YYYY-MM-DD&to=YYYY-MM-DD
 *       FDA FSMA 204 electronic sortable spreadsheet of the product's critical tracking events
 *   GET /exports/vn-minimum/lots/{lotId}.json
 *       Circular 02/2024/TT-BKHCN minimum data set of one lot (docs/vn-minimum-data.md)
 *   GET /exports/vn-minimum/producers/{orgId}.json
 *       which of the ten items each of a producer's lots lacks
 *   GET /epcis/export/lots/{lotId}
 *       EPCIS 2.0 document of every event upstream and downstream of a lot
 */

type Json = Record<string, any>;

function sendJson(res: ServerResponse, status: number, body: unknown, contentType = 'application/json; charset=utf-8') {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Graph refusals an export passes on to its caller when every error is one; anything else is the graph failing the edge. */
const PASSED_ON = new Set(['FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND']);

function graphFailure(errors: { message: string; extensions?: Record<string, unknown> }[]): Problem {
  const code = errors[0]!.extensions?.code;
  if (typeof code === 'string' && PASSED_ON.has(code) && errors.every((e) => e.extensions?.code === code)) return new Problem(code, errors[0]!.message);
  return new Problem('BAD_GATEWAY', `The graph answered: ${errors[0]!.message}`);
}

const run = <R, V>(edge: EdgeContext, viewer: Viewer, document: TypedDocumentString<R, V>, variables: V, lang?: string) =>
  graphData(edge, viewer, document, variables, graphFailure, lang ? { acceptLanguage: lang } : {});

const isForbidden = (errors: { extensions?: Record<string, unknown> }[] | undefined) =>
  !!errors?.length && errors.every((e) => e.extensions?.code === 'FORBIDDEN');

/**
 * Events matching `filter`, in eventTime order, fully (INTERNAL fields
 * included) where the caller may read them. With `publicPage` it also keeps
 * the events the caller may see only in public (another firm's step on a
 * published lot); without, it leaves them out and counts them.
 */
async function eventsOf<F, P = never>(
  edge: EdgeContext,
  viewer: Viewer,
  filter: EventFilter,
  fullPage: EventsPage<F>,
  publicPage: EventsPage<P> | null,
): Promise<{ events: (F | P)[]; omitted: number }> {
  const PAGE = 25;
  const events: (F | P)[] = [];
  let omitted = 0;
  let after: string | null = null;
  for (;;) {
    const full: GraphAnswer<EventsPageResult<F>> = await edge.execute(fullPage, { filter, first: PAGE, after }, viewer);
    let pageInfo: EventsPageResult<F>['events']['pageInfo'];
    if (!full.errors?.length && full.data) {
      events.push(...full.data.events.nodes);
      pageInfo = full.data.events.pageInfo;
    } else {
      if (!isForbidden(full.errors)) throw new Problem('BAD_GATEWAY', `The graph answered: ${full.errors?.[0]?.message}`);
      // Some event on the page is another organization's: take each one in full where allowed.
      const ids = (await run(edge, viewer, EVENT_IDS, { filter, first: PAGE, after })).events;
      pageInfo = ids.pageInfo;
      for (const { eventID } of ids.nodes) {
        // Within the same filter: an event public as part of a lot's history is public only there.
        const one = await edge.execute(fullPage, { filter: { ...filter, eventIDs: [eventID] }, first: 1, after: null }, viewer);
        if (!one.errors?.length && one.data) events.push(...one.data.events.nodes);
        else if (!isForbidden(one.errors)) throw new Problem('BAD_GATEWAY', `The graph answered: ${one.errors?.[0]?.message}`);
        else if (publicPage)
          events.push(...(await run(edge, viewer, publicPage, { filter: { ...filter, eventIDs: [eventID] }, first: 1, after: null })).events.nodes);
        else omitted++;
      }
    }
    if (!pageInfo.hasNextPage) break;
    after = pageInfo.endCursor ?? null;
  }
  return { events, omitted };
}

// ---------------------------------------------------------------------------
// FSMA 204 electronic sortable spreadsheet
// ---------------------------------------------------------------------------

graphql(`
  fragment FsmaOrganization on Organization {
    name {
      text
    }
    address
    gln
    path
  }
`);
graphql(`
  fragment FsmaLot on QuantityElement {
    lotId
    quantity
    unit
    lot {
      lotCode
      product {
        id
        gtin
        name {
          text
        }
      }
      owner {
        ...FsmaOrganization
      }
      productionArea {
        name {
          text
        }
        gln
        glnExtension
      }
    }
  }
`);
const FSMA_EVENTS = graphql(`
  query FsmaEvents($filter: EventFilter!, $first: Int, $after: String) {
    events(filter: $filter, first: $first, after: $after) {
      nodes {
        eventID
        type
        bizStep
        localEventTime
        readPoint
        bizLocation
        organization {
          ...FsmaOrganization
        }
        quantities {
          ...FsmaLot
        }
        inputs {
          ...FsmaLot
        }
        outputs {
          ...FsmaLot
        }
        sourceParties {
          type
          organization {
            ...FsmaOrganization
          }
        }
        destinationParties {
          type
          organization {
            ...FsmaOrganization
          }
        }
        bizTransactions {
          type
          id
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
/** The product and one page of its lot ids, by GTIN or by id. */
graphql(`
  fragment FsmaProductLots on Product {
    id
    gtin
    lots(first: 100, after: $after) {
      nodes {
        id
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
const FSMA_PRODUCT_BY_GTIN = graphql(`
  query FsmaProductByGtin($gtin: GTIN!, $after: String) {
    product: productByGtin(gtin: $gtin) {
      ...FsmaProductLots
    }
  }
`);
const FSMA_PRODUCT = graphql(`
  query FsmaProduct($id: ID!, $after: String) {
    product(id: $id) {
      ...FsmaProductLots
    }
  }
`);

const DAY = /^\d{4}-\d{2}-\d{2}$/;

async function fsma204(res: ServerResponse, edge: EdgeContext, url: URL) {
  const viewer = await signedIn(edge);
  if (!edge.allow(viewer)) return;
  if (viewer.kind === 'client' && !viewer.scopes.includes('internal:read'))
    throw new Problem('FORBIDDEN', 'The FSMA 204 spreadsheet needs an API key with internal:read.');
  const gtin = url.searchParams.get('gtin');
  const productId = url.searchParams.get('productId');
  if (!gtin === !productId) throw new Problem('BAD_USER_INPUT', 'Name the product: ?gtin=… or ?productId=….');
  const fromDay = url.searchParams.get('from');
  const toDay = url.searchParams.get('to');
  for (const [k, v] of [
    ['from', fromDay],
    ['to', toDay],
  ] as const)
    if (v !== null && (!DAY.test(v) || Number.isNaN(Date.parse(v)))) throw new Problem('BAD_USER_INPUT', `${k} is a date, YYYY-MM-DD.`);
  if (fromDay && toDay && toDay < fromDay) throw new Problem('BAD_USER_INPUT', 'to is before from.');

  const lotIds: string[] = [];
  let product: FsmaProductQuery['product'] = null;
  let after: string | null = null;
  for (;;) {
    const data: FsmaProductQuery = gtin
      ? await run(edge, viewer, FSMA_PRODUCT_BY_GTIN, { gtin, after })
      : await run(edge, viewer, FSMA_PRODUCT, { id: productId!, after });
    product = data.product;
    if (!product) throw new Problem('NOT_FOUND', 'No such product.');
    lotIds.push(...product.lots.nodes.map((l) => l.id));
    if (!product.lots.pageInfo.hasNextPage) break;
    after = product.lots.pageInfo.endCursor ?? null;
  }

  const wanted = new Set(lotIds);
  const rows: FsmaRow[] = [];
  let omitted = 0;
  // The day bounds are in Vietnam time (UTC+07:00), the city's own calendar.
  const range: EventFilter = {};
  if (fromDay) range.geEventTime = new Date(`${fromDay}T00:00:00+07:00`).toISOString();
  if (toDay) range.ltEventTime = new Date(new Date(`${toDay}T00:00:00+07:00`).getTime() + 86_400_000).toISOString();
  for (let i = 0; i < lotIds.length; i += 100) {
    const found = await eventsOf(edge, viewer, { lotIds: lotIds.slice(i, i + 100), ...range }, FSMA_EVENTS, null);
    omitted += found.omitted;
    const seen = new Set<string>();
    for (const e of found.events) {
      if (seen.has(e.eventID)) continue;
      seen.add(e.eventID);
      rows.push(...fsmaRows(e, wanted));
    }
  }
  rows.sort(compareFsmaRows);
  const body = csvFile([FSMA_COLUMNS, ...rows.map((r) => FSMA_COLUMNS.map((c) => r[c]))]);
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8; header=present',
    'content-disposition': `attachment; filename="fsma204-${product!.gtin ?? product!.id}.csv"`,
    'content-length': body.length,
    // Other firms' steps on these lots that the caller may not read in full: each firm keeps its own KDEs.
    'x-omitted-events': String(omitted),
  });
  res.end(body);
}

// ---------------------------------------------------------------------------
// Vietnam minimum data set (Circular 02/2024/TT-BKHCN)
// ---------------------------------------------------------------------------

graphql(`
  fragment VnLot on Lot {
    id
    lotCode
    status
    producedOn
    expiresOn
    season
    digitalLink
    product {
      id
      gtin
      brand
      name(lang: $lang) {
        text
        lang
      }
      images {
        url
      }
      certifications {
        schemeName
        issuer
        number
        validFrom
        validTo
        status
      }
    }
    owner {
      id
      name(lang: $lang) {
        text
      }
      address
      gln
      path
    }
    timeline(lang: $lang) {
      eventID
      bizStep
      bizStepLabel
      localEventTime
      bizLocation
      readPoint
      corrects
      organization {
        name(lang: $lang) {
          text
        }
        gln
        path
      }
    }
  }
`);
const VN_LOT_QUERY = graphql(`
  query VnLot($id: ID!, $lang: String) {
    lot(id: $id) {
      ...VnLot
    }
  }
`);
const VN_PRODUCER_LOTS = graphql(`
  query VnProducerLots($id: ID!, $lang: String, $after: String) {
    lots(ownerId: $id, first: 20, after: $after) {
      nodes {
        ...VnLot
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
const ORGANIZATION_EXISTS = graphql(`
  query VnOrganization($id: ID!) {
    organization(id: $id) {
      id
    }
  }
`);

async function vnLot(res: ServerResponse, edge: EdgeContext, lotId: string, url: URL) {
  const viewer = await edge.authenticate();
  if (!edge.allow(viewer)) return;
  const lang = url.searchParams.get('lang') ?? 'vi';
  const data = await run(edge, viewer, VN_LOT_QUERY, { id: lotId, lang }, lang);
  if (!data.lot) throw new Problem('NOT_FOUND', `No lot ${lotId}.`);
  sendJson(res, 200, vnMinimumRecord(data.lot));
}

async function vnProducer(res: ServerResponse, edge: EdgeContext, orgId: string, url: URL) {
  const viewer = await signedIn(edge);
  if (!edge.allow(viewer)) return;
  const lang = url.searchParams.get('lang') ?? 'vi';
  const lots: VnLotCompleteness[] = [];
  let after: string | null = null;
  for (;;) {
    const data: VnProducerLotsQuery = await run(edge, viewer, VN_PRODUCER_LOTS, { id: orgId, lang, after }, lang);
    const generatedAt = new Date().toISOString();
    for (const lot of data.lots.nodes) {
      lots.push(vnLotCompleteness(lot, vnMinimumRecord(lot, generatedAt)));
    }
    if (!data.lots.pageInfo.hasNextPage) break;
    after = data.lots.pageInfo.endCursor ?? null;
  }
  if (!lots.length) {
    // An organization with no visible lot answers like an unknown one unless the caller may read it.
    const org = await edge.execute(ORGANIZATION_EXISTS, { id: orgId }, viewer);
    if (!org.data?.organization) throw new Problem('NOT_FOUND', `No organization ${orgId}.`);
  }
  sendJson(res, 200, vnCompleteness(orgId, lots));
}

// ---------------------------------------------------------------------------
// Full-trace EPCIS export
// ---------------------------------------------------------------------------

/** The EPCIS rendering's events, with the GLN of every source and destination organization. */
const EXPORT_EVENTS = graphql(`
  query ExportEvents($filter: EventFilter!, $first: Int, $after: String) {
    events(filter: $filter, first: $first, after: $after) {
      nodes {
        ...EpcisEvent
        sourceParties {
          organization {
            gln
          }
        }
        destinationParties {
          organization {
            gln
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const spell = (id: Gs1Id, format: EpcFormat) => (format === 'Always_GS1_Digital_Link' ? toDigitalLink(id) : toEpcUrn(id));

/**
 * The GS1 identifiers of an exported event where it has internal ones: a
 * source or destination organization with a GLN is its PGLN (its SGLN for a
 * `location` party), and a read point or business location recorded as a
 * bare GLN is that GLN's SGLN. Organizations without a GLN keep their
 * `urn:nguon:org:` URI.
 */
function withGlns(out: Json, ev: Json, format: EpcFormat): Json {
  const glns = new Map<string, string>();
  for (const p of [...(ev.sourceParties ?? []), ...(ev.destinationParties ?? [])] as { organization: { id: string; gln: string | null } }[])
    if (p.organization.gln) glns.set(`urn:nguon:org:${p.organization.id}`, p.organization.gln);
  const party = (key: 'source' | 'destination') => (p: Json) => {
    const gln = glns.get(p[key]);
    if (!gln) return p;
    const location = p.type === 'https://ref.gs1.org/cbv/SDT-location';
    return { ...p, [key]: spell(location ? { kind: 'sgln', gln, extension: null } : { kind: 'pgln', gln }, format) };
  };
  const place = (v: Json | undefined) => (v && /^\d{13}$/.test(v.id) ? { id: spell({ kind: 'sgln', gln: v.id, extension: null }, format) } : v);
  return {
    ...out,
    ...(out.sourceList ? { sourceList: out.sourceList.map(party('source')) } : {}),
    ...(out.destinationList ? { destinationList: out.destinationList.map(party('destination')) } : {}),
    ...(out.readPoint ? { readPoint: place(out.readPoint) } : {}),
    ...(out.bizLocation ? { bizLocation: place(out.bizLocation) } : {}),
  };
}

const TRACE_DEPTH = 50;
const TRACE_LOTS = graphql(`
  query ExportTraceLots($id: ID!, $d: TraceDirection!, $depth: Int) {
    trace(lotId: $id, direction: $d, maxDepth: $depth) {
      lots {
        id
      }
    }
  }
`);

async function epcisTrace(res: ServerResponse, edge: EdgeContext, lotId: string) {
  const viewer = await signedIn(edge);
  if (!edge.allow(viewer)) return;
  const lotIds = new Set<string>();
  for (const direction of ['UPSTREAM', 'DOWNSTREAM'] as const) {
    const data = await run(edge, viewer, TRACE_LOTS, { id: lotId, d: direction, depth: TRACE_DEPTH });
    if (!data.trace) throw new Problem('NOT_FOUND', `No lot ${lotId}.`);
    for (const l of data.trace.lots) lotIds.add(l.id);
  }
  const ids = [...lotIds];
  const byId = new Map<string, Json>();
  for (let i = 0; i < ids.length; i += 100) {
    const { events } = await eventsOf(edge, viewer, { historyOfLots: ids.slice(i, i + 100) }, EXPORT_EVENTS, EVENTS_PUBLIC);
    for (const e of events) byId.set(e.eventID, e);
  }
  const events = [...byId.values()].sort((a, b) => Date.parse(a.localEventTime) - Date.parse(b.localEventTime) || a.eventID.localeCompare(b.eventID));
  const format = 'No_Preference';
  sendJson(
    res,
    200,
    {
      '@context': [EPCIS_CONTEXT],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      'nguon:traceOf': lotId,
      'nguon:tracedLotIds': ids,
      epcisBody: { eventList: events.map((e) => withGlns(toJsonLd(e, format), e, format)) },
    },
    'application/ld+json',
  );
}

// ---------------------------------------------------------------------------

const VN_LOT = /^\/exports\/vn-minimum\/lots\/([^/]+)\.json$/;
const VN_PRODUCER = /^\/exports\/vn-minimum\/producers\/([^/]+)\.json$/;
const EPCIS_EXPORT = /^\/epcis\/export\/lots\/([^/]+)$/;

/** The export routes; mount before epcisRoutes(), which answers every other /epcis/ path. */
export function exportRoutes(): EdgeRoute {
  return async (req, res, edge) => {
    const url = new URL(req.url ?? '/', 'http://edge');
    const path = url.pathname;
    let handler: (() => Promise<void>) | null = null;
    let m: RegExpMatchArray | null;
    if (path === '/exports/fsma204.csv') handler = () => fsma204(res, edge, url);
    else if ((m = path.match(VN_LOT))) handler = () => vnLot(res, edge, decodeURIComponent(m![1]!), url);
    else if ((m = path.match(VN_PRODUCER))) handler = () => vnProducer(res, edge, decodeURIComponent(m![1]!), url);
    else if ((m = path.match(EPCIS_EXPORT))) handler = () => epcisTrace(res, edge, decodeURIComponent(m![1]!));
    if (!handler) return false;
    // Refusals are thrown as problems; the gateway answers them as RFC 7807 (docs/architecture.md §7).
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new Problem('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path}.`);
    await handler();
    return true;
  };
}
