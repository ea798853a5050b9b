import { sql, type SQL } from 'drizzle-orm';
import { inAnySubtree, rowsOf, type Database, textArray, uuidArray } from '@nguon/shared';
import type { TraceEventModel } from '../models';
import { historyCtes, inHistoryOf, toEvent, type RawEvent } from './events';
import { PUBLIC_LOT_STATUSES } from '../models';

const PUBLIC = sql.raw(PUBLIC_LOT_STATUSES.map((s) => `'${s}'`).join(','));
/**
 * The event names a public lot. In the select list it is computed for the
 * returned page only (PostgreSQL evaluates it after the sort and limit); in
 * the visibility condition after the viewer's own subtrees, which need no lookup.
 */
const PUBLISHED = sql`exists (select 1 from trace.event_lots el join trace.lots l on l.id = el.lot_id where el.event_id = e.id and l.status in (${PUBLIC}))`;

export type CompareOp = 'EQ' | 'GT' | 'GE' | 'LT' | 'LE' | 'EXISTS';

/** Identifiers as the body stores them (`exact`, canonical spellings) and patterns (`prefixes` of canonical Digital Links). */
export interface IdMatch {
  exact: string[];
  prefixes: string[];
}

/** EPC classes: our lots by GTIN + lot code or by GTIN alone, lot ids, and class URIs stored as sent (every spelling, or a prefix). */
export interface ClassMatch {
  lotKeys: string[];
  gtins: string[];
  lotIds: string[];
  uris: IdMatch;
}

/** A location and what lies under it: exact spellings, and the 12-digit GLN bodies of organizations at or below the named GLNs. */
export interface WithinMatch {
  exact: string[];
  glns: string[];
}

/** One compared value: EQ takes texts (and their numbers), the others one number or one instant. */
export interface Comparison {
  op: CompareOp;
  texts: string[];
  number?: number;
  time?: string;
}

export interface FieldMatch extends Comparison {
  scope: 'EXTENSION' | 'INNER' | 'ILMD' | 'INNER_ILMD';
  /** The field as asked (full IRI or prefixed name) and the IRIs it may expand to. */
  names: string[];
}

export interface SensorMatch extends Comparison {
  /** Key in sensorMetadata / sensorReport. */
  key: string;
  uom?: string;
}

/** EPCIS query conditions, already normalised (bare CBV words, canonical EPCs, lower-case lot ids). */
export interface EventQuery {
  types?: string[];
  geEventTime?: Date;
  ltEventTime?: Date;
  geRecordTime?: Date;
  ltRecordTime?: Date;
  actions?: string[];
  bizSteps?: string[];
  dispositions?: string[];
  persistentSet?: string[];
  persistentUnset?: string[];
  bizLocations?: string[];
  readPoints?: string[];
  bizLocationsWithin?: WithinMatch;
  readPointsWithin?: WithinMatch;
  transformationIDs?: string[];
  epcs?: IdMatch;
  parentIDs?: IdMatch;
  inputEpcs?: IdMatch;
  outputEpcs?: IdMatch;
  anyEpcs?: IdMatch;
  /** Lots (LGTINs) MATCH_parentID names: a parent lot. */
  parentClasses?: ClassMatch;
  /** Lots (LGTINs) MATCH_anyEPC names: a lot in any role, the parent included. */
  anyEpcLots?: ClassMatch;
  lotIds?: string[];
  anyLotIds?: string[];
  /** Lots whose histories (containment included) the events belong to. */
  historyOfLots?: string[];
  epcClasses?: ClassMatch;
  inputEpcClasses?: ClassMatch;
  outputEpcClasses?: ClassMatch;
  anyEpcClasses?: ClassMatch;
  quantities?: { op: CompareOp; value: number; uom?: string }[];
  bizTransactions?: { types: string[]; ids: string[] }[];
  sources?: { types: string[]; ids: string[]; orgIds: string[]; glns: string[] }[];
  destinations?: { types: string[]; ids: string[]; orgIds: string[]; glns: string[] }[];
  eventIDs?: string[];
  errorDeclaration?: boolean;
  geErrorDeclarationTime?: Date;
  ltErrorDeclarationTime?: Date;
  errorReasons?: string[];
  correctiveEventIDs?: string[];
  exists?: string[];
  fields?: FieldMatch[];
  sensors?: SensorMatch[];
}

