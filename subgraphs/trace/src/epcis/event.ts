import { createHash } from 'node:crypto';
import { badInput, hasValidCheckDigit, isUuid } from '@nguon/shared';
import { canonicalEventHash, canonicalId, EpcError, isGs1Id, parseGs1Id, toDigitalLink } from '@nguon/gs1/epc';
import type { EventInput, QuantityInput } from '../generated/graphql';
import type { EventBody, PartyModel, QuantityElementModel } from '../models';
import { firstReleaseEventHash, secondReleaseEventHash } from './legacyHash';
import {
  bizStepUri,
  bizTransactionTypeUri,
  dispositionUri,
  errorReasonUri,
  normalizeBizStep,
  normalizeBizTransactionType,
  normalizeDisposition,
  normalizeErrorReason,
  normalizePartyType,
  partyTypeUri,
} from './vocabulary';

/** The most events one capture may carry: large enough for a day's import, small enough for one transaction. */
export const MAX_BATCH = 10_000;

// ISO 8601 with an explicit offset: an EPCIS time without one is ambiguous.
const TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
// EPCIS 2.0 JSON schema's eventTimeZoneOffset: -14:00 … +14:00.
const OFFSET = /^[+-]((0\d|1[0-3]):[0-5]\d|14:00)$/;
const UNIT = /^[A-Z0-9]{2,3}$/;
// Any absolute URI (EPCIS allows private identifier schemes and vocabularies); GS1 ones are checked and kept in one spelling.
const URI = /^[a-z][a-z0-9+.-]*:[!-~]+$/i;
const MAX_URI = 500;
const GLN = /^\d{13}$/;
// Identifiers this service reads as GS1 (EPC URN or Digital Link of a key it knows); anything else is a private URI.
const GS1_INSTANCE = (v: string) => /^urn:epc:(id|class):(sgtin|lgtin|sgln|pgln|sscc):/i.test(v) || /^https?:\/\/[^/]+\/(.*\/)?(01|00|414|417)\/\d/.test(v);
const GS1_CLASS = (v: string) => /^urn:epc:(class|idpat):(lgtin|sgtin):/i.test(v) || /^https?:\/\/[^/]+\/(.*\/)?01\/\d/.test(v);

/** An event checked and normalised, ready to be given its standard identifiers, hashed and stored. */
export interface NormalizedEvent {
  /** The eventID the capturer sent, if any; otherwise the hash id is used. */
  eventID: string | null;
  body: EventBody;
  eventTime: Date;
}

function time(value: string, field: string): Date {
  if (!TIME_WITH_OFFSET.test(value)) throw badInput('A time must be ISO 8601 with a time zone offset, e.g. 2026-03-01T07:30:00+07:00.', field);
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw badInput(`${value} is not a real date and time.`, field);
  return date;
}

const offsetOf = (value: string) => {
  const match = /(Z|[+-]\d{2}:\d{2})$/.exec(value)![1]!;
  return match === 'Z' ? '+00:00' : match;
};

/** A URI in its stored spelling: GS1 ones checked and canonical, others trimmed; a malformed GS1 one is refused. */
function uri(value: string, field: string, message: string, gs1: (v: string) => boolean): string {
  const v = value.trim();
  if (!URI.test(v) || v.length > MAX_URI) throw badInput(message, field);
  if (!gs1(v)) return v;
  try {
    parseGs1Id(v);
    return canonicalId(v);
  } catch (error) {
    if (error instanceof EpcError) throw badInput(error.message, field);
    throw error;
  }
}

/** A read point or business location: any absolute URI (stored as given, GS1 ones checked) or a GLN. */
function location(value: string | null | undefined, field: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (GLN.test(v)) {
    if (!hasValidCheckDigit(v)) throw badInput(`${v} is not a valid GLN (13 digits, check digit).`, field);
    return v;
  }
  uri(v, field, 'A location is an absolute URI (urn:epc:id:sgln:…, a GS1 Digital Link /414/, geo:…) or a GLN.', GS1_INSTANCE);
  return v;
}

