import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { EPCIS_PREFIXES } from '@nguon/gs1/cbv';
import { canonicalId, EpcError, formatId, isGs1Id, parseGs1Id, type EpcFormat } from '@nguon/gs1/epc';
import schema from './schema/EPCIS-JSON-Schema.json';
import { invalid, notValidEpcis, unregisteredLots } from './problem';

/**
 * EPCIS 2.0 JSON-LD ⇄ the trace graph's EventInput / TraceEvent. A document
 * is first checked against GS1's own EPCIS 2.0 JSON schema (schema/README.md):
 * what it rejects is refused, what it accepts is captured. Lots are
 * class-level identifiers (LGTIN: GTIN + lot code) resolved to lot ids
 * through the graph; other classes and instance identifiers travel as they
 * are. What the graph has no field for (persistentDisposition, user
 * extensions, …) rides verbatim in `extensions` with the `@context` prefixes
 * it needs, so nothing captured is lost and answers can declare it again.
 */
export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/epcis-context.jsonld';

/** EPCIS event types → the graph's EventType, for capture and for the `eventType` query parameter. */
export const EVENT_TYPES: Readonly<Record<string, string>> = {
  ObjectEvent: 'OBJECT_EVENT',
  AggregationEvent: 'AGGREGATION_EVENT',
  TransformationEvent: 'TRANSFORMATION_EVENT',
  TransactionEvent: 'TRANSACTION_EVENT',
  AssociationEvent: 'ASSOCIATION_EVENT',
};
/** The graph's event type of an EPCIS type name; own keys only, so `constructor` and friends are unknown types. */
export const graphEventType = (epcisType: string): string | undefined => (Object.hasOwn(EVENT_TYPES, epcisType) ? EVENT_TYPES[epcisType] : undefined);
const EPCIS_TYPES = Object.fromEntries(Object.entries(EVENT_TYPES).map(([k, v]) => [v, k]));

type Json = Record<string, unknown>;
/** What to do with a lot (LGTIN) that is not registered here (EPCIS_UNREGISTERED_LOTS). */
export type UnregisteredLots = 'refuse' | 'accept';
export type LotKey = { gtin: string; lot: string };

const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const lotKey = (gtin: string, lot: string) => `${gtin}|${lot}`;

// Compiled once, when the gateway starts: a capture is one pass over the document.
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv, ['uri', 'date-time']);
const validateSchema = ajv.compile(schema);

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Ajv's errors as JSON pointers into the document, one message per pointer (the branches of an anyOf joined by "or"). */
function schemaErrors(errors: ErrorObject[]): { pointer: string; detail: string }[] {
  const byPointer = new Map<string, Set<string>>();
  // Objects with a key the schema refuses: the reasons a key failed (not a field, not a URI) are said once, on the key.
  const badKeys = new Set(errors.filter((e) => e.keyword === 'propertyNames').map((e) => e.instancePath));
  for (const e of errors) {
    // Summaries of the errors listed beside them.
    if (e.keyword === 'if' || e.keyword === 'anyOf') continue;
    if (badKeys.has(e.instancePath) && ['enum', 'format', 'pattern', 'type'].includes(e.keyword)) continue;
    let pointer = e.instancePath;
    let message = e.message ?? 'is not valid';
    if (e.keyword === 'propertyNames') {
      pointer += `/${escapePointer(String(e.params.propertyName))}`;
      message = 'is not an EPCIS 2.0 field here (a user extension is named by a URI or a prefixed name, e.g. example:myField)';
    } else if (e.keyword === 'required') {
      pointer += `/${escapePointer(String(e.params.missingProperty))}`;
      message = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      pointer += `/${escapePointer(String(e.params.additionalProperty))}`;
      message = 'is not a field here';
    } else if (e.keyword === 'enum') {
      const values = e.params.allowedValues as unknown[];
      message = `must be one of ${values.slice(0, 6).join(', ')}${values.length > 6 ? `, … (${values.length} values)` : ''}`;
    }
    const messages = byPointer.get(pointer) ?? new Set<string>();
    messages.add(message);
    byPointer.set(pointer, messages);
  }
  return [...byPointer].map(([pointer, messages]) => ({ pointer, detail: [...messages].join(' or ') }));
}

