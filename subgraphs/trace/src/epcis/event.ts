import { createHash } from 'node:crypto';
import { badInput, hasValidCheckDigit, isUuid } from '@nguon/shared';
import { canonicalEventHash, canonicalId, EpcError, isGs1Id, parseGs1Id } from '@nguon/gs1/epc';
import type { EventInput, QuantityInput } from '../generated/graphql';
import type { EventBody, QuantityElementModel } from '../models';
import { normalizeBizStep, normalizeDisposition } from './vocabulary';

/** The most events one capture may carry: large enough for a day's import, small enough for one transaction. */
export const MAX_BATCH = 10_000;

// ISO 8601 with an explicit offset: an EPCIS time without one is ambiguous.
const TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const OFFSET = /^[+-](0\d|1[0-4]):[0-5]\d$/;
const EVENT_ID = /^(urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|ni:\/\/\/sha-256;[0-9a-f]{64}(\?ver=CBV2\.0)?)$/i;
const UNIT = /^[A-Z0-9]{2,3}$/;
const LOCATION = /^(\d{13}|urn:epc:id:sgln:[0-9.]+\.[!-~]{1,20}|https:\/\/id\.gs1\.org\/414\/\d{13}(\/254\/[!-~]{1,20})?)$/;
const PARTY_TYPES = new Set(['owning_party', 'possessing_party', 'location']);
const BIZ_TRANSACTION_TYPES = new Set(['po', 'poc', 'bol', 'cert', 'desadv', 'inv', 'pedigree', 'prodorder', 'recadv', 'rma', 'testprd', 'testres', 'upevt']);

