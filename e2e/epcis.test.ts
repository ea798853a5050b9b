import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOperator, demoPaths } from '@nguon/demo/ids';
import { canonicalId, isGs1Id } from '@nguon/gs1/epc';
import { demoEmail, startTestStack, type TestStack } from './helpers';

let stack: TestStack;
let token: string;
let base: string;
const millPath = demoPaths.operator(demoOperator('ct_luong_thuc_thot_not'));

beforeAll(async () => {
  stack = await startTestStack();
  base = stack.gateway.url.replace(/\/graphql$/, '');
  token = await stack.tokenFor(demoEmail('STAFF', millPath));
});
afterAll(() => stack?.stop());

/** A standalone event carries its own @context (GS1's schema). */
const CONTEXT = ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld', { example: 'http://ns.example.com/epcis/' }];
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/epcis/${name}`, import.meta.url), 'utf8'));
const auth = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });

async function captureDocument(doc: unknown) {
  const res = await fetch(`${base}/epcis/capture`, { method: 'POST', headers: auth({ 'content-type': 'application/ld+json' }), body: JSON.stringify(doc) });
  if (res.status !== 202) return { status: res.status, body: (await res.json()) as any, job: null as any };
  const location = res.headers.get('location')!;
  for (let i = 0; i < 100; i++) {
    const job = (await (await fetch(`${base}${location}`, { headers: auth() })).json()) as any;
    if (!job.running) return { status: 202, body: null, job };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('capture job never finished');
}

async function query(params: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/epcis/events?${params}`, { headers: auth(headers) });
  const body = (await res.json()) as any;
  return { status: res.status, body, events: body.epcisBody?.queryResults?.resultsBody?.eventList as any[], headers: res.headers };
}

const CBV: Record<string, string> = { bizStep: 'https://ref.gs1.org/cbv/BizStep-', disposition: 'https://ref.gs1.org/cbv/Disp-' };
/** One spelling for everything EPCIS lets vary: identifiers, CBV words, times, list order, empty lists. */
function normalise(value: any, key = ''): any {
  if (Array.isArray(value)) {
    const items = value.map((v) => normalise(v, key));
    return items.length ? items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : undefined;
  }
  if (value && typeof value === 'object') {
    const out: any = {};
    for (const [k, v] of Object.entries(value)) {
      if (['recordTime', '@context', 'eventID', 'nguon:declarationEventID'].includes(k)) continue;
      const n = k === 'certificationInfo' && typeof v === 'string' ? [v] : normalise(v, k);
      if (n !== undefined) out[k] = n;
    }
    return out;
  }
  if (typeof value === 'string') {
    if (CBV[key] && /^[a-z_]+$/.test(value)) return CBV[key] + value;
    if (key === 'type' && /^[a-z_]+$/.test(value)) return value;
    if (/Time$|^declarationTime$/.test(key)) return new Date(value).toISOString();
    if (isGs1Id(value)) return canonicalId(value);
    return value.replace(/^urn:epcglobal:cbv:bt:/, 'urn:epcglobal:cbv:bt:');
  }
  return value;
}
const bt = (e: any) => ({
  ...e,
  ...(e.bizTransactionList
    ? {
        bizTransactionList: e.bizTransactionList.map((t: any) => ({
          ...t,
          type: t.type.startsWith('https:') ? t.type : `https://ref.gs1.org/cbv/BTT-${t.type}`,
        })),
      }
    : {}),
  ...(e.sourceList
    ? { sourceList: e.sourceList.map((p: any) => ({ ...p, type: p.type.startsWith('https:') ? p.type : `https://ref.gs1.org/cbv/SDT-${p.type}` })) }
    : {}),
  ...(e.destinationList
    ? { destinationList: e.destinationList.map((p: any) => ({ ...p, type: p.type.startsWith('https:') ? p.type : `https://ref.gs1.org/cbv/SDT-${p.type}` })) }
    : {}),
});

