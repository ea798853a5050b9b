import { canonicalId, EpcError, formatId, isGs1Id, parseGs1Id, type EpcFormat } from '@nguon/gs1/epc';
import { invalid } from './problem';

/**
 * EPCIS 2.0 JSON-LD ⇄ the trace graph's EventInput / TraceEvent. Lots are
 * class-level identifiers (LGTIN: GTIN + lot code) resolved to lot ids
 * through the graph; instance identifiers (SGTIN, SSCC, …) travel as they
 * are. What the graph has no field for (persistentDisposition, parties named
 * by GLN, user extensions) rides in `extensions`, so nothing captured is lost.
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

/** Keys of the standard the translation reads; any other un-prefixed key is invalid, prefixed ones are user extensions. */
const KNOWN = new Set([
  'type',
  'eventID',
  'eventTime',
  'eventTimeZoneOffset',
  'recordTime',
  'action',
  'bizStep',
  'disposition',
  'persistentDisposition',
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
  'transformationID',
  '@context',
]);
/** Kept verbatim in `extensions`. */
const CARRIED = ['persistentDisposition', 'transformationID'];

type Json = Record<string, unknown>;
export type LotResolver = (lgtins: { gtin: string; lot: string }[]) => Promise<Map<string, string>>;

const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const lotKey = (gtin: string, lot: string) => `${gtin}|${lot}`;

function str(v: unknown, at: string): string {
  if (typeof v !== 'string' || !v.trim()) throw invalid(`${at} must be a non-empty string.`, at);
  return v;
}
function strList(v: unknown, at: string): string[] {
  if (!Array.isArray(v)) throw invalid(`${at} must be a list.`, at);
  return v.map((x, i) => str(x, `${at}/${i}`));
}
const bare = (v: string, ...prefixes: string[]) => {
  for (const p of prefixes) if (v.toLowerCase().startsWith(p.toLowerCase())) return v.slice(p.length);
  return v;
};

function lgtinOf(value: string, at: string): { gtin: string; lot: string } {
  let id;
  try {
    id = parseGs1Id(value);
  } catch (error) {
    if (error instanceof EpcError) throw invalid(error.message, at);
    throw error;
  }
  if (id.kind !== 'lgtin') throw invalid(`${at}: a quantity names a lot (urn:epc:class:lgtin:… or a Digital Link with /10/); "${value}" is not one.`, at);
  return { gtin: id.gtin, lot: id.lot };
}

function checkId(value: string, at: string): string {
  if (/^urn:epc:(id|class):(sgtin|lgtin|sgln|pgln|sscc):/i.test(value) || /\/(01|00|414|417)\/\d/.test(value)) {
    try {
      parseGs1Id(value);
    } catch (error) {
      if (error instanceof EpcError) throw invalid(error.message, at);
      throw error;
    }
  }
  return value;
}

function location(v: unknown, at: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw invalid(`${at} is an object with an id.`, at);
  const id = checkId(str(v.id, `${at}/id`), `${at}/id`);
  if (!isGs1Id(id)) throw invalid(`${at}/id must be an SGLN (urn:epc:id:sgln:…) or a GS1 Digital Link /414/ URI.`, `${at}/id`);
  const parsed = parseGs1Id(id);
  if (parsed.kind !== 'sgln') throw invalid(`${at}/id must name a location (SGLN).`, `${at}/id`);
  return canonicalId(id);
}

/** Every LGTIN a document names, to resolve in one round trip. */
export function lgtinsOf(events: Json[]): { gtin: string; lot: string }[] {
  const seen = new Map<string, { gtin: string; lot: string }>();
  events.forEach((e, i) => {
    for (const key of ['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList']) {
      const list = e[key];
      if (!Array.isArray(list)) continue;
      list.forEach((q, j) => {
        if (!isObject(q)) throw invalid(`/epcisBody/eventList/${i}/${key}/${j} must be an object.`);
        const l = lgtinOf(str(q.epcClass, `/epcisBody/eventList/${i}/${key}/${j}/epcClass`), `/epcisBody/eventList/${i}/${key}/${j}/epcClass`);
        seen.set(lotKey(l.gtin, l.lot), l);
      });
    }
  });
  return [...seen.values()];
}

/** `urn:nguon:org:<id>`: how exports name an organization of this graph as a source or destination. */
const ORG_URN = /^urn:nguon:org:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
/** The CBV source/destination types a party of the graph may have. */
const SDT = new Set(['owning_party', 'possessing_party', 'location']);

