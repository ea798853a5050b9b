import { createHash } from 'node:crypto';
import { CBV_URNS, EPCIS_PREFIXES, VOCAB_TERMS } from './cbv';
import { parseGs1Id, toDigitalLink } from './epc';

/**
 * The EPCIS Event Hash ID of CBV 2.0, computed exactly as GS1's
 * reference generator (github:RalphTro/epcis-event-hash-generator) computes
 * it from an EPCIS 2.0 JSON-LD event, so that any two systems — and two
 * installations of ours — give the same event the same ID:
 *  - the event becomes a tree of (name, value, children); list members take
 *    the list's singular name; bare CBV words are spelt as the EPCIS context
 *    expands them; prefixed names and values are expanded with the
 *    document's `@context` (`{namespace}local` for names);
 *  - the standard fields come in the canonical property order, each group
 *    sorted; every other field (business transactions, sources,
 *    destinations, ILMD, user extensions) follows, sorted as strings;
 *    extensions inside readPoint, bizLocation and sensor elements close
 *    their parent;
 *  - values: times in UTC with milliseconds (rounded half to even), numbers
 *    without trailing zeros, CBV 1.x URNs as CBV 2.0 Web URIs, every GS1 key
 *    (EPC URN or Digital Link on any host) as the constrained canonical
 *    Digital Link on id.gs1.org;
 *  - eventID, recordTime and errorDeclaration are left out: they are not in
 *    the standard's canonical property order (and the generator drops them),
 *    so an event declared erroneous keeps its hash.
 * Where the generator depends on accidents of its input (the key order of a
 * business transaction, a prefix the document does not restate), we take
 * what its published examples show: `type` first, the EPCIS context's own
 * prefixes (gs1, cbv, …) always known.
 */

interface Node {
  name: string;
  value: string;
  children: Node[];
  /** A business transaction, source or destination: its type, then its identifier, never reordered. */
  pair?: true;
}

type Order = [name: string, sub?: Order][];

const QUANTITY: Order = [['quantityElement', [['epcClass'], ['quantity'], ['uom']]]];
const EPC: Order = [['epc']];
const PROPERTY_ORDER: Order = [
  ['eventTime'],
  ['eventTimeZoneOffset'],
  ['certificationInfo'],
  ['parentID'],
  ['epcList', EPC],
  ['inputEPCList', EPC],
  ['childEPCs', EPC],
  ['quantityList', QUANTITY],
  ['childQuantityList', QUANTITY],
  ['inputQuantityList', QUANTITY],
  ['outputEPCList', EPC],
  ['outputQuantityList', QUANTITY],
  ['action'],
  ['transformationID'],
  ['bizStep'],
  ['disposition'],
  ['persistentDisposition', [['set'], ['unset']]],
  ['readPoint', [['id']]],
  ['bizLocation', [['id']]],
  [
    'sensorElementList',
    [
      [
        'sensorElement',
        [
          ['sensorMetadata', ['time', 'startTime', 'endTime', 'deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod', 'bizRules'].map((n) => [n])],
          [
            'sensorReport',
            [
              'type',
              'exception',
              'deviceID',
              'deviceMetadata',
              'rawData',
              'dataProcessingMethod',
              'time',
              'microorganism',
              'chemicalSubstance',
              'value',
              'component',
              'stringValue',
              'booleanValue',
              'hexBinaryValue',
              'uriValue',
              'minValue',
              'maxValue',
              'meanValue',
              'sDev',
              'percRank',
              'percValue',
              'uom',
              'coordinateReferenceSystem',
            ].map((n) => [n]),
          ],
        ],
      ],
    ],
  ],
];

const PAIR_LISTS = new Set(['bizTransactionList', 'sourceList', 'destinationList']);
const SKIPPED_KEYS = new Set(['#text', 'rdfs:comment', 'comment', '@context']);
const NOT_HASHED = new Set(['recordTime', 'eventID', 'type', 'errorDeclaration']);

