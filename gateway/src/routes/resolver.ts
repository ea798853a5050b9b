import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '@nguon/shared/http';
import { parseAcceptLanguage } from '@nguon/shared/i18n';
import { labelLanguage, type LabelLanguage } from '@nguon/shared/languages';
import type { Viewer } from '@nguon/shared/viewer';
import {
  buildPath,
  DigitalLinkError,
  isCompressedGtinPath,
  isPrimaryKey,
  parseDigitalLink,
  UnsupportedKeyError,
  type DigitalLink,
} from '@nguon/gs1/digitallink/parse';
import type { EdgeContext, EdgeRoute } from '../edge';
import { graphql } from '../generated';
import type { ProvenanceQuery } from '../generated/graphql';
import { linkset, linkTarget, linkTypeOf, PAGE_PREFIX, resolverDescription, withQuery, type ItemLevel } from '../digitallink/linkset';
import {
  esc,
  formatTime,
  gs1TraceCode,
  PAGE_LANGUAGES,
  pageStrings,
  renderPage,
  renderProductPage,
  COUNTERFEIT_STATES,
  type OriginStageView,
  type ProductView,
  type ProvenanceView,
} from '../digitallink/page';
import { publicLocationCode } from '@nguon/interop/vn-minimum';
import { Problem, sendProblem } from '../http/problem';
import { reportLink } from './report';

/**
 * The GS1 Digital Link resolver and consumer page (docs/architecture.md §6–§7, GS1-Conformant
 * Resolver Standard). Everything it shows is read through the graph as the
 * caller, so an unpublished lot reads exactly like an unknown one: both resolve to their product.
 *
 *   GET|HEAD /01/{gtin}[/22/{cpv}][/10/{lot}][/21/{serial}][?17=…&linkType=…&lang=…]
 *            /{compressed}[?…]  the compressed form (one base64url segment), answered as its uncompressed form
 *            with `owl:sameAs` to it
 *            - `linkType=linkset|all` or Accept: application/linkset+json: the linkset (digitallink/linkset.ts);
 *            - another `linkType`: 307 to that link, the query string passed on; 404 when the item has none;
 *            - no `linkType`: a browser (Accept: text/html) gets the page itself, anyone else a 307 to the default link.
 *            Every answer about a known item carries `Link: <…?linkType=linkset>; rel="linkset"`. Malformed
 *            or non-GS1 → 400, another primary key than a GTIN → 404, an unknown GTIN → 404, whatever the parameters.
 *   GET|HEAD /page/01/{gtin}[…]  the page itself (the default link's target): a lot's, or the product's when no lot
 *            published here is named
 *   POST     either URL, form field `code`: verify a serialised item's hidden code
 *   POST     /scan        the page's beacon: records a scan (uncached, so cached pages still count)
 *   GET      /.well-known/gs1resolver
 */

/**
 * What the consumer page reads through the graph (the consumer-page benchmark runs the same query).
 * The item check runs only for a link with a serial; every other page skips it (`$hasSerial`).
 * No internal tree path is asked for: the page names parties by public name and GLN (issue 15).
 * Parties and places are asked once, in `journeyOrganizations` and `journeyAreas`, and matched by
 * id: the gateway then names the whole journey in one tenants and one catalog fetch, where asking
 * them on each list (timeline, producers, steps, areas) took six fetches (BENCHMARKS.md, issue 15).
 */
