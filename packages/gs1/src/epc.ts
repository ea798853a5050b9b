import { createHash } from 'node:crypto';
import { gs1CheckDigit, hasValidCheckDigit } from './index';

/**
 * GS1 identifiers in their three spellings — EPC URNs (TDS 2.x), GS1 Digital
 * Link URIs, and our internal form (GTIN-14 + lot/serial, GLN, SSCC) — and
 * the EPCIS 2.0 canonical event hash. Pure: no I/O.
 *
 * Company prefix length: an EPC URN carries the split (company prefix .
 * reference); a Digital Link or internal identifier does not. For output we
 * use a small prefix-length table keyed by GS1 prefix: 893 (GS1 Vietnam) → 9
 * digits, the rest → 7 digits (GS1 US's most common length). A caller that
 * knows the real length passes it.
 */
export type Gs1Id =
  | { kind: 'lgtin'; gtin: string; lot: string }
  | { kind: 'sgtin'; gtin: string; serial: string }
  | { kind: 'gtin'; gtin: string }
  | { kind: 'sgln'; gln: string; extension: string | null }
  | { kind: 'pgln'; gln: string }
  | { kind: 'sscc'; sscc: string };

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

/** Company prefix length for identifiers whose URN did not tell us. */
export function companyPrefixLength(digits: string): number {
  return digits.startsWith('893') ? 9 : 7;
}

// Characters GS1 AI-82 allows that must be %-escaped in EPC URNs and Digital Link paths.
const escape = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const unescape = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new EpcError(`"${value}" has a broken %-escape.`);
  }
};

function checked(digits: string, what: string, length: number): string {
  if (!new RegExp(`^\\d{${length}}$`).test(digits) || !hasValidCheckDigit(digits))
    throw new EpcError(`${digits} is not a valid ${what} (${length} digits, check digit).`);
  return digits;
}

/** Builds a GTIN-14 from a URN's company prefix and indicator+item reference. */
function gtinFromUrn(prefix: string, itemRef: string): string {
  if (!/^\d+$/.test(prefix) || !/^\d+$/.test(itemRef) || prefix.length + itemRef.length !== 13)
    throw new EpcError('An SGTIN/LGTIN URN has company prefix + item reference of 13 digits.');
  const body = itemRef[0]! + prefix + itemRef.slice(1);
  return body + String(gs1CheckDigit(body));
}

function fromUrn(urn: string): Gs1Id {
  const match = /^urn:epc:(id|class):([a-z]+):(.+)$/i.exec(urn);
  if (!match) throw new EpcError(`${urn} is not an EPC URN.`);
  const [, , scheme, rest] = match;
  const parts = rest!.split('.');
  switch (scheme!.toLowerCase()) {
    case 'sgtin':
    case 'lgtin': {
      if (parts.length < 3) throw new EpcError(`${urn}: expected companyPrefix.itemRef.${scheme === 'lgtin' ? 'lot' : 'serial'}.`);
      const gtin = gtinFromUrn(parts[0]!, parts[1]!);
      const tail = unescape(parts.slice(2).join('.'));
      if (!tail || tail.length > 20) throw new EpcError(`${urn}: a lot or serial has 1–20 characters.`);
      return scheme!.toLowerCase() === 'lgtin' ? { kind: 'lgtin', gtin, lot: tail } : { kind: 'sgtin', gtin, serial: tail };
    }
    case 'sgln': {
      if (parts.length < 3) throw new EpcError(`${urn}: expected companyPrefix.locationRef.extension.`);
      const body = parts[0]! + parts[1]!;
      if (!/^\d{12}$/.test(body)) throw new EpcError(`${urn}: company prefix + location reference is 12 digits.`);
      const ext = unescape(parts.slice(2).join('.'));
      return { kind: 'sgln', gln: body + String(gs1CheckDigit(body)), extension: ext === '0' || ext === '' ? null : ext };
    }
    case 'pgln': {
      const body = (parts[0] ?? '') + (parts[1] ?? '');
      if (parts.length !== 2 || !/^\d{12}$/.test(body)) throw new EpcError(`${urn}: expected companyPrefix.partyRef of 12 digits.`);
      return { kind: 'pgln', gln: body + String(gs1CheckDigit(body)) };
    }
    case 'sscc': {
      if (parts.length !== 2 || !/^\d+$/.test(parts[0]!) || !/^\d+$/.test(parts[1]!) || parts[0]!.length + parts[1]!.length !== 17) {
        throw new EpcError(`${urn}: expected companyPrefix.serialRef of 17 digits.`);
      }
      const body = parts[1]![0]! + parts[0]! + parts[1]!.slice(1);
      return { kind: 'sscc', sscc: body + String(gs1CheckDigit(body)) };
    }
    default:
      throw new EpcError(`${urn}: EPC scheme "${scheme}" is not supported (sgtin, lgtin, sgln, pgln, sscc).`);
  }
}

