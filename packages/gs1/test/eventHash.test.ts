import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalEventHash, preHashString } from '../src/epc';

type Event = Record<string, unknown>;

/** Every event of GS1's published examples, with its document's `@context` on it, and the published hash. */
const dir = new URL('../fixtures/event-hash/', import.meta.url);
const examples = readdirSync(dir)
  .filter((f) => f.endsWith('.jsonld'))
  .flatMap((file) => {
    const doc = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    const body = doc.epcisBody;
    const events: Event[] = body.eventList ?? body.queryResults?.resultsBody?.eventList ?? [body.event];
    const hashes = readFileSync(new URL(file.replace('.jsonld', '.hashes'), dir), 'utf8')
      .trim()
      .split('\n');
    return events.map((event, i) => ({ file, i, event: { ...event, '@context': doc['@context'] } as Event, hash: hashes[i]! }));
  });
const example = (file: string, i = 0) => structuredClone(examples.find((e) => e.file === file && e.i === i)!);

describe('the CBV 2.0 event hash', () => {
  it('is checked against GS1’s examples with sensor data, user extensions and error declarations', () => {
    expect(new Set(examples.map((e) => e.file)).size).toBeGreaterThanOrEqual(10);
    expect(examples.length).toBeGreaterThanOrEqual(30);
    expect(examples.some((e) => 'sensorElementList' in e.event)).toBe(true);
    expect(examples.some((e) => 'errorDeclaration' in e.event)).toBe(true);
    expect(examples.some((e) => Object.keys(e.event).some((k) => /^[a-z]+:/.test(k)))).toBe(true);
  });

  it.each(examples.map((e) => [e.file, e.i, e.event, e.hash] as const))('hashes %s event %i as GS1’s generator publishes', (_, __, event, hash) => {
    expect(canonicalEventHash(event)).toBe(hash);
  });

  it('gives EPC URN, Digital Link (any host), CBV URN and bare-word spellings, any list order and any time zone the same hash', () => {
    // The ObjectEvent of the generator's tests/expected_equal/differentRepresentationsOfObjectEvent.xml, spelt otherwise.
    const { event, hash } = example('epcisDocWithVariousEventTypes.jsonld');
    const respelt: Event = {
      '@context': event['@context'],
      eventID: 'urn:uuid:4f1d6c53-1b0e-4c38-9b7e-2a0e4f6f2f11',
      recordTime: '2026-01-01T00:00:00Z',
      type: 'ObjectEvent',
      eventTime: '2019-10-21T10:00:30Z',
      eventTimeZoneOffset: '+01:00',
      epcList: ['https://brand.example.com/00/052000011111111461?linkType=gs1:pip'],
      action: 'OBSERVE',
      bizStep: 'urn:epcglobal:cbv:bizstep:departing',
      readPoint: { id: 'https://id.gs1.org/414/5200001999012' },
      bizTransactionList: [
        { bizTransaction: 'urn:epcglobal:cbv:bt:5200001000008:RE1099', type: 'https://ref.gs1.org/cbv/BTT-inv' },
        { type: 'urn:epcglobal:cbv:btt:desadv', bizTransaction: 'urn:epcglobal:cbv:bt:5200001000008:4711' },
      ],
      sourceList: [{ type: 'possessing_party', source: 'https://id.gs1.org/417/5200001000008' }],
      destinationList: [
        { type: 'location', destination: 'http://example.org/resolver/414/4012345000122' },
        { type: 'possessing_party', destination: 'urn:epc:id:pgln:4000001.98765' },
      ],
    };
    expect(canonicalEventHash(respelt)).toBe(hash);
    expect(canonicalEventHash({ ...respelt, bizStep: 'https://ref.gs1.org/cbv/BizStep-departing' })).toBe(hash);
  });

  it('leaves out the error declaration, as the standard does: a declared event keeps its hash', () => {
    const { event, hash } = example('epcisDocWithXMLstartTagAndErrorDeclaration.jsonld');
    expect(event.errorDeclaration).toBeDefined();
    const { errorDeclaration: _, ...undeclared } = event;
    expect(canonicalEventHash(undeclared)).toBe(hash);
  });

  it('changes when any value, the time or an extension changes', () => {
    const { event, hash } = example('ReferenceEventHashAlgorithm3.jsonld');
    const changed = (patch: Event) => canonicalEventHash({ ...event, ...patch });
    expect(changed({ eventTime: '2020-03-04T11:00:30.001+01:00' })).not.toBe(hash);
    expect(changed({ epcList: ['urn:epc:id:sgtin:0614141.011111.988'] })).not.toBe(hash);
    expect(changed({ 'example:userExt': 'CD-35' })).not.toBe(hash);
    expect(changed({ disposition: 'in_progress' })).not.toBe(hash);
  });

  it('names user extensions by namespace, not by the prefix a document happens to use', () => {
    const { event, hash } = example('ReferenceEventHashAlgorithm3.jsonld');
    const { 'example:userExt': userExt, readPoint, ...rest } = event;
    const renamed = {
      ...rest,
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { ext: 'https://ns.example.com/epcis/' }],
      'ext:userExt': userExt,
      readPoint: { id: (readPoint as Event).id, 'ext:myField1': 'AB-12' },
    };
    expect(canonicalEventHash(renamed)).toBe(hash);
    expect(canonicalEventHash({ ...renamed, '@context': [{ ext: 'https://other.example.com/' }] })).not.toBe(hash);
  });

  it('writes times in UTC with milliseconds rounded half to even, numbers without trailing zeros', () => {
    const base = { type: 'ObjectEvent', eventTimeZoneOffset: '+07:00', action: 'OBSERVE' };
    expect(preHashString({ ...base, eventTime: '2023-02-02T18:04:03.1415+07:00' })).toContain('eventTime=2023-02-02T11:04:03.142Z');
    expect(preHashString({ ...base, eventTime: '2023-02-02T11:04:03.1425Z' })).toContain('eventTime=2023-02-02T11:04:03.142Z');
    expect(preHashString({ ...base, eventTime: '2023-02-02T11:04:03Z' })).toContain('eventTime=2023-02-02T11:04:03.000Z');
    const quantity = (q: unknown) =>
      preHashString({
        ...base,
        eventTime: '2023-02-02T11:04:03Z',
        quantityList: [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: q, uom: 'KGM' }],
      });
    expect(quantity(1.5)).toContain('quantityListquantityElementepcClass=https://id.gs1.org/01/04012345123456/10/998877quantity=1.5uom=KGM');
    expect(quantity(2.0)).toBe(quantity(2));
  });
});