export const PROVENANCE_PAGE_QUERY = graphql(`
  query Provenance($gtin: GTIN!, $lot: String!, $lang: String, $serial: String! = "", $hasSerial: Boolean! = false) {
    productByGtin(gtin: $gtin) {
      gtin
      name(lang: $lang) {
        text
        lang
      }
      description(lang: $lang) {
        text
      }
      brand
      images {
        url
        alt(lang: $lang) {
          text
        }
      }
      certifications {
        schemeName
        issuer
        number
        stars
        validFrom
        validTo
        status
      }
      owner {
        name(lang: $lang) {
          text
        }
        address
        gln
      }
      lot(code: $lot) {
        id
        lotCode
        status
        producedOn
        expiresOn
        season
        lastChangedAt
        productionAreaId
        timeline(lang: $lang) {
          bizStepLabel
          dispositionLabel
          eventTime
          bizLocation
          readPoint
          corrects
          correctedBy
          organizationId
        }
        activeRecall {
          reason
          severity
          openedAt
        }
        item(serial: $serial) @include(if: $hasSerial) {
          state
          reasonCode
          reason(lang: $lang)
        }
        origin {
          depth
          relation
          disclosed
          lotCode
          season
          producedOn
          producerId
          productionAreaId
          steps(lang: $lang) {
            bizStepLabel
            eventTime
            correctedBy
            corrects
            organizationId
          }
        }
        journeyOrganizations {
          id
          name(lang: $lang) {
            text
          }
          gln
        }
        journeyAreas {
          id
          code
          name(lang: $lang) {
            text
          }
          commune
          hectares
          crop
          certifications {
            schemeName
            status
            validTo
          }
        }
      }
    }
  }
`);

const VERIFY = graphql(`
  mutation Verify($input: VerifyItemInput!) {
    verifyItem(input: $input) {
      result
      firstVerifiedAt
      firstVerifiedPlace
    }
  }
`);
const SCAN = graphql(`
  mutation Scan($input: RecordScanInput!) {
    recordScan(input: $input) {
      recorded
      scanId
    }
  }
`);

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': 'Accept, Accept-Language, Content-Type',
  'access-control-expose-headers': 'Link, ETag, Last-Modified',
};

/** Anonymous pages, cached for one second: a recall shows within a second of its commit. */
const PAGE_TTL_MS = 1000;
const MAX_CACHED_PAGES = 5000;

/** An anonymous answer's item, and each body made from it (page, linkset), cached together for PAGE_TTL_MS. */
interface CachedItem {
  item: LoadedItem | null;
  bodies: Map<string, { body: string; etag: string }>;
  expires: number;
}

/**
 * Answers a problem with the resolver's CORS headers (and Link headers for a known item),
 * so a browser on another origin can read why, and no `instance`: an unknown and an
 * unpublished item must answer byte for byte alike.
 */
function refuse(res: ServerResponse, problem: Problem, headers: Record<string, string> = {}): true {
  sendProblem(res, problem, undefined, { ...CORS, ...headers });
  return true;
}

/** `?lang=`, then Accept-Language, then Vietnamese: the shared rule every page and export picks by. */
const pickLanguage = (url: URL, req: IncomingMessage): LabelLanguage =>
  labelLanguage([url.searchParams.get('lang'), ...parseAcceptLanguage(req.headers['accept-language'])]);

/** What a request asks of the resolver (GS1-Conformant Resolver Standard §4). */
function answerKind(req: IncomingMessage, link: DigitalLink, asPage: boolean): 'page' | 'linkset' | 'redirect' {
  if (req.method === 'POST' || asPage) return 'page';
  if (link.linkType === 'linkset' || link.linkType === 'all') return 'linkset';
  if (link.linkType) return 'redirect';
  const accept = String(req.headers.accept ?? '');
  if (/application\/linkset\+json/.test(accept)) return 'linkset';
  return /text\/html/.test(accept) ? 'page' : 'redirect';
}

/** The Link header every answer about a parsed link carries: its linkset, and for a compressed URI `owl:sameAs` its uncompressed form. */
function linkHeader(baseUrl: string, link: DigitalLink, extra: string[] = []): string {
  const canonical = `${baseUrl}${link.canonicalPath}`;
  return [
    ...extra,
    `<${canonical}?linkType=linkset>; rel="linkset"; type="application/linkset+json"`,
    ...(link.uncompressed ? [`<${baseUrl}${link.uncompressed}>; rel="owl:sameAs"`] : []),
  ].join(', ');
}

/** The linkset's JSON-LD context (GS1-Conformant Resolver Standard, artefacts). */
const LINKSET_CONTEXT = '<https://ref.gs1.org/standards/resolver/linkset-context>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"';