/** An event checked and normalised, ready to hash and store. */
export interface NormalizedEvent {
  /** The eventID the capturer sent, if any; otherwise the hash id is used. */
  eventID: string | null;
  body: EventBody;
  eventHash: string;
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

function location(value: string | null | undefined, field: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (!LOCATION.test(value) || (/^\d{13}$/.test(value) && !hasValidCheckDigit(value))) {
    throw badInput('A location is a GLN (13 digits, valid check digit), urn:epc:id:sgln:… or a GS1 Digital Link /414/ URI.', field);
  }
  return value;
}

function quantities(list: readonly QuantityInput[] | null | undefined, field: string): QuantityElementModel[] | undefined {
  if (!list) return undefined;
  return list.map((q, i) => {
    if (!isUuid(q.lotId)) throw badInput('Not a lot id.', `${field}.${i}.lotId`);
    if (q.quantity !== null && q.quantity !== undefined && (!Number.isFinite(q.quantity) || q.quantity < 0)) {
      throw badInput('A quantity cannot be negative.', `${field}.${i}.quantity`);
    }
    if (q.unit !== null && q.unit !== undefined && !UNIT.test(q.unit))
      throw badInput('A unit is a UN/ECE Recommendation 20 code, e.g. KGM.', `${field}.${i}.unit`);
    return { lotId: q.lotId.toLowerCase(), quantity: q.quantity ?? null, unit: q.unit ?? null };
  });
}

function parties(list: EventInput['sourceParties'], field: string) {
  if (!list) return undefined;
  return list.map((p, i) => {
    if (!PARTY_TYPES.has(p.type)) throw badInput('A party type is owning_party, possessing_party or location.', `${field}.${i}.type`);
    if (!isUuid(p.organizationId)) throw badInput('Not an organization id.', `${field}.${i}.organizationId`);
    return { type: p.type, organizationId: p.organizationId.toLowerCase() };
  });
}

// Any absolute URI (EPCIS allows private identifier schemes); GS1 ones are checked and kept in one spelling.
const URI = /^[a-z][a-z0-9+.-]*:[!-~]+$/i;

/** Instance identifiers: GS1 ones (EPC URN or Digital Link) become canonical Digital Link URIs so every spelling matches. */
export function canonicalEpcs(list: readonly string[], field: string): string[] {
  return epcs(list, field)!;
}

function epcs(list: readonly string[] | null | undefined, field: string): string[] | undefined {
  if (!list) return undefined;
  return list.map((value, i) => {
    const v = value.trim();
    if (!URI.test(v) || v.length > 500) throw badInput('An EPC is a URI: an EPC URN, a GS1 Digital Link or another absolute URI.', `${field}.${i}`);
    if (/^urn:epc:class:|\/10\//.test(v) && isGs1Id(v) && parseGs1Id(v).kind === 'lgtin') {
      throw badInput('A lot (LGTIN) goes in quantities with its lot id, not among instance EPCs.', `${field}.${i}`);
    }
    if (/^urn:epc:(id|class):(sgtin|lgtin|sgln|pgln|sscc):/i.test(v) || /^https?:\/\/[^/]+\/(.*\/)?(01|00|414|417)\/\d/.test(v)) {
      try {
        parseGs1Id(v);
        return canonicalId(v);
      } catch (error) {
        if (error instanceof EpcError) throw badInput(error.message, `${field}.${i}`);
        throw error;
      }
    }
    return v;
  });
}

const nonEmpty = <T>(list: T[] | undefined): list is T[] => !!list && list.length > 0;

/**
 * Checks one event and brings it to its stored form. `at` is the field path
 * of the event in the input (`input.events.1234`), so an error in a batch of
 * thousands names the event and the field.
 */
export function normalizeEvent(input: EventInput, at: string): NormalizedEvent {
  if (input.eventID !== null && input.eventID !== undefined && !EVENT_ID.test(input.eventID)) {
    throw badInput('An eventID is urn:uuid:<uuid> or ni:///sha-256;<hex>.', `${at}.eventID`);
  }
  const eventTime = time(input.eventTime, `${at}.eventTime`);
  const offset = input.eventTimeZoneOffset ?? offsetOf(input.eventTime);
  if (!OFFSET.test(offset)) throw badInput('A time zone offset looks like +07:00.', `${at}.eventTimeZoneOffset`);

  const body: EventBody = { type: input.type, eventTime: input.eventTime, eventTimeZoneOffset: offset };
  if (input.type === 'TRANSFORMATION_EVENT') {
    if (input.action) throw badInput('A transformation event has no action.', `${at}.action`);
  } else if (!input.action) {
    throw badInput('This event type needs an action (ADD, OBSERVE or DELETE).', `${at}.action`);
  } else body.action = input.action;

  if (input.bizStep !== null && input.bizStep !== undefined) {
    const word = normalizeBizStep(input.bizStep);
    if (!word) throw badInput(`"${input.bizStep}" is not a CBV 2.0 business step.`, `${at}.bizStep`);
    body.bizStep = word;
  }
  if (input.disposition !== null && input.disposition !== undefined) {
    const word = normalizeDisposition(input.disposition);
    if (!word) throw badInput(`"${input.disposition}" is not a CBV 2.0 disposition.`, `${at}.disposition`);
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
  switch (input.type) {
    case 'TRANSFORMATION_EVENT':
      if (!nonEmpty(inputList) && !nonEmpty(inputEpcs)) throw badInput('A transformation needs at least one input.', `${at}.inputs`);
      if (!nonEmpty(outputList) && !nonEmpty(outputEpcs)) throw badInput('A transformation needs at least one output.', `${at}.outputs`);
      if (quantityList?.length || epcList?.length) throw badInput('A transformation lists inputs and outputs, not quantities.', `${at}.quantities`);
      break;
    case 'AGGREGATION_EVENT':
    case 'ASSOCIATION_EVENT':
      if (!body.parentLotId && !parentID) throw badInput('This event needs the parent lot (or a parentID).', `${at}.parentLotId`);
      if (body.parentLotId && parentID) throw badInput('Give the parent as a lot or as a parentID, not both.', `${at}.parentID`);
      if (body.action === 'ADD' && !nonEmpty(quantityList) && !nonEmpty(epcList))
        throw badInput('Adding needs at least one child lot or EPC.', `${at}.quantities`);
      break;
    default:
      if (!nonEmpty(quantityList) && !nonEmpty(epcList)) throw badInput('This event needs at least one lot in quantities (or an EPC).', `${at}.quantities`);
  }
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
    if (typeof input.extensions !== 'object' || Array.isArray(input.extensions)) throw badInput('extensions is a JSON object.', `${at}.extensions`);
    if (Object.keys(input.extensions).length > 0) body.extensions = input.extensions as Record<string, unknown>;
  }

  const source = parties(input.sourceParties, `${at}.sourceParties`);
  const destination = parties(input.destinationParties, `${at}.destinationParties`);
  if (nonEmpty(source)) body.sourceList = source;
  if (nonEmpty(destination)) body.destinationList = destination;
  if (input.bizTransactions?.length) {
    body.bizTransactionList = input.bizTransactions.map((t, i) => {
      if (!BIZ_TRANSACTION_TYPES.has(t.type)) throw badInput(`"${t.type}" is not a CBV business transaction type.`, `${at}.bizTransactions.${i}.type`);
      if (!t.id.trim() || t.id.length > 200) throw badInput('A business transaction id has 1–200 characters.', `${at}.bizTransactions.${i}.id`);
      return { type: t.type, id: t.id.trim() };
    });
  }
  if (input.ilmd !== null && input.ilmd !== undefined) {
    if (typeof input.ilmd !== 'object' || Array.isArray(input.ilmd)) throw badInput('ilmd is a JSON object.', `${at}.ilmd`);
    body.ilmd = input.ilmd;
  }
  if (input.sensorReadings !== null && input.sensorReadings !== undefined) {
    if (!Array.isArray(input.sensorReadings)) throw badInput('sensorReadings is a JSON list of sensor elements.', `${at}.sensorReadings`);
    body.sensorElementList = input.sensorReadings;
  }
  if (input.certificationInfo?.length) body.certificationInfo = input.certificationInfo.map((c) => c.trim()).filter(Boolean);
  if (input.errorDeclaration) {
    const e = input.errorDeclaration;
    time(e.declarationTime, `${at}.errorDeclaration.declarationTime`);
    if (!EVENT_ID.test(e.correctedEventID)) throw badInput('Not an eventID.', `${at}.errorDeclaration.correctedEventID`);
    body.errorDeclaration = { declarationTime: e.declarationTime, reason: e.reason ?? null, correctedEventID: e.correctedEventID };
  }
  return { eventID: input.eventID ?? null, body, eventHash: eventHash(body), eventTime };
}

/** Lot ids an event refers to, each once. */
export function lotIdsOf(body: EventBody): string[] {
  const ids = new Set<string>();
  for (const list of [body.quantityList, body.inputQuantityList, body.outputQuantityList]) for (const q of list ?? []) ids.add(q.lotId);
  if (body.parentLotId) ids.add(body.parentLotId);
  return [...ids];
}

/** Sorted keys, no nulls: the same content always serialises to the same bytes. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== null && (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

const utcMs = (value: string) => new Date(value).toISOString();

/**
 * The hash of the first release (sorted-key JSON of the body). Kept so chains
 * written before the EPCIS canonical hash still verify.
 */
export function legacyEventHash(body: EventBody): string {
  const normalised = {
    ...body,
    eventTime: utcMs(body.eventTime),
    ...(body.errorDeclaration ? { errorDeclaration: { ...body.errorDeclaration, declarationTime: utcMs(body.errorDeclaration.declarationTime) } } : {}),
  };
  const hex = createHash('sha256')
    .update(JSON.stringify(canonical(normalised)))
    .digest('hex');
  return `ni:///sha-256;${hex}?ver=CBV2.0`;
}

const EPCIS_TYPE: Record<EventBody['type'], string> = {
  OBJECT_EVENT: 'ObjectEvent',
  AGGREGATION_EVENT: 'AggregationEvent',
  TRANSFORMATION_EVENT: 'TransformationEvent',
  TRANSACTION_EVENT: 'TransactionEvent',
  ASSOCIATION_EVENT: 'AssociationEvent',
};

/**
 * A lot is a class-level identifier; GTINs live in the catalog, so inside the
 * trace service a lot is named by its stable id. Every channel (graph, REST,
 * file import) resolves GTIN + lot code to that id before hashing, so the
 * same event hashes the same however its identifiers were spelt.
 */
export const lotUri = (lotId: string) => `urn:nguon:lot:${lotId}`;
const orgUri = (orgId: string) => `urn:nguon:org:${orgId}`;
const qty = (list: QuantityElementModel[] | undefined) =>
  list?.map((q) => ({ epcClass: lotUri(q.lotId), ...(q.quantity !== null ? { quantity: q.quantity } : {}), ...(q.unit ? { uom: q.unit } : {}) }));

/** The stored body in EPCIS 2.0 JSON-LD shape, as the canonical hash reads it. */
export function hashableEvent(body: EventBody): Record<string, unknown> {
  const grouping = body.type === 'AGGREGATION_EVENT' || body.type === 'ASSOCIATION_EVENT';
  const event: Record<string, unknown> = {
    ...(body.extensions ?? {}),
    type: EPCIS_TYPE[body.type],
    eventTime: body.eventTime,
    eventTimeZoneOffset: body.eventTimeZoneOffset,
    [grouping ? 'childEPCs' : 'epcList']: body.epcList,
    parentID: body.parentID ?? (body.parentLotId ? lotUri(body.parentLotId) : undefined),
    [grouping ? 'childQuantityList' : 'quantityList']: qty(body.quantityList),
    inputEPCList: body.inputEPCList,
    inputQuantityList: qty(body.inputQuantityList),
    outputEPCList: body.outputEPCList,
    outputQuantityList: qty(body.outputQuantityList),
    action: body.action,
    bizStep: body.bizStep,
    disposition: body.disposition,
    readPoint: body.readPoint ? { id: body.readPoint } : undefined,
    bizLocation: body.bizLocation ? { id: body.bizLocation } : undefined,
    bizTransactionList: body.bizTransactionList?.map((t) => ({ type: `https://ref.gs1.org/cbv/BTT-${t.type}`, bizTransaction: t.id })),
    ilmd: body.ilmd,
    sensorElementList: body.sensorElementList,
    certificationInfo: body.certificationInfo,
    errorDeclaration: body.errorDeclaration,
  };
  const parties = (list: EventBody['sourceList'], key: 'source' | 'destination') =>
    list?.map((p) => ({ type: `https://ref.gs1.org/cbv/SDT-${p.type}`, [key]: orgUri(p.organizationId) }));
  const sources = [...(parties(body.sourceList, 'source') ?? []), ...((body.extensions?.sourceList as unknown[]) ?? [])];
  const destinations = [...(parties(body.destinationList, 'destination') ?? []), ...((body.extensions?.destinationList as unknown[]) ?? [])];
  if (sources.length) event.sourceList = sources;
  if (destinations.length) event.destinationList = destinations;
  for (const k of Object.keys(event)) if (event[k] === undefined) delete event[k];
  return event;
}

/**
 * The EPCIS 2.0 canonical event hash (GS1 event hash ID) of a stored body:
 * identifiers in canonical form, times in UTC ms, CBV values as URIs, lists
 * sorted. The same event sent twice — or once with EPC URNs and once with
 * Digital Link URIs — hashes the same.
 */
export function eventHash(body: EventBody): string {
  return canonicalEventHash(hashableEvent(body));
}

/** The first link of every chain points at this. */
export const GENESIS_HASH = '0'.repeat(64);

export const chainHash = (previous: string, hash: string) => createHash('sha256').update(`${previous}|${hash}`).digest('hex');