export type EventOrder = { by: 'EVENT_TIME' | 'RECORD_TIME'; direction: 'ASC' | 'DESC' };

/** Keyset position: events are ordered by (event_time or record_time, id). */
export interface EventKey {
  time: Date;
  id: string;
}

const anyOf = (expr: SQL, values: string[]) => sql`${expr} = any(${textArray(values)}::text[])`;
const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;
const pathExists = (target: SQL, path: string, vars: Record<string, unknown>) => sql`jsonb_path_exists(${target}, ${path}::jsonpath, ${json(vars)})`;
const namesLots = (ids: string[], roles: string[]) =>
  sql`exists (select 1 from trace.event_lots q where q.event_id = e.id and q.lot_id = any(${uuidArray(ids)}::uuid[]) and q.role = any(${textArray(roles)}::text[]))`;

/** Body keys of each EPC list and quantity list the standard names (aggregations keep childEPCs as epcList). */
const LIST_KEYS: Record<string, string[]> = {
  QUANTITY: ['quantityList'],
  INPUT: ['inputQuantityList'],
  OUTPUT: ['outputQuantityList'],
};

/** Some string of `lists` (body arrays of strings) or `scalars` (body strings) equals or starts with what `m` names. */
function matchesIds(m: IdMatch, lists: string[], scalars: string[] = []): SQL {
  const values = sql.join(
    [
      ...lists.map((k) => sql`select jsonb_array_elements_text(case when jsonb_typeof(e.body->${k}) = 'array' then e.body->${k} end)`),
      ...scalars.map((k) => sql`select e.body->>${k}`),
    ],
    sql` union all `,
  );
  return sql`exists (select 1 from (${values}) v(id) where v.id = any(${textArray(m.exact)}::text[])
    or exists (select 1 from unnest(${textArray(m.prefixes)}::text[]) p(prefix) where starts_with(v.id, p.prefix)))`;
}

/** Quantity elements of the roles name one of the classes: a lot of ours, or a class URI kept in the body. */
function matchesClasses(m: ClassMatch, roles: string[]): SQL {
  const lots = sql`exists (select 1 from trace.event_lots q join trace.lots l on l.id = q.lot_id join catalog.product_scope ps on ps.id = l.product_id
      where q.event_id = e.id and q.role = any(${textArray(roles)}::text[])
        and (ps.gtin = any(${textArray(m.gtins)}::text[]) or ps.gtin || '|' || l.lot_code = any(${textArray(m.lotKeys)}::text[])))`;
  const ids = m.lotIds.length ? [namesLots(m.lotIds, roles)] : [];
  const keys = roles.flatMap((r) => LIST_KEYS[r] ?? []);
  const uris = keys.length
    ? [
        sql`exists (select 1 from (${sql.join(
          keys.map((k) => sql`select jsonb_array_elements(case when jsonb_typeof(e.body->${k}) = 'array' then e.body->${k} end)->>'epcClass'`),
          sql` union all `,
        )}) c(uri) where c.uri = any(${textArray(m.uris.exact)}::text[])
          or exists (select 1 from unnest(${textArray(m.uris.prefixes)}::text[]) p(prefix) where starts_with(c.uri, p.prefix)))`,
      ]
    : [];
  return sql`(${sql.join([lots, ...ids, ...uris], sql` or `)})`;
}

/**
 * The 12 digits before the check digit of a location's GLN, however it is
 * spelled (GLN, SGLN URN, Digital Link /414/); null for other URIs.
 */
const glnBody = (loc: SQL) => sql`(case
  when ${loc} ~ '^\\d{13}$' then substr(${loc}, 1, 12)
  when ${loc} ~ '/414/\\d{13}' then substring(${loc} from '/414/(\\d{12})\\d')
  when ${loc} ~* '^urn:epc:id:sgln:\\d+\\.\\d*\\.' then replace(substring(${loc} from '^urn:epc:id:sgln:(\\d+\\.\\d*)\\.'), '.', '')
end)`;