function quantities(list: readonly QuantityInput[] | null | undefined, field: string): QuantityElementModel[] | undefined {
  if (!list) return undefined;
  return list.map((q, i) => {
    const at = `${field}.${i}`;
    const given = (q.lotId !== null && q.lotId !== undefined) !== (q.epcClass !== null && q.epcClass !== undefined);
    if (!given) throw badInput('Give the lot id or the epcClass (exactly one).', `${at}.lotId`);
    if (q.quantity !== null && q.quantity !== undefined && (!Number.isFinite(q.quantity) || q.quantity < 0))
      throw badInput('A quantity cannot be negative.', `${at}.quantity`);
    if (q.unit !== null && q.unit !== undefined && !UNIT.test(q.unit)) throw badInput('A unit is a UN/ECE Recommendation 20 code, e.g. KGM.', `${at}.unit`);
    const amount = { quantity: q.quantity ?? null, unit: q.unit ?? null };
    if (q.epcClass !== null && q.epcClass !== undefined) {
      const epcClass = uri(q.epcClass, `${at}.epcClass`, 'An epcClass is a URI: an LGTIN, a GTIN class or another absolute URI.', GS1_CLASS);
      if (isGs1Id(epcClass) && parseGs1Id(epcClass).kind === 'sgtin') throw badInput('An SGTIN is an instance: it goes among the EPCs.', `${at}.epcClass`);
      return { epcClass, ...amount };
    }
    const lotId = q.lotId!;
    if (!isUuid(lotId)) throw badInput('Not a lot id.', `${at}.lotId`);
    return { lotId: lotId.toLowerCase(), ...amount };
  });
}

/**
 * The GLN a party id carries (13 digits, PGLN or SGLN as URN or Digital
 * Link); null for any other URI.
 */
export function glnOfParty(id: string): string | null {
  if (GLN.test(id)) return id;
  if (!isGs1Id(id)) return null;
  const parsed = parseGs1Id(id);
  return parsed.kind === 'pgln' || parsed.kind === 'sgln' ? parsed.gln : null;
}

/** How exports name one of our organizations as a party; a capture naming it so names that organization. */
export const ORG_URN = /^urn:nguon:org:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

function parties(list: EventInput['sourceParties'], field: string): PartyModel[] | undefined {
  if (!list) return undefined;
  return list.map((p, i) => {
    const at = `${field}.${i}`;
    const type = normalizePartyType(p.type);
    if (!type) throw badInput('A party type is owning_party, possessing_party, location (bare word or CBV URI) or a URI.', `${at}.type`);
    const hasOrg = p.organizationId !== null && p.organizationId !== undefined;
    if (hasOrg === (p.id !== null && p.id !== undefined)) throw badInput('Give the organization id or the party id (exactly one).', `${at}.organizationId`);
    if (hasOrg) {
      const organizationId = p.organizationId!;
      if (!isUuid(organizationId)) throw badInput('Not an organization id.', `${at}.organizationId`);
      return { type, organizationId: organizationId.toLowerCase() };
    }
    const id = p.id!.trim();
    const org = ORG_URN.exec(id);
    if (org) return { type, organizationId: org[1]!.toLowerCase() };
    if (GLN.test(id)) {
      if (!hasValidCheckDigit(id)) throw badInput(`${id} is not a valid GLN (13 digits, check digit).`, `${at}.id`);
      return { type, id: toDigitalLink(type === 'location' ? { kind: 'sgln', gln: id, extension: null } : { kind: 'pgln', gln: id }) };
    }
    return { type, id: uri(id, `${at}.id`, 'A party id is an absolute URI (PGLN, SGLN, Digital Link /417/ or /414/, or another URI) or a GLN.', GS1_INSTANCE) };
  });
}

/** Instance identifiers: GS1 ones (EPC URN or Digital Link) become canonical Digital Link URIs so every spelling matches. */
export function canonicalEpcs(list: readonly string[], field: string): string[] {
  return epcs(list, field)!;
}

