import { hasValidCheckDigit, withCheckDigit as withCheck } from './index';

export { canonicalEventHash, preHashString } from './eventHash';

/**
 * GS1 identifiers in their two standard spellings — EPC URNs (EPC Tag Data
 * Standard 2.x §6, pure identities, classes and the id patterns EPCIS uses
 * as classes) and GS1 Digital Link URIs (URI syntax 1.x) — read into one
 * model, so either spelling converts to the other. Pure: no I/O.
 *
 * Company prefix length: an EPC URN carries the split (company prefix .
 * reference); a Digital Link does not, and the TDS leaves it to GS1's
 * company prefix length table. We use a small table keyed by GS1 prefix —
 * 893 (GS1 Vietnam) → 9 digits, the rest → 7 (GS1 US's most common length);
 * a caller that knows the real length passes it.
 */
export type Gs1Id =
  | { kind: 'sgtin'; gtin: string; serial: string }
  | { kind: 'lgtin'; gtin: string; lot: string }
  /** A trade item without lot or serial: `urn:epc:idpat:sgtin:CP.IR.*`, Digital Link `/01/{gtin}`. */
  | { kind: 'gtinClass'; gtin: string }
  | { kind: 'sscc'; sscc: string }
  | { kind: 'sgln'; gln: string; extension: string | null }
  | { kind: 'pgln'; gln: string }
  /** `grai` is the 14-digit key (filler 0, check digit); no serial is the asset type (idpat). */
  | { kind: 'grai'; grai: string; serial: string | null }
  | { kind: 'giai'; giai: string }
  | { kind: 'gdti'; gdti: string; serial: string | null }
  | { kind: 'gsrn'; gsrn: string }
  | { kind: 'gsrnp'; gsrnp: string }
  | { kind: 'cpi'; cpi: string; serial: string | null }
  | { kind: 'sgcn'; gcn: string; serial: string | null }
  | { kind: 'ginc'; ginc: string }
  | { kind: 'gsin'; gsin: string }
  /** `itip` is the 18-digit AI 8006 value: GTIN-14, piece number, total count. */
  | { kind: 'itip'; itip: string; serial: string | null }
  | { kind: 'upui'; gtin: string; tpx: string };

/**
 * A malformed identifier. It is about the input, never the code, so it
 * carries no stack trace: `isGs1Id` and `canonicalId` use it to tell GS1 ids
 * from private URIs on every event of a capture, and capturing a stack per
 * private URI cost more than parsing it.
 */
