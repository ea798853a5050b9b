import { GtinError, hasValidCheckDigit, normalizeGtin } from '../index';
import { aiFormat, CompressedLinkError, decompressDigitalLink } from './compression';

/**
 * GS1 Digital Link URIs (GS1 Digital Link URI Syntax 1.x §4): a primary key, its key
 * qualifiers in the one order allowed, then data attributes and other parameters in the query:
 *   [/{path prefix}]/01/{gtin}[/22/{cpv}][/10/{lot}][/21/{serial}][?17=YYMMDD&…&linkType=…]
 * Every AI in the path and the query is validated (format, length, character set,
 * check digit, dates). The GTIN may be written with 8, 12, 13 or 14 digits and is
 * normalised to 14. The short names of DL 1.0 (`gtin`, `lot`, `ser` …) are still read.
 * A trailing slash is ignored.
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
  /** GS1 data attributes of the query string (AI → value), validated. */
  attributes: Record<string, string>;
  /** The canonical form, on which ETags and redirects are based. */
  canonicalPath: string;
  /** For a compressed URI: its uncompressed path and query (data attributes included), for `owl:sameAs`. */
  uncompressed?: string;
}

/** A malformed GS1 Digital Link, or not one at all: the resolver's 400. */
export class DigitalLinkError extends Error {
  constructor(
    message: string,
    /** The AI at fault, when one is. */
    readonly ai?: string,
  ) {
    super(message);
  }
}

/** A well-formed GS1 Digital Link whose primary key this resolver does not serve (it serves GTINs): a 404, not a 400. */
export class UnsupportedKeyError extends DigitalLinkError {}

/** DL 1.0 short names (URI Syntax 1.2 deprecated them, 1.3 removed them); still read, never written. */
const ALIASES: Record<string, string> = {
  gtin: '01',
  itip: '8006',
  cpv: '22',
  lot: '10',
  ser: '21',
  sscc: '00',
  gln: '414',
  glnx: '254',
  party: '417',
  gsrnp: '8017',
  gsrn: '8018',
  srin: '8019',
  gcn: '255',
  gdti: '253',
  ginc: '401',
  gsin: '402',
  grai: '8003',
  giai: '8004',
  cpid: '8010',
  cpsn: '8011',
  gmn: '8013',
};

/** Primary keys (URI Syntax §4.2) and their key qualifiers, in the only order allowed. */
const PRIMARY_KEYS: Record<string, readonly string[]> = {
  '01': ['22', '10', '21'],
  '8006': ['22', '10', '21'],
  '00': [],
  '414': ['254'],
  '417': [],
  '8017': ['8019'],
  '8018': ['8019'],
  '255': [],
  '253': [],
  '401': [],
  '402': [],
  '8003': [],
  '8004': [],
  '8010': ['8011'],
  '8013': [],
};

/** The digits of a value its GS1 check digit covers (GS1 General Specifications §7.9), by AI. */
const CHECKED: Record<string, (value: string) => string> = {
  '00': (v) => v,
  '01': (v) => v,
  '02': (v) => v,
  '253': (v) => v.slice(0, 13),
  '255': (v) => v.slice(0, 13),
  '402': (v) => v,
  '8003': (v) => v.slice(1, 14),
  '8006': (v) => v.slice(0, 14),
  '8017': (v) => v,
  '8018': (v) => v,
};
for (let ai = 410; ai <= 417; ai++) CHECKED[String(ai)] = (v) => v;

/** Dates as YYMMDD (day 00 allowed where the AI allows it), and date-times as YYMMDDHHMM. */
const DATES_DAY_00 = new Set(['11', '12', '13', '15', '16', '17']);
const DATES = new Set(['7006', '4326']);
const DATE_TIMES = new Set(['7003', '4324', '4325']);
/** Flags: one digit, 0 or 1. */
const FLAGS = new Set(['4321', '4322', '4323']);

/** GS1 AI encodable character set 82 (General Specifications Figure 7.11-1). */
const AI82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;

const canonicalAi = (segment: string) => ALIASES[segment] ?? segment;
export const isPrimaryKey = (segment: string) => Object.hasOwn(PRIMARY_KEYS, canonicalAi(segment));

function decode(segment: string, ai: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new DigitalLinkError(`The value of AI ${ai} is not valid percent-encoding.`, ai);
  }
}