/** WD_: the location itself, or any location whose GLN belongs to an organization at or under one named by GLN (or is that GLN with an extension). */
function within(loc: SQL, m: WithinMatch): SQL {
  return sql`(${anyOf(loc, m.exact)} or ${glnBody(loc)} in (
    select substr(d.gln, 1, 12) from tenants.organization_scope a
      join tenants.organization_scope d on d.path = a.path or starts_with(d.path, a.path || '.')
      where a.gln = any(${textArray(m.glns)}::text[]) and d.gln is not null
    union all select substr(g, 1, 12) from unnest(${textArray(m.glns)}::text[]) g))`;
}

const OPS: Record<Exclude<CompareOp, 'EQ' | 'EXISTS'>, string> = { GT: '>', GE: '>=', LT: '<', LE: '<=' };

/** A user field compared, as SQL over one jsonb value `v`. */
function compareValue(c: Comparison): SQL {
  const scalar = sql`(case when jsonb_typeof(v) in ('string', 'number', 'boolean') then v #>> '{}' end)`;
  switch (c.op) {
    case 'EXISTS':
      return sql`true`;
    case 'EQ': {
      const numbers = c.texts.map(Number).filter(Number.isFinite);
      const numeric = numbers.length
        ? sql` or (case when jsonb_typeof(v) = 'number' then (v #>> '{}')::numeric end) = any(${`{${numbers.join(',')}}`}::numeric[])`
        : sql``;
      return sql`(${scalar} = any(${textArray(c.texts)}::text[])${numeric})`;
    }
    default: {
      const op = sql.raw(OPS[c.op]);
      if (c.time !== undefined)
        return sql`(case when jsonb_typeof(v) = 'string' and v #>> '{}' ~ '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d' then (v #>> '{}')::timestamptz end) ${op} ${c.time}::timestamptz`;
      return sql`(case when jsonb_typeof(v) = 'number' then (v #>> '{}')::numeric end) ${op} ${String(c.number)}::numeric`;
    }
  }
}

/**
 * A user field (extension or ILMD, top level or nested): its key is the
 * asked name as written, or a prefixed name whose prefix the stored
 * `@context` expands to the asked IRI.
 */
function matchesField(f: FieldMatch): SQL {
  const root = f.scope === 'ILMD' || f.scope === 'INNER_ILMD' ? sql`e.body->'ilmd'` : sql`e.body->'extensions'`;
  const context = sql`(select jsonb_object_agg(c.key, c.value) from jsonb_path_query(
      coalesce(e.body->'extensions'->'@context', '[]'::jsonb) || coalesce(e.body->'ilmd'->'@context', '[]'::jsonb), 'lax $[*] ? (@.type() == "object")') o(obj),
      jsonb_each_text(o.obj) c)`;
  const objects =
    f.scope === 'INNER' || f.scope === 'INNER_ILMD'
      ? sql`select obj from jsonb_path_query(${root}, 'lax $.*.** ? (@.type() == "object")') n(obj)`
      : sql`select ${root} as obj`;
  const key = sql`(k = any(${textArray(f.names)}::text[]) or (position(':' in k) > 1
      and (${context}->>split_part(k, ':', 1)) || substr(k, position(':' in k) + 1) = any(${textArray(f.names)}::text[])))`;
  return sql`exists (select 1 from (${objects}) n cross join lateral jsonb_each(case when jsonb_typeof(n.obj) = 'object' then n.obj end) x(k, v)
    where k <> '@context' and ${key} and ${compareValue(f)})`;
}

/** A declaration of error (EXISTS_errorDeclaration); the erroneous event may be held elsewhere, so not only corrects_event_id tells. */
const DECLARED = sql`(e.corrects_event_id is not null or e.body ? 'errorDeclaration')`;

const DECLARED_AT = sql`(e.body->'errorDeclaration'->>'declarationTime')::timestamptz`;