function epcs(list: readonly string[] | null | undefined, field: string): string[] | undefined {
  if (!list) return undefined;
  return list.map((value, i) => {
    const v = value.trim();
    if (/^urn:epc:class:|\/10\//.test(v) && isGs1Id(v) && parseGs1Id(v).kind === 'lgtin') {
      throw badInput('A lot (LGTIN) goes in quantities, not among instance EPCs.', `${field}.${i}`);
    }
    return uri(v, `${field}.${i}`, 'An EPC is a URI: an EPC URN, a GS1 Digital Link or another absolute URI.', GS1_INSTANCE);
  });
}

function eventIdOf(value: string, field: string): string {
  const v = value.trim();
  if (!URI.test(v) || v.length > MAX_URI) throw badInput('An eventID is an absolute URI, e.g. urn:uuid:<uuid> or ni:///sha-256;<hex>.', field);
  return v;
}

const nonEmpty = <T>(list: T[] | undefined): list is T[] => !!list && list.length > 0;
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Checks one event against the EPCIS 2.0 event rules and brings it to its
 * stored form. `at` is the field path of the event in the input
 * (`input.events.1234`), so an error in a batch of thousands names the event
 * and the field.
 */
export function normalizeEvent(input: EventInput, at: string): NormalizedEvent {
  const eventID = input.eventID === null || input.eventID === undefined ? null : eventIdOf(input.eventID, `${at}.eventID`);
  const eventTime = time(input.eventTime, `${at}.eventTime`);
  const offset = input.eventTimeZoneOffset ?? offsetOf(input.eventTime);
  if (!OFFSET.test(offset)) throw badInput('A time zone offset looks like +07:00 (from -14:00 to +14:00).', `${at}.eventTimeZoneOffset`);

  const body: EventBody = { type: input.type, eventTime: input.eventTime, eventTimeZoneOffset: offset };
  if (input.type === 'TRANSFORMATION_EVENT') {
    if (input.action) throw badInput('A transformation event has no action.', `${at}.action`);
  } else if (!input.action) {
    throw badInput('This event type needs an action (ADD, OBSERVE or DELETE).', `${at}.action`);
  } else body.action = input.action;

  if (input.bizStep !== null && input.bizStep !== undefined) {
    const word = normalizeBizStep(input.bizStep);
    if (!word) throw badInput(`"${input.bizStep}" is not a CBV 2.0 business step (nor a URI of another vocabulary).`, `${at}.bizStep`);
    body.bizStep = word;
  }
  if (input.disposition !== null && input.disposition !== undefined) {
    const word = normalizeDisposition(input.disposition);
    if (!word) throw badInput(`"${input.disposition}" is not a CBV 2.0 disposition (nor a URI of another vocabulary).`, `${at}.disposition`);
    body.disposition = word;
  }
  const readPoint = location(input.readPoint, `${at}.readPoint`);
  const bizLocation = location(input.bizLocation, `${at}.bizLocation`);
  if (readPoint) body.readPoint = readPoint;
  if (bizLocation) body.bizLocation = bizLocation;

  const quantityList = quantities(input.quantities, `${at}.quantities`);
  const epcList = epcs(input.epcs, `${at}.epcs`);
  const inputEpcs = epcs(input.inputEPCs, `${at}.inputEPCs`);
  const outputEpcs = epcs(input.outputEPCs, `${at}.outputEPCs`);
  const parentID = input.parentID === null || input.parentID === undefined ? undefined : epcs([input.parentID], `${at}.parentID`)![0];
  const inputList = quantities(input.inputs, `${at}.inputs`);
  const outputList = quantities(input.outputs, `${at}.outputs`);
  if (input.parentLotId !== null && input.parentLotId !== undefined) {
    if (!isUuid(input.parentLotId)) throw badInput('Not a lot id.', `${at}.parentLotId`);
    body.parentLotId = input.parentLotId.toLowerCase();
  }
  const sensors = input.sensorReadings;
  if (sensors !== null && sensors !== undefined && (!Array.isArray(sensors) || !sensors.every(isObject)))
    throw badInput('sensorReadings is a JSON list of sensor elements (objects).', `${at}.sensorReadings`);
  // What each event type must carry, as the EPCIS 2.0 JSON schema says.
  const deleting = body.action === 'DELETE';
  switch (input.type) {
    case 'TRANSFORMATION_EVENT': {
      // Inputs and outputs; one side alone only in a transformation named by its transformationID (an extension key).
      const named = isObject(input.extensions) && input.extensions.transformationID !== undefined;
      const ins = nonEmpty(inputList) || nonEmpty(inputEpcs);
      const outs = nonEmpty(outputList) || nonEmpty(outputEpcs);
      if (!ins && !(named && outs)) throw badInput('A transformation needs at least one input.', `${at}.inputs`);
      if (!outs && !named) throw badInput('A transformation needs at least one output.', `${at}.outputs`);
      if (quantityList?.length || epcList?.length) throw badInput('A transformation lists inputs and outputs, not quantities.', `${at}.quantities`);
      break;
    }
    case 'AGGREGATION_EVENT':
    case 'ASSOCIATION_EVENT':
      if (input.type === 'ASSOCIATION_EVENT' && !body.parentLotId && !parentID)
        throw badInput('An association needs its parent lot (or a parentID).', `${at}.parentLotId`);
      if (body.parentLotId && parentID) throw badInput('Give the parent as a lot or as a parentID, not both.', `${at}.parentID`);
      if (!deleting && !nonEmpty(quantityList) && !nonEmpty(epcList))
        throw badInput('This event needs at least one child lot, class or EPC.', `${at}.quantities`);
      break;
    case 'OBJECT_EVENT':
      // An ObjectEvent names its objects (an epcList, even empty, or quantities), or is a sensor report at a read point.
      if (!nonEmpty(quantityList) && !epcList && !(nonEmpty(sensors as unknown[] | undefined) && readPoint))
        throw badInput('This event needs its lots or classes in quantities, its EPCs, or sensor readings at a read point.', `${at}.quantities`);
      break;
    default:
      if (!deleting && !nonEmpty(quantityList) && !epcList)
        throw badInput('This event needs at least one lot or class in quantities (or its EPCs).', `${at}.quantities`);
  }
  if (body.parentLotId && input.type !== 'AGGREGATION_EVENT' && input.type !== 'ASSOCIATION_EVENT')
    throw badInput('Only aggregation and association events have a parent lot.', `${at}.parentLotId`);
  if (parentID && input.type !== 'AGGREGATION_EVENT' && input.type !== 'ASSOCIATION_EVENT' && input.type !== 'TRANSACTION_EVENT') {
    throw badInput('Only aggregation, association and transaction events have a parent.', `${at}.parentID`);
  }
  if (input.type !== 'TRANSFORMATION_EVENT' && (inputList?.length || outputList?.length || inputEpcs?.length || outputEpcs?.length)) {
    throw badInput('Only a transformation has inputs and outputs.', `${at}.inputs`);
  }
  if (input.type === 'TRANSACTION_EVENT' && !input.bizTransactions?.length) {
    throw badInput('A transaction event needs a business transaction.', `${at}.bizTransactions`);
  }
  if (nonEmpty(quantityList)) body.quantityList = quantityList;
  if (nonEmpty(inputList)) body.inputQuantityList = inputList;
  if (nonEmpty(outputList)) body.outputQuantityList = outputList;
  if (nonEmpty(epcList)) body.epcList = epcList;
  if (nonEmpty(inputEpcs)) body.inputEPCList = inputEpcs;
  if (nonEmpty(outputEpcs)) body.outputEPCList = outputEpcs;
  if (parentID) body.parentID = parentID;
  if (input.extensions !== null && input.extensions !== undefined) {
    if (!isObject(input.extensions)) throw badInput('extensions is a JSON object.', `${at}.extensions`);
    if (Object.keys(input.extensions).length > 0) body.extensions = input.extensions;
  }

  const source = parties(input.sourceParties, `${at}.sourceParties`);
  const destination = parties(input.destinationParties, `${at}.destinationParties`);
  if (nonEmpty(source)) body.sourceList = source;
  if (nonEmpty(destination)) body.destinationList = destination;
  if (input.bizTransactions?.length) {
    body.bizTransactionList = input.bizTransactions.map((t, i) => {
      if (!t.id.trim() || t.id.length > 200) throw badInput('A business transaction id has 1–200 characters.', `${at}.bizTransactions.${i}.id`);
      if (t.type === null || t.type === undefined) return { id: t.id.trim() };
      const type = normalizeBizTransactionType(t.type);
      if (!type) throw badInput(`"${t.type}" is not a CBV business transaction type (nor a URI of another vocabulary).`, `${at}.bizTransactions.${i}.type`);
      return { type, id: t.id.trim() };
    });
  }
  if (input.ilmd !== null && input.ilmd !== undefined) {
    if (!isObject(input.ilmd)) throw badInput('ilmd is a JSON object.', `${at}.ilmd`);
    body.ilmd = input.ilmd;
  }
  if (sensors !== null && sensors !== undefined) body.sensorElementList = sensors;
  if (input.certificationInfo?.length) body.certificationInfo = input.certificationInfo.map((c) => c.trim()).filter(Boolean);
  if (input.errorDeclaration) {
    const e = input.errorDeclaration;
    const here = `${at}.errorDeclaration`;
    time(e.declarationTime, `${here}.declarationTime`);
    const declaration: EventBody['errorDeclaration'] = { declarationTime: e.declarationTime, reason: null };
    if (e.reason !== null && e.reason !== undefined) {
      declaration.reason = normalizeErrorReason(e.reason);
      if (!declaration.reason) throw badInput(`"${e.reason}" is not a CBV error reason (nor a URI of another vocabulary).`, `${here}.reason`);
    }
    if (e.correctedEventID !== null && e.correctedEventID !== undefined)
      declaration.correctedEventID = eventIdOf(e.correctedEventID, `${here}.correctedEventID`);
    if (e.correctiveEventIDs?.length) declaration.correctiveEventIDs = e.correctiveEventIDs.map((id, i) => eventIdOf(id, `${here}.correctiveEventIDs.${i}`));
    body.errorDeclaration = declaration;
  }
  return { eventID, body, eventTime };
}

