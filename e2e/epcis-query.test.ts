import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOperator, demoOperatorGln, demoPaths } from '@nguon/demo/ids';
import { demoEmail, startTestStack, type TestStack } from './helpers';

/**
 * The EPCIS 2.0 query interface (GS1 EPCIS 2.0 §8.2.7, REST binding
 * openapi.yaml): every parameter family, one query that matches and one that
 * does not, and each REST answer equal to Query.events with the same filter.
 */
let stack: TestStack;
let token: string;
let base: string;
const millPath = demoPaths.operator(demoOperator('ct_luong_thuc_thot_not'));
const millGln = demoOperatorGln(demoOperator('ct_luong_thuc_thot_not'));
const millSgln = `urn:epc:id:sgln:${millGln.slice(0, 9)}.${millGln.slice(9, 12)}.0`;
let parentGln: string;

const WINDOW = { GE_eventTime: '2031-05-01T00:00:00Z', LT_eventTime: '2031-05-02T00:00:00Z' };
const GRAPH_WINDOW = { geEventTime: WINDOW.GE_eventTime, ltEventTime: WINDOW.LT_eventTime };
const at = (hour: number) => `2031-05-01T${String(hour).padStart(2, '0')}:00:00.000Z`;
const LOT_A = 'urn:epc:class:lgtin:893604133.0001.GOI-DX26-A';
const LOT_B = 'urn:epc:class:lgtin:893604133.0001.GOI-DX26-B';
const LOT_RAW = 'urn:epc:class:lgtin:893604133.0001.XAT-DX26-01';
const NS = 'http://ns.example.com/epcis/';

/** The events every case queries, by the hour (UTC) they happened at. */
const EVENTS = [
  {
    type: 'ObjectEvent',
    eventTime: `${at(1)}`,
    eventTimeZoneOffset: '+07:00',
    epcList: ['urn:epc:id:sgtin:893604133.0001.S7001'],
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    persistentDisposition: { set: ['completeness_verified'] },
    readPoint: { id: 'urn:epc:id:sgln:893604133.001.DOCK7' },
    bizLocation: { id: millSgln },
    quantityList: [{ epcClass: LOT_A, quantity: 200, uom: 'KGM' }],
    bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:8936041330016:PO-7001' }],
    sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:893604133.001' }],
    destinationList: [{ type: 'owning_party', destination: 'urn:epc:id:pgln:893604133.002' }],
    'example:myField': 'hello',
    'example:nested': { 'example:depth': 7 },
  },
  {
    type: 'ObjectEvent',
    eventTime: `${at(2)}`,
    eventTimeZoneOffset: '+07:00',
    epcList: [],
    quantityList: [{ epcClass: LOT_A, quantity: 100, uom: 'KGM' }],
    action: 'OBSERVE',
    bizStep: 'sensor_reporting',
    readPoint: { id: 'urn:epc:id:sgln:893604133.002.0' },
    sensorElementList: [
      {
        sensorMetadata: { time: `${at(2)}`, deviceID: 'urn:epc:id:giai:893604133.LOGGER9', bizRules: 'https://example.com/rules/cold' },
        sensorReport: [
          { type: 'gs1:Temperature', value: 4.5, uom: 'CEL' },
          { type: 'gs1:AbsoluteHumidity', value: 12.1, uom: 'A93', booleanValue: true, stringValue: 'dry' },
        ],
      },
    ],
  },
  {
    type: 'TransformationEvent',
    eventTime: `${at(3)}`,
    eventTimeZoneOffset: '+07:00',
    inputQuantityList: [{ epcClass: LOT_RAW, quantity: 400, uom: 'KGM' }],
    outputQuantityList: [{ epcClass: LOT_B, quantity: 380, uom: 'KGM' }],
    outputEPCList: ['urn:epc:id:sgtin:893604133.0001.S7101'],
    transformationID: 'urn:epc:id:gdti:893604133.00001.TR-7001',
    bizStep: 'packing',
    disposition: 'active',
    readPoint: { id: 'urn:epc:id:sgln:893604133.001.0' },
    ilmd: { 'example:bestBeforeDate': '2032-03-20', 'example:grade': 3, 'example:origin': { 'example:field': 'A7' } },
  },
  {
    type: 'AggregationEvent',
    eventTime: `${at(4)}`,
    eventTimeZoneOffset: '+07:00',
    parentID: 'urn:epc:id:sscc:893604133.00007001',
    childEPCs: ['urn:epc:id:sgtin:893604133.0001.S7002'],
    childQuantityList: [{ epcClass: LOT_A, quantity: 10, uom: 'KGM' }],
    action: 'ADD',
    bizStep: 'packing',
    disposition: 'in_progress',
    readPoint: { id: 'urn:epc:id:sgln:893604133.001.0' },
  },
];