function fromDigitalLink(uri: string): Gs1Id {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new EpcError(`${uri} is not a URI.`);
  }
  const segments = url.pathname.split('/').filter(Boolean);
  // A resolver may live under a path prefix: find the first primary key AI.
  const start = segments.findIndex((s, i) => ['01', '00', '414', '417'].includes(s) && i + 1 < segments.length);
  if (start < 0) throw new EpcError(`${uri} is not a GS1 Digital Link URI (/01/, /00/, /414/ or /417/).`);
  const pairs = new Map<string, string>();
  for (let i = start; i + 1 < segments.length; i += 2) pairs.set(segments[i]!, unescape(segments[i + 1]!));
  if ((segments.length - start) % 2 !== 0) throw new EpcError(`${uri}: every AI needs a value.`);
  const [ai, value] = [segments[start]!, pairs.get(segments[start]!)!];
  switch (ai) {
    case '01': {
      const gtin = checked(value.padStart(14, '0'), 'GTIN', 14);
      if (pairs.has('21')) return { kind: 'sgtin', gtin, serial: pairs.get('21')! };
      if (pairs.has('10')) return { kind: 'lgtin', gtin, lot: pairs.get('10')! };
      return { kind: 'gtin', gtin };
    }
    case '00':
      return { kind: 'sscc', sscc: checked(value, 'SSCC', 18) };
    case '414':
      return { kind: 'sgln', gln: checked(value, 'GLN', 13), extension: pairs.get('254') ?? null };
    default:
      return { kind: 'pgln', gln: checked(value, 'GLN', 13) };
  }
}

