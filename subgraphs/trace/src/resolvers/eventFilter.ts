import { badInput, isUuid } from '@nguon/shared';
import { canonicalId, isGs1Id, parseGs1Id, toDigitalLink, toEpcUrn, type Gs1Id } from '@nguon/gs1/epc';
import type { EventFilter, FieldCondition, SensorCondition, SensorField, TypedValues } from '../generated/graphql';
import {
  EXISTS_FIELDS,
  type ClassMatch,
  type CompareOp,
  type Comparison,
  type EventQuery,
  type FieldMatch,
  type IdMatch,
  type SensorMatch,
  type WithinMatch,
} from '../data/eventQuery';
import { canonicalEpcs } from '../epcis/event';
import {
  bizTransactionTypeUri,
  errorReasonUri,
  normalizeBizStep,
  normalizeBizTransactionType,
  normalizeDisposition,
  normalizeErrorReason,
  normalizePartyType,
  partyTypeUri,
} from '../epcis/vocabulary';

/**
 * The graph's EventFilter (the EPCIS 2.0 query parameters, GS1 EPCIS 2.0
 * §8.2.7.1) → the SQL conditions of data/eventQuery.ts. Identifiers are
 * matched in every spelling the body may keep; a value that cannot match
 * anything by its form is BAD_USER_INPUT (QueryParameterException upstream).
 */

/** The GTIN of an identifier naming a GTIN alone (a class without lot), else null. */
function gtinOnly(id: Gs1Id): string | null {
  const v = id as { gtin?: string; lot?: string; serial?: string };
  return v.gtin && v.lot === undefined && v.serial === undefined ? v.gtin : null;
}

/** Every spelling a GS1 identifier may be stored in; other URIs as sent. */
function spellings(value: string): string[] {
  const v = value.trim();
  if (!isGs1Id(v)) return [v];
  const id = parseGs1Id(v);
  const urn = (() => {
    try {
      return [toEpcUrn(id)];
    } catch {
      return [];
    }
  })();
  return [...new Set([v, canonicalId(v), ...urn])];
}

/**
 * An EPC pattern (`urn:epc:idpat:<scheme>:…*`, TDS §8) → the Digital Link
 * prefix every matching instance starts with: the pattern with a one-digit
 * serial, translated, without that digit.
 */
function patternPrefix(value: string, field: string): string {
  const m = /^urn:epc:idpat:([a-z0-9]+):(.*)\*$/i.exec(value.trim());
  if (!m || m[2]!.includes('*')) throw badInput(`${value} is not an EPC pattern this repository matches (only the last component may be *).`, field);
  if (isGs1Id(value)) {
    const gtin = gtinOnly(parseGs1Id(value));
    if (gtin) return `${toDigitalLink(parseGs1Id(value))}/21/`;
  }
  const probe = `urn:epc:id:${m[1]!.toLowerCase()}:${m[2]}0`;
  if (isGs1Id(probe)) {
    const dl = toDigitalLink(parseGs1Id(probe));
    if (dl.endsWith('0')) return dl.slice(0, -1);
  }
  throw badInput(`${value} is not an EPC pattern this repository matches.`, field);
}

function idMatch(list: readonly string[] | null | undefined, field: string): IdMatch | undefined {
  if (!list) return undefined;
  const m: IdMatch = { exact: [], prefixes: [] };
  list.forEach((v, i) => {
    if (/^urn:epc:idpat:/i.test(v)) m.prefixes.push(patternPrefix(v, `${field}.${i}`));
    else m.exact.push(...canonicalEpcs([v], `${field}.${i}`), ...spellings(v));
  });
  return m;
}

/** Lots by LGTIN, GTIN classes by their GTIN, anything else as a class URI kept in the body. */
function classMatch(list: readonly string[] | null | undefined, field: string): ClassMatch | undefined {
  if (!list) return undefined;
  const m: ClassMatch = { lotKeys: [], gtins: [], lotIds: [], uris: { exact: [], prefixes: [] } };
  list.forEach((v, i) => {
    if (/^urn:epc:idpat:/i.test(v) && !isGs1Id(v)) throw badInput(`${v} is not an EPC class pattern this repository matches.`, `${field}.${i}`);
    if (!isGs1Id(v)) {
      m.uris.exact.push(v.trim());
      return;
    }
    const id = parseGs1Id(v);
    const gtin = gtinOnly(id);
    if (id.kind === 'lgtin') m.lotKeys.push(`${id.gtin}|${id.lot}`);
    else if (gtin) {
      m.gtins.push(gtin);
      m.uris.prefixes.push(`${toDigitalLink(id)}/10/`);
    }
    m.uris.exact.push(...spellings(v));
  });
  return m;
}