// ---------------------------------------------------------------------------
// Ordering: Python's, i.e. strings by code point and trees as tuples.

const codePoint = (c: number) => (c >= 0xd800 && c <= 0xdfff ? c + 0x2000 : c >= 0xe000 ? c - 0x800 : c);

function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = codePoint(a.charCodeAt(i)) - codePoint(b.charCodeAt(i));
    if (d) return d;
  }
  return a.length - b.length;
}

function compareNodes(a: Node, b: Node): number {
  const d = compareStrings(a.name, b.name) || compareStrings(a.value, b.value);
  if (d) return d;
  for (let i = 0; i < Math.min(a.children.length, b.children.length); i++) {
    const c = compareNodes(a.children[i]!, b.children[i]!);
    if (c) return c;
  }
  return a.children.length - b.children.length;
}

// ---------------------------------------------------------------------------
// Values

/** Prefix → namespace: the EPCIS context's, then the event's `@context` (a document's, passed on by the caller). */
function namespaces(context: unknown): Map<string, string> {
  const map = new Map(Object.entries(EPCIS_PREFIXES));
  const add = (c: unknown) => {
    if (Array.isArray(c)) c.forEach(add);
    else if (c && typeof c === 'object') {
      for (const [prefix, ns] of Object.entries(c)) {
        const iri = typeof ns === 'string' ? ns : (ns as { '@id'?: unknown } | null)?.['@id'];
        if (typeof iri === 'string' && !prefix.startsWith('@')) map.set(prefix, iri);
      }
    }
  };
  add(context);
  return map;
}

function expand(value: string, ns: Map<string, string>, asName: boolean): string {
  const colon = value.indexOf(':');
  const iri = colon > 0 ? ns.get(value.slice(0, colon)) : undefined;
  if (iri === undefined) return value;
  return asName ? `{${iri}}${value.slice(colon + 1)}` : iri + value.slice(colon + 1);
}

/** The Web URIs JSON-LD expansion gives the event's vocabulary-typed values (bizStep, dispositions, types, …). */
function standardTerms(event: Record<string, unknown>, ns: Map<string, string>): string[] {
  const terms = new Set<string>();
  const add = (path: string, value: unknown) => {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v !== 'string') continue;
      const iri = VOCAB_TERMS[path]![v] ?? expand(v, ns, false);
      if (iri.startsWith('https://ref.gs1.org/cbv') || iri.startsWith('https://gs1.org/voc')) terms.add(iri);
    }
  };
  const objects = (value: unknown) => (Array.isArray(value) ? value : [value]).filter((v): v is Record<string, unknown> => !!v && typeof v === 'object');
  add('bizStep', event.bizStep);
  add('disposition', event.disposition);
  for (const pd of objects(event.persistentDisposition)) {
    add('persistentDisposition.set', pd.set);
    add('persistentDisposition.unset', pd.unset);
  }
  for (const list of PAIR_LISTS) for (const member of objects(event[list])) add(`${list}.type`, member.type);
  for (const element of objects(event.sensorElementList))
    for (const report of objects(element.sensorReport)) for (const f of ['type', 'exception', 'component']) add(`sensorReport.${f}`, report[f]);
  for (const declaration of objects(event.errorDeclaration)) add('errorDeclaration.reason', declaration.reason);
  return [...terms];
}

/** A bare string that names exactly one of the event's standard terms becomes that term's URI, wherever it occurs. */
function spellTerms(value: unknown, terms: string[]): unknown {
  if (typeof value === 'string') {
    const matches = terms.filter((t) => t.endsWith(`-${value}`) || t.endsWith(`/${value}`));
    return matches.length === 1 ? matches[0] : value;
  }
  if (Array.isArray(value)) return value.map((v) => spellTerms(v, terms));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, spellTerms(v, terms)]));
  return value;
}