/** An item as the resolver knows it: its product, and its lot when one published here is named. */
interface LoadedItem {
  product: ProductView;
  lot: { view: ProvenanceView; lotId: string; lastChangedAt: string } | null;
}

/** Null for a GTIN with no published product: unknown and unpublished answer alike. */
async function loadItem(edge: EdgeContext, viewer: Viewer, link: DigitalLink, lang: string, baseUrl: string): Promise<LoadedItem | null> {
  // No lot named: the empty code matches none, and the query reads the product alone.
  const result = await edge.execute(
    PROVENANCE_PAGE_QUERY,
    { gtin: link.gtin, lot: link.lot ?? '', lang, serial: link.serial ?? '', hasSerial: Boolean(link.serial) },
    viewer,
    { acceptLanguage: lang },
  );
  // A part of the answer that failed (a subgraph down or late) must not read as "no such lot": that would walk up to the product.
  const failure = result.errors?.find((e) => !['FORBIDDEN', 'NOT_FOUND'].includes(String(e.extensions?.code)));
  if (failure) throw new Problem('SERVICE_UNAVAILABLE', 'This item cannot be read right now; try again shortly.', { headers: { 'retry-after': '1' } });
  const product = result.data?.productByGtin;
  if (!product) return null;
  const certifications = (product.certifications ?? []).map((c) => ({
    scheme: c.schemeName,
    issuer: c.issuer,
    number: c.number,
    validFrom: c.validFrom,
    validTo: c.validTo,
    valid: c.status === 'VALID',
    stars: c.stars ?? null,
  }));
  const productView: ProductView = {
    lang,
    languages: PAGE_LANGUAGES,
    uri: `${baseUrl}${buildPath({ gtin: link.gtin })}`,
    product: {
      name: product.name.text,
      nameLang: product.name.lang,
      gtin: product.gtin ?? link.gtin,
      brand: product.brand ?? null,
      description: product.description?.text || null,
      image: product.images?.[0] ? { url: product.images[0].url, alt: product.images[0].alt?.text ?? product.name.text } : null,
      certifications,
      // Standards applied: the schemes whose certificates are valid today; an expired one is never claimed.
      standards: [...new Set(certifications.filter((c: { valid: boolean }) => c.valid).map((c: { scheme: string }) => c.scheme))] as string[],
    },
    producer: { name: product.owner?.name?.text ?? '', address: product.owner?.address ?? null, gln: product.owner?.gln ?? null },
  };
  const lot = product.lot;
  if (!lot) return { product: productView, lot: null };
  const { elementString } = gs1TraceCode({ gtin: product.gtin ?? link.gtin, lot: lot.lotCode, expiresOn: lot.expiresOn });
  const parties = new Map(lot.journeyOrganizations.map((o) => [o.id, o]));
  const areas = new Map(lot.journeyAreas.map((a) => [a.id, a]));
  const view: ProvenanceView = {
    ...productView,
    uri: `${baseUrl}${link.canonicalPath}`,
    traceCode: gs1TraceCode({ gtin: product.gtin ?? link.gtin, lot: lot.lotCode, serial: link.serial, expiresOn: lot.expiresOn }),
    lot: { lotCode: lot.lotCode, status: lot.status, producedOn: lot.producedOn, expiresOn: lot.expiresOn, season: lot.season, serial: link.serial ?? null },
    area: areaView(areas.get(lot.productionAreaId ?? '')),
    stages: (lot.timeline ?? []).map((e) => ({
      label: e.bizStepLabel ?? e.dispositionLabel ?? '—',
      disposition: e.dispositionLabel ?? null,
      time: e.eventTime,
      location: parties.get(e.organizationId)?.name.text ?? null,
      locationCode: publicLocationCode({ ...e, organization: parties.get(e.organizationId) ?? null }),
      traceCode: elementString,
      corrected: Boolean(e.corrects),
      erroneous: e.correctedBy.length > 0,
    })),
    // A lot marked RECALLED warns even when the recall record is not visible to this viewer.
    recall: lot.activeRecall
      ? { reason: lot.activeRecall.reason, severity: lot.activeRecall.severity, openedAt: lot.activeRecall.openedAt }
      : lot.status === 'RECALLED'
        ? { reason: '—', severity: 'RECALLED', openedAt: lot.lastChangedAt }
        : null,
    origin: (lot.origin ?? []).map((stage) => originStage(stage, parties, areas)),
    item: lot.item ? { state: lot.item.state, reason: lot.item.reason ?? null, reasonCode: lot.item.reasonCode ?? null } : null,
  };
  return { product: productView, lot: { view, lotId: lot.id, lastChangedAt: lot.lastChangedAt } };
}