/** The events of an EPCIS document, checked for shape. */
export function eventsOfDocument(doc: unknown): Json[] {
  if (!isObject(doc)) throw invalid('The body must be a JSON object.');
  if (doc.type !== 'EPCISDocument') throw invalid('type must be "EPCISDocument".', '/type');
  if (typeof doc.schemaVersion !== 'string' || !/^2\.\d+$/.test(doc.schemaVersion)) throw invalid('schemaVersion must be "2.0".', '/schemaVersion');
  if (typeof doc.creationDate !== 'string' || Number.isNaN(Date.parse(doc.creationDate)))
    throw invalid('creationDate must be an ISO 8601 date-time.', '/creationDate');
  const body = doc.epcisBody;
  if (!isObject(body) || !Array.isArray(body.eventList)) throw invalid('epcisBody.eventList must be a list of events.', '/epcisBody/eventList');
  body.eventList.forEach((e, i) => {
    if (!isObject(e)) throw invalid(`Event ${i} must be an object.`, `/epcisBody/eventList/${i}`);
  });
  return body.eventList as Json[];
}

/** One JSON-LD event → the graph's EventInput. `lots` maps GTIN|lot → lot id. */
export function toEventInput(e: Json, at: string, lots: Map<string, string>): Json {
  for (const key of Object.keys(e)) if (!KNOWN.has(key) && !key.includes(':')) throw invalid(`${at}/${key} is not an EPCIS 2.0 field.`, `${at}/${key}`);
  const type = graphEventType(str(e.type, `${at}/type`));
  if (!type) throw invalid(`${at}/type must be one of ${Object.keys(EVENT_TYPES).join(', ')}.`, `${at}/type`);
  const input: Json = { type, eventTime: str(e.eventTime, `${at}/eventTime`), eventTimeZoneOffset: str(e.eventTimeZoneOffset, `${at}/eventTimeZoneOffset`) };
  const extensions: Json = {};
  if (e.eventID !== undefined) input.eventID = str(e.eventID, `${at}/eventID`);
  if (e.action !== undefined) {
    const action = str(e.action, `${at}/action`);
    if (!['ADD', 'OBSERVE', 'DELETE'].includes(action)) throw invalid(`${at}/action must be ADD, OBSERVE or DELETE.`, `${at}/action`);
    input.action = action;
  }
  if (e.bizStep !== undefined) input.bizStep = str(e.bizStep, `${at}/bizStep`);
  if (e.disposition !== undefined) input.disposition = str(e.disposition, `${at}/disposition`);
  const readPoint = location(e.readPoint, `${at}/readPoint`);
  const bizLocation = location(e.bizLocation, `${at}/bizLocation`);
  if (readPoint) input.readPoint = readPoint;
  if (bizLocation) input.bizLocation = bizLocation;

  const quantities = (key: string) => {
    const list = e[key];
    if (list === undefined) return undefined;
    if (!Array.isArray(list)) throw invalid(`${at}/${key} must be a list.`, `${at}/${key}`);
    return list.map((q: Json, j) => {
      const p = `${at}/${key}/${j}`;
      const l = lgtinOf(str(q.epcClass, `${p}/epcClass`), `${p}/epcClass`);
      const lotId = lots.get(lotKey(l.gtin, l.lot));
      if (!lotId) throw invalid(`${p}/epcClass: lot ${l.lot} of GTIN ${l.gtin} is not registered here (or you may not see it).`, `${p}/epcClass`);
      if (q.quantity !== undefined && (typeof q.quantity !== 'number' || !Number.isFinite(q.quantity)))
        throw invalid(`${p}/quantity must be a number.`, `${p}/quantity`);
      if (q.uom !== undefined && typeof q.uom !== 'string') throw invalid(`${p}/uom must be a string.`, `${p}/uom`);
      return { lotId, quantity: q.quantity ?? null, unit: q.uom ?? null };
    });
  };
  const grouping = type === 'AGGREGATION_EVENT' || type === 'ASSOCIATION_EVENT';
  const epcs = (key: string) => (e[key] === undefined ? undefined : strList(e[key], `${at}/${key}`).map((v, i) => checkId(v, `${at}/${key}/${i}`)));
  const q = quantities(grouping ? 'childQuantityList' : 'quantityList');
  if (q) input.quantities = q;
  if (grouping && e.quantityList !== undefined) throw invalid(`${at}/quantityList: an ${e.type} uses childQuantityList.`, `${at}/quantityList`);
  const inputs = quantities('inputQuantityList');
  const outputs = quantities('outputQuantityList');
  if (inputs) input.inputs = inputs;
  if (outputs) input.outputs = outputs;
  const list = epcs(grouping ? 'childEPCs' : 'epcList');
  if (list) input.epcs = list;
  if (epcs('inputEPCList')) input.inputEPCs = epcs('inputEPCList');
  if (epcs('outputEPCList')) input.outputEPCs = epcs('outputEPCList');
  if (e.parentID !== undefined) input.parentID = checkId(str(e.parentID, `${at}/parentID`), `${at}/parentID`);

  if (e.bizTransactionList !== undefined) {
    if (!Array.isArray(e.bizTransactionList)) throw invalid(`${at}/bizTransactionList must be a list.`, `${at}/bizTransactionList`);
    input.bizTransactions = e.bizTransactionList.map((t: Json, j) => ({
      type: bare(str(t.type ?? 'po', `${at}/bizTransactionList/${j}/type`), 'https://ref.gs1.org/cbv/BTT-', 'urn:epcglobal:cbv:btt:'),
      id: str(t.bizTransaction, `${at}/bizTransactionList/${j}/bizTransaction`),
    }));
  }
  for (const key of ['sourceList', 'destinationList'] as const) {
    const v = e[key];
    if (v === undefined) continue;
    if (!Array.isArray(v)) throw invalid(`${at}/${key} must be a list.`, `${at}/${key}`);
    const field = key === 'sourceList' ? 'source' : 'destination';
    const organizations: Json[] = [];
    const others: Json[] = [];
    v.forEach((p: Json, j) => {
      const partyType = bare(str(p.type, `${at}/${key}/${j}/type`), 'https://ref.gs1.org/cbv/SDT-', 'urn:epcglobal:cbv:sdt:');
      const party = str(p[field], `${at}/${key}/${j}/${field}`);
      // An organization of this graph, as the exports name it: a party of the event, so a
      // shipment captured here hands custody over exactly as through GraphQL.
      const org = ORG_URN.exec(party);
      if (org && SDT.has(partyType)) organizations.push({ type: partyType, organizationId: org[1]!.toLowerCase() });
      // Other parties are named by GLN (PGLN/SGLN); they are kept as sent, identifiers canonical.
      else others.push({ type: `https://ref.gs1.org/cbv/SDT-${partyType}`, [field]: canonicalId(checkId(party, `${at}/${key}/${j}/${field}`)) });
    });
    if (organizations.length) input[key === 'sourceList' ? 'sourceParties' : 'destinationParties'] = organizations;
    if (others.length) extensions[key] = others;
  }
  if (e.ilmd !== undefined) {
    if (!isObject(e.ilmd)) throw invalid(`${at}/ilmd must be an object.`, `${at}/ilmd`);
    input.ilmd = e.ilmd;
  }
  if (e.sensorElementList !== undefined) {
    if (!Array.isArray(e.sensorElementList) || !e.sensorElementList.every(isObject))
      throw invalid(`${at}/sensorElementList must be a list of objects.`, `${at}/sensorElementList`);
    e.sensorElementList.forEach((s: Json, j) => {
      if (!Array.isArray(s.sensorReport))
        throw invalid(`${at}/sensorElementList/${j}/sensorReport must be a list.`, `${at}/sensorElementList/${j}/sensorReport`);
    });
    input.sensorReadings = e.sensorElementList;
  }
  if (e.certificationInfo !== undefined)
    input.certificationInfo = typeof e.certificationInfo === 'string' ? [e.certificationInfo] : strList(e.certificationInfo, `${at}/certificationInfo`);
  if (e.errorDeclaration !== undefined) {
    const d = e.errorDeclaration;
    if (!isObject(d)) throw invalid(`${at}/errorDeclaration must be an object.`, `${at}/errorDeclaration`);
    // EPCIS re-sends the erroneous event with a declaration; our events are append-only,
    // so the declaration is stored as a new event that names the erroneous one.
    const corrected = str(e.eventID, `${at}/eventID`);
    delete input.eventID;
    input.errorDeclaration = {
      declarationTime: str(d.declarationTime, `${at}/errorDeclaration/declarationTime`),
      reason: d.reason === undefined ? null : bare(str(d.reason, `${at}/errorDeclaration/reason`), 'https://ref.gs1.org/cbv/ER-', 'urn:epcglobal:cbv:er:'),
      correctedEventID: corrected,
    };
    if (d.correctiveEventIDs !== undefined) extensions.correctiveEventIDs = strList(d.correctiveEventIDs, `${at}/errorDeclaration/correctiveEventIDs`);
  }
  for (const key of CARRIED) if (e[key] !== undefined) extensions[key] = e[key];
  for (const key of Object.keys(e)) if (key.includes(':') && key !== '@context') extensions[key] = e[key];
  if (Object.keys(extensions).length) input.extensions = extensions;
  return input;
}

