import { GtinError, lotCodeProblem, normalizeGtin } from '../index';
import { CompressedLinkError, decompressDigitalLink } from './compression';

/**
 * GS1 Digital Link URIs for trade items (GS1 Digital Link standard 1.2 §4):
 *   /01/{gtin}[/22/{cpv}][/10/{lot}][/21/{serial}][?17=YYMMDD&linkType=…]
 * Qualifiers must come in that order. The GTIN may be written with 8, 12, 13
 * or 14 digits and is normalised to 14. The short names of DL 1.0 (`gtin`,
 * `cpv`, `lot`, `ser`) are accepted as aliases. A trailing slash is ignored.
 */
export interface DigitalLink {
  gtin: string;
  cpv?: string;
  lot?: string;
  serial?: string;
  /** AI 17 as an ISO date (YYMMDD; day 00 means the last day of the month). */
  expiry?: string;
  /** `linkType` asked for, e.g. `gs1:pip` or `linkset`. */
  linkType?: string;
  /** The canonical form, on which ETags and redirects are based. */
  canonicalPath: string;
}

export class DigitalLinkError extends Error {}

const ALIASES: Record<string, string> = { gtin: '01', cpv: '22', lot: '10', ser: '21' };
const QUALIFIER_ORDER = ['22', '10', '21'];

function decode(segment: string, what: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new DigitalLinkError(`The ${what} is not valid percent-encoding.`);
  }
}