/** The item's levels, most specific first (digitallink/linkset.ts): the lot's and the serial's only for a lot published here. */
function levelsOf(link: DigitalLink, item: LoadedItem, lang: string): ItemLevel[] {
  const t = pageStrings(lang);
  const name = item.product.product.name;
  const product: ItemLevel = { path: buildPath({ gtin: link.gtin }), level: 'product', description: name };
  if (!item.lot) return [product];
  const lotText = `${name}, ${t.lot} ${item.lot.view.lot.lotCode}`;
  const lot: ItemLevel = { path: buildPath({ gtin: link.gtin, cpv: link.cpv, lot: link.lot }), level: 'item', description: lotText };
  if (!link.serial) return [lot, product];
  return [{ path: link.canonicalPath, level: 'item', description: `${lotText}, ${t.serial} ${link.serial}` }, lot, product];
}

type LotData = NonNullable<NonNullable<ProvenanceQuery['productByGtin']>['lot']>;
type OriginStageData = NonNullable<LotData['origin']>[number];
type PartyData = LotData['journeyOrganizations'][number];
type AreaData = LotData['journeyAreas'][number];

const areaView = (area: AreaData | undefined) =>
  area ? { name: area.name.text, code: area.code, commune: area.commune ?? null, hectares: area.hectares, crop: area.crop } : null;

/** One upstream stage as the page shows it: public names and GLNs only; nothing of an undisclosed one. */
function originStage(stage: OriginStageData, parties: Map<string, PartyData>, areas: Map<string, AreaData>): OriginStageView {
  const area = stage.productionAreaId ? areas.get(stage.productionAreaId) : undefined;
  const producer = stage.producerId ? parties.get(stage.producerId) : undefined;
  return {
    depth: stage.depth,
    relation: stage.relation,
    disclosed: stage.disclosed,
    lotCode: stage.disclosed ? (stage.lotCode ?? null) : null,
    product: null,
    producer: producer ? { name: producer.name.text, gln: producer.gln ?? null } : null,
    area: area
      ? {
          name: area.name.text,
          commune: area.commune ?? null,
          hectares: area.hectares ?? null,
          certifications: area.certifications.map((c) => ({ scheme: c.schemeName, valid: c.status === 'VALID', validTo: c.validTo ?? null })),
        }
      : null,
    season: stage.season ?? null,
    producedOn: stage.producedOn ?? null,
    steps: stage.steps.map((e) => ({
      label: e.bizStepLabel ?? '—',
      time: e.eventTime,
      organization: parties.get(e.organizationId)?.name.text ?? null,
      gln: parties.get(e.organizationId)?.gln ?? null,
      corrected: Boolean(e.corrects),
      erroneous: e.correctedBy.length > 0,
    })),
  };
}

/**
 * The scan beacon and, for serialised items, the verification form; small, inline, no framework.
 * The page records its scan once, when first shown (not again on the page a verification answers),
 * and ties the "Report a problem" link to that scan's id.
 * A counterfeit warning page gets no verification form, nothing genuine being there to check; a code
 * posted to it anyway still gets its answer.
 */