/** Lot ids an event refers to, each once. */
export function lotIdsOf(body: EventBody): string[] {
  const ids = new Set<string>();
  for (const list of [body.quantityList, body.inputQuantityList, body.outputQuantityList]) for (const q of list ?? []) if (q.lotId) ids.add(q.lotId);
  if (body.parentLotId) ids.add(body.parentLotId);
  return [...ids];
}

const EPCIS_TYPE: Record<EventBody['type'], string> = {
  OBJECT_EVENT: 'ObjectEvent',
  AGGREGATION_EVENT: 'AggregationEvent',
  TRANSFORMATION_EVENT: 'TransformationEvent',
  TRANSACTION_EVENT: 'TransactionEvent',
  ASSOCIATION_EVENT: 'AssociationEvent',
};

/**
 * What the standard names one of our lots or organizations by, when it has
 * no GS1 key (a lot of a product without a GTIN, an organization without a
 * GLN): a private URI, the same on every installation only if the ids are.
 */
export const lotUri = (lotId: string) => `urn:nguon:lot:${lotId}`;
export const orgUri = (orgId: string) => `urn:nguon:org:${orgId}`;

/** The LGTIN of a lot (canonical Digital Link). */
export const lgtinOf = (gtin: string, lotCode: string) => toDigitalLink({ kind: 'lgtin', gtin, lot: lotCode });
/** The PGLN of an organization (canonical Digital Link). */
export const pglnOf = (gln: string) => toDigitalLink({ kind: 'pgln', gln });