const auth = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });

async function captureDocument(eventList: unknown[]) {
  const doc = {
    '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld', { example: NS }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2031-05-01T10:00:00Z',
    epcisBody: { eventList },
  };
  const res = await fetch(`${base}/epcis/capture`, { method: 'POST', headers: auth({ 'content-type': 'application/ld+json' }), body: JSON.stringify(doc) });
  if (res.status !== 202) throw new Error(`capture refused: ${res.status} ${await res.text()}`);
  const location = res.headers.get('location')!;
  for (let i = 0; i < 200; i++) {
    const job = (await (await fetch(`${base}${location}`, { headers: auth() })).json()) as any;
    if (!job.running) {
      if (!job.success) throw new Error(`capture failed: ${JSON.stringify(job.errors)}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('capture job never finished');
}

async function rest(params: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/epcis/events?${new URLSearchParams(params)}`, { headers: auth(headers) });
  const body = (await res.json()) as any;
  const next = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
  // The next page's token, from the Link header (the document carries none: GS1's schema allows none).
  const nextPageToken = next ? new URL(next, base).searchParams.get('nextPageToken') : undefined;
  return { status: res.status, body, events: (body.epcisBody?.queryResults?.resultsBody?.eventList ?? []) as any[], nextPageToken };
}

async function graph(filter: Record<string, unknown>, order: { orderBy?: string; orderDirection?: string } = {}) {
  const result = await stack.gql(
    `query($f: EventFilter!, $o: EventOrderBy, $d: OrderDirection) { events(filter: $f, first: 100, orderBy: $o, orderDirection: $d) { nodes { eventTime } } }`,
    { f: filter, o: order.orderBy ?? null, d: order.orderDirection ?? null },
    { token },
  );
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return (result.data.events.nodes as { eventTime: string }[]).map((e) => new Date(e.eventTime).toISOString());
}

/** The REST answer's events by time, after checking the graph gives the same for the same filter. */
async function both(params: Record<string, string>, filter: Record<string, unknown>, headers: Record<string, string> = {}) {
  const r = await rest({ ...WINDOW, ...params }, headers);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  const times = r.events.map((e) => new Date(e.eventTime).toISOString());
  expect(times).toEqual(await graph({ ...GRAPH_WINDOW, ...filter }));
  return times;
}

beforeAll(async () => {
  stack = await startTestStack();
  base = stack.gateway.url.replace(/\/graphql$/, '');
  token = await stack.tokenFor(demoEmail('STAFF', millPath));
  const org = await stack.gql(`query($gln: String!) { organizationByGln(gln: $gln) { parent { gln } } }`, { gln: millGln }, { token });
  parentGln = org.data?.organizationByGln?.parent?.gln;
  await captureDocument(EVENTS);
}, 120_000);
afterAll(() => stack?.stop());

type Case = [string, Record<string, string>, Record<string, unknown>, number[]];
const CASES: Case[] = [
  ['eventType', { eventType: 'TransformationEvent' }, { eventTypes: ['TRANSFORMATION_EVENT'] }, [3]],
  ['eventType (none)', { eventType: 'TransactionEvent' }, { eventTypes: ['TRANSACTION_EVENT'] }, []],
  ['EQ_action', { EQ_action: 'ADD' }, { actions: ['ADD'] }, [4]],
  ['EQ_action (none)', { EQ_action: 'DELETE' }, { actions: ['DELETE'] }, []],
  ['EQ_bizStep', { EQ_bizStep: 'packing|shipping' }, { bizSteps: ['packing', 'shipping'] }, [1, 3, 4]],
  ['EQ_bizStep (none)', { EQ_bizStep: 'receiving' }, { bizSteps: ['receiving'] }, []],
  ['EQ_disposition', { EQ_disposition: 'https://ref.gs1.org/cbv/Disp-active' }, { dispositions: ['active'] }, [3]],
  ['EQ_disposition (none)', { EQ_disposition: 'destroyed' }, { dispositions: ['destroyed'] }, []],
  ['EQ_persistentDisposition_set', { EQ_persistentDisposition_set: 'completeness_verified' }, { persistentDispositionSet: ['completeness_verified'] }, [1]],
  [
    'EQ_persistentDisposition_unset (none)',
    { EQ_persistentDisposition_unset: 'completeness_verified' },
    { persistentDispositionUnset: ['completeness_verified'] },
    [],
  ],
  [
    'EQ_readPoint',
    { EQ_readPoint: 'urn:epc:id:sgln:893604133.001.0' },
    { readPoints: ['urn:epc:id:sgln:893604133.001.0', 'https://id.gs1.org/414/8936041330016'] },
    [3, 4],
  ],
  ['EQ_readPoint (none)', { EQ_readPoint: 'urn:epc:id:sgln:893604133.009.0' }, { readPoints: ['urn:epc:id:sgln:893604133.009.0'] }, []],
  [
    'WD_readPoint: an SGLN and its extensions',
    { WD_readPoint: 'urn:epc:id:sgln:893604133.001.0' },
    { readPointsWithin: ['urn:epc:id:sgln:893604133.001.0'] },
    [1, 3, 4],
  ],
  ['WD_readPoint (none)', { WD_readPoint: 'urn:epc:id:sgln:893604133.003.0' }, { readPointsWithin: ['urn:epc:id:sgln:893604133.003.0'] }, []],
  [
    'EQ_transformationID',
    { EQ_transformationID: 'urn:epc:id:gdti:893604133.00001.TR-7001' },
    { transformationIDs: ['urn:epc:id:gdti:893604133.00001.TR-7001'] },
    [3],
  ],
  [
    'EQ_transformationID (none)',
    { EQ_transformationID: 'urn:epc:id:gdti:893604133.00001.TR-0' },
    { transformationIDs: ['urn:epc:id:gdti:893604133.00001.TR-0'] },
    [],
  ],
  ['MATCH_epc with a Digital Link', { MATCH_epc: 'https://id.gs1.org/01/08936041330016/21/S7001' }, { epcs: ['urn:epc:id:sgtin:893604133.0001.S7001'] }, [1]],
  [
    'MATCH_epc with a pattern (childEPCs too)',
    { MATCH_epc: 'urn:epc:idpat:sgtin:893604133.0001.*' },
    { epcs: ['urn:epc:idpat:sgtin:893604133.0001.*'] },
    [1, 4],
  ],
  ['MATCH_epc (none)', { MATCH_epc: 'urn:epc:id:sgtin:893604133.0001.S0000' }, { epcs: ['urn:epc:id:sgtin:893604133.0001.S0000'] }, []],
  ['MATCH_parentID', { MATCH_parentID: 'urn:epc:id:sscc:893604133.00007001' }, { parentIDs: ['urn:epc:id:sscc:893604133.00007001'] }, [4]],
  ['MATCH_parentID (none)', { MATCH_parentID: 'urn:epc:id:sscc:893604133.00007002' }, { parentIDs: ['urn:epc:id:sscc:893604133.00007002'] }, []],
  ['MATCH_outputEPC', { MATCH_outputEPC: 'urn:epc:id:sgtin:893604133.0001.S7101' }, { outputEpcs: ['urn:epc:id:sgtin:893604133.0001.S7101'] }, [3]],
  ['MATCH_inputEPC (none)', { MATCH_inputEPC: 'urn:epc:id:sgtin:893604133.0001.S7101' }, { inputEpcs: ['urn:epc:id:sgtin:893604133.0001.S7101'] }, []],
  [
    'MATCH_anyEPC',
    { MATCH_anyEPC: 'urn:epc:id:sscc:893604133.00007001|urn:epc:id:sgtin:893604133.0001.S7101' },
    { anyEpcs: ['urn:epc:id:sscc:893604133.00007001', 'urn:epc:id:sgtin:893604133.0001.S7101'] },
    [3, 4],
  ],
  ['MATCH_anyEPC with an LGTIN: the lot in any role', { MATCH_anyEPC: LOT_B }, { anyEpcs: [LOT_B] }, [3]],
  ['MATCH_epcClass by LGTIN (childQuantityList too)', { MATCH_epcClass: LOT_A }, { epcClasses: [LOT_A] }, [1, 2, 4]],
  [
    'MATCH_epcClass by GTIN class',
    { MATCH_epcClass: 'urn:epc:idpat:sgtin:893604133.0001.*' },
    { epcClasses: ['https://id.gs1.org/01/08936041330016'] },
    [1, 2, 4],
  ],
  ['MATCH_epcClass (none: inputs are not quantityList)', { MATCH_epcClass: LOT_RAW }, { epcClasses: [LOT_RAW] }, []],
  ['MATCH_inputEPCClass', { MATCH_inputEPCClass: LOT_RAW }, { inputEpcClasses: [LOT_RAW] }, [3]],
  ['MATCH_outputEPCClass', { MATCH_outputEPCClass: LOT_B }, { outputEpcClasses: [LOT_B] }, [3]],
  ['MATCH_outputEPCClass (none)', { MATCH_outputEPCClass: LOT_A }, { outputEpcClasses: [LOT_A] }, []],
  ['MATCH_anyEPCClass', { MATCH_anyEPCClass: LOT_B }, { anyEpcClasses: [LOT_B] }, [3]],
  ['GT_quantity', { GT_quantity: '150' }, { quantities: [{ op: 'GT', value: 150 }] }, [1, 3]],
  ['LE_quantity_KGM', { LE_quantity_KGM: '10' }, { quantities: [{ op: 'LE', value: 10, uom: 'KGM' }] }, [4]],
  ['EQ_quantity_LTR (none)', { EQ_quantity_LTR: '200' }, { quantities: [{ op: 'EQ', value: 200, uom: 'LTR' }] }, []],
  [
    'EQ_bizTransaction_po',
    { EQ_bizTransaction_po: 'urn:epcglobal:cbv:bt:8936041330016:PO-7001' },
    { bizTransactions: [{ type: 'po', values: ['urn:epcglobal:cbv:bt:8936041330016:PO-7001'] }] },
    [1],
  ],
  [
    'EQ_bizTransaction_inv (none)',
    { EQ_bizTransaction_inv: 'urn:epcglobal:cbv:bt:8936041330016:PO-7001' },
    { bizTransactions: [{ type: 'inv', values: ['urn:epcglobal:cbv:bt:8936041330016:PO-7001'] }] },
    [],
  ],
  [
    'EQ_source_owning_party',
    { EQ_source_owning_party: 'urn:epc:id:pgln:893604133.001' },
    { sources: [{ type: 'owning_party', values: ['urn:epc:id:pgln:893604133.001'] }] },
    [1],
  ],
  [
    'EQ_destination_owning_party (none)',
    { EQ_destination_owning_party: 'urn:epc:id:pgln:893604133.001' },
    { destinations: [{ type: 'owning_party', values: ['urn:epc:id:pgln:893604133.001'] }] },
    [],
  ],
  ['EXISTS_ilmd', { EXISTS_ilmd: 'true' }, { exists: ['ilmd'] }, [3]],
  ['EXISTS_sensorElementList', { EXISTS_sensorElementList: 'true' }, { exists: ['sensorElementList'] }, [2]],
  ['EXISTS_bizTransactionList', { EXISTS_bizTransactionList: 'true' }, { exists: ['bizTransactionList'] }, [1]],
  [
    'EQ_<extension> by full IRI',
    { [`EQ_${NS}myField`]: 'hello' },
    { fields: [{ scope: 'EXTENSION', field: `${NS}myField`, op: 'EQ', values: ['hello'] }] },
    [1],
  ],
  ['EQ_<extension> (none)', { [`EQ_${NS}myField`]: 'bye' }, { fields: [{ scope: 'EXTENSION', field: `${NS}myField`, op: 'EQ', values: ['bye'] }] }, []],
  ['EXISTS_<extension>', { [`EXISTS_${NS}nested`]: 'true' }, { fields: [{ scope: 'EXTENSION', field: `${NS}nested`, op: 'EXISTS' }] }, [1]],
  ['GE_INNER_<extension>', { [`GE_INNER_${NS}depth`]: '7' }, { fields: [{ scope: 'INNER', field: `${NS}depth`, op: 'GE', values: ['7'] }] }, [1]],
  ['GT_INNER_<extension> (none)', { [`GT_INNER_${NS}depth`]: '7' }, { fields: [{ scope: 'INNER', field: `${NS}depth`, op: 'GT', values: ['7'] }] }, []],
  [
    'EQ_ILMD_<field>',
    { [`EQ_ILMD_${NS}bestBeforeDate`]: '2032-03-20' },
    { fields: [{ scope: 'ILMD', field: `${NS}bestBeforeDate`, op: 'EQ', values: ['2032-03-20'] }] },
    [3],
  ],
  ['LT_ILMD_<field> (none)', { [`LT_ILMD_${NS}grade`]: '3' }, { fields: [{ scope: 'ILMD', field: `${NS}grade`, op: 'LT', values: ['3'] }] }, []],
  ['EQ_INNER_ILMD_<field>', { [`EQ_INNER_ILMD_${NS}field`]: 'A7' }, { fields: [{ scope: 'INNER_ILMD', field: `${NS}field`, op: 'EQ', values: ['A7'] }] }, [3]],
  ['EQ_type', { EQ_type: 'gs1:Temperature' }, { sensors: [{ field: 'TYPE', op: 'EQ', values: ['https://gs1.org/voc/Temperature'] }] }, [2]],
  ['EQ_type (none)', { EQ_type: 'gs1:Speed' }, { sensors: [{ field: 'TYPE', op: 'EQ', values: ['gs1:Speed'] }] }, []],
  [
    'EQ_deviceID',
    { EQ_deviceID: 'urn:epc:id:giai:893604133.LOGGER9' },
    { sensors: [{ field: 'DEVICE_ID', op: 'EQ', values: ['urn:epc:id:giai:893604133.LOGGER9'] }] },
    [2],
  ],
  [
    'EQ_bizRules',
    { EQ_bizRules: 'https://example.com/rules/cold' },
    { sensors: [{ field: 'BIZ_RULES', op: 'EQ', values: ['https://example.com/rules/cold'] }] },
    [2],
  ],
  ['EQ_stringValue', { EQ_stringValue: 'dry' }, { sensors: [{ field: 'STRING_VALUE', op: 'EQ', values: ['dry'] }] }, [2]],
  ['EQ_booleanValue (none)', { EQ_booleanValue: 'false' }, { sensors: [{ field: 'BOOLEAN_VALUE', op: 'EQ', values: ['false'] }] }, []],
  ['GE_value_CEL', { GE_value_CEL: '4' }, { sensors: [{ field: 'VALUE', op: 'GE', values: ['4'], uom: 'CEL' }] }, [2]],
  ['GT_value_CEL (none)', { GT_value_CEL: '5' }, { sensors: [{ field: 'VALUE', op: 'GT', values: ['5'], uom: 'CEL' }] }, []],
  ['GE_time', { GE_time: `${at(2)}` }, { sensors: [{ field: 'TIME', op: 'GE', values: [at(2)] }] }, [2]],
  ['LT_time (none)', { LT_time: `${at(2)}` }, { sensors: [{ field: 'TIME', op: 'LT', values: [at(2)] }] }, []],
  ['GE_recordTime', { GE_recordTime: '2000-01-01T00:00:00Z' }, { geRecordTime: '2000-01-01T00:00:00Z' }, [1, 2, 3, 4]],
  ['LT_recordTime (none)', { LT_recordTime: '2000-01-01T00:00:00Z' }, { ltRecordTime: '2000-01-01T00:00:00Z' }, []],
];

describe('EPCIS 2.0 query parameters: the REST answer is the graph answer', () => {
  it.each(CASES)('%s', async (_name, params, filter, hours) => {
    expect(await both(params, filter)).toEqual(hours.map(at));
  });

  it('WD_bizLocation covers locations of organizations under the named GLN', async () => {
    expect(parentGln).toMatch(/^\d{13}$/);
    expect(await both({ WD_bizLocation: parentGln }, { bizLocationsWithin: [parentGln] })).toEqual([at(1)]);
    expect(await both({ WD_bizLocation: millSgln }, { bizLocationsWithin: [millSgln] })).toEqual([at(1)]);
    expect(await both({ WD_bizLocation: 'urn:epc:id:sgln:893604133.003.0' }, { bizLocationsWithin: ['urn:epc:id:sgln:893604133.003.0'] })).toEqual([]);
  });

  it('EQ_<prefix>:<name> expands the prefix GS1-Extensions declares', async () => {
    const header = { 'GS1-Extensions': `example=${NS}` };
    expect(
      await both({ 'EQ_example:myField': 'hello' }, { fields: [{ scope: 'EXTENSION', field: `${NS}myField`, op: 'EQ', values: ['hello'] }] }, header),
    ).toEqual([at(1)]);
  });

  it('orders by eventTime descending with orderBy and limits with eventCountLimit', async () => {
    const r = await rest({ ...WINDOW, orderBy: 'eventTime', eventCountLimit: '3', perPage: '2' });
    expect(r.events.map((e) => new Date(e.eventTime).toISOString())).toEqual([at(4), at(3)]);
    expect(await graph(GRAPH_WINDOW, { orderBy: 'EVENT_TIME', orderDirection: 'DESC' })).toEqual([at(4), at(3), at(2), at(1)]);
    expect(r.body.nextPageToken).toBeUndefined();
    const link = new URLSearchParams(r.nextPageToken ? `nextPageToken=${encodeURIComponent(r.nextPageToken)}` : '');
    const next = await rest({ ...WINDOW, orderBy: 'eventTime', eventCountLimit: '1', perPage: '2', ...Object.fromEntries(link) });
    expect(next.events.map((e) => new Date(e.eventTime).toISOString())).toEqual([at(2)]);
    expect(next.nextPageToken).toBeUndefined();
    const asc = await rest({ ...WINDOW, orderBy: 'recordTime', orderDirection: 'ASC' });
    expect(asc.events).toHaveLength(4);
  });

  it('refuses more than maxEventCount events with QueryTooLargeException, and both limits together', async () => {
    const r = await rest({ ...WINDOW, maxEventCount: '3' });
    expect(r.status).toBe(413);
    expect(r.body.type).toBe('epcisException:QueryTooLargeException');
    expect((await rest({ ...WINDOW, maxEventCount: '4' })).events).toHaveLength(4);
    const both = await rest({ ...WINDOW, maxEventCount: '4', eventCountLimit: '2' });
    expect(both.status).toBe(400);
    expect(both.body.type).toBe('epcisException:QueryParameterException');
  });

  it.each([
    ['EQ_action', 'MOVE'],
    ['orderBy', 'nope'],
    ['GE_eventTime', 'yesterday'],
    ['EQ_unknownThing', 'x'],
    ['MATCH_epc', 'urn:epc:idpat:sscc:*.*'],
    ['EQ_ERROR_DECLARATION_example:x', '1'],
  ])('refuses %s=%s with QueryParameterException', async (key, value) => {
    const r = await rest({ [key]: value });
    expect(r.status).toBe(400);
    expect(r.body.type).toBe('epcisException:QueryParameterException');
  });
});

describe('EPCIS named queries (/queries)', () => {
  it('creates, lists, runs and deletes a named query, only for its owner', async () => {
    const name = 'packing-may-2031';
    const query = { ...WINDOW, EQ_bizStep: ['packing'], eventType: ['AggregationEvent'] };
    const created = await fetch(`${base}/epcis/queries`, {
      method: 'POST',
      headers: auth({ 'content-type': 'application/json' }),
      body: JSON.stringify({ name, query }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/epcis/queries/${name}`);
    const again = await fetch(`${base}/epcis/queries`, {
      method: 'POST',
      headers: auth({ 'content-type': 'application/json' }),
      body: JSON.stringify({ name, query }),
    });
    expect(again.status).toBe(409);
    expect(((await again.json()) as any).type).toBe('epcisException:ResourceAlreadyExistsException');
    const list = (await (await fetch(`${base}/epcis/queries`, { headers: auth() })).json()) as any[];
    expect(list).toContainEqual({ name, query });
    expect(await (await fetch(`${base}/epcis/queries/${name}`, { headers: auth() })).json()).toEqual({ name, query });
    const run = (await (await fetch(`${base}/epcis/queries/${name}/events`, { headers: auth() })).json()) as any;
    expect(run.epcisBody.queryResults.queryName).toBe(name);
    expect(run.epcisBody.queryResults.resultsBody.eventList.map((e: any) => new Date(e.eventTime).toISOString())).toEqual([at(4)]);

    const other = await stack.tokenFor(demoEmail('STAFF', demoPaths.operator(demoOperator('ct_thuy_san_tra_noc'))));
    expect((await fetch(`${base}/epcis/queries/${name}`, { headers: { authorization: `Bearer ${other}` } })).status).toBe(404);

    expect((await fetch(`${base}/epcis/queries/${name}`, { method: 'DELETE', headers: auth() })).status).toBe(204);
    expect((await fetch(`${base}/epcis/queries/${name}/events`, { headers: auth() })).status).toBe(404);
  });

  it('refuses a named query with an unknown parameter and stores nothing', async () => {
    const res = await fetch(`${base}/epcis/queries`, {
      method: 'POST',
      headers: auth({ 'content-type': 'application/json' }),
      body: JSON.stringify({ name: 'bad', query: { EQ_nothing: ['x'] } }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).type).toBe('epcisException:QueryParameterException');
    expect((await fetch(`${base}/epcis/queries/bad`, { headers: auth() })).status).toBe(404);
  });
});

describe('EPCIS capability discovery', () => {
  it('answers OPTIONS with the versions, extensions and allowed methods of each resource', async () => {
    for (const [path, allow] of [
      ['/epcis', 'OPTIONS, GET'],
      ['/epcis/events', 'OPTIONS, GET, POST'],
      ['/epcis/queries', 'OPTIONS, GET, POST'],
      ['/epcis/queries/x', 'OPTIONS, GET, DELETE'],
      ['/epcis/eventTypes/ObjectEvent/events', 'OPTIONS, GET'],
    ]) {
      const res = await fetch(`${base}${path}`, { method: 'OPTIONS' });
      expect(res.status).toBe(204);
      expect(res.headers.get('allow')).toBe(allow);
      expect(res.headers.get('gs1-epcis-version')).toBe('2.0.0');
      expect(res.headers.get('gs1-epcis-max')).toBe('2.0.0');
      expect(res.headers.get('gs1-cbv-min')).toBe('2.0.0');
      expect(res.headers.has('gs1-extensions')).toBe(true);
      expect(res.headers.get('gs1-vendor-version')).toBeTruthy();
    }
  });

  it('lists the top-level resources and event types, and browses events by bizStep', async () => {
    const top = (await (await fetch(`${base}/epcis`, { headers: auth() })).json()) as any;
    expect(top).toMatchObject({ type: 'Collection' });
    expect(top.member).toEqual(
      expect.arrayContaining(['events', 'eventTypes', 'epcs', 'bizSteps', 'bizLocations', 'readPoints', 'dispositions', 'capture', 'queries']),
    );
    const types = (await (await fetch(`${base}/epcis/eventTypes`, { headers: auth() })).json()) as any;
    expect(types.member).toEqual(expect.arrayContaining(['ObjectEvent', 'TransformationEvent']));
    const res = await fetch(`${base}/epcis/bizSteps/packing/events?${new URLSearchParams({ ...WINDOW, eventType: 'TransformationEvent' })}`, {
      headers: auth(),
    });
    const body = (await res.json()) as any;
    expect(body.epcisBody.queryResults.resultsBody.eventList.map((e: any) => new Date(e.eventTime).toISOString())).toEqual([at(3)]);
  });
});