function pageExtras(html: string, lotId: string, link: DigitalLink, lang: string, verification: string | null, counterfeit = false): string {
  const t = pageStrings(lang);
  const form = !link.serial
    ? ''
    : counterfeit
      ? (verification ?? '')
      : `<h2>${esc(t.checkAuthenticity)}</h2>${verification ?? ''}<form method="post"><label>${esc(
          t.scratchCode,
        )} <input name="code" autocomplete="off" maxlength="32" required></label> <button>${esc(t.check)}</button></form>`;
  const beacon = `<p><button id="share-place" type="button">${esc(t.sharePlace)}</button></p>
<script>(()=>{const d={lotId:${JSON.stringify(lotId)},serial:${JSON.stringify(link.serial ?? null)},lang:${JSON.stringify(lang)}};
const send=(x)=>{const b=JSON.stringify(Object.assign({},d,x));navigator.sendBeacon?navigator.sendBeacon('/scan',new Blob([b],{type:'application/json'})):fetch('/scan',{method:'POST',headers:{'content-type':'application/json'},body:b,keepalive:true})};
${verification === null ? `fetch('/scan',{method:'POST',headers:{'content-type':'application/json',accept:'application/json'},body:JSON.stringify(d),keepalive:true}).then(r=>r.ok?r.json():{}).then(j=>{if(!j.scanId)return;d.scanId=j.scanId;const a=document.getElementById('report-problem');if(a)a.href+='&scan='+encodeURIComponent(j.scanId)}).catch(()=>{});` : ''}document.getElementById('share-place').onclick=()=>navigator.geolocation&&navigator.geolocation.getCurrentPosition(p=>send({latitude:p.coords.latitude,longitude:p.coords.longitude}))})();</script>
<noscript><img src="/scan?lotId=${encodeURIComponent(lotId)}&lang=${lang}${link.serial ? `&serial=${encodeURIComponent(link.serial)}` : ''}" alt="" width="1" height="1"></noscript>`;
  return html.replace('</main>', `${form}${reportLink(link, lang)}${beacon}</main>`);
}

function verificationBanner(
  lang: string,
  result: { result: string; firstVerifiedAt: string | null; firstVerifiedPlace: string | null },
  lockReasonCode?: string | null,
): string {
  const t = pageStrings(lang);
  // Why the producer locked the item, in the few words the LOCKED banner puts in brackets (the item check's reasonCode).
  const lock = t[`lock_${lockReasonCode}` as 'lock_OTHER'] ?? t.lock_OTHER;
  const when = result.firstVerifiedAt ? formatTime(result.firstVerifiedAt, lang) : '';
  const place = result.firstVerifiedPlace ? t.verifiedPlace.replace('{place}', () => result.firstVerifiedPlace!) : '';
  const text: Record<string, string> = {
    VERIFIED_FIRST_TIME: t.VERIFIED_FIRST_TIME,
    ALREADY_VERIFIED: t.ALREADY_VERIFIED.replace('{when}', () => when).replace('{place}', () => place),
    WRONG_CODE: t.WRONG_CODE,
    NO_CODE: t.NO_CODE,
    UNKNOWN_ITEM: t.UNKNOWN_ITEM,
    TOO_MANY_ATTEMPTS: t.TOO_MANY_ATTEMPTS,
    LOCKED: t.LOCKED_ITEM.replace('{reason}', () => lock),
  };
  return `<p id="verification" class="${result.result.includes('VERIFIED') && result.result !== 'ALREADY_VERIFIED' ? 'ok' : 'bad'}">${esc(text[result.result] ?? result.result)}</p>`;
}

/** The link a path names, or the problem it has: 400 when malformed, 404 for a primary key this resolver does not serve. */
function parse(path: string, search: URLSearchParams): DigitalLink | Problem {
  try {
    return parseDigitalLink(path, search);
  } catch (error) {
    if (!(error instanceof DigitalLinkError)) throw error;
    const extensions = error.ai ? { ai: error.ai } : {};
    return new Problem(error instanceof UnsupportedKeyError ? 'NOT_FOUND' : 'BAD_USER_INPUT', error.message, { extensions });
  }
}

