import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOperator, demoPaths } from '@nguon/demo/ids';
import { canonicalId, isGs1Id } from '@nguon/gs1/epc';
import { demoEmail, startTestStack, type TestStack } from './helpers';

/**
 * EPCIS 2.0 capture accepts exactly what GS1's JSON schema accepts: GS1's own
 * examples are captured and answered back field for field, every answer
 * validates against the schema, and what the schema rejects is refused with
 * nothing stored. This stack runs with EPCIS_UNREGISTERED_LOTS=accept, since
 * GS1's examples name lots no installation has registered.
 */
let stack: TestStack;
let token: string;
let base: string;
const millPath = demoPaths.operator(demoOperator('ct_luong_thuc_thot_not'));

beforeAll(async () => {
  stack = await startTestStack({ epcis: { unregisteredLots: 'accept' } });
  base = stack.gateway.url.replace(/\/graphql$/, '');
  token = await stack.tokenFor(demoEmail('STAFF', millPath));
});
afterAll(() => stack?.stop());

// GS1's schema, compiled here on its own so the answers are checked by the standard and not by the code under test.
const schema = JSON.parse(readFileSync(new URL('../gateway/src/epcis/schema/EPCIS-JSON-Schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv, ['uri', 'date-time']);
const validate = ajv.compile(schema);
function expectSchemaValid(doc: unknown) {
  const ok = validate(doc);
  expect(ok ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
}

const EXAMPLES = new URL('./fixtures/epcis/gs1-examples/', import.meta.url);
function examples(dir = EXAMPLES.pathname, prefix = ''): string[] {
  return readdirSync(dir).flatMap((f) =>
    statSync(`${dir}${f}`).isDirectory() ? examples(`${dir}${f}/`, `${prefix}${f}/`) : f.endsWith('.jsonld') ? [`${prefix}${f}`] : [],
  );
}
const example = (name: string) => JSON.parse(readFileSync(new URL(name, EXAMPLES), 'utf8'));
const captureDocuments = examples().filter((name) => example(name).type === 'EPCISDocument');

const auth = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });
const CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { example: 'http://ns.example.com/epcis/' }];

async function post(path: string, body: unknown) {
  return fetch(`${base}${path}`, { method: 'POST', headers: auth({ 'content-type': 'application/ld+json' }), body: JSON.stringify(body) });
}
async function captureDocument(doc: unknown, query = '') {
  const res = await post(`/epcis/capture${query}`, doc);
  if (res.status !== 202) return { status: res.status, body: (await res.json()) as any, job: null as any };
  const location = res.headers.get('location')!;
  for (let i = 0; i < 200; i++) {
    const job = (await (await fetch(`${base}${location}`, { headers: auth() })).json()) as any;
    if (!job.running) return { status: 202, body: null, job };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('capture job never finished');
}
async function query(params: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/epcis/events?${params}`, { headers: auth(headers) });
  const body = (await res.json()) as any;
  return { status: res.status, body, events: (body.epcisBody?.queryResults?.resultsBody?.eventList ?? []) as any[] };
}
/** The events whose eventTime is exactly `time` (to the millisecond). */
const at = (time: string) =>
  query(`GE_eventTime=${encodeURIComponent(new Date(time).toISOString())}&LT_eventTime=${encodeURIComponent(new Date(Date.parse(time) + 1).toISOString())}`);
const document = (events: unknown[], context: unknown = CONTEXT) => ({
  '@context': context,
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2026-05-01T00:00:00Z',
  epcisBody: { eventList: events },
});

// ---------------------------------------------------------------------------
// Comparing what was sent with what is answered
// ---------------------------------------------------------------------------

type Terms = Record<string, string>;
/** Prefix → namespace declared by a `@context` (objects only; GS1's own context adds its standard prefixes). */
const termsOf = (context: unknown): Terms => Object.assign({}, ...(Array.isArray(context) ? context : [context]).filter((c) => c && typeof c === 'object'));
const STANDARD: Terms = { cbv: 'https://ref.gs1.org/cbv/', cbvmda: 'urn:epcglobal:cbv:mda:', gs1: 'https://gs1.org/voc/', epcis: 'https://ref.gs1.org/epcis/' };
const CBV: Record<string, string> = { bizStep: 'BizStep', disposition: 'Disp', reason: 'ER' };

/** A vocabulary value as one full URI: a CBV bare word as its CBV URI, a prefixed name expanded. */
function vocabulary(value: string, vocab: string, terms: Terms): string {
  if (/^[a-z_]+$/.test(value)) return `https://ref.gs1.org/cbv/${vocab}-${value}`;
  const m = /^([A-Za-z_][\w.-]*):(?!\/\/)(.*)$/.exec(value);
  const ns = m && (terms[m[1]!] ?? STANDARD[m[1]!]);
  return ns ? ns + m![2] : value;
}

/**
 * Keys an answer may spell otherwise or leave out. rdfs:comment is no part of an event's identity
 * (CBV 2.0 event hash), so an event differing from a held one only by it is the held one.
 */
const UNCOMPARED = new Set(['recordTime', '@context', 'eventID', 'nguon:declarationEventID', 'rdfs:comment']);

/** One spelling for everything EPCIS lets vary: identifiers, CBV words and prefixed names, times, list order, empty lists. */
function normalise(value: any, terms: Terms, key = ''): any {
  if (Array.isArray(value)) {
    const items = value.map((v) => normalise(v, terms, key)).filter((v) => v !== undefined);
    return items.length ? items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : undefined;
  }
  if (value && typeof value === 'object') {
    const out: any = {};
    // Sorted keys, so the same content compares equal as text too.
    for (const [k, v] of Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) {
      if (UNCOMPARED.has(k)) continue;
      const n = k === 'certificationInfo' && typeof v === 'string' ? [v] : normalise(v, terms, k);
      if (n !== undefined) out[k] = n;
    }
    for (const [list, vocab] of [
      ['bizTransactionList', 'BTT'],
      ['sourceList', 'SDT'],
      ['destinationList', 'SDT'],
    ] as const)
      if (Array.isArray(out[list]))
        out[list] = out[list]
          .map((t: any) => (t.type ? { ...t, type: vocabulary(t.type, vocab, terms) } : t))
          .sort((a: any, b: any) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    return out;
  }
  if (typeof value === 'string') {
    if (CBV[key]) return vocabulary(value, CBV[key]!, terms);
    if (/Time$|^time$/.test(key)) return new Date(value).toISOString();
    if (isGs1Id(value)) return canonicalId(value);
  }
  return value;
}

/** The prefixes an event uses (in keys and values, at any depth) that `terms` declares. */
function prefixesUsed(value: unknown, terms: Terms, into: Terms = {}): Terms {
  const use = (s: string) => {
    const m = /^([A-Za-z_][\w.-]*):(?!\/\/)/.exec(s);
    if (m && terms[m[1]!]) into[m[1]!] = terms[m[1]!]!;
  };
  if (typeof value === 'string') use(value);
  else if (Array.isArray(value)) for (const v of value) prefixesUsed(v, terms, into);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (UNCOMPARED.has(k)) continue;
      use(k);
      prefixesUsed(v, terms, into);
    }
  return into;
}

/** GS1's examples reuse some eventIDs for different events; EPCIS wants them unique, so a reused one gets a fresh id. */
const seenIDs = new Map<string, string>();
function uniqueIDs(doc: any) {
  for (const e of doc.epcisBody.eventList) {
    if (!e.eventID || e.errorDeclaration) continue;
    const content = JSON.stringify({ ...e, eventID: undefined });
    const seen = seenIDs.get(e.eventID);
    if (seen === undefined) seenIDs.set(e.eventID, content);
    else if (seen !== content) e.eventID = `urn:uuid:${randomUUID()}`;
  }
  return doc;
}

describe("GS1's EPCIS 2.0 examples", () => {
  it('are all accepted by the schema stored as the fixture (and so is the query document)', () => {
    for (const name of examples()) expectSchemaValid(example(name));
    expect(captureDocuments.length).toBeGreaterThan(40);
  });

  it.each(captureDocuments)('captures %s and answers every event field for field, with its prefixes, valid against the schema', async (name) => {
    const doc = uniqueIDs(example(name));
    const sent = doc.epcisBody.eventList as any[];
    const { job, body } = await captureDocument(doc);
    expect(body).toBe(null);
    expect(job).toMatchObject({ success: true, running: false, errors: [] });
    expect(job.createdCount + job.duplicateCount).toBe(sent.length);
    const docTerms = termsOf(doc['@context']);
    for (const event of sent) {
      const terms = { ...docTerms, ...termsOf(event['@context']) };
      const answer = await at(event.eventTime);
      expect(answer.status).toBe(200);
      expectSchemaValid(answer.body);
      const answered = termsOf(answer.body['@context']);
      const match = answer.events.find(
        (e) => JSON.stringify(normalise(e, { ...answered, ...termsOf(e['@context']) })) === JSON.stringify(normalise(event, terms)),
      );
      // No match: the answer shows the difference with the event at that time (or all of them).
      const shown = match ?? (answer.events.length === 1 ? answer.events[0] : answer.events);
      expect(Array.isArray(shown) ? shown.map((e) => normalise(e, answered)) : normalise(shown, answered)).toEqual(normalise(event, terms));
      // Every prefix the event used is declared again, with the same namespace.
      expect({ ...answered, ...termsOf(match?.['@context']) }).toMatchObject(prefixesUsed(event, terms));
      if (event.eventID && !event.errorDeclaration) {
        const res = await fetch(`${base}/epcis/events/${encodeURIComponent(event.eventID)}`, { headers: auth() });
        expect(res.status).toBe(200);
        const one = (await res.json()) as any;
        expectSchemaValid(one);
        expect(normalise(one, termsOf(one['@context']))).toEqual(normalise(event, terms));
      }
    }
  });
});

describe('capture accepts what the schema accepts', () => {
  const base0 = { eventTimeZoneOffset: '+07:00' };

  it('captures classes without a lot, an unregistered lot, user vocabulary URIs and prefixed names, any URI as a place, and sensor data alone', async () => {
    const events: any[] = [
      {
        ...base0,
        type: 'ObjectEvent',
        eventTime: '2031-02-01T08:00:00.000+07:00',
        action: 'OBSERVE',
        bizStep: 'example:grading',
        disposition: 'https://ns.example.com/disp/graded',
        readPoint: { id: 'geo:10.0452,105.7469' },
        bizLocation: { id: 'https://farm.example.com/field/7' },
        quantityList: [
          { epcClass: 'urn:epc:idpat:sgtin:4012345.011111.*', quantity: 10, uom: 'KGM' },
          { epcClass: 'https://id.gs1.org/01/04012345111118', quantity: 2 },
          { epcClass: 'urn:epc:class:lgtin:4012345.011111.NOT-HERE', quantity: 3, uom: 'KGM' },
        ],
        bizTransactionList: [{ type: 'example:contract', bizTransaction: 'https://ns.example.com/contract/9' }],
        sourceList: [{ type: 'cbv:SDT-owning_party', source: 'urn:epc:id:pgln:4012345.00001' }],
        destinationList: [{ type: 'https://ns.example.com/sdt/broker', destination: 'https://broker.example.com/parties/12' }],
        'example:grade': { 'example:class': 'A', 'example:moisture': 13.5 },
      },
      {
        ...base0,
        type: 'ObjectEvent',
        eventTime: '2031-02-01T08:05:00.000+07:00',
        action: 'OBSERVE',
        readPoint: { id: 'geo:10.0452,105.7469' },
        sensorElementList: [
          {
            sensorReport: [
              { type: 'Temperature', value: 28.5, uom: 'CEL' },
              { type: 'example:Turbidity', value: 3 },
            ],
          },
        ],
      },
    ];
    const { job, body } = await captureDocument(document(events));
    expect(body).toBe(null);
    expect(job).toMatchObject({ success: true, createdCount: 2 });

    const [first] = (await at(events[0]!.eventTime)).events;
    expect(first.bizStep).toBe('http://ns.example.com/epcis/grading');
    expect(first.disposition).toBe('https://ns.example.com/disp/graded');
    expect(first.readPoint).toEqual({ id: 'geo:10.0452,105.7469' });
    expect(first.bizLocation).toEqual({ id: 'https://farm.example.com/field/7' });
    expect(first.quantityList.map((q: any) => canonicalId(q.epcClass)).sort()).toEqual(
      [
        canonicalId('urn:epc:idpat:sgtin:4012345.011111.*'),
        canonicalId('https://id.gs1.org/01/04012345111118'),
        canonicalId('urn:epc:class:lgtin:4012345.011111.NOT-HERE'),
      ].sort(),
    );
    expect(first.bizTransactionList).toEqual([{ type: 'http://ns.example.com/epcis/contract', bizTransaction: 'https://ns.example.com/contract/9' }]);
    expect(first.sourceList.map((p: any) => ({ ...p, source: canonicalId(p.source) }))).toEqual([
      { type: 'https://ref.gs1.org/cbv/SDT-owning_party', source: canonicalId('urn:epc:id:pgln:4012345.00001') },
    ]);
    expect(first.destinationList).toEqual([{ type: 'https://ns.example.com/sdt/broker', destination: 'https://broker.example.com/parties/12' }]);
    expect(first['example:grade']).toEqual({ 'example:class': 'A', 'example:moisture': 13.5 });

    const answer = await at(events[1]!.eventTime);
    expectSchemaValid(answer.body);
    expect(answer.body['@context']).toEqual(['https://ref.gs1.org/standards/epcis/epcis-context.jsonld', { example: 'http://ns.example.com/epcis/' }]);
    expect(answer.events[0].sensorElementList).toEqual(events[1]!.sensorElementList);
  });

  it('captures error declarations of events held elsewhere, and without an eventID', async () => {
    const erroneous = {
      ...base0,
      type: 'ObjectEvent',
      eventTime: '2031-02-02T08:00:00.000+07:00',
      eventID: 'urn:uuid:6c1c1d2e-0000-4000-8000-00000000e019',
      action: 'OBSERVE',
      epcList: ['urn:epc:id:sgtin:4012345.011111.1'],
      errorDeclaration: { declarationTime: '2031-02-03T08:00:00.000+07:00', reason: 'did_not_occur', 'example:ticket': 'T-19' },
    };
    const anonymous = {
      ...erroneous,
      eventID: undefined,
      eventTime: '2031-02-02T09:00:00.000+07:00',
      errorDeclaration: { declarationTime: '2031-02-03T09:00:00.000+07:00' },
    };
    const { job } = await captureDocument(document([erroneous, anonymous]));
    expect(job).toMatchObject({ success: true, createdCount: 2 });
    const [declared] = (await at(erroneous.eventTime)).events;
    expect(declared.eventID).toBe(erroneous.eventID);
    expect(declared.errorDeclaration).toEqual({
      declarationTime: expect.any(String),
      reason: 'https://ref.gs1.org/cbv/ER-did_not_occur',
      'example:ticket': 'T-19',
    });
    const [unnamed] = (await at(anonymous.eventTime)).events;
    expect(unnamed.errorDeclaration.declarationTime).toBeDefined();
  });

  it('answers GS1-EPC-Format for every scheme', async () => {
    const event = {
      ...base0,
      type: 'AssociationEvent',
      eventTime: '2031-02-04T08:00:00.000+07:00',
      action: 'ADD',
      parentID: 'https://id.gs1.org/8004/4012345999999',
      childEPCs: ['https://id.gs1.org/8003/04012345555554987', 'https://id.gs1.org/253/4012345000054987'],
    };
    expect((await captureDocument(document([event]))).job).toMatchObject({ success: true, createdCount: 1 });
    const urn = await query(`GE_eventTime=2031-02-04T01:00:00Z&LT_eventTime=2031-02-04T01:00:00.001Z`, { 'GS1-EPC-Format': 'Always_EPC_URN' });
    expect(urn.events[0].parentID).toMatch(/^urn:epc:id:giai:/);
    expect(urn.events[0].childEPCs.every((id: string) => /^urn:epc:id:(grai|gdti):/.test(id))).toBe(true);
    const dl = await query(`GE_eventTime=2031-02-04T01:00:00Z&LT_eventTime=2031-02-04T01:00:00.001Z`, { 'GS1-EPC-Format': 'Always_GS1_Digital_Link' });
    expect(dl.events[0].parentID).toBe('https://id.gs1.org/8004/4012345999999');
  });

  it('keeps the sender eventID when the content is already stored: 409, and GET finds the event by either id', async () => {
    const event = {
      '@context': CONTEXT,
      ...base0,
      type: 'ObjectEvent',
      eventTime: '2031-02-05T08:00:00.000+07:00',
      eventID: 'urn:uuid:6c1c1d2e-0000-4000-8000-00000000a001',
      action: 'OBSERVE',
      epcList: ['urn:epc:id:sgtin:4012345.011111.2'],
    };
    const first = await post('/epcis/events', event);
    expect(first.status).toBe(201);
    const again = { ...event, eventID: 'urn:uuid:6c1c1d2e-0000-4000-8000-00000000a002', epcList: ['https://id.gs1.org/01/04012345111118/21/2'] };
    const second = await post('/epcis/events', again);
    expect(second.status).toBe(409);
    expect(((await second.json()) as any).type).toBe('epcisException:ResourceAlreadyExistsException');
    for (const id of [event.eventID, again.eventID]) {
      const res = await fetch(`${base}/epcis/events/${encodeURIComponent(id)}`, { headers: auth() });
      expect(res.status).toBe(200);
      expect(((await res.json()) as any).eventID).toBe(event.eventID);
    }
  });

  it('refuses a party GLN that names no organization when asked to be strict, naming every one', async () => {
    const event = {
      ...base0,
      type: 'ObjectEvent',
      eventTime: '2031-02-06T08:00:00.000+07:00',
      action: 'OBSERVE',
      epcList: ['urn:epc:id:sgtin:4012345.011111.3'],
      sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:4012345.00002' }],
      destinationList: [{ type: 'owning_party', destination: 'urn:epc:id:pgln:4012345.00003' }],
    };
    const { job, body } = await captureDocument(document([event]), '?strictParties=true');
    // Refused at once or by the capture job, but refused, naming both parties, with nothing stored.
    const refusal = job ? job.errors.map((e: any) => e.title).join(' ') : body.detail;
    expect(job?.success ?? false).toBe(false);
    expect(refusal).toMatch(/00002/);
    expect(refusal).toMatch(/00003/);
    expect((await at(event.eventTime)).events).toEqual([]);
  });
});

describe('capture refuses what the schema rejects, and stores nothing', () => {
  const good = {
    type: 'ObjectEvent',
    eventTime: '2031-03-01T08:00:00.000+07:00',
    eventTimeZoneOffset: '+07:00',
    action: 'ADD',
    epcList: ['urn:epc:id:sgtin:4012345.011111.100'],
    bizStep: 'commissioning',
  };
  const count = async () => (await query('GE_eventTime=2031-03-01T00:00:00Z&LT_eventTime=2031-04-01T00:00:00Z&perPage=50')).events.length;

  it.each([
    ['no @context', { ...document([good]), '@context': undefined }, '/@context'],
    [
      'ILMD without a namespace',
      document([good, { ...good, eventTime: '2031-03-01T09:00:00+07:00', ilmd: { lotNumber: 'L1' } }]),
      '/epcisBody/eventList/1/ilmd/lotNumber',
    ],
    [
      'a bizStep that is no CBV word',
      document([good, { ...good, eventTime: '2031-03-01T09:00:00+07:00', bizStep: 'teleporting' }]),
      '/epcisBody/eventList/1/bizStep',
    ],
    [
      'an unknown sensor type',
      document([good, { ...good, eventTime: '2031-03-01T09:00:00+07:00', sensorElementList: [{ sensorReport: [{ type: 'Temperatur', value: 1 }] }] }]),
      '/epcisBody/eventList/1/sensorElementList/0/sensorReport/0/type',
    ],
    ['an unknown key', document([good, { ...good, eventTime: '2031-03-01T09:00:00+07:00', colour: 'red' }]), '/epcisBody/eventList/1/colour'],
  ])('refuses a document with %s as RFC 7807 ValidationException naming the pointer', async (_, doc, pointer) => {
    const before = await count();
    const res = await post('/epcis/capture', doc);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = (await res.json()) as any;
    expect(body.type).toBe('epcisException:ValidationException');
    expect(body.errors.map((e: any) => e.pointer)).toContain(pointer);
    expect(await count()).toBe(before);
  });

  it('refuses a standalone event without its @context on POST /epcis/events', async () => {
    const res = await post('/epcis/events', { ...good, eventTime: '2031-03-02T08:00:00+07:00' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors).toEqual([{ pointer: '/@context', detail: 'is required' }]);
  });
});