/** Python's `str(float)`: JavaScript's shortest digits, with Python's exponent spelling below 1e-4. */
function pythonFloat(n: number): string {
  if (Number.isInteger(n)) return BigInt(n).toString();
  if (Math.abs(n) >= 1e-4) return String(n);
  return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
}

const PY_DIGITS = String.raw`\d(?:_?\d)*`;
const PY_FLOAT = new RegExp(`^[+-]?(?:(?:${PY_DIGITS})?\\.${PY_DIGITS}|${PY_DIGITS}\\.?)(?:[eE][+-]?${PY_DIGITS})?$`);

/** Any value that reads as a number is written as one: no trailing zeros, no leading zeros or sign. */
function numeric(text: string): string {
  if (!PY_FLOAT.test(text)) return text;
  const n = Number(text.replace(/_/g, ''));
  return Number.isFinite(n) ? pythonFloat(n) : text;
}

function scalar(value: unknown, ns: Map<string, string>): string {
  if (typeof value === 'string') return expand(value, ns, false);
  if (typeof value === 'number') return pythonFloat(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return value === null ? 'None' : String(value);
}

/** Every GS1 key, in whatever spelling, as the constrained canonical Digital Link; null when the value is none. */
function canonicalKey(text: string): string | null {
  if (!text.includes('.') || !/^(urn:epc:|https?:\/\/)/i.test(text)) return null;
  try {
    return toDigitalLink(parseGs1Id(text));
  } catch {
    return null;
  }
}

function canonicalValue(text: string): string {
  let value = text;
  for (const [urn, uri] of CBV_URNS) value = value.replaceAll(urn, uri);
  value = numeric(value);
  return canonicalKey(value) ?? value;
}

const TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** UTC with milliseconds; digits past the microsecond are dropped, then rounded half to even to the millisecond. */
function utcMillis(text: string): string {
  const m = TIME.exec(text);
  if (!m) return text;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const micro = Number((m[7] ?? '').padEnd(6, '0').slice(0, 6));
  const rest = micro % 1000;
  let ms = Math.floor(micro / 1000);
  if (rest > 500 || (rest === 500 && ms % 2 === 1)) ms += 1;
  const local = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (local.getUTCMonth() !== mo - 1 || local.getUTCDate() !== d || local.getUTCHours() !== h || local.getUTCMinutes() !== mi) return text;
  const zone = m[8] && !/^z$/i.test(m[8]) ? m[8] : null;
  const offset = zone ? (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.replace(':', '').slice(3, 5) || 0)) : 0;
  return new Date(local.getTime() + ms - offset * 60_000).toISOString();
}

// ---------------------------------------------------------------------------
// The tree

function toNode(name: string, value: unknown, ns: Map<string, string>): Node {
  if (Array.isArray(value)) return { name, value: '', children: value.map((v) => toNode('', v, ns)).sort(compareNodes) };
  if (value instanceof Date) return { name, value: value.toISOString(), children: [] };
  if (value === null || typeof value !== 'object') return { name, value: scalar(value, ns), children: [] };
  const obj = value as Record<string, unknown>;
  const children: Node[] = [];
  for (const [key, v] of Object.entries(obj)) {
    if (SKIPPED_KEYS.has(key) || key.startsWith('@xmlns')) continue;
    const child = expand(key, ns, true);
    for (const member of Array.isArray(v) ? v : [v]) children.push(toNode(child, member, ns));
  }
  if (!('bizTransaction' in obj || 'source' in obj || 'destination' in obj)) children.sort(compareNodes);
  return { name, value: typeof obj['#text'] === 'string' ? obj['#text'] : '', children };
}

const RENAMED: Record<string, string> = {
  inputEPC: 'epc',
  outputEPC: 'epc',
  inputQuantity: 'quantityElement',
  outputQuantity: 'quantityElement',
  childQuantity: 'quantityElement',
};