/** Refuses what GS1's EPCIS 2.0 JSON schema rejects (an EPCIS document, or one event with its `@context`), naming every offending JSON pointer. */
export function checkSchema(value: unknown): void {
  if (validateSchema(value)) return;
  throw notValidEpcis(schemaErrors(validateSchema.errors ?? []));
}

/** The events of an EPCIS capture document the schema accepts. */
export function eventsOfDocument(doc: unknown): Json[] {
  checkSchema(doc);
  if ((doc as Json).type !== 'EPCISDocument') throw invalid('A capture sends an EPCISDocument.', '/type');
  return (doc as { epcisBody: { eventList: Json[] } }).epcisBody.eventList;
}

// ---------------------------------------------------------------------------
// JSON-LD prefixes: the document's and the event's `@context` declare them.
// ---------------------------------------------------------------------------

/** Prefix → namespace (or term → definition) from `@context` objects; remote contexts (strings) add nothing here. */
export type Terms = Record<string, unknown>;

/** The term definitions of a `@context` value (a URL, an object or a list of both), later ones winning. */
export function termsOf(context: unknown, inherited: Terms = {}): Terms {
  const terms: Terms = { ...inherited };
  for (const c of Array.isArray(context) ? context : [context]) if (isObject(c)) Object.assign(terms, c);
  return terms;
}

const CURIE = /^([A-Za-z_][\w.-]*):(?!\/\/)(.*)$/s;
const namespaceOf = (definition: unknown) =>
  typeof definition === 'string' ? definition : isObject(definition) && typeof definition['@id'] === 'string' ? definition['@id'] : undefined;

/** A prefixed name whose prefix the context (or GS1's EPCIS context) declares, as the full URI; anything else as it is. */
export function expand(value: string, terms: Terms): string {
  const m = CURIE.exec(value);
  if (!m) return value;
  const namespace = Object.hasOwn(terms, m[1]!) ? namespaceOf(terms[m[1]!]) : EPCIS_PREFIXES[m[1]!];
  return namespace && !namespace.startsWith('@') ? namespace + m[2] : value;
}

/** The definitions, among `terms`, of the prefixes that keys and string values anywhere in `value` use. */
function prefixesUsed(value: unknown, terms: Terms, into: Terms): Terms {
  const use = (s: string) => {
    const m = CURIE.exec(s);
    if (m && Object.hasOwn(terms, m[1]!) && !Object.hasOwn(into, m[1]!)) into[m[1]!] = terms[m[1]!];
  };
  if (typeof value === 'string') use(value);
  else if (Array.isArray(value)) for (const v of value) prefixesUsed(v, terms, into);
  else if (isObject(value))
    for (const [k, v] of Object.entries(value)) {
      if (k === '@context') continue;
      use(k);
      prefixesUsed(v, terms, into);
    }
  return into;
}

// ---------------------------------------------------------------------------
// Capture: one JSON-LD event → the graph's EventInput (contract C3).
// ---------------------------------------------------------------------------