const qty = (list: QuantityElementModel[] | undefined) =>
  list?.map((q) => ({
    epcClass: q.epcClass ?? lotUri(q.lotId!),
    ...(q.quantity !== null ? { quantity: q.quantity } : {}),
    ...(q.unit ? { uom: q.unit } : {}),
  }));
// A bare 13-digit GLN location is the SGLN of that GLN.
const locationId = (value: string) => (GLN.test(value) ? toDigitalLink({ kind: 'sgln', gln: value, extension: null }) : value);

/**
 * The stored body as the EPCIS 2.0 JSON-LD event the standard hash reads:
 * standard identifiers only — each lot by the LGTIN it had at capture
 * (QuantityElementModel.epcClass), each organization by the PGLN or SGLN it
 * was named or matched by (PartyModel.id), CBV values as URIs, extensions
 * with their "@context". Ids are given to the body by standardIds
 * (services/capture.ts) before hashing.
 */
export function hashableEvent(body: EventBody): Record<string, unknown> {
  const grouping = body.type === 'AGGREGATION_EVENT' || body.type === 'ASSOCIATION_EVENT';
  const parties = (list: EventBody['sourceList'], key: 'source' | 'destination') =>
    list?.map((p) => ({ type: partyTypeUri(p.type), [key]: p.id ?? orgUri(p.organizationId!) }));
  const declaration = body.errorDeclaration;
  const event: Record<string, unknown> = {
    ...(body.extensions ?? {}),
    type: EPCIS_TYPE[body.type],
    eventTime: body.eventTime,
    eventTimeZoneOffset: body.eventTimeZoneOffset,
    [grouping ? 'childEPCs' : 'epcList']: body.epcList,
    parentID: body.parentID ?? (body.parentLotId ? (body.parentLotClass ?? lotUri(body.parentLotId)) : undefined),
    [grouping ? 'childQuantityList' : 'quantityList']: qty(body.quantityList),
    inputEPCList: body.inputEPCList,
    inputQuantityList: qty(body.inputQuantityList),
    outputEPCList: body.outputEPCList,
    outputQuantityList: qty(body.outputQuantityList),
    action: body.action,
    bizStep: body.bizStep && bizStepUri(body.bizStep),
    disposition: body.disposition && dispositionUri(body.disposition),
    readPoint: body.readPoint ? { id: locationId(body.readPoint) } : undefined,
    bizLocation: body.bizLocation ? { id: locationId(body.bizLocation) } : undefined,
    bizTransactionList: body.bizTransactionList?.map((t) => ({ ...(t.type ? { type: bizTransactionTypeUri(t.type) } : {}), bizTransaction: t.id })),
    sourceList: parties(body.sourceList, 'source'),
    destinationList: parties(body.destinationList, 'destination'),
    ilmd: body.ilmd,
    sensorElementList: body.sensorElementList,
    certificationInfo: body.certificationInfo,
    errorDeclaration: declaration && {
      declarationTime: declaration.declarationTime,
      ...(declaration.reason ? { reason: errorReasonUri(declaration.reason) } : {}),
      ...(declaration.correctiveEventIDs ? { correctiveEventIDs: declaration.correctiveEventIDs } : {}),
    },
  };
  for (const k of Object.keys(event)) if (event[k] === undefined) delete event[k];
  return event;
}