/** Reads an EPC URN or a GS1 Digital Link URI; throws EpcError. */
export function parseGs1Id(value: string): Gs1Id {
  const v = value.trim();
  if (/^urn:epc:/i.test(v)) return fromUrn(v);
  if (/^https?:\/\//i.test(v)) return fromDigitalLink(v);
  throw new EpcError(`${value} is neither an EPC URN nor a GS1 Digital Link URI.`);
}

/** Whether a string looks like an identifier this module reads (rather than a private URI). */
export const isGs1Id = (value: string) => {
  try {
    parseGs1Id(value);
    return true;
  } catch {
    return false;
  }
};

function split(digits: string, prefixLength?: number) {
  const cp = prefixLength ?? companyPrefixLength(digits);
  if (cp < 6 || cp > 12) throw new EpcError('A company prefix has 6–12 digits.');
  return cp;
}

/** The EPC URN; `prefixLength` is the GS1 company prefix length when known. */
export function toEpcUrn(id: Gs1Id, prefixLength?: number): string {
  switch (id.kind) {
    case 'lgtin':
    case 'sgtin': {
      const g = id.gtin.slice(1, 13); // without indicator and check digit
      const cp = split(g, prefixLength);
      const ref = id.gtin[0]! + g.slice(cp);
      return id.kind === 'lgtin'
        ? `urn:epc:class:lgtin:${g.slice(0, cp)}.${ref}.${escape(id.lot)}`
        : `urn:epc:id:sgtin:${g.slice(0, cp)}.${ref}.${escape(id.serial)}`;
    }
    case 'gtin': {
      const g = id.gtin.slice(1, 13);
      const cp = split(g, prefixLength);
      return `urn:epc:idpat:sgtin:${g.slice(0, cp)}.${id.gtin[0]}${g.slice(cp)}.*`;
    }
    case 'sgln':
    case 'pgln': {
      const body = id.gln.slice(0, 12);
      const cp = split(body, prefixLength);
      return id.kind === 'sgln'
        ? `urn:epc:id:sgln:${body.slice(0, cp)}.${body.slice(cp)}.${escape(id.extension ?? '0')}`
        : `urn:epc:id:pgln:${body.slice(0, cp)}.${body.slice(cp)}`;
    }
    case 'sscc': {
      const body = id.sscc.slice(1, 17);
      const cp = split(body, prefixLength);
      return `urn:epc:id:sscc:${body.slice(0, cp)}.${id.sscc[0]}${body.slice(cp)}`;
    }
  }
}

/** The GS1 Digital Link URI on `base` (default https://id.gs1.org, the canonical form). */
export function toDigitalLink(id: Gs1Id, base = DEFAULT_RESOLVER): string {
  const b = base.replace(/\/+$/, '');
  switch (id.kind) {
    case 'lgtin':
      return `${b}/01/${id.gtin}/10/${escape(id.lot)}`;
    case 'sgtin':
      return `${b}/01/${id.gtin}/21/${escape(id.serial)}`;
    case 'gtin':
      return `${b}/01/${id.gtin}`;
    case 'sgln':
      return id.extension ? `${b}/414/${id.gln}/254/${escape(id.extension)}` : `${b}/414/${id.gln}`;
    case 'pgln':
      return `${b}/417/${id.gln}`;
    case 'sscc':
      return `${b}/00/${id.sscc}`;
  }
}

/** One canonical spelling of any identifier: the Digital Link on id.gs1.org; other URIs unchanged. */
export function canonicalId(value: string): string {
  return isGs1Id(value) ? toDigitalLink(parseGs1Id(value)) : value.trim();
}

export type EpcFormat = 'Always_EPC_URN' | 'Always_GS1_Digital_Link' | 'No_Preference';

/** Spells an identifier per the GS1-EPC-Format header (default: EPC URN, as EPCIS 1.x clients expect). */
export function formatId(value: string, format: EpcFormat, base?: string): string {
  if (!isGs1Id(value)) return value;
  const id = parseGs1Id(value);
  return format === 'Always_GS1_Digital_Link' ? toDigitalLink(id, base) : toEpcUrn(id);
}

// ----------------------------------------------------------------------------
// EPCIS 2.0 canonical event hash (GS1 EPCIS 2.0 §7.x "event hash ID", as the
// GS1/openepcis event hash generator implements it): a pre-hash string of the
// event's fields in a fixed order, `name=value` pairs concatenated without
// separators, identifiers in canonical Digital Link form, times in UTC with
// milliseconds, CBV values as full URIs, list members sorted; eventID and
// recordTime left out. sha-256 over it, as an RFC 6920 ni: URI.
// ----------------------------------------------------------------------------

const FIELD_ORDER = [
  'epcList',
  'parentID',
  'inputEPCList',
  'childEPCs',
  'quantityList',
  'childQuantityList',
  'inputQuantityList',
  'outputEPCList',
  'outputQuantityList',
  'action',
  'transformationID',
  'bizStep',
  'disposition',
  'persistentDisposition',
  'readPoint',
  'bizLocation',
  'bizTransactionList',
  'sourceList',
  'destinationList',
  'sensorElementList',
  'ilmd',
  'certificationInfo',
  // Not in the GS1 list: a correction must not hash like what it corrects (our events are append-only).
  'errorDeclaration',
];
const SKIPPED = new Set(['eventID', 'recordTime', 'type', 'eventTime', 'eventTimeZoneOffset', '@context', 'isA']);
const CBV_PREFIX: Record<string, string> = {
  bizStep: 'https://ref.gs1.org/cbv/BizStep-',
  disposition: 'https://ref.gs1.org/cbv/Disp-',
  set: 'https://ref.gs1.org/cbv/Disp-',
  unset: 'https://ref.gs1.org/cbv/Disp-',
};
const BARE_WORD = /^[a-z_]+$/;

const utc = (value: string) => {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
};

function scalar(name: string, value: unknown): string {
  if (typeof value === 'string') {
    if (CBV_PREFIX[name] && BARE_WORD.test(value)) return CBV_PREFIX[name] + value;
    if (/time$/i.test(name) || name === 'declarationTime') return utc(value);
    if (/^(urn:epc:|https?:\/\/)/i.test(value)) return canonicalId(value);
    return value;
  }
  if (typeof value === 'number') return String(value);
  return String(value);
}

/** Serialises one field; objects' keys are sorted, list members sorted so order never matters. */
function field(name: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) {
    const singular = name.endsWith('List') ? name.slice(0, -4) : name.endsWith('EPCs') ? 'epc' : name;
    const items = value
      .map((v) => (v !== null && typeof v === 'object' ? field(singular, v) : `${singular === 'epcList' ? 'epc' : singular}=${scalar(name, v)}`))
      .sort();
    return `${name}${items.join('')}`;
  }
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (name === 'readPoint' || name === 'bizLocation') return `${name}id=${scalar(name, obj.id)}`;
    return (
      name +
      Object.keys(obj)
        .filter((k) => obj[k] !== null && obj[k] !== undefined)
        .sort()
        .map((k) => (obj[k] !== null && typeof obj[k] === 'object' ? field(k, obj[k]) : `${k}=${scalar(k, obj[k])}`))
        .join('')
    );
  }
  return `${name}=${scalar(name, value)}`;
}

/** The pre-hash string of an EPCIS 2.0 event in JSON-LD form. */
export function preHashString(event: Record<string, unknown>): string {
  const type = String(event.type ?? event.isA ?? '');
  let out = `eventType=${type}eventTime=${utc(String(event.eventTime))}eventTimeZoneOffset=${event.eventTimeZoneOffset}`;
  for (const name of FIELD_ORDER) if (name in event) out += field(name, event[name]);
  // User extensions (namespaced keys) last, sorted.
  for (const name of Object.keys(event)
    .filter((k) => !SKIPPED.has(k) && !FIELD_ORDER.includes(k))
    .sort())
    out += field(name, event[name]);
  return out;
}

export function canonicalEventHash(event: Record<string, unknown>): string {
  return `ni:///sha-256;${createHash('sha256').update(preHashString(event), 'utf8').digest('hex')}?ver=CBV2.0`;
}