/** Standard top-level fields (EXISTS_<field>) → where the body keeps them. */
const EXISTS: Record<string, SQL> = {
  eventID: sql`true`,
  eventTime: sql`true`,
  recordTime: sql`true`,
  eventTimeZoneOffset: sql`true`,
  action: sql`e.action is not null`,
  bizStep: sql`e.biz_step is not null`,
  disposition: sql`e.disposition is not null`,
  readPoint: sql`e.body ? 'readPoint'`,
  bizLocation: sql`e.body ? 'bizLocation'`,
  epcList: sql`e.body ? 'epcList'`,
  childEPCs: sql`e.body ? 'epcList'`,
  parentID: sql`(e.body ? 'parentID' or e.body ? 'parentLotId')`,
  quantityList: sql`e.body ? 'quantityList'`,
  childQuantityList: sql`e.body ? 'quantityList'`,
  inputEPCList: sql`e.body ? 'inputEPCList'`,
  outputEPCList: sql`e.body ? 'outputEPCList'`,
  inputQuantityList: sql`e.body ? 'inputQuantityList'`,
  outputQuantityList: sql`e.body ? 'outputQuantityList'`,
  bizTransactionList: sql`e.body ? 'bizTransactionList'`,
  sourceList: sql`(e.body ? 'sourceList' or e.body->'extensions' ? 'sourceList')`,
  destinationList: sql`(e.body ? 'destinationList' or e.body->'extensions' ? 'destinationList')`,
  ilmd: sql`e.body ? 'ilmd'`,
  sensorElementList: sql`e.body ? 'sensorElementList'`,
  certificationInfo: sql`e.body ? 'certificationInfo'`,
  errorDeclaration: DECLARED,
  persistentDisposition: sql`e.body->'extensions' ? 'persistentDisposition'`,
  transformationID: sql`e.body->'extensions' ? 'transformationID'`,
};
export const EXISTS_FIELDS: ReadonlySet<string> = new Set(Object.keys(EXISTS));

/** Source or destination parties of a type: ours by organization (id or GLN), others by identifier as kept. */
function matchesParties(list: 'sourceList' | 'destinationList', p: NonNullable<EventQuery['sources']>[number]): SQL {
  const field = list === 'sourceList' ? 'source' : 'destination';
  const orgs = sql`(select coalesce(jsonb_agg(o.id::text), '[]'::jsonb) from tenants.organization_scope o
    where o.id = any(${uuidArray(p.orgIds)}::uuid[]) or o.gln = any(${textArray(p.glns)}::text[]))`;
  return sql`(jsonb_path_exists(e.body, ${`$.${list}[*] ? (@.type == $t[*] && (@.organizationId == $o[*] || @.id == $i[*]))`}::jsonpath,
      jsonb_build_object('t', ${json(p.types)}, 'i', ${json(p.ids)}, 'o', ${orgs}))
    or jsonb_path_exists(e.body, ${`$.extensions.${list}[*] ? (@.type == $t[*] && (@.${field} == $i[*] || @.id == $i[*]))`}::jsonpath,
      ${json({ t: p.types, i: p.ids })}))`;
}

/** Some sensor report (in the unit, if one is given) or its element's metadata has the field compared. */
function sensorCondition(s: SensorMatch): SQL {
  const compared = sql`(r.obj ? ${s.key}) and ${compareValue(s)}`;
  const uom = s.uom ? sql` and r.obj->>'uom' = ${s.uom}` : sql``;
  return sql`exists (select 1 from (
      select obj, obj->${s.key} as v from jsonb_path_query(e.body, 'lax $.sensorElementList[*].sensorReport[*]') r(obj)) r where ${compared}${uom})
    ${
      s.uom
        ? sql``
        : sql`or exists (select 1 from (
      select obj, obj->${s.key} as v from jsonb_path_query(e.body, 'lax $.sensorElementList[*].sensorMetadata') r(obj)) r where ${compared})`
    }`;
}

/**
 * Whether an event is public: it names a public lot, or — asked for lots'
 * histories — it is about a pallet or case a public lot was on at the time, as
 * the lot's public timeline shows it (data/containment.ts).
 */
const publishedIn = (q: EventQuery): SQL =>
  q.historyOfLots
    ? sql`(${PUBLISHED} or e.id in (with recursive ${historyCtes(
        sql`select id from trace.lots where id = any(${uuidArray(q.historyOfLots)}::uuid[]) and status in (${PUBLIC})`,
      )} select event_id from history))`
    : PUBLISHED;