export class EpcError extends Error {
  constructor(message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}

export const DEFAULT_RESOLVER = 'https://id.gs1.org';

/** Company prefix length for identifiers whose spelling did not tell us. */
export function companyPrefixLength(digits: string): number {
  return digits.startsWith('893') ? 9 : 7;
}

// Character sets of GS1 General Specifications Figures 7.11-1 (AI-82) and 7.11-2 (AI-39).
const AI82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$/;
const AI39 = /^[#\-/0-9A-Z]+$/;

/** TDS 2.x Appendix A: in an EPC URN these characters are %-escaped, the rest of AI-82 written as is ('#' only occurs in CPIs). */
const urnEscape = (value: string) => value.replace(/["%&/<>?#]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
/** In a Digital Link path only unreserved characters and ' ; = stay as they are (as GS1's event hash generator writes them). */
const dlEscape = (value: string) =>
  value.replace(/[^A-Za-z0-9\-._';=]/g, (c) => encodeURIComponent(c).replace(/^[!'()*~]$/, (x) => `%${x.charCodeAt(0).toString(16).toUpperCase()}`));

function urnUnescape(value: string, uri: string): string {
  if (!/^(?:[A-Za-z0-9\-_.!'()*+,:;=]|%[0-9A-Fa-f]{2})*$/.test(value)) throw new EpcError(`${uri}: "${value}" has characters an EPC URN must %-escape.`);
  return value.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function dlUnescape(value: string, uri: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new EpcError(`${uri}: "${value}" has a broken %-escape.`);
  }
}

/** A serial, lot or reference of 1–`max` characters from `set` (AI-82 unless told). */
function text(value: string, max: number, what: string, uri: string, set = AI82): string {
  if (!value || value.length > max || !set.test(value)) {
    throw new EpcError(`${uri}: the ${what} has 1–${max} characters from the GS1 ${set === AI82 ? 'AI-82' : 'AI-39'} set, not "${value}".`);
  }
  return value;
}

function numeric(value: string, max: number, what: string, uri: string): string {
  if (!new RegExp(`^\\d{1,${max}}$`).test(value)) throw new EpcError(`${uri}: the ${what} has 1–${max} digits, not "${value}".`);
  return value;
}

/** A key with its check digit, `length` digits in all. */
function checked(digits: string, what: string, length: number, uri: string): string {
  if (!new RegExp(`^\\d{${length}}$`).test(digits) || !hasValidCheckDigit(digits))
    throw new EpcError(`${uri}: ${digits} is not a valid ${what} (${length} digits with a valid check digit).`);
  return digits;
}

/** Company prefix and reference of a URN, `total` digits together; returns them joined. */
function prefixed(prefix: string | undefined, ref: string | undefined, total: number, uri: string): string {
  if (prefix === undefined || ref === undefined || !/^\d{6,12}$/.test(prefix) || !/^\d*$/.test(ref) || prefix.length + ref.length !== total)
    throw new EpcError(`${uri}: expected a company prefix of 6–12 digits and a reference, ${total} digits together.`);
  return prefix + ref;
}

/** GTIN-14 from a URN's company prefix and indicator + item reference. */
function gtinFromUrn(prefix: string | undefined, itemRef: string | undefined, uri: string): string {
  prefixed(prefix, itemRef, 13, uri);
  return withCheck(itemRef![0]! + prefix! + itemRef!.slice(1));
}

/** Company prefix + free-text reference (GIAI, GINC, CPI): the prefix is digits, the whole at most 30 characters. */
function prefixedText(prefix: string | undefined, ref: string, set: RegExp, what: string, uri: string): string {
  if (prefix === undefined || !/^\d{6,12}$/.test(prefix)) throw new EpcError(`${uri}: expected a company prefix of 6–12 digits.`);
  return prefix + text(ref, 30 - prefix.length, what, uri, set);
}

function fromUrn(urn: string): Gs1Id {
  const match = /^urn:epc:(id|class|idpat):([a-z]+):(.*)$/i.exec(urn);
  if (!match) throw new EpcError(`${urn} is not an EPC URN.`);
  const scheme = `${match[1]!.toLowerCase()}:${match[2]!.toLowerCase()}`;
  const parts = match[3]!.split('.');
  const rest = (from: number) => urnUnescape(parts.slice(from).join('.'), urn);
  const pattern = (count: number) => {
    if (parts.length !== count || parts[count - 1] !== '*' || parts.slice(0, -1).includes('*'))
      throw new EpcError(`${urn}: only a pattern of one class (every reference given, the last component "*") has a GS1 key.`);
  };
  switch (scheme) {
    case 'id:sgtin':
      return { kind: 'sgtin', gtin: gtinFromUrn(parts[0], parts[1], urn), serial: text(rest(2), 20, 'serial', urn) };
    case 'class:lgtin':
      return { kind: 'lgtin', gtin: gtinFromUrn(parts[0], parts[1], urn), lot: text(rest(2), 20, 'lot', urn) };
    case 'idpat:sgtin':
    case 'idpat:upui':
      pattern(3);
      return { kind: 'gtinClass', gtin: gtinFromUrn(parts[0], parts[1], urn) };
    case 'id:sscc': {
      if (parts.length !== 2) throw new EpcError(`${urn}: expected companyPrefix.serialReference.`);
      prefixed(parts[0], parts[1], 17, urn);
      return { kind: 'sscc', sscc: withCheck(parts[1]![0]! + parts[0]! + parts[1]!.slice(1)) };
    }
    case 'id:sgln': {
      const gln = withCheck(prefixed(parts[0], parts[1], 12, urn));
      const extension = text(rest(2), 20, 'extension', urn);
      return { kind: 'sgln', gln, extension: extension === '0' ? null : extension };
    }
    case 'id:pgln':
      if (parts.length !== 2) throw new EpcError(`${urn}: expected companyPrefix.partyReference.`);
      return { kind: 'pgln', gln: withCheck(prefixed(parts[0], parts[1], 12, urn)) };
    case 'id:grai':
      return { kind: 'grai', grai: withCheck(`0${prefixed(parts[0], parts[1], 12, urn)}`), serial: text(rest(2), 16, 'serial', urn) };
    case 'idpat:grai':
      pattern(3);
      return { kind: 'grai', grai: withCheck(`0${prefixed(parts[0], parts[1], 12, urn)}`), serial: null };
    case 'id:giai':
      return { kind: 'giai', giai: prefixedText(parts[0], rest(1), AI82, 'asset reference', urn) };
    case 'id:gsrn':
    case 'id:gsrnp': {
      if (parts.length !== 2) throw new EpcError(`${urn}: expected companyPrefix.serviceReference.`);
      const key = withCheck(prefixed(parts[0], parts[1], 17, urn));
      return scheme === 'id:gsrn' ? { kind: 'gsrn', gsrn: key } : { kind: 'gsrnp', gsrnp: key };
    }
    case 'id:gdti':
      return { kind: 'gdti', gdti: withCheck(prefixed(parts[0], parts[1], 12, urn)), serial: text(rest(2), 17, 'serial', urn) };
    case 'idpat:gdti':
      pattern(3);
      return { kind: 'gdti', gdti: withCheck(prefixed(parts[0], parts[1], 12, urn)), serial: null };
    case 'id:cpi':
    case 'idpat:cpi': {
      if (parts.length !== 3) throw new EpcError(`${urn}: expected companyPrefix.componentPartReference.serial.`);
      const cpi = prefixedText(parts[0], urnUnescape(parts[1]!, urn), AI39, 'component/part reference', urn);
      if (scheme === 'idpat:cpi') pattern(3);
      return { kind: 'cpi', cpi, serial: scheme === 'idpat:cpi' ? null : numeric(parts[2]!, 12, 'serial', urn) };
    }
    case 'id:sgcn':
      if (parts.length !== 3) throw new EpcError(`${urn}: expected companyPrefix.couponReference.serial.`);
      return { kind: 'sgcn', gcn: withCheck(prefixed(parts[0], parts[1], 12, urn)), serial: numeric(parts[2]!, 12, 'serial', urn) };
    case 'idpat:sgcn':
      pattern(3);
      return { kind: 'sgcn', gcn: withCheck(prefixed(parts[0], parts[1], 12, urn)), serial: null };
    case 'id:ginc':
      return { kind: 'ginc', ginc: prefixedText(parts[0], rest(1), AI82, 'consignment reference', urn) };
    case 'id:gsin':
      if (parts.length !== 2) throw new EpcError(`${urn}: expected companyPrefix.shipperReference.`);
      return { kind: 'gsin', gsin: withCheck(prefixed(parts[0], parts[1], 16, urn)) };
    case 'id:itip':
    case 'idpat:itip': {
      const gtin = gtinFromUrn(parts[0], parts[1], urn);
      if (!/^\d\d$/.test(parts[2] ?? '') || !/^\d\d$/.test(parts[3] ?? '')) throw new EpcError(`${urn}: piece and total are two digits each.`);
      if (scheme === 'idpat:itip') pattern(5);
      return { kind: 'itip', itip: gtin + parts[2] + parts[3], serial: scheme === 'idpat:itip' ? null : text(rest(4), 20, 'serial', urn) };
    }
    case 'id:upui':
      return { kind: 'upui', gtin: gtinFromUrn(parts[0], parts[1], urn), tpx: text(rest(2), 28, 'third party controlled serial', urn) };
    default:
      throw new EpcError(
        `${urn}: EPC scheme "${scheme}" has no GS1 key (supported: sgtin, lgtin, sscc, sgln, pgln, grai, giai, gsrn, gsrnp, gdti, cpi, sgcn, ginc, gsin, itip, upui and their class patterns).`,
      );
  }
}

/** GS1 Digital Link 1.0 short names, still to be read. */
const SHORT_NAMES: Record<string, string> = {
  gtin: '01',
  itip: '8006',
  cpid: '8010',
  gln: '414',
  party: '417',
  gsrnp: '8017',
  gsrn: '8018',
  gcn: '255',
  sscc: '00',
  gdti: '253',
  ginc: '401',
  gsin: '402',
  grai: '8003',
  giai: '8004',
  cpv: '22',
  lot: '10',
  ser: '21',
  cpsn: '8011',
  glnx: '254',
};
/** Primary keys and the key qualifiers each may carry in the path (GS1 Digital Link URI syntax 1.x). */
const QUALIFIERS: Record<string, string[]> = {
  '00': [],
  '01': ['22', '10', '21', '235'],
  '253': [],
  '255': [],
  '401': [],
  '402': [],
  '414': ['254'],
  '417': [],
  '8003': [],
  '8004': [],
  '8006': ['22', '10', '21'],
  '8010': ['8011'],
  '8017': [],
  '8018': [],
};

function gtinFromDl(value: string, uri: string): string {
  if (![8, 12, 13, 14].includes(value.length)) throw new EpcError(`${uri}: a GTIN has 8, 12, 13 or 14 digits.`);
  return checked(value.padStart(14, '0'), 'GTIN', 14, uri);
}

function fromDigitalLink(uri: string): Gs1Id {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new EpcError(`${uri} is not a URI.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new EpcError(`${uri} is not an http(s) URI.`);
  const segments = url.pathname.split('/').filter(Boolean);
  const ai = (segment: string) => SHORT_NAMES[segment] ?? segment;
  // A resolver may live under a path prefix: the identifier starts at the first primary key followed by AI/value pairs.
  const start = segments.findIndex((s, i) => ai(s) in QUALIFIERS && (segments.length - i) % 2 === 0);
  if (start < 0) throw new EpcError(`${uri} is not a GS1 Digital Link URI (no primary key such as /01/, /00/, /414/ followed by AI/value pairs).`);
  const key = ai(segments[start]!);
  const value = dlUnescape(segments[start + 1]!, uri);
  const q = new Map<string, string>();
  for (let i = start + 2; i < segments.length; i += 2) {
    const qualifier = ai(segments[i]!);
    if (!QUALIFIERS[key]!.includes(qualifier)) throw new EpcError(`${uri}: AI ${qualifier} is not a key qualifier of AI ${key}.`);
    if (q.has(qualifier)) throw new EpcError(`${uri}: AI ${qualifier} appears twice.`);
    q.set(qualifier, dlUnescape(segments[i + 1]!, uri));
  }
  switch (key) {
    case '01': {
      const gtin = gtinFromDl(value, uri);
      // CPV (22) does not identify an instance or class further in EPC terms; a serial makes a lot redundant.
      if (q.has('235')) {
        if (q.size > 1) throw new EpcError(`${uri}: AI 235 stands alone after a GTIN.`);
        return { kind: 'upui', gtin, tpx: text(q.get('235')!, 28, 'third party controlled serial', uri) };
      }
      if (q.has('21')) return { kind: 'sgtin', gtin, serial: text(q.get('21')!, 20, 'serial', uri) };
      if (q.has('10')) return { kind: 'lgtin', gtin, lot: text(q.get('10')!, 20, 'lot', uri) };
      return { kind: 'gtinClass', gtin };
    }
    case '00':
      return { kind: 'sscc', sscc: checked(value, 'SSCC', 18, uri) };
    case '414': {
      const extension = q.has('254') ? text(q.get('254')!, 20, 'GLN extension', uri) : null;
      return { kind: 'sgln', gln: checked(value, 'GLN', 13, uri), extension: extension === '0' ? null : extension };
    }
    case '417':
      return { kind: 'pgln', gln: checked(value, 'GLN', 13, uri) };
    case '8003': {
      if (value[0] !== '0') throw new EpcError(`${uri}: a GRAI starts with the filler digit 0.`);
      const grai = checked(value.slice(0, 14), 'GRAI', 14, uri);
      return { kind: 'grai', grai, serial: value.length > 14 ? text(value.slice(14), 16, 'serial', uri) : null };
    }
    case '8004':
      return { kind: 'giai', giai: prefixedText(/^\d{6}/.test(value) ? value.slice(0, 6) : undefined, value.slice(6), AI82, 'GIAI', uri) };
    case '253':
      return { kind: 'gdti', gdti: checked(value.slice(0, 13), 'GDTI', 13, uri), serial: value.length > 13 ? text(value.slice(13), 17, 'serial', uri) : null };
    case '255':
      return { kind: 'sgcn', gcn: checked(value.slice(0, 13), 'GCN', 13, uri), serial: value.length > 13 ? numeric(value.slice(13), 12, 'serial', uri) : null };
    case '401':
      return { kind: 'ginc', ginc: prefixedText(/^\d{6}/.test(value) ? value.slice(0, 6) : undefined, value.slice(6), AI82, 'GINC', uri) };
    case '402':
      return { kind: 'gsin', gsin: checked(value, 'GSIN', 17, uri) };
    case '8006': {
      if (!/^\d{18}$/.test(value)) throw new EpcError(`${uri}: an ITIP has 18 digits (GTIN, piece, total).`);
      checked(value.slice(0, 14), 'GTIN', 14, uri);
      if (q.has('10') && !q.has('21')) throw new EpcError(`${uri}: an ITIP with a lot has no EPC.`);
      return { kind: 'itip', itip: value, serial: q.has('21') ? text(q.get('21')!, 20, 'serial', uri) : null };
    }
    case '8010':
      return {
        kind: 'cpi',
        cpi: prefixedText(/^\d{6}/.test(value) ? value.slice(0, 6) : undefined, value.slice(6), AI39, 'CPI', uri),
        serial: q.has('8011') ? numeric(q.get('8011')!, 12, 'serial', uri) : null,
      };
    case '8017':
      return { kind: 'gsrnp', gsrnp: checked(value, 'GSRN-P', 18, uri) };
    default:
      return { kind: 'gsrn', gsrn: checked(value, 'GSRN', 18, uri) };
  }
}

/** Reads an EPC URN or a GS1 Digital Link URI (any host, short names, path prefix); throws EpcError. */
export function parseGs1Id(value: string): Gs1Id {
  const v = value.trim();
  if (/^urn:epc:/i.test(v)) return fromUrn(v);
  if (/^https?:\/\//i.test(v)) return fromDigitalLink(v);
  throw new EpcError(`${value} is neither an EPC URN nor a GS1 Digital Link URI.`);
}

/** Whether a value is an identifier this module reads (rather than a private URI); never throws. */
export const isGs1Id = (value: string) => {
  try {
    parseGs1Id(value);
    return true;
  } catch {
    return false;
  }
};

/** Splits `digits` after the company prefix. */
function split(digits: string, prefixLength: number | undefined, max = 12): [string, string] {
  const cp = prefixLength ?? companyPrefixLength(digits);
  if (cp < 6 || cp > Math.min(12, max)) throw new EpcError(`A company prefix has 6–${Math.min(12, max)} digits here, not ${cp}.`);
  if (!/^\d+$/.test(digits.slice(0, cp))) throw new EpcError(`${digits} does not start with a company prefix of ${cp} digits.`);
  return [digits.slice(0, cp), digits.slice(cp)];
}

/** Company prefix . indicator+item reference of a GTIN-14. */
function gtinUrn(gtin: string, prefixLength?: number): string {
  const [cp, ref] = split(gtin.slice(1, 13), prefixLength);
  return `${cp}.${gtin[0]}${ref}`;
}

/** The EPC URN (pure identity, class, or id pattern); `prefixLength` is the GS1 company prefix length when known. */
export function toEpcUrn(id: Gs1Id, prefixLength?: number): string {
  const cpRef = (digits: string) => split(digits, prefixLength).join('.');
  switch (id.kind) {
    case 'sgtin':
      return `urn:epc:id:sgtin:${gtinUrn(id.gtin, prefixLength)}.${urnEscape(id.serial)}`;
    case 'lgtin':
      return `urn:epc:class:lgtin:${gtinUrn(id.gtin, prefixLength)}.${urnEscape(id.lot)}`;
    case 'gtinClass':
      return `urn:epc:idpat:sgtin:${gtinUrn(id.gtin, prefixLength)}.*`;
    case 'sscc': {
      const [cp, ref] = split(id.sscc.slice(1, 17), prefixLength);
      return `urn:epc:id:sscc:${cp}.${id.sscc[0]}${ref}`;
    }
    case 'sgln':
      return `urn:epc:id:sgln:${cpRef(id.gln.slice(0, 12))}.${urnEscape(id.extension ?? '0')}`;
    case 'pgln':
      return `urn:epc:id:pgln:${cpRef(id.gln.slice(0, 12))}`;
    case 'grai':
      return id.serial === null
        ? `urn:epc:idpat:grai:${cpRef(id.grai.slice(1, 13))}.*`
        : `urn:epc:id:grai:${cpRef(id.grai.slice(1, 13))}.${urnEscape(id.serial)}`;
    case 'giai': {
      const [cp, ref] = split(id.giai, prefixLength, id.giai.length - 1);
      return `urn:epc:id:giai:${cp}.${urnEscape(ref)}`;
    }
    case 'gsrn':
      return `urn:epc:id:gsrn:${cpRef(id.gsrn.slice(0, 17))}`;
    case 'gsrnp':
      return `urn:epc:id:gsrnp:${cpRef(id.gsrnp.slice(0, 17))}`;
    case 'gdti':
      return id.serial === null
        ? `urn:epc:idpat:gdti:${cpRef(id.gdti.slice(0, 12))}.*`
        : `urn:epc:id:gdti:${cpRef(id.gdti.slice(0, 12))}.${urnEscape(id.serial)}`;
    case 'cpi': {
      const [cp, ref] = split(id.cpi, prefixLength, id.cpi.length - 1);
      return `urn:epc:${id.serial === null ? 'idpat' : 'id'}:cpi:${cp}.${urnEscape(ref)}.${id.serial ?? '*'}`;
    }
    case 'sgcn':
      return `urn:epc:${id.serial === null ? 'idpat' : 'id'}:sgcn:${cpRef(id.gcn.slice(0, 12))}.${id.serial ?? '*'}`;
    case 'ginc': {
      const [cp, ref] = split(id.ginc, prefixLength, id.ginc.length - 1);
      return `urn:epc:id:ginc:${cp}.${urnEscape(ref)}`;
    }
    case 'gsin':
      return `urn:epc:id:gsin:${cpRef(id.gsin.slice(0, 16))}`;
    case 'itip': {
      const tail = `${id.itip.slice(14, 16)}.${id.itip.slice(16, 18)}`;
      return id.serial === null
        ? `urn:epc:idpat:itip:${gtinUrn(id.itip.slice(0, 14), prefixLength)}.${tail}.*`
        : `urn:epc:id:itip:${gtinUrn(id.itip.slice(0, 14), prefixLength)}.${tail}.${urnEscape(id.serial)}`;
    }
    case 'upui':
      return `urn:epc:id:upui:${gtinUrn(id.gtin, prefixLength)}.${urnEscape(id.tpx)}`;
  }
}

/** The GS1 Digital Link URI on `base` (default https://id.gs1.org, the canonical form). */
export function toDigitalLink(id: Gs1Id, base = DEFAULT_RESOLVER): string {
  const b = base.replace(/\/+$/, '');
  switch (id.kind) {
    case 'sgtin':
      return `${b}/01/${id.gtin}/21/${dlEscape(id.serial)}`;
    case 'lgtin':
      return `${b}/01/${id.gtin}/10/${dlEscape(id.lot)}`;
    case 'gtinClass':
      return `${b}/01/${id.gtin}`;
    case 'sscc':
      return `${b}/00/${id.sscc}`;
    case 'sgln':
      return id.extension ? `${b}/414/${id.gln}/254/${dlEscape(id.extension)}` : `${b}/414/${id.gln}`;
    case 'pgln':
      return `${b}/417/${id.gln}`;
    case 'grai':
      return `${b}/8003/${id.grai}${dlEscape(id.serial ?? '')}`;
    case 'giai':
      return `${b}/8004/${dlEscape(id.giai)}`;
    case 'gsrn':
      return `${b}/8018/${id.gsrn}`;
    case 'gsrnp':
      return `${b}/8017/${id.gsrnp}`;
    case 'gdti':
      return `${b}/253/${id.gdti}${dlEscape(id.serial ?? '')}`;
    case 'cpi':
      return `${b}/8010/${dlEscape(id.cpi)}${id.serial === null ? '' : `/8011/${id.serial}`}`;
    case 'sgcn':
      return `${b}/255/${id.gcn}${id.serial ?? ''}`;
    case 'ginc':
      return `${b}/401/${dlEscape(id.ginc)}`;
    case 'gsin':
      return `${b}/402/${id.gsin}`;
    case 'itip':
      return `${b}/8006/${id.itip}${id.serial === null ? '' : `/21/${dlEscape(id.serial)}`}`;
    case 'upui':
      return `${b}/01/${id.gtin}/235/${dlEscape(id.tpx)}`;
  }
}

/** One canonical spelling of any identifier: the Digital Link on id.gs1.org; other URIs unchanged. */
export function canonicalId(value: string): string {
  return isGs1Id(value) ? toDigitalLink(parseGs1Id(value)) : value.trim();
}

export type EpcFormat = 'Always_EPC_URN' | 'Always_GS1_Digital_Link' | 'No_Preference';

/**
 * Spells an identifier per the GS1-EPC-Format header (default: EPC URN, as
 * EPCIS 1.x clients expect); other URIs unchanged. A GIAI, GINC or CPI whose
 * assumed company prefix is not all digits has no URN we could vouch for and
 * stays a Digital Link.
 */
export function formatId(value: string, format: EpcFormat, base?: string): string {
  if (!isGs1Id(value)) return value;
  const id = parseGs1Id(value);
  if (format === 'Always_GS1_Digital_Link') return toDigitalLink(id, base);
  try {
    return toEpcUrn(id);
  } catch (error) {
    if (error instanceof EpcError) return toDigitalLink(id, base);
    throw error;
  }
}