/**
 * The CBV 2.0 event hash (GS1 event hash ID) of a stored body, over its
 * standard identifiers (hashableEvent): the same event captured on any
 * installation hashes the same, whatever our internal ids.
 *
 * The standard hash leaves errorDeclaration out, so a declaration (EPCIS
 * re-sends the erroneous event with one) hashes like the event it declares
 * erroneous; our events are append-only and a hash names one stored event,
 * so a declaration's hash is that hash taken again with the declaration.
 */
export function eventHash(body: EventBody): string {
  const hash = canonicalEventHash(hashableEvent(body));
  const d = body.errorDeclaration;
  if (!d) return hash;
  const declared = [
    new Date(d.declarationTime).toISOString(),
    d.reason ? errorReasonUri(d.reason) : '',
    d.correctedEventID ?? '',
    ...[...(d.correctiveEventIDs ?? [])].sort(),
  ];
  const hex = createHash('sha256')
    .update([hash, ...declared].join('|'))
    .digest('hex');
  return `ni:///sha-256;${hex}?ver=CBV2.0`;
}

/**
 * Whether a stored body still hashes to its stored hash, under the hash it
 * was chained with: the standard one, or an earlier release's.
 */
export const hashMatches = (body: EventBody, stored: string) =>
  eventHash(body) === stored || secondReleaseEventHash(body) === stored || firstReleaseEventHash(body) === stored;

/** The first link of every chain points at this. */
export const GENESIS_HASH = '0'.repeat(64);

export const chainHash = (previous: string, hash: string) => createHash('sha256').update(`${previous}|${hash}`).digest('hex');