/** Parses YYMMDD per GS1 General Specifications §7.12 (the century follows the sliding window). */
export function parseYymmdd(value: string, now = new Date()): string {
  if (!/^\d{6}$/.test(value)) throw new DigitalLinkError('AI 17 (expiry) must be YYMMDD.');
  const yy = Number(value.slice(0, 2));
  const mm = Number(value.slice(2, 4));
  let dd = Number(value.slice(4, 6));
  if (mm < 1 || mm > 12) throw new DigitalLinkError('AI 17 (expiry) has no such month.');
  const currentYear = now.getUTCFullYear();
  const base = currentYear - (currentYear % 100);
  let year = base + yy;
  const diff = year - currentYear;
  if (diff >= 51) year -= 100;
  else if (diff <= -50) year += 100;
  const lastDay = new Date(Date.UTC(year, mm, 0)).getUTCDate();
  if (dd === 0) dd = lastDay;
  if (dd > lastDay) throw new DigitalLinkError('AI 17 (expiry) has no such day.');
  return `${year}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
}

/** The shortest compressed GTIN link (AI 01 alone) is 55 bits, i.e. 10 characters. */
const COMPRESSED_SEGMENT = /^[A-Za-z0-9_-]{10,}$/;

/** The compressed segment of a path, if it is one: the last segment, with no `01`/`gtin` before it. */
function compressedSegment(pathname: string): string | null {
  const segments = pathname.replace(/\/+$/, '').split('/').filter(Boolean);
  const last = segments[segments.length - 1];
  if (!last || !COMPRESSED_SEGMENT.test(last) || segments.some((s) => s === '01' || s === 'gtin')) return null;
  return last;
}

/** True when the path is a single segment that decompresses to a GS1 Digital Link with a GTIN (AI 01). */
export function isCompressedGtinPath(pathname: string): boolean {
  if (!/^\/[^/]+\/?$/.test(pathname)) return false;
  const segment = compressedSegment(pathname);
  if (!segment) return false;
  try {
    return '01' in decompressDigitalLink(segment);
  } catch {
    return false;
  }
}

/**
 * A compressed GS1 Digital Link (`{prefix}/{base64url}[?…]`): decompressed, then
 * validated exactly as its uncompressed form. AI 17 and compressed query
 * parameters (e.g. linkType) count as query parameters; a parameter given in the
 * query string itself wins. Other data attributes are ignored, as in the query string.
 */
export function parseCompressedDigitalLink(pathname: string, search: URLSearchParams): DigitalLink {
  const segment = compressedSegment(pathname);
  if (!segment) throw new DigitalLinkError('Not a compressed GS1 Digital Link.');
  let ais: Record<string, string>;
  try {
    ais = decompressDigitalLink(segment);
  } catch (error) {
    if (error instanceof CompressedLinkError) throw new DigitalLinkError(`Compressed GS1 Digital Link: ${error.message}`);
    throw error;
  }
  if (!ais['01']) throw new DigitalLinkError('This compressed GS1 Digital Link has no GTIN (AI 01); this resolver serves products only.');
  let path = `/01/${ais['01']}`;
  for (const ai of QUALIFIER_ORDER) if (ais[ai] !== undefined) path += `/${ai}/${encodeURIComponent(ais[ai]!)}`;
  const merged = new URLSearchParams(search);
  for (const [key, value] of Object.entries(ais)) {
    if ((key === '17' || !/^\d+$/.test(key)) && !merged.has(key)) merged.set(key, value);
  }
  return parseDigitalLink(path, merged);
}

export function parseDigitalLink(pathname: string, search: URLSearchParams): DigitalLink {
  if (compressedSegment(pathname)) return parseCompressedDigitalLink(pathname, search);
  const segments = pathname.replace(/\/+$/, '').split('/').filter(Boolean);
  const start = segments.findIndex((s) => s === '01' || s === 'gtin');
  if (start < 0 || segments.length < start + 2) throw new DigitalLinkError('A GS1 Digital Link for a product starts with /01/{GTIN}.');
  const pairs = segments.slice(start);
  if (pairs.length % 2 !== 0) throw new DigitalLinkError('Every Application Identifier in the path needs a value.');
  let gtin = '';
  const found: Record<string, string> = {};
  let lastQualifier = -1;
  for (let i = 0; i < pairs.length; i += 2) {
    const ai = ALIASES[pairs[i]!] ?? pairs[i]!;
    const value = decode(pairs[i + 1]!, `value of AI ${ai}`);
    if (i === 0) {
      try {
        gtin = normalizeGtin(value);
      } catch (error) {
        if (error instanceof GtinError) throw new DigitalLinkError(`GTIN ${value}: ${error.message}`);
        throw error;
      }
      continue;
    }
    const order = QUALIFIER_ORDER.indexOf(ai);
    if (order < 0) throw new DigitalLinkError(`AI ${ai} is not a qualifier of a GTIN (use 22, 10 or 21).`);
    if (order <= lastQualifier) throw new DigitalLinkError('Qualifiers must appear once each, in the order 22, 10, 21.');
    lastQualifier = order;
    const problem = lotCodeProblem(value);
    if (problem) throw new DigitalLinkError(`AI ${ai}: ${problem.replace('A lot code', 'The value')}`);
    found[ai] = value;
  }
  const link: DigitalLink = { gtin, canonicalPath: '' };
  if (found['22']) link.cpv = found['22'];
  if (found['10']) link.lot = found['10'];
  if (found['21']) link.serial = found['21'];
  const expiry = search.get('17');
  if (expiry !== null) link.expiry = parseYymmdd(expiry);
  const linkType = search.get('linkType');
  if (linkType) link.linkType = linkType;
  link.canonicalPath = buildPath(link);
  return link;
}

/** The canonical path: GTIN-14, qualifiers in order, values percent-encoded. */
export function buildPath(link: Pick<DigitalLink, 'gtin' | 'cpv' | 'lot' | 'serial'>): string {
  let path = `/01/${link.gtin}`;
  if (link.cpv) path += `/22/${encodeURIComponent(link.cpv)}`;
  if (link.lot) path += `/10/${encodeURIComponent(link.lot)}`;
  if (link.serial) path += `/21/${encodeURIComponent(link.serial)}`;
  return path;
}

/** The full Digital Link URI printed in a QR code: base URL + path, expiry as `?17=YYMMDD`. */
export function digitalLinkUri(baseUrl: string, link: { gtin: string; lot?: string | null; serial?: string | null; expiresOn?: string | null }): string {
  const path = buildPath({ gtin: link.gtin, lot: link.lot ?? undefined, serial: link.serial ?? undefined });
  const expiry = link.expiresOn ? `?17=${link.expiresOn.slice(2, 4)}${link.expiresOn.slice(5, 7)}${link.expiresOn.slice(8, 10)}` : '';
  return `${baseUrl.replace(/\/+$/, '')}${path}${expiry}`;
}