/** A location and, when it is a GLN (an SGLN without extension, a PGLN), what lies under its organization. */
function withinMatch(list: readonly string[] | null | undefined): WithinMatch | undefined {
  if (!list) return undefined;
  const m: WithinMatch = { exact: [], glns: [] };
  for (const v of list) {
    if (/^\d{13}$/.test(v)) {
      m.glns.push(v);
      m.exact.push(v, ...spellings(`https://id.gs1.org/414/${v}`));
      continue;
    }
    m.exact.push(...spellings(v));
    if (!isGs1Id(v)) continue;
    const id = parseGs1Id(v);
    if ((id.kind === 'sgln' && (!id.extension || id.extension === '0')) || id.kind === 'pgln') {
      m.glns.push(id.gln);
      m.exact.push(id.gln, ...spellings(`https://id.gs1.org/414/${id.gln}`));
    }
  }
  return m;
}

function words(list: readonly string[] | null | undefined, normalize: (v: string) => string | null, field: string) {
  return list?.map((v, i) => {
    const w = normalize(v);
    if (!w) throw badInput(`"${v}" is neither a CBV 2.0 value nor a URI.`, `filter.${field}.${i}`);
    return w;
  });
}

/** A CBV word in the spellings the body keeps it (bare word, Web URI); a user URI as sent. */
function typeSpellings(value: string, normalize: (v: string) => string | null, uri: (w: string) => string, field: string): string[] {
  const w = normalize(value);
  if (!w) throw badInput(`"${value}" is neither a CBV 2.0 type nor a URI.`, field);
  return [...new Set([w, uri(w)])];
}

function parties(list: readonly TypedValues[] | null | undefined, field: string): EventQuery['sources'] {
  return list?.map((p, i) => {
    const ids = p.values.flatMap(spellings);
    const orgIds = p.values.flatMap((v) => /^urn:nguon:org:([0-9a-f-]{36})$/i.exec(v)?.[1]?.toLowerCase() ?? []).filter(isUuid);
    const glns = p.values.flatMap((v) => {
      if (/^\d{13}$/.test(v)) return [v];
      if (!isGs1Id(v)) return [];
      const id = parseGs1Id(v);
      return id.kind === 'pgln' || id.kind === 'sgln' ? [id.gln] : [];
    });
    return { types: typeSpellings(p.type, normalizePartyType, partyTypeUri, `filter.${field}.${i}.type`), ids, orgIds, glns };
  });
}

/** EQ keeps its values; an ordering comparison takes one number or one ISO 8601 instant. */
function comparison(op: CompareOp, values: readonly string[] | null | undefined, field: string, kind?: 'number' | 'time'): Comparison {
  const texts = [...(values ?? [])];
  if (op === 'EXISTS') return { op, texts: [] };
  if (!texts.length) throw badInput(`${op} needs a value.`, field);
  if (op === 'EQ') return { op, texts };
  const v = texts[0]!;
  const n = Number(v);
  if (kind !== 'time' && v.trim() !== '' && Number.isFinite(n)) return { op, texts, number: n };
  if (kind !== 'number' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(v) && !Number.isNaN(Date.parse(v))) return { op, texts, time: new Date(v).toISOString() };
  throw badInput(`${op} compares with a ${kind ?? 'number or ISO 8601 time'}; "${v}" is not one.`, field);
}

/** The IRIs a field name may stand for: as given, and namespace#name with the namespace ending in / instead. */
function fieldNames(field: string): string[] {
  const names = [field];
  const hash = /^(.+)#([^#]+)$/.exec(field);
  if (hash) names.push(`${hash[1]!.replace(/\/$/, '')}/${hash[2]}`, `${hash[1]}${hash[2]}`);
  return [...new Set(names)];
}

