import { createHash } from 'node:crypto';
import { canonicalId } from '@nguon/gs1/epc';
import type { EventBody, QuantityElementModel } from '../models';

/*
 * The event hashes of earlier releases, frozen. A stored event keeps the hash
 * it was chained with, so verifyChain recomputes whichever one a chain was
 * written with; new events use the standard hash (event.ts).
 */

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

/** First release: sha-256 of the sorted-key JSON of the body. */
export function firstReleaseEventHash(body: EventBody): string {
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

// Second release (issue 10 to issue 19): a pre-hash string over the body with
// lots and organizations named by their internal ids.
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
  return String(value);
}

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

const EPCIS_TYPE: Record<EventBody['type'], string> = {
  OBJECT_EVENT: 'ObjectEvent',
  AGGREGATION_EVENT: 'AggregationEvent',
  TRANSFORMATION_EVENT: 'TransformationEvent',
  TRANSACTION_EVENT: 'TransactionEvent',
  ASSOCIATION_EVENT: 'AssociationEvent',
};

const qty = (list: QuantityElementModel[] | undefined) =>
  list?.map((q) => ({ epcClass: `urn:nguon:lot:${q.lotId}`, ...(q.quantity !== null ? { quantity: q.quantity } : {}), ...(q.unit ? { uom: q.unit } : {}) }));

/** Second release: lots as urn:nguon:lot:<id>, organizations as urn:nguon:org:<id>. */
export function secondReleaseEventHash(body: EventBody): string {
  const grouping = body.type === 'AGGREGATION_EVENT' || body.type === 'ASSOCIATION_EVENT';
  const event: Record<string, unknown> = {
    ...(body.extensions ?? {}),
    type: EPCIS_TYPE[body.type],
    eventTime: body.eventTime,
    eventTimeZoneOffset: body.eventTimeZoneOffset,
    [grouping ? 'childEPCs' : 'epcList']: body.epcList,
    parentID: body.parentID ?? (body.parentLotId ? `urn:nguon:lot:${body.parentLotId}` : undefined),
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
    list?.map((p) => ({ type: `https://ref.gs1.org/cbv/SDT-${p.type}`, [key]: `urn:nguon:org:${p.organizationId}` }));
  const sources = [...(parties(body.sourceList, 'source') ?? []), ...((body.extensions?.sourceList as unknown[]) ?? [])];
  const destinations = [...(parties(body.destinationList, 'destination') ?? []), ...((body.extensions?.destinationList as unknown[]) ?? [])];
  if (sources.length) event.sourceList = sources;
  if (destinations.length) event.destinationList = destinations;
  let out = `eventType=${String(event.type)}eventTime=${utc(String(event.eventTime))}eventTimeZoneOffset=${String(event.eventTimeZoneOffset)}`;
  for (const name of FIELD_ORDER) if (event[name] !== undefined) out += field(name, event[name]);
  for (const name of Object.keys(event)
    .filter((k) => !SKIPPED.has(k) && !FIELD_ORDER.includes(k))
    .sort())
    out += field(name, event[name]);
  return `ni:///sha-256;${createHash('sha256').update(out, 'utf8').digest('hex')}?ver=CBV2.0`;
}