/** Fields of the standard the translation reads into the input's own fields; every other key rides in `extensions`. */
const READ = new Set([
  '@context',
  'type',
  'eventID',
  'eventTime',
  'eventTimeZoneOffset',
  'recordTime',
  'action',
  'bizStep',
  'disposition',
  'readPoint',
  'bizLocation',
  'epcList',
  'childEPCs',
  'inputEPCList',
  'outputEPCList',
  'parentID',
  'quantityList',
  'childQuantityList',
  'inputQuantityList',
  'outputQuantityList',
  'bizTransactionList',
  'sourceList',
  'destinationList',
  'ilmd',
  'sensorElementList',
  'certificationInfo',
  'errorDeclaration',
]);
const QUANTITY_LISTS = ['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList'] as const;
/** CBV words the graph takes bare; their CBV URIs are sent as those words. */
const SDT = new Set(['owning_party', 'possessing_party', 'location']);
const BTT = new Set(['bol', 'cert', 'desadv', 'inv', 'pedigree', 'po', 'poc', 'prodorder', 'recadv', 'rma', 'testprd', 'testres', 'upevt']);
const ER = new Set(['did_not_occur', 'incorrect_data']);
/** `urn:nguon:org:<id>`: how answers name an organization of this graph that has no GLN. */
const ORG_URN = /^urn:nguon:org:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** A CBV URI of one of `words` (https://ref.gs1.org/cbv/<Vocab>-word) as the bare word; any other value as it is. */
function cbvWord(value: string, vocabulary: string, words: ReadonlySet<string>): string {
  const prefix = `https://ref.gs1.org/cbv/${vocabulary}-`;
  const word = value.startsWith(prefix) ? value.slice(prefix.length) : value;
  return words.has(word) ? word : value;
}

/** A GS1 identifier in one canonical spelling, any other URI as it is; an EPC URN that does not parse is refused. */
function identifier(value: string, at: string): string {
  if (/^urn:epc:(id|class):/i.test(value))
    try {
      parseGs1Id(value);
    } catch (error) {
      if (error instanceof EpcError) throw invalid(error.message, at);
      throw error;
    }
  return canonicalId(value);
}

/** The lot an epcClass names (an LGTIN), or null for any other class. */
function lotOf(epcClass: string, at: string): LotKey | null {
  let id;
  try {
    if (!isGs1Id(epcClass)) return null;
    id = parseGs1Id(epcClass);
  } catch (error) {
    if (error instanceof EpcError) throw invalid(error.message, at);
    throw error;
  }
  return id.kind === 'lgtin' ? { gtin: id.gtin, lot: id.lot } : null;
}

/** Every LGTIN the events name, to resolve in one round trip. */
export function lgtinsOf(events: Json[]): LotKey[] {
  const seen = new Map<string, LotKey>();
  events.forEach((e, i) => {
    for (const key of QUANTITY_LISTS)
      ((e[key] as Json[] | undefined) ?? []).forEach((q, j) => {
        const lot = lotOf(q.epcClass as string, `/epcisBody/eventList/${i}/${key}/${j}/epcClass`);
        if (lot) seen.set(lotKey(lot.gtin, lot.lot), lot);
      });
  });
  return [...seen.values()];
}

/** What the translation of a document needs besides the events. */
export interface Translation {
  /** GTIN|lot → lot id of the lots registered here (and visible to the caller). */
  lots: Map<string, string>;
  unregisteredLots: UnregisteredLots;
  /** The document's own `@context` definitions. */
  terms: Terms;
}

/**
 * The events of a document the schema accepted → the graph's EventInputs.
 * Under the `refuse` policy, every LGTIN not registered here is named in one
 * policy refusal; under `accept` it is captured as a class (`epcClass`).
 */
export function toEventInputs(events: Json[], at: (i: number) => string, t: Translation): Json[] {
  const missing = new Map<string, string>();
  const inputs = events.map((e, i) => toEventInput(e, at(i), t, missing));
  if (missing.size) throw unregisteredLots([...missing].map(([epcClass, pointer]) => ({ epcClass, pointer })));
  return inputs;
}

function toEventInput(e: Json, at: string, t: Translation, missing: Map<string, string>): Json {
  const type = graphEventType(e.type as string);
  if (!type) throw invalid(`${at}/type: only the five EPCIS 2.0 event types are captured here.`, `${at}/type`);
  const terms = termsOf(e['@context'], t.terms);
  const vocab = (v: unknown) => expand(v as string, terms);
  const input: Json = { type, eventTime: e.eventTime, eventTimeZoneOffset: e.eventTimeZoneOffset };
  const extensions: Json = {};
  if (e.eventID !== undefined) input.eventID = e.eventID;
  if (e.action !== undefined) input.action = e.action;
  if (e.bizStep !== undefined) input.bizStep = vocab(e.bizStep);
  if (e.disposition !== undefined) input.disposition = vocab(e.disposition);
  for (const key of ['readPoint', 'bizLocation'] as const) {
    const place = e[key] as Json | undefined;
    if (!place) continue;
    const { id, ...rest } = place;
    input[key] = identifier(id as string, `${at}/${key}/id`);
    // A location may carry user extensions beside its id.
    if (Object.keys(rest).length) extensions[key] = rest;
  }

  const grouping = type === 'AGGREGATION_EVENT' || type === 'ASSOCIATION_EVENT';
  const quantities = (key: (typeof QUANTITY_LISTS)[number]) =>
    (e[key] as Json[] | undefined)?.map((q, j) => {
      const pointer = `${at}/${key}/${j}/epcClass`;
      const epcClass = q.epcClass as string;
      const lot = lotOf(epcClass, pointer);
      const lotId = lot && t.lots.get(lotKey(lot.gtin, lot.lot));
      if (lot && !lotId && t.unregisteredLots === 'refuse' && !missing.has(epcClass)) missing.set(epcClass, pointer);
      return { ...(lotId ? { lotId } : { epcClass: identifier(epcClass, pointer) }), quantity: q.quantity ?? null, unit: q.uom ?? null };
    });
  const epcs = (key: string) => (e[key] as string[] | undefined)?.map((v, j) => identifier(v, `${at}/${key}/${j}`));
  const q = quantities(grouping ? 'childQuantityList' : 'quantityList');
  if (q) input.quantities = q;
  const inputs = quantities('inputQuantityList');
  const outputs = quantities('outputQuantityList');
  if (inputs) input.inputs = inputs;
  if (outputs) input.outputs = outputs;
  const list = epcs(grouping ? 'childEPCs' : 'epcList');
  if (list) input.epcs = list;
  const inputEPCs = epcs('inputEPCList');
  const outputEPCs = epcs('outputEPCList');
  if (inputEPCs) input.inputEPCs = inputEPCs;
  if (outputEPCs) input.outputEPCs = outputEPCs;
  if (e.parentID !== undefined) input.parentID = identifier(e.parentID as string, `${at}/parentID`);

  if (e.bizTransactionList !== undefined)
    input.bizTransactions = (e.bizTransactionList as Json[]).map((b) => ({
      ...(b.type !== undefined ? { type: cbvWord(vocab(b.type), 'BTT', BTT) } : {}),
      id: b.bizTransaction,
    }));
  for (const key of ['sourceList', 'destinationList'] as const) {
    if (e[key] === undefined) continue;
    const field = key === 'sourceList' ? 'source' : 'destination';
    input[key === 'sourceList' ? 'sourceParties' : 'destinationParties'] = (e[key] as Json[]).map((p, j) => {
      const party = p[field] as string;
      const org = ORG_URN.exec(party);
      return {
        type: cbvWord(vocab(p.type), 'SDT', SDT),
        ...(org ? { organizationId: org[1]!.toLowerCase() } : { id: identifier(party, `${at}/${key}/${j}/${field}`) }),
      };
    });
  }
  if (e.ilmd !== undefined) input.ilmd = e.ilmd;
  if (e.sensorElementList !== undefined) input.sensorReadings = e.sensorElementList;
  if (e.certificationInfo !== undefined) input.certificationInfo = typeof e.certificationInfo === 'string' ? [e.certificationInfo] : e.certificationInfo;
  if (e.errorDeclaration !== undefined) {
    const { declarationTime, reason, correctiveEventIDs, ...rest } = e.errorDeclaration as Json;
    // EPCIS re-sends the erroneous event with a declaration; events here are append-only, so the
    // declaration is stored as a new event that names the erroneous one (held here or not).
    delete input.eventID;
    input.errorDeclaration = {
      declarationTime,
      reason: reason === undefined ? null : cbvWord(vocab(reason), 'ER', ER),
      ...(e.eventID !== undefined ? { correctedEventID: e.eventID } : {}),
      ...(correctiveEventIDs !== undefined ? { correctiveEventIDs } : {}),
    };
    if (Object.keys(rest).length) extensions.errorDeclaration = rest;
  }
  for (const [key, value] of Object.entries(e)) if (!READ.has(key)) extensions[key] = value;
  // The prefixes kept content uses, so answers can declare them again.
  const context = prefixesUsed(e, terms, {});
  if (Object.keys(context).length) extensions['@context'] = context;
  if (Object.keys(extensions).length) input.extensions = extensions;
  return input;
}

// ---------------------------------------------------------------------------
// Answers: a graph TraceEvent → EPCIS 2.0 JSON-LD.
// ---------------------------------------------------------------------------

/** A CBV value the graph keeps as a bare word, as its CBV URI; any other URI as it is. */
const cbvUri = (vocabulary: string, value: string) => (/^[a-z_]+$/.test(value) ? `https://ref.gs1.org/cbv/${vocabulary}-${value}` : value);
/** Keys of `extensions` that complete a standard field rather than stand beside it. */
const MERGED = new Set(['@context', 'readPoint', 'bizLocation', 'errorDeclaration', 'sourceList', 'destinationList', 'correctiveEventIDs']);

type Party = { type: string; id: string };
type Quantity = {
  lotId?: string | null;
  epcClass?: string | null;
  quantity: number | null;
  unit: string | null;
};

/** A graph TraceEvent → EPCIS 2.0 JSON-LD, identifiers spelt per GS1-EPC-Format; its own `@context` when its extensions need one (see documentContext). */
export function toJsonLd(ev: Json, format: EpcFormat): Json {
  const id = (v: string) => formatId(v, format);
  const qty = (list: unknown) =>
    (list as Quantity[] | undefined)?.map((q) => {
      // A lot whose product has no GTIN has no GS1 class: it keeps our private URN.
      const epcClass = q.epcClass ? id(q.epcClass) : `urn:nguon:lot:${q.lotId}`;
      return { epcClass, ...(q.quantity !== null ? { quantity: q.quantity } : {}), ...(q.unit ? { uom: q.unit } : {}) };
    });
  const type = EPCIS_TYPES[ev.type as string]!;
  const grouping = type === 'AggregationEvent' || type === 'AssociationEvent';
  const ext = (ev.extensions as Json | null) ?? {};
  const out: Json = {};
  if (isObject(ext['@context'])) out['@context'] = [ext['@context']];
  Object.assign(out, { type, eventTime: ev.localEventTime, eventTimeZoneOffset: ev.eventTimeZoneOffset, recordTime: ev.recordTime });
  const decl = ev.errorDeclaration as {
    declarationTime: string;
    reason: string | null;
    correctedEventID: string | null;
    correctiveEventIDs?: string[] | null;
  } | null;
  if (decl) {
    if (decl.correctedEventID) out.eventID = decl.correctedEventID;
    const corrective = decl.correctiveEventIDs ?? (ext.correctiveEventIDs as string[] | undefined);
    out.errorDeclaration = {
      declarationTime: decl.declarationTime,
      ...(decl.reason ? { reason: cbvUri('ER', decl.reason) } : {}),
      ...(corrective?.length ? { correctiveEventIDs: corrective } : {}),
      ...(ext.errorDeclaration as Json | undefined),
    };
    out['nguon:declarationEventID'] = ev.eventID;
  } else out.eventID = ev.eventID;
  const epcs = (ev.epcs as string[] | undefined) ?? [];
  const parent = (ev.parentID as string | null) ?? (ev.parentLotId ? ((ev.parentEpcClass as string | null) ?? `urn:nguon:lot:${ev.parentLotId}`) : null);
  if (parent) out.parentID = id(parent);
  if (epcs.length || (type === 'ObjectEvent' && ev.epcs !== undefined)) out[grouping ? 'childEPCs' : 'epcList'] = epcs.map(id);
  if (ev.action) out.action = ev.action;
  const q = qty(ev.quantities);
  if (q?.length) out[grouping ? 'childQuantityList' : 'quantityList'] = q;
  if ((ev.inputEPCs as string[] | undefined)?.length) out.inputEPCList = (ev.inputEPCs as string[]).map(id);
  const inputs = qty(ev.inputs);
  if (inputs?.length) out.inputQuantityList = inputs;
  if ((ev.outputEPCs as string[] | undefined)?.length) out.outputEPCList = (ev.outputEPCs as string[]).map(id);
  const outputs = qty(ev.outputs);
  if (outputs?.length) out.outputQuantityList = outputs;
  if (ev.bizStep) out.bizStep = cbvUri('BizStep', ev.bizStep as string);
  if (ev.disposition) out.disposition = cbvUri('Disp', ev.disposition as string);
  if (ev.readPoint) out.readPoint = { id: id(ev.readPoint as string), ...(ext.readPoint as Json | undefined) };
  if (ev.bizLocation) out.bizLocation = { id: id(ev.bizLocation as string), ...(ext.bizLocation as Json | undefined) };
  const txs = ev.bizTransactions as { type: string | null; id: string }[] | undefined;
  if (txs?.length) out.bizTransactionList = txs.map((t) => ({ ...(t.type ? { type: cbvUri('BTT', t.type) } : {}), bizTransaction: t.id }));
  const parties = (list: unknown, key: 'source' | 'destination', earlier: unknown) => [
    ...((list as Party[] | undefined) ?? []).map((p) => ({
      type: cbvUri('SDT', p.type),
      [key]: id(p.id),
    })),
    // Events captured before parties could be named by any URI kept those parties here.
    ...((earlier as Json[] | undefined) ?? []).map((p) => ({ ...p, [key]: id(p[key] as string) })),
  ];
  const sources = parties(ev.sourceParties, 'source', ext.sourceList);
  const destinations = parties(ev.destinationParties, 'destination', ext.destinationList);
  if (sources.length) out.sourceList = sources;
  if (destinations.length) out.destinationList = destinations;
  if (ev.ilmd) out.ilmd = ev.ilmd;
  if (ev.sensorReadings) out.sensorElementList = ev.sensorReadings;
  const certificationInfo = (ev.certificationInfo as string[] | undefined) ?? [];
  if (certificationInfo.length) out.certificationInfo = certificationInfo.length === 1 ? certificationInfo[0] : certificationInfo;
  for (const [k, v] of Object.entries(ext)) if (!MERGED.has(k)) out[k] = v;
  return out;
}

/**
 * The `@context` of an answer holding `events` (from toJsonLd): GS1's EPCIS
 * context and the prefixes the events' extensions use. An event's own
 * `@context` moves up to the document's unless it gives a prefix another
 * meaning than an earlier event, in which case it stays on the event.
 */
export function documentContext(events: Json[]): unknown[] {
  const merged: Terms = {};
  for (const event of events) {
    const own = termsOf(event['@context']);
    if (Object.entries(own).some(([k, v]) => Object.hasOwn(merged, k) && JSON.stringify(merged[k]) !== JSON.stringify(v))) continue;
    Object.assign(merged, own);
    delete event['@context'];
  }
  return Object.keys(merged).length ? [EPCIS_CONTEXT, merged] : [EPCIS_CONTEXT];
}