function fields(list: readonly FieldCondition[] | null | undefined): FieldMatch[] | undefined {
  return list?.map((f, i) => ({ ...comparison(f.op, f.values, `filter.fields.${i}.values`), scope: f.scope, names: fieldNames(f.field) }));
}

const SENSOR_KEYS: Record<SensorField, { key: string; kind?: 'number' | 'time' | 'boolean' }> = {
  TYPE: { key: 'type' },
  DEVICE_ID: { key: 'deviceID' },
  DEVICE_METADATA: { key: 'deviceMetadata' },
  RAW_DATA: { key: 'rawData' },
  DATA_PROCESSING_METHOD: { key: 'dataProcessingMethod' },
  BIZ_RULES: { key: 'bizRules' },
  MICROORGANISM: { key: 'microorganism' },
  CHEMICAL_SUBSTANCE: { key: 'chemicalSubstance' },
  STRING_VALUE: { key: 'stringValue' },
  BOOLEAN_VALUE: { key: 'booleanValue', kind: 'boolean' },
  HEX_BINARY_VALUE: { key: 'hexBinaryValue' },
  URI_VALUE: { key: 'uriValue' },
  VALUE: { key: 'value', kind: 'number' },
  MIN_VALUE: { key: 'minValue', kind: 'number' },
  MAX_VALUE: { key: 'maxValue', kind: 'number' },
  MEAN_VALUE: { key: 'meanValue', kind: 'number' },
  S_DEV: { key: 'sDev', kind: 'number' },
  PERC_RANK: { key: 'percRank', kind: 'number' },
  PERC_VALUE: { key: 'percValue', kind: 'number' },
  TIME: { key: 'time', kind: 'time' },
  START_TIME: { key: 'startTime', kind: 'time' },
  END_TIME: { key: 'endTime', kind: 'time' },
};

/** gs1:Temperature and https://gs1.org/voc/Temperature name the same measurement type. */
const gs1Spellings = (v: string) => {
  const m = /^(?:gs1:|https?:\/\/gs1\.org\/voc\/)(.+)$/.exec(v);
  return m ? [`gs1:${m[1]}`, `https://gs1.org/voc/${m[1]}`] : [v];
};

function sensors(list: readonly SensorCondition[] | null | undefined): SensorMatch[] | undefined {
  return list?.map((s, i) => {
    const { key, kind } = SENSOR_KEYS[s.field];
    const at = `filter.sensors.${i}.values`;
    if (kind === 'boolean') {
      if (s.op !== 'EQ' || !(s.values ?? []).every((v) => v === 'true' || v === 'false'))
        throw badInput('booleanValue is compared with EQ to true or false.', at);
      return { op: s.op, texts: [...(s.values ?? [])], key, ...(s.uom ? { uom: s.uom } : {}) };
    }
    const c = comparison(s.op, s.values, at, kind);
    return { ...c, texts: c.texts.flatMap(gs1Spellings), key, ...(s.uom ? { uom: s.uom } : {}) };
  });
}

const time = (v: unknown) => (v === null || v === undefined ? undefined : new Date(v as string | Date));