/** Parses YYMMDD per GS1 General Specifications §7.12 (the century follows the sliding window). */
export function parseYymmdd(value: string, now = new Date(), ai = '17', allowDay00 = true): string {
  const what = ai === '17' ? 'AI 17 (expiry)' : `AI ${ai}`;
  if (!/^\d{6}$/.test(value)) throw new DigitalLinkError(`${what} must be YYMMDD.`, ai);
  const yy = Number(value.slice(0, 2));
  const mm = Number(value.slice(2, 4));
  let dd = Number(value.slice(4, 6));
  if (mm < 1 || mm > 12) throw new DigitalLinkError(`${what} has no such month.`, ai);
  const currentYear = now.getUTCFullYear();
  const base = currentYear - (currentYear % 100);
  let year = base + yy;
  const diff = year - currentYear;
  if (diff >= 51) year -= 100;
  else if (diff <= -50) year += 100;
  const lastDay = new Date(Date.UTC(year, mm, 0)).getUTCDate();
  if (dd === 0 && allowDay00) dd = lastDay;
  if (dd === 0 || dd > lastDay) throw new DigitalLinkError(`${what} has no such day.`, ai);
  return `${year}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
}

/**
 * Why `value` is not a valid value of `ai`, or null: the AI's format (numeric or AI-82
 * characters, fixed or maximum length, per part), its check digit, its date.
 */
export function aiValueProblem(ai: string, value: string): string | null {
  const format = aiFormat(ai);
  if (!format) return `${ai} is not a GS1 Application Identifier.`;
  let rest = value;
  for (const [i, part] of format.entries()) {
    const last = i === format.length - 1;
    const piece = part.fixed !== undefined && !last ? rest.slice(0, part.fixed) : rest;
    rest = rest.slice(piece.length);
    if (part.fixed !== undefined && piece.length !== part.fixed) return `AI ${ai} has ${describe(format)}; "${value}" does not fit.`;
    if (part.max !== undefined && (piece.length > part.max || (piece.length === 0 && last && i === 0))) {
      return `AI ${ai} has ${describe(format)}; "${value}" does not fit.`;
    }
    if (part.type === 'N' && !/^\d*$/.test(piece)) return `AI ${ai} has digits only where "${value}" has other characters.`;
    if (part.type === 'X' && !AI82.test(piece)) return `AI ${ai} may use only digits, Latin letters and the GS1 AI-82 symbols.`;
  }
  if (rest) return `AI ${ai} has ${describe(format)}; "${value}" is too long.`;
  const checked = CHECKED[ai];
  if (checked && !hasValidCheckDigit(checked(value))) return `The check digit of AI ${ai} is wrong.`;
  try {
    if (DATES_DAY_00.has(ai)) parseYymmdd(value, new Date(), ai);
    if (DATES.has(ai)) parseYymmdd(value, new Date(), ai, false);
    if (DATE_TIMES.has(ai)) {
      parseYymmdd(value.slice(0, 6), new Date(), ai, false);
      if (Number(value.slice(6, 8)) > 23 || Number(value.slice(8, 10)) > 59) return `AI ${ai} has no such time of day.`;
    }
  } catch (error) {
    if (error instanceof DigitalLinkError) return error.message;
    throw error;
  }
  if (FLAGS.has(ai) && value !== '0' && value !== '1') return `AI ${ai} is a flag: 0 or 1.`;
  return null;
}

const describe = (format: readonly { type: string; fixed?: number; max?: number }[]) =>
  format.map((p) => `${p.fixed ?? `at most ${p.max}`} ${p.type === 'N' ? 'digits' : 'characters'}`).join(' then ');

/** The shortest compressed GTIN link (AI 01 alone) is 55 bits, i.e. 10 characters. */
const COMPRESSED_SEGMENT = /^[A-Za-z0-9_-]{10,}$/;

/** The compressed segment of a path, if it is one: the last segment, with no primary key before it. */
function compressedSegment(pathname: string): string | null {
  const segments = pathname.replace(/\/+$/, '').split('/').filter(Boolean);
  const last = segments[segments.length - 1];
  if (!last || !COMPRESSED_SEGMENT.test(last) || segments.some(isPrimaryKey)) return null;
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
 * validated exactly as its uncompressed form. AIs that are neither the primary key
 * nor its qualifiers count as query data attributes, and compressed non-GS1
 * parameters (e.g. linkType) as query parameters; a parameter given in the query
 * string itself wins.
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
  const keys = Object.keys(ais).filter((ai) => Object.hasOwn(PRIMARY_KEYS, ai));
  if (keys.length !== 1) throw new DigitalLinkError('A compressed GS1 Digital Link holds exactly one primary key.');
  const key = keys[0]!;
  let path = `/${key}/${encodeURIComponent(ais[key]!)}`;
  for (const ai of PRIMARY_KEYS[key]!) if (ais[ai] !== undefined) path += `/${ai}/${encodeURIComponent(ais[ai]!)}`;
  const attributes = new URLSearchParams();
  const merged = new URLSearchParams(search);
  for (const [name, value] of Object.entries(ais)) {
    if (name === key || PRIMARY_KEYS[key]!.includes(name)) continue;
    if (/^\d+$/.test(name)) attributes.set(name, value);
    if (!merged.has(name)) merged.set(name, value);
  }
  const link = parseUncompressed(path, merged);
  const query = attributes.toString();
  link.uncompressed = `${link.canonicalPath}${query ? `?${query}` : ''}`;
  return link;
}

export function parseDigitalLink(pathname: string, search: URLSearchParams): DigitalLink {
  if (compressedSegment(pathname)) return parseCompressedDigitalLink(pathname, search);
  return parseUncompressed(pathname, search);
}

function parseUncompressed(pathname: string, search: URLSearchParams): DigitalLink {
  const segments = pathname.replace(/\/+$/, '').split('/').filter(Boolean);
  const start = segments.findIndex(isPrimaryKey);
  if (start < 0 || segments.length < start + 2) throw new DigitalLinkError('A GS1 Digital Link starts with /01/{GTIN} or another primary key and its value.');
  const pairs = segments.slice(start);
  if (pairs.length % 2 !== 0) throw new DigitalLinkError('Every Application Identifier in the path needs a value.');
  const key = canonicalAi(pairs[0]!);
  const qualifiers = PRIMARY_KEYS[key]!;
  const keyValue = decode(pairs[1]!, key);
  let gtin = '';
  if (key === '01') {
    try {
      gtin = normalizeGtin(keyValue);
    } catch (error) {
      if (error instanceof GtinError) throw new DigitalLinkError(`GTIN ${keyValue}: ${error.message}`, '01');
      throw error;
    }
  } else {
    const problem = aiValueProblem(key, keyValue);
    if (problem) throw new DigitalLinkError(problem, key);
  }
  const found: Record<string, string> = {};
  let lastQualifier = -1;
  for (let i = 2; i < pairs.length; i += 2) {
    const ai = canonicalAi(pairs[i]!);
    const value = decode(pairs[i + 1]!, ai);
    const order = qualifiers.indexOf(ai);
    if (order < 0) {
      throw new DigitalLinkError(`AI ${ai} is not a qualifier of AI ${key}${qualifiers.length ? ` (use ${qualifiers.join(', ')})` : ' (it has none)'}.`, ai);
    }
    if (order <= lastQualifier) throw new DigitalLinkError(`Qualifiers must appear once each, in the order ${qualifiers.join(', ')}.`, ai);
    lastQualifier = order;
    const problem = aiValueProblem(ai, value);
    if (problem) throw new DigitalLinkError(problem, ai);
    found[ai] = value;
  }
  const attributes = queryAttributes(search);
  if (key !== '01') throw new UnsupportedKeyError(`This resolver serves GTINs (AI 01) only, not AI ${key}.`, key);
  const link: DigitalLink = { gtin, attributes, canonicalPath: '' };
  if (found['22']) link.cpv = found['22'];
  if (found['10']) link.lot = found['10'];
  if (found['21']) link.serial = found['21'];
  if (attributes['17']) link.expiry = parseYymmdd(attributes['17']);
  const linkType = search.get('linkType');
  if (linkType) link.linkType = linkType;
  link.canonicalPath = buildPath(link);
  return link;
}

/**
 * The GS1 data attributes of the query string (URI Syntax §4.7): every all-digit
 * parameter is an AI, given once, valid, and neither a primary key nor a key
 * qualifier (those belong in the path). Other parameters are not GS1's and pass.
 */
function queryAttributes(search: URLSearchParams): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [name, value] of search) {
    if (!/^\d+$/.test(name)) continue;
    if (!aiFormat(name)) throw new DigitalLinkError(`${name} in the query string is not a GS1 Application Identifier.`, name);
    if (Object.hasOwn(PRIMARY_KEYS, name) || Object.values(PRIMARY_KEYS).some((q) => q.includes(name))) {
      throw new DigitalLinkError(`AI ${name} is an identifier or key qualifier: it belongs in the path, not the query string.`, name);
    }
    if (name in attributes) throw new DigitalLinkError(`AI ${name} appears twice in the query string.`, name);
    const problem = aiValueProblem(name, value);
    if (problem) throw new DigitalLinkError(problem, name);
    attributes[name] = value;
  }
  return attributes;
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