const stepUri = (w: string | null) => (w && /^[a-z_]+$/.test(w) ? `https://ref.gs1.org/cbv/BizStep-${w}` : w);
const dispUri = (w: string | null) => (w ? `https://ref.gs1.org/cbv/Disp-${w}` : w);

/** A graph TraceEvent → EPCIS 2.0 JSON-LD, identifiers spelt per GS1-EPC-Format. */
export function toJsonLd(ev: Json, format: EpcFormat): Json {
  const id = (v: string) => formatId(v, format);
  const qty = (list: unknown) =>
    (list as Json[] | undefined)?.map((q) => {
      const lot = q.lot as { lotCode: string; product: { gtin: string | null } | null } | null;
      const epcClass = lot?.product?.gtin ? id(`https://id.gs1.org/01/${lot.product.gtin}/10/${encodeURIComponent(lot.lotCode)}`) : `urn:nguon:lot:${q.lotId}`;
      return { epcClass, ...(q.quantity !== null ? { quantity: q.quantity } : {}), ...(q.unit ? { uom: q.unit } : {}) };
    });
  const type = EPCIS_TYPES[ev.type as string]!;
  const grouping = type === 'AggregationEvent' || type === 'AssociationEvent';
  const ext = (ev.extensions as Json | null) ?? {};
  const out: Json = { type, eventTime: ev.localEventTime, eventTimeZoneOffset: ev.eventTimeZoneOffset, recordTime: ev.recordTime };
  const decl = ev.errorDeclaration as { declarationTime: string; reason: string | null; correctedEventID: string } | null;
  out.eventID = decl ? decl.correctedEventID : ev.eventID;
  if (decl) {
    out.errorDeclaration = {
      declarationTime: decl.declarationTime,
      ...(decl.reason ? { reason: `https://ref.gs1.org/cbv/ER-${decl.reason}` } : {}),
      ...(ext.correctiveEventIDs ? { correctiveEventIDs: ext.correctiveEventIDs } : {}),
    };
    out['nguon:declarationEventID'] = ev.eventID;
  }
  const epcs = (ev.epcs as string[] | undefined) ?? [];
  const parent = (ev.parentID as string | null) ?? (ev.parentLotId ? `urn:nguon:lot:${ev.parentLotId}` : null);
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
  if (ev.bizStep) out.bizStep = stepUri(ev.bizStep as string);
  if (ev.disposition) out.disposition = dispUri(ev.disposition as string);
  if (ev.readPoint) out.readPoint = { id: id(ev.readPoint as string) };
  if (ev.bizLocation) out.bizLocation = { id: id(ev.bizLocation as string) };
  const txs = ev.bizTransactions as { type: string; id: string }[] | undefined;
  if (txs?.length) out.bizTransactionList = txs.map((t) => ({ type: `https://ref.gs1.org/cbv/BTT-${t.type}`, bizTransaction: t.id }));
  const parties = (list: unknown, key: 'source' | 'destination') =>
    ((list as { type: string; organization: { id: string } }[] | undefined) ?? []).map((p) => ({
      type: `https://ref.gs1.org/cbv/SDT-${p.type}`,
      [key]: `urn:nguon:org:${p.organization.id}`,
    }));
  const sources = [
    ...parties(ev.sourceParties, 'source'),
    ...((ext.sourceList as Json[] | undefined) ?? []).map((p) => ({ ...p, source: id(p.source as string) })),
  ];
  const destinations = [
    ...parties(ev.destinationParties, 'destination'),
    ...((ext.destinationList as Json[] | undefined) ?? []).map((p) => ({ ...p, destination: id(p.destination as string) })),
  ];
  if (sources.length) out.sourceList = sources;
  if (destinations.length) out.destinationList = destinations;
  if (ev.ilmd) out.ilmd = ev.ilmd;
  if (ev.sensorReadings) out.sensorElementList = ev.sensorReadings;
  if ((ev.certificationInfo as string[]).length)
    out.certificationInfo = (ev.certificationInfo as string[]).length === 1 ? (ev.certificationInfo as string[])[0] : ev.certificationInfo;
  for (const [k, v] of Object.entries(ext)) if (!['sourceList', 'destinationList', 'correctiveEventIDs'].includes(k)) out[k] = v;
  return out;
}