export function toQuery(f: EventFilter): EventQuery {
  const ids = (list: readonly string[] | null | undefined, field: string) =>
    list?.map((v, i) => {
      if (!isUuid(v)) throw badInput('Not a lot id.', `filter.${field}.${i}`);
      return v.toLowerCase();
    });
  const exists = f.exists?.map((name, i) => {
    if (!EXISTS_FIELDS.has(name)) throw badInput(`${name} is not a top-level EPCIS 2.0 event field.`, `filter.exists.${i}`);
    return name;
  });
  // MATCH_parentID and MATCH_anyEPC name instances or, as LGTINs, lots (kept as lots of the event, in event_lots).
  const lotsOf = (list: readonly string[] | null | undefined, field: string) => {
    const lots = list?.filter((v) => isGs1Id(v) && parseGs1Id(v).kind === 'lgtin');
    return lots?.length ? classMatch(lots, field) : undefined;
  };
  const instances = (list: readonly string[] | null | undefined) => list?.filter((v) => !(isGs1Id(v) && parseGs1Id(v).kind === 'lgtin'));
  const nonEmpty = <T extends { length: number }>(v: T | undefined) => (v?.length ? v : undefined);
  const anyInstances = instances(f.anyEpcs);
  const parentInstances = instances(f.parentIDs);
  return {
    types: f.eventTypes ?? undefined,
    geEventTime: time(f.geEventTime),
    ltEventTime: time(f.ltEventTime),
    geRecordTime: time(f.geRecordTime),
    ltRecordTime: time(f.ltRecordTime),
    actions: f.actions ?? undefined,
    bizSteps: words(f.bizSteps, normalizeBizStep, 'bizSteps'),
    dispositions: words(f.dispositions, normalizeDisposition, 'dispositions'),
    persistentSet: words(f.persistentDispositionSet, normalizeDisposition, 'persistentDispositionSet')?.flatMap((w) => [
      w,
      `https://ref.gs1.org/cbv/Disp-${w}`,
    ]),
    persistentUnset: words(f.persistentDispositionUnset, normalizeDisposition, 'persistentDispositionUnset')?.flatMap((w) => [
      w,
      `https://ref.gs1.org/cbv/Disp-${w}`,
    ]),
    bizLocations: f.bizLocations ?? undefined,
    readPoints: f.readPoints ?? undefined,
    bizLocationsWithin: withinMatch(f.bizLocationsWithin),
    readPointsWithin: withinMatch(f.readPointsWithin),
    transformationIDs: f.transformationIDs ?? undefined,
    epcs: idMatch(f.epcs, 'filter.epcs'),
    inputEpcs: idMatch(f.inputEpcs, 'filter.inputEpcs'),
    outputEpcs: idMatch(f.outputEpcs, 'filter.outputEpcs'),
    parentIDs: f.parentIDs ? (idMatch(parentInstances, 'filter.parentIDs') ?? { exact: [], prefixes: [] }) : undefined,
    parentClasses: lotsOf(f.parentIDs, 'filter.parentIDs'),
    anyEpcs: f.anyEpcs ? (idMatch(anyInstances, 'filter.anyEpcs') ?? { exact: [], prefixes: [] }) : undefined,
    anyEpcLots: lotsOf(f.anyEpcs, 'filter.anyEpcs'),
    lotIds: ids(f.lotIds, 'lotIds'),
    anyLotIds: ids(f.anyLotIds, 'anyLotIds'),
    historyOfLots: ids(f.historyOfLots, 'historyOfLots'),
    epcClasses: classMatch(f.epcClasses, 'filter.epcClasses'),
    inputEpcClasses: classMatch(f.inputEpcClasses, 'filter.inputEpcClasses'),
    outputEpcClasses: classMatch(f.outputEpcClasses, 'filter.outputEpcClasses'),
    anyEpcClasses: classMatch(f.anyEpcClasses, 'filter.anyEpcClasses'),
    quantities: f.quantities?.map((c, i) => {
      if (c.op === 'EXISTS' || !Number.isFinite(c.value))
        throw badInput('A quantity is compared with EQ, GT, GE, LT or LE and a number.', `filter.quantities.${i}`);
      return { op: c.op, value: c.value, ...(c.uom ? { uom: c.uom } : {}) };
    }),
    bizTransactions: f.bizTransactions?.map((t, i) => ({
      types: typeSpellings(t.type, normalizeBizTransactionType, bizTransactionTypeUri, `filter.bizTransactions.${i}.type`),
      ids: t.values.flatMap(spellings),
    })),
    sources: parties(f.sources, 'sources'),
    destinations: parties(f.destinations, 'destinations'),
    eventIDs: f.eventIDs ?? undefined,
    errorDeclaration: f.errorDeclaration ?? undefined,
    geErrorDeclarationTime: time(f.geErrorDeclarationTime),
    ltErrorDeclarationTime: time(f.ltErrorDeclarationTime),
    errorReasons: f.errorReasons?.flatMap((r, i) => typeSpellings(r, normalizeErrorReason, errorReasonUri, `filter.errorReasons.${i}`)),
    correctiveEventIDs: f.correctiveEventIDs ?? undefined,
    exists: nonEmpty(exists),
    fields: fields(f.fields),
    sensors: sensors(f.sensors),
  };
}