export function digitalLinkRoutes(options: { pageCacheTtlMs?: number } = {}): EdgeRoute[] {
  const cache = new Map<string, CachedItem>();
  const ttl = options.pageCacheTtlMs ?? PAGE_TTL_MS;

  const wellKnown: EdgeRoute = async (req, res, edge) => {
    if ((req.url ?? '').split('?')[0] !== '/.well-known/gs1resolver') return false;
    const body = JSON.stringify(resolverDescription(edge.publicBaseUrl));
    res.writeHead(200, { ...CORS, 'content-type': 'application/json', 'cache-control': 'public, max-age=3600', 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };

  const scanBeacon: EdgeRoute = async (req, res, edge) => {
    const url = new URL(req.url ?? '/', 'http://edge');
    if (url.pathname !== '/scan') return false;
    const viewer: Viewer = { kind: 'anonymous', requestId: edge.requestId };
    if (!edge.allow(viewer)) return true;
    let input: Record<string, unknown>;
    try {
      input = req.method === 'POST' ? JSON.parse((await readBody(req, 2048)) || '{}') : Object.fromEntries(url.searchParams);
    } catch {
      return refuse(res, new Problem('BAD_USER_INPUT', 'The scan is not JSON.'));
    }
    const result = await edge.execute(
      SCAN,
      {
        input: {
          lotId: String(input.lotId ?? ''),
          serial: typeof input.serial === 'string' ? input.serial : null,
          lang: typeof input.lang === 'string' ? input.lang : 'vi',
          latitude: typeof input.latitude === 'number' ? input.latitude : null,
          scanId: typeof input.scanId === 'string' ? input.scanId : null,
          longitude: typeof input.longitude === 'number' ? input.longitude : null,
        },
      },
      viewer,
    );
    if (result.errors?.length) return refuse(res, new Problem('BAD_USER_INPUT', result.errors[0]!.message));
    // A page that asks for JSON gets the scan's id, so a problem reported next is tied to this scan; a beacon gets 204.
    const scanId = result.data?.recordScan.scanId ?? null;
    if (req.method === 'POST' && /application\/json/.test(String(req.headers.accept ?? ''))) {
      const body = JSON.stringify({ recorded: result.data?.recordScan.recorded ?? false, scanId });
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return true;
    }
    res.writeHead(204, { 'cache-control': 'no-store' });
    res.end();
    return true;
  };

  const resolver: EdgeRoute = async (req, res, edge) => {
    const url = new URL(req.url ?? '/', 'http://edge');
    const asPage = url.pathname.startsWith(`${PAGE_PREFIX}/`);
    const path = asPage ? url.pathname.slice(PAGE_PREFIX.length) : url.pathname;
    // A compressed link is taken only when it decompresses to a GTIN, so other single-segment routes stay reachable.
    if (!isPrimaryKey(path.split('/')[1] ?? '') && !isCompressedGtinPath(path)) return false;
    const base = edge.publicBaseUrl;
    const link = parse(path, url.searchParams);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...CORS, 'access-control-max-age': '86400', ...(link instanceof Problem ? {} : { link: linkHeader(base, link) }) });
      res.end();
      return true;
    }
    if (!['GET', 'HEAD', 'POST'].includes(req.method ?? ''))
      return refuse(res, new Problem('METHOD_NOT_ALLOWED', 'Use GET, HEAD or OPTIONS.', { headers: { allow: 'GET, HEAD, OPTIONS' } }));
    if (link instanceof Problem) return refuse(res, link);

    const viewer = await edge.authenticate();
    if (!edge.allow(viewer)) return true;
    const lang = pickLanguage(url, req);
    const kind = answerKind(req, link, asPage);
    const anonymous = viewer.kind === 'anonymous' && req.method !== 'POST';
    const cacheable = anonymous && ttl > 0;
    const cacheKey = `${link.canonicalPath}|${lang}`;
    let cached = cacheable ? cache.get(cacheKey) : undefined;
    if (!cached || cached.expires < Date.now()) {
      let item: LoadedItem | null;
      try {
        item = await loadItem(edge, viewer, link, lang, base);
      } catch (error) {
        if (error instanceof Problem) return refuse(res, error);
        throw error;
      }
      cached = { item, bodies: new Map(), expires: Date.now() + ttl };
      // Only a found item is kept: a lot published a moment after an unknown scan shows at once.
      if (cacheable && cached.item && (cached.item.lot || !link.lot)) {
        if (cache.size >= MAX_CACHED_PAGES) cache.delete(cache.keys().next().value!);
        cache.set(cacheKey, cached);
      }
    }
    const item = cached.item;
    // Unknown and unpublished answer alike, whatever the parameters: no redirect, no link.
    if (!item) return refuse(res, new Problem('NOT_FOUND', 'No published product has this GS1 Digital Link.'));
    const levels = levelsOf(link, item, lang);

    if (kind === 'redirect') {
      const linkType = link.linkType ? linkTypeOf(link.linkType) : 'defaultLink';
      const target = linkType ? linkTarget(base, levels, linkType, PAGE_LANGUAGES, lang) : null;
      if (!target) return refuse(res, new Problem('NOT_FOUND', `This item has no link of type ${link.linkType}.`), { link: linkHeader(base, link) });
      // The query string goes on, the data attributes of a compressed URI with it.
      const query = new URLSearchParams(url.search);
      for (const [ai, value] of Object.entries(link.attributes)) if (!query.has(ai)) query.set(ai, value);
      res.writeHead(307, {
        ...CORS,
        location: withQuery(target, query),
        link: linkHeader(base, link),
        vary: 'Accept, Accept-Language',
        'cache-control': anonymous ? 'public, max-age=60' : 'private, no-store',
      });
      res.end();
      return true;
    }

    let verification: string | null = null;
    if (req.method === 'POST' && link.serial && item.lot) {
      const form = new URLSearchParams(await readBody(req, 4096));
      const verified = await edge.execute(VERIFY, { input: { lotId: item.lot.lotId, serial: link.serial, code: form.get('code') ?? '' } }, viewer);
      verification = verified.data?.verifyItem
        ? verificationBanner(lang, verified.data.verifyItem, item.lot.view.item?.reasonCode)
        : `<p class="bad">${verified.errors?.[0]?.message ?? ''}</p>`;
    }
    let page = cached.bodies.get(kind);
    if (!page || verification !== null) {
      const body =
        kind === 'linkset'
          ? JSON.stringify(linkset(base, levels, PAGE_LANGUAGES, lang))
          : item.lot
            ? pageExtras(
                renderPage(item.lot.view),
                item.lot.lotId,
                link,
                lang,
                verification,
                Boolean(item.lot.view.item && COUNTERFEIT_STATES.has(item.lot.view.item.state)),
              )
            : renderProductPage(item.product);
      page = { body, etag: `W/"${createHash('sha1').update(body).digest('base64url')}"` };
      if (verification === null) cached.bodies.set(kind, page);
    }

    const shown = item.lot ? item.lot.view.uri : item.product.uri;
    const lastModified = item.lot ? new Date(item.lot.lastChangedAt).toUTCString() : null;
    const headers: Record<string, string> = {
      ...CORS,
      'content-type': kind === 'linkset' ? 'application/linkset+json' : 'text/html; charset=utf-8',
      etag: page.etag,
      ...(lastModified ? { 'last-modified': lastModified } : {}),
      vary: 'Accept, Accept-Language',
      'content-language': lang,
      link: linkHeader(base, link, [kind === 'linkset' ? LINKSET_CONTEXT : `<${shown}>; rel="canonical"`]),
      // Published pages are the same for everyone: shareable by CDNs, but for a second only, so a recall shows at once.
      'cache-control': anonymous ? 'public, max-age=1, must-revalidate' : 'private, no-store',
    };
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    const notModified = inm ? inm.split(',').some((t) => t.trim() === page!.etag) : ims && lastModified ? Date.parse(ims) >= Date.parse(lastModified) : false;
    if (anonymous && notModified) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    headers['content-length'] = String(Buffer.byteLength(page.body));
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : page.body);
    return true;
  };

  return [wellKnown, scanBeacon, resolver];
}