function conditions(q: EventQuery, internalRoots: readonly string[]): SQL[] {
  // Same rule as visibleEvent: you may read its capturer's internals, or it is public.
  const list: SQL[] = [sql`(${inAnySubtree(sql`o.path`, internalRoots)} or ${publishedIn(q)})`];
  if (q.types?.length) list.push(anyOf(sql`e.type`, q.types));
  if (q.geEventTime) list.push(sql`e.event_time >= ${q.geEventTime.toISOString()}::timestamptz`);
  if (q.ltEventTime) list.push(sql`e.event_time < ${q.ltEventTime.toISOString()}::timestamptz`);
  if (q.geRecordTime) list.push(sql`e.record_time >= ${q.geRecordTime.toISOString()}::timestamptz`);
  if (q.ltRecordTime) list.push(sql`e.record_time < ${q.ltRecordTime.toISOString()}::timestamptz`);
  if (q.actions) list.push(anyOf(sql`e.action`, q.actions));
  if (q.bizSteps) list.push(anyOf(sql`e.biz_step`, q.bizSteps));
  if (q.dispositions) list.push(anyOf(sql`e.disposition`, q.dispositions));
  if (q.persistentSet) list.push(pathExists(sql`e.body`, '$.extensions.persistentDisposition.set[*] ? (@ == $v[*])', { v: q.persistentSet }));
  if (q.persistentUnset) list.push(pathExists(sql`e.body`, '$.extensions.persistentDisposition.unset[*] ? (@ == $v[*])', { v: q.persistentUnset }));
  if (q.bizLocations) list.push(anyOf(sql`(e.body->>'bizLocation')`, q.bizLocations));
  if (q.readPoints) list.push(anyOf(sql`(e.body->>'readPoint')`, q.readPoints));
  if (q.bizLocationsWithin) list.push(within(sql`(e.body->>'bizLocation')`, q.bizLocationsWithin));
  if (q.readPointsWithin) list.push(within(sql`(e.body->>'readPoint')`, q.readPointsWithin));
  if (q.transformationIDs) list.push(anyOf(sql`(e.body->'extensions'->>'transformationID')`, q.transformationIDs));
  if (q.epcs) list.push(matchesIds(q.epcs, ['epcList']));
  if (q.inputEpcs) list.push(matchesIds(q.inputEpcs, ['inputEPCList']));
  if (q.outputEpcs) list.push(matchesIds(q.outputEpcs, ['outputEPCList']));
  if (q.parentIDs || q.parentClasses) {
    const parts = [
      ...(q.parentIDs ? [matchesIds(q.parentIDs, [], ['parentID'])] : []),
      ...(q.parentClasses ? [matchesClasses(q.parentClasses, ['PARENT'])] : []),
    ];
    list.push(sql`(${sql.join(parts, sql` or `)})`);
  }
  if (q.anyEpcs || q.anyEpcLots) {
    const parts = [
      ...(q.anyEpcs ? [matchesIds(q.anyEpcs, ['epcList', 'inputEPCList', 'outputEPCList'], ['parentID'])] : []),
      ...(q.anyEpcLots ? [matchesClasses(q.anyEpcLots, ['QUANTITY', 'INPUT', 'OUTPUT', 'PARENT'])] : []),
    ];
    list.push(sql`(${sql.join(parts, sql` or `)})`);
  }
  if (q.lotIds) list.push(namesLots(q.lotIds, ['QUANTITY', 'INPUT', 'OUTPUT']));
  if (q.anyLotIds) list.push(namesLots(q.anyLotIds, ['QUANTITY', 'INPUT', 'OUTPUT', 'PARENT']));
  if (q.historyOfLots) list.push(inHistoryOf(q.historyOfLots));
  if (q.epcClasses) list.push(matchesClasses(q.epcClasses, ['QUANTITY']));
  if (q.inputEpcClasses) list.push(matchesClasses(q.inputEpcClasses, ['INPUT']));
  if (q.outputEpcClasses) list.push(matchesClasses(q.outputEpcClasses, ['OUTPUT']));
  if (q.anyEpcClasses) list.push(matchesClasses(q.anyEpcClasses, ['QUANTITY', 'INPUT', 'OUTPUT']));
  if (q.quantities?.length) {
    const conds = q.quantities.map((c, i) => {
      const op = c.op === 'EQ' ? '==' : OPS[c.op as keyof typeof OPS];
      return `@.quantity ${op} $q${i}${c.uom ? ` && @.unit == $u${i}` : ''}`;
    });
    const vars = Object.fromEntries(q.quantities.flatMap((c, i) => [[`q${i}`, c.value], ...(c.uom ? [[`u${i}`, c.uom]] : [])]));
    list.push(
      pathExists(
        sql`e.body`,
        `$.keyvalue() ? (@.key == "quantityList" || @.key == "inputQuantityList" || @.key == "outputQuantityList").value[*] ? (${conds.join(' && ')})`,
        vars,
      ),
    );
  }
  for (const t of q.bizTransactions ?? [])
    list.push(pathExists(sql`e.body`, '$.bizTransactionList[*] ? (@.type == $t[*] && @.id == $i[*])', { t: t.types, i: t.ids }));
  for (const s of q.sources ?? []) list.push(matchesParties('sourceList', s));
  for (const d of q.destinations ?? []) list.push(matchesParties('destinationList', d));
  if (q.eventIDs) {
    list.push(sql`(${anyOf(sql`e.event_id`, q.eventIDs)} or e.id in (
      select a.stored_event_id from trace.event_aliases a where a.event_id = any(${textArray(q.eventIDs)}::text[])))`);
  }
  if (q.errorDeclaration === true) list.push(DECLARED);
  if (q.errorDeclaration === false) list.push(sql`not ${DECLARED}`);
  if (q.geErrorDeclarationTime) list.push(sql`${DECLARED_AT} >= ${q.geErrorDeclarationTime.toISOString()}::timestamptz`);
  if (q.ltErrorDeclarationTime) list.push(sql`${DECLARED_AT} < ${q.ltErrorDeclarationTime.toISOString()}::timestamptz`);
  if (q.errorReasons) list.push(anyOf(sql`(e.body->'errorDeclaration'->>'reason')`, q.errorReasons));
  if (q.correctiveEventIDs) {
    const v = { v: q.correctiveEventIDs };
    list.push(
      sql`(${pathExists(sql`e.body`, '$.errorDeclaration.correctiveEventIDs[*] ? (@ == $v[*])', v)} or ${pathExists(sql`e.body`, '$.extensions.correctiveEventIDs[*] ? (@ == $v[*])', v)})`,
    );
  }
  for (const f of q.exists ?? []) list.push(EXISTS[f] ?? sql`false`);
  for (const f of q.fields ?? []) list.push(matchesField(f));
  for (const s of q.sensors ?? []) list.push(sql`(${sensorCondition(s)})`);
  return list;
}