/** List members take the list's singular name and are gathered under one list node, as in the XML binding. */
function regroup(node: Node): Node {
  const lists = new Map<string, Node[]>();
  const children: Node[] = [];
  const childEpcs: Node[] = [];
  for (const c of node.children) {
    if (c.name.endsWith('List')) lists.set(c.name, [...(lists.get(c.name) ?? []), { ...c, name: c.name.slice(0, -4) }]);
    else if (c.name === 'childEPCs') childEpcs.push({ name: 'epc', value: c.value, children: [] });
    else children.push(regroup(c));
  }
  for (const [name, members] of lists) {
    if (!PAIR_LISTS.has(name)) {
      children.push(regroup({ name, value: '', children: members }));
      continue;
    }
    const idName = name.slice(0, -4);
    const pairs = members.map<Node>((m) => ({
      name: '',
      value: '',
      pair: true,
      children: [m.children.find((c) => c.name === 'type'), m.children.find((c) => c.name === idName)].filter((c): c is Node => !!c),
    }));
    children.push({ name, value: '', children: pairs });
  }
  if (childEpcs.length) children.push({ name: 'childEPCs', value: '', children: childEpcs });
  const renamed = RENAMED[node.name] ?? (node.name === 'quantity' && node.children.length ? 'quantityElement' : node.name);
  return { ...node, name: renamed, children };
}

// ---------------------------------------------------------------------------
// The pre-hash string

/** Namespaced members of a standard field with an extension point, taken out to close their parent. */
function extensionsOf(children: Node[]): Node[] {
  if (children.length <= 1 || children.some((c) => c.name.includes('eventTime') || c.name.includes('action'))) return [];
  const extensions = children.filter((c) => c.name.includes('{') && c.name.includes('/}'));
  for (const e of extensions) children.splice(children.indexOf(e), 1);
  return extensions;
}

/** The fields of `order`, consuming them from `children`; what is not consumed stays for the rest. */
function inOrder(children: Node[], order: Order): string {
  const extensions = extensionsOf(children);
  let out = '';
  for (const [name, sub] of order) {
    const values: string[] = [];
    for (const child of children.filter((c) => c.name === name)) {
      const grand = sub ? inOrder(child.children, sub) : '';
      let value = child.value.trim();
      if (value) value = `=${/time/i.test(name) && !/offset/i.test(name) ? utcMillis(value) : canonicalValue(value)}`;
      if (value || grand) values.push(name + value + grand);
      if (child.children.length === 0) children.splice(children.indexOf(child), 1);
    }
    out += values.sort(compareStrings).join('');
  }
  return extensions.length ? out + rest(extensions) : out;
}

/** Everything else, as sorted `name=value` strings, nested members after their parent. */
function rest(nodes: Node[]): string {
  const values = nodes.map((n) => {
    if (n.pair) return rest(n.children);
    const value = n.value.trim();
    return n.name + (value ? `=${canonicalValue(value)}` : '') + rest(n.children);
  });
  if (values.length > 1 && !nodes.some((n) => n.name === 'bizTransaction' || n.name === 'source' || n.name === 'destination')) values.sort(compareStrings);
  return values.join('');
}

/** The pre-hash string of one EPCIS 2.0 JSON-LD event; its `@context` (or the document's, put there by the caller) declares prefixes. */
export function preHashString(event: Record<string, unknown>): string {
  const ns = namespaces(event['@context']);
  const spelt = spellTerms(event, standardTerms(event, ns)) as Record<string, unknown>;
  const tree = regroup(toNode(String(event.type ?? ''), spelt, ns));
  const fields = inOrder(tree.children, PROPERTY_ORDER);
  return `eventType=${tree.name}${fields}${rest(tree.children.filter((c) => !NOT_HASHED.has(c.name)))}`;
}

/** The CBV 2.0 event hash ID: sha-256 of the pre-hash string as an RFC 6920 `ni:` URI. */
export function canonicalEventHash(event: Record<string, unknown>): string {
  return `ni:///sha-256;${createHash('sha256').update(preHashString(event), 'utf8').digest('hex')}?ver=CBV2.0`;
}