describe('EPCIS 2.0 REST bindings', () => {
  it('advertises the capture limits on OPTIONS /epcis/capture', async () => {
    const res = await fetch(`${base}/epcis/capture`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('gs1-epcis-capture-limit')).toBe('10000');
    expect(res.headers.get('gs1-capture-error-behaviour')).toBe('rollback');
  });

  it('refuses a capture without credentials as problem+json SecurityException', async () => {
    const res = await fetch(`${base}/epcis/capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/ld+json' },
      body: JSON.stringify(fixture('object-event.jsonld')),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(((await res.json()) as any).type).toBe('epcisException:SecurityException');
  });

  it.each([
    'object-event.jsonld',
    'aggregation-event.jsonld',
    'transformation-event.jsonld',
    'transaction-event.jsonld',
    'association-event.jsonld',
    'sensor-data.jsonld',
    'digital-link.jsonld',
  ])('captures the standard example %s asynchronously and queries it back equal after normalisation', async (name) => {
    const doc = fixture(name);
    const { job } = await captureDocument(doc);
    expect(job).toMatchObject({ success: true, running: false, createdCount: 1, errors: [] });
    const sent = doc.epcisBody.eventList[0];
    const { events, status } = await query(
      `GE_eventTime=${encodeURIComponent(sent.eventTime)}&LT_eventTime=${encodeURIComponent(new Date(Date.parse(sent.eventTime) + 1).toISOString())}`,
    );
    expect(status).toBe(200);
    expect(events).toHaveLength(1);
    expect(normalise(bt(events[0]))).toEqual(normalise(bt(sent)));
  });

  it('records an errorDeclaration as a correction of the declared event, and finds it with EXISTS_errorDeclaration', async () => {
    expect((await captureDocument(fixture('error-declaration.jsonld'))).job.success).toBe(true);
    const { job } = await captureDocument(fixture('error-declaration-2.jsonld'));
    expect(job.success).toBe(true);
    const { events } = await query('EXISTS_errorDeclaration=true&EQ_bizStep=inspecting');
    expect(events).toHaveLength(1);
    expect(events[0].eventID).toBe('urn:uuid:0195b3a0-0000-7000-8000-00000000e001');
    expect(normalise(events[0].errorDeclaration)).toEqual(normalise(fixture('error-declaration-2.jsonld').epcisBody.eventList[0].errorDeclaration));
  });

  it('refuses documents with missing fields, wrong types or unknown vocabulary with 400 and stores nothing', async () => {
    const good = fixture('object-event.jsonld').epcisBody.eventList[0];
    const bad = [
      { ...good, eventTime: undefined, bizStep: 'inspecting' },
      { ...good, quantityList: [{ epcClass: good.quantityList[0].epcClass, quantity: 'lots' }], bizStep: 'inspecting' },
      { ...good, bizStep: 'teleporting' },
      { ...good, notAField: 1, bizStep: 'inspecting' },
    ];
    for (const event of bad) {
      const doc = {
        ...fixture('object-event.jsonld'),
        epcisBody: { eventList: [{ ...good, eventTime: '2030-01-01T00:00:00+07:00', bizStep: 'stocking' }, event] },
      };
      const { status, body } = await captureDocument(doc);
      expect(status).toBe(400);
      expect(body.type).toBe('epcisException:ValidationException');
    }
    expect((await query('GE_eventTime=2030-01-01T00:00:00Z')).events).toEqual([]);
  });

  it('refuses an event whose ilmd nests past QUERY_VARIABLES_DEPTH as a problem+json ValidationException and stores nothing', async () => {
    let ilmd: Record<string, unknown> = { 'example:leaf': 1 };
    for (let i = 0; i < 100; i++) ilmd = { 'example:n': ilmd };
    const good = fixture('object-event.jsonld').epcisBody.eventList[0];
    const event = { '@context': CONTEXT, ...good, eventTime: '2029-06-01T08:00:00+07:00', action: 'ADD', bizStep: 'inspecting', ilmd };
    const res = await fetch(`${base}/epcis/events`, { method: 'POST', headers: auth({ 'content-type': 'application/json' }), body: JSON.stringify(event) });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = (await res.json()) as any;
    expect(body.type).toBe('epcisException:ValidationException');
    expect(body.detail).toMatch(/at most 64 levels/);
    expect((await query('GE_eventTime=2029-06-01T00:00:00Z&LT_eventTime=2029-06-02T00:00:00Z')).events).toEqual([]);
  });

  it('stores the same event sent with EPC URNs and again with Digital Link URIs once, under one hash', async () => {
    const urn = {
      '@context': CONTEXT,
      type: 'ObjectEvent',
      eventTime: '2026-04-01T08:00:00+07:00',
      eventTimeZoneOffset: '+07:00',
      action: 'OBSERVE',
      bizStep: 'storing',
      epcList: ['urn:epc:id:sgtin:893604133.0001.S9001'],
      bizLocation: { id: 'urn:epc:id:sgln:893604133.001.0' },
      quantityList: [{ epcClass: 'urn:epc:class:lgtin:893604133.0001.GOI-DX26-A', quantity: 3, uom: 'KGM' }],
    };
    const dl = {
      ...urn,
      epcList: ['https://id.gs1.org/01/08936041330016/21/S9001'],
      bizLocation: { id: 'https://id.gs1.org/414/8936041330016' },
      quantityList: [{ epcClass: 'https://example.com/01/08936041330016/10/GOI-DX26-A', quantity: 3, uom: 'KGM' }],
    };
    const first = await fetch(`${base}/epcis/events`, { method: 'POST', headers: auth({ 'content-type': 'application/json' }), body: JSON.stringify(urn) });
    expect(first.status).toBe(201);
    const second = await fetch(`${base}/epcis/events`, { method: 'POST', headers: auth({ 'content-type': 'application/json' }), body: JSON.stringify(dl) });
    expect(second.status).toBe(409);
    expect(((await second.json()) as any).type).toBe('epcisException:ResourceAlreadyExistsException');
    const eventID = decodeURIComponent(first.headers.get('location')!.split('/').pop()!);
    expect(eventID).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
    const asDl = await fetch(`${base}/epcis/events/${encodeURIComponent(eventID)}`, { headers: auth({ 'GS1-EPC-Format': 'Always_GS1_Digital_Link' }) });
    expect(((await asDl.json()) as any).epcList).toEqual(['https://id.gs1.org/01/08936041330016/21/S9001']);
    const { events } = await query('MATCH_epc=https://id.gs1.org/01/08936041330016/21/S9001', { 'GS1-EPC-Format': 'Always_EPC_URN' });
    expect(events.map((e) => e.epcList)).toEqual([['urn:epc:id:sgtin:893604133.0001.S9001']]);
    const graph = await stack.gql(`query($id: String!) { event(eventID: $id) { eventHash } }`, { id: eventID }, { token });
    expect(graph.data.event.eventHash).toBe(eventID);
  });

  it('gives the same lots for a transformation traced through the REST query and through the graph', async () => {
    const lots = await stack.gql(`{ a: productByGtin(gtin: "08936041330016") { lots(first: 100) { nodes { id lotCode } } } }`, {}, { token });
    const byCode = Object.fromEntries(lots.data.a.lots.nodes.map((l: any) => [l.lotCode, l.id]));
    const graph = await stack.gql(
      `query($id: ID!) { trace(lotId: $id, direction: UPSTREAM, maxDepth: 1) { lots { id depth } } }`,
      { id: byCode['GOI-DX26-A'] },
      { token },
    );
    const upstream = graph.data.trace.lots
      .filter((l: any) => l.depth === 1)
      .map((l: any) => l.id)
      .sort();
    const rest = await query('eventType=TransformationEvent&MATCH_anyEPC=urn:epc:class:lgtin:893604133.0001.GOI-DX26-A');
    const fromRest = new Set<string>();
    for (const e of rest.events)
      if (e.outputQuantityList.some((q: any) => q.epcClass.endsWith('.GOI-DX26-A'))) for (const q of e.inputQuantityList) fromRest.add(q.epcClass);
    const codes = [...fromRest].map((c) => c.split('.').pop()!);
    expect(codes.map((c) => byCode[c]).sort()).toEqual(upstream);
  });

  it('pages with nextPageToken and rejects unknown query parameters', async () => {
    const page = await query('perPage=2&EQ_bizStep=harvesting');
    expect(page.events).toHaveLength(2);
    // The token travels in the Link header, as the REST binding has it; the document carries none (GS1's schema allows none).
    expect(page.body.nextPageToken).toBeUndefined();
    const token = new URL(/<([^>]+)>; rel="next"/.exec(page.headers.get('link') ?? '')![1]!, base).searchParams.get('nextPageToken');
    expect(token).toBeTruthy();
    const next = await query(`perPage=2&EQ_bizStep=harvesting&nextPageToken=${encodeURIComponent(token!)}`);
    expect(next.events[0].eventTime).not.toBe(undefined);
    expect(next.events.map((e) => e.eventID)).not.toContain(page.events[0].eventID);
    const bad = await query('EQ_colour=red');
    expect(bad.status).toBe(400);
    expect(bad.body.type).toBe('epcisException:QueryParameterException');
    // Names an object's own prototype has are no event types either.
    for (const name of ['constructor', 'toString', '__proto__']) {
      const unknown = await query(`eventType=${name}`);
      expect(unknown.status).toBe(400);
      expect(unknown.body.type).toBe('epcisException:QueryParameterException');
    }
  });

  it('refuses a valid document naming lots not registered here as a policy problem naming every lot, and stores nothing', async () => {
    const good = fixture('object-event.jsonld').epcisBody.eventList[0];
    const event = (time: string, classes: string[]) => ({
      ...good,
      eventTime: time,
      bizStep: 'inspecting',
      quantityList: classes.map((epcClass) => ({ epcClass, quantity: 1, uom: 'KGM' })),
    });
    const doc = {
      ...fixture('object-event.jsonld'),
      epcisBody: {
        eventList: [
          event('2029-07-01T08:00:00+07:00', ['urn:epc:class:lgtin:893604133.0001.NOT-HERE-1', good.quantityList[0].epcClass]),
          event('2029-07-01T09:00:00+07:00', ['urn:epc:class:lgtin:893604133.0001.NOT-HERE-2', 'https://id.gs1.org/01/08936041330016/10/NOT-HERE-3']),
        ],
      },
    };
    const { status, body } = await captureDocument(doc);
    expect(status).toBe(422);
    expect(body).toMatchObject({ type: 'https://nguon.example/problems/policy', code: 'UNREGISTERED_LOT', status: 422 });
    expect(body.lots.map((l: any) => l.pointer)).toEqual([
      '/epcisBody/eventList/0/quantityList/0/epcClass',
      '/epcisBody/eventList/1/quantityList/0/epcClass',
      '/epcisBody/eventList/1/quantityList/1/epcClass',
    ]);
    for (const lot of ['NOT-HERE-1', 'NOT-HERE-2', 'NOT-HERE-3']) expect(body.detail).toContain(lot);
    expect((await query('GE_eventTime=2029-07-01T00:00:00Z&LT_eventTime=2029-07-02T00:00:00Z')).events).toEqual([]);
  });

  it('answers 404 NoSuchResourceException for an unknown event', async () => {
    const res = await fetch(`${base}/epcis/events/${encodeURIComponent('urn:uuid:0195b3a0-0000-7000-8000-0000000000ff')}`, { headers: auth() });
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).type).toBe('epcisException:NoSuchResourceException');
  });
});