/**
 * One page of events matching EPCIS query parameters that the viewer may see,
 * in (time, id) order; `limit + 1` rows so the caller knows whether more
 * follow. Served by events_time_idx for eventTime windows.
 */
export async function queryEvents(
  db: Database,
  q: EventQuery,
  internalRoots: readonly string[],
  limit: number,
  after: EventKey | null,
  order: EventOrder = { by: 'EVENT_TIME', direction: 'ASC' },
): Promise<TraceEventModel[]> {
  const where = conditions(q, internalRoots);
  const time = order.by === 'RECORD_TIME' ? sql`e.record_time` : sql`e.event_time`;
  const desc = order.direction === 'DESC';
  if (after) {
    const key = sql`(${after.time.toISOString()}::timestamptz, ${after.id}::uuid)`;
    where.push(desc ? sql`(${time}, e.id) < ${key}` : sql`(${time}, e.id) > ${key}`);
  }
  const direction = sql.raw(desc ? 'desc' : 'asc');
  const rows = rowsOf<RawEvent>(
    await db.execute(sql`
      select e.id, e.event_id, e.event_hash, e.organization_id, e.seq, e.prev_hash, e.chain_hash, e.event_time, e.record_time, e.body,
             o.path as org_path, ${publishedIn(q)} as published
      from trace.events e
      join tenants.organization_scope o on o.id = e.organization_id
      where ${sql.join(where, sql` and `)}
      order by ${time} ${direction}, e.id ${direction} limit ${limit + 1}`),
  );
  return rows.map(toEvent);
}
