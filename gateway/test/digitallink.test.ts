import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { aiValueProblem, DigitalLinkError, digitalLinkUri, parseDigitalLink, parseYymmdd, UnsupportedKeyError } from '@nguon/gs1/digitallink/parse';
import { GS1_VOC, linkset, linkTarget, linkTypeOf, withQuery, type ItemLevel } from '../src/digitallink/linkset';
import { labelSheet } from '../src/digitallink/labels';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { publicLocationCode } from '@nguon/interop/vn-minimum';
import { expiryState, gs1TraceCode, renderPage, renderProvenancePage, vietnamToday, type OriginStageView, type ProvenanceView } from '../src/digitallink/page';
import { MEDIA, mediaDirectory, mediaRoute } from '../src/routes/media';
import type { EdgeContext } from '../src/edge';
import { qrCode } from '@nguon/gs1/digitallink/qr';
import { CompressedLinkError, compressDigitalLink, decompressDigitalLink } from '@nguon/gs1/digitallink/compression';

const parse = (url: string) => {
  const u = new URL(url, 'https://nguon.example');
  return parseDigitalLink(u.pathname, u.searchParams);
};

describe('GS1 Digital Link parsing', () => {
  it('normalises GTIN-13 to 14 digits and keeps qualifiers', () => {
    expect(parse('/01/8936022220015/10/DX25-001?17=260531')).toMatchObject({
      gtin: '08936022220015',
      lot: 'DX25-001',
      expiry: '2026-05-31',
      canonicalPath: '/01/08936022220015/10/DX25-001',
    });
  });

  it('ignores a trailing slash and accepts the DL 1.0 short names', () => {
    expect(parse('/01/08936022220015/10/A1/').canonicalPath).toBe('/01/08936022220015/10/A1');
    expect(parse('/gtin/08936022220015/lot/A1/ser/77').canonicalPath).toBe('/01/08936022220015/10/A1/21/77');
  });

  it('decodes percent-encoded AI-82 characters', () => {
    expect(parse('/01/08936022220015/10/A%2FB%25C').lot).toBe('A/B%C');
  });

  it.each([
    ['/01/8936022220016/10/A1', /check digit/],
    ['/01/89360222200/10/A1', /8, 12, 13 or 14 digits/],
    ['/01/08936022220015/10/L%C3%94', /AI-82/],
    ['/01/08936022220015/10/AAAAAAAAAAAAAAAAAAAAA', /at most 20/],
    ['/01/08936022220015/21/7/10/A1', /order/],
    ['/01/08936022220015/10', /needs a value/],
    ['/10/A1', /starts with \/01/],
    ['/01/08936022220015/17/260101', /not a qualifier/],
    ['/01/08936022220015/10/A1?17=261331', /month/],
  ])('refuses %s', (url, message) => {
    expect(() => parse(url)).toThrow(DigitalLinkError);
    expect(() => parse(url)).toThrow(message);
  });

  it('reads YYMMDD with day 00 as the end of the month and the GS1 century window', () => {
    const now = new Date('2026-11-27T00:00:00Z');
    expect(parseYymmdd('280200', now)).toBe('2028-02-29');
    expect(parseYymmdd('991231', now)).toBe('1999-12-31');
    expect(parseYymmdd('700101', now)).toBe('2070-01-01');
  });

  it('builds the URI printed on a label, expiry as ?17=YYMMDD', () => {
    expect(digitalLinkUri('https://check.cantho.example/', { gtin: '08936022220015', lot: 'DX25/001', expiresOn: '2026-05-31' })).toBe(
      'https://check.cantho.example/01/08936022220015/10/DX25%2F001?17=260531',
    );
  });
});

describe('GS1 Digital Link validation of every AI, in the path and the query string', () => {
  it.each([
    ['/01/08936022220015/10/A1?17=261331', /17.*month/],
    ['/01/08936022220015/10/A1?15=260230', /AI 15 has no such day/],
    ['/01/08936022220015/10/A1?7006=260100', /AI 7006 has no such day/],
    ['/01/08936022220015/10/A1?7003=2605312460', /time of day/],
    ['/01/08936022220015/10/A1?3103=12', /AI 3103 has 6 digits/],
    ['/01/08936022220015/10/A1?3103=00012X', /digits only/],
    ['/01/08936022220015/10/A1?4321=2', /flag/],
    ['/01/08936022220015/10/A1?240=L%C3%94', /AI-82/],
    ['/01/08936022220015/10/A1?99=', /AI 99 has at most 90/],
    ['/01/08936022220015?10=A1', /belongs in the path/],
    ['/01/08936022220015/10/A1?01=08936022220015', /belongs in the path/],
    ['/01/08936022220015/10/A1?23=5', /not a GS1 Application Identifier/],
    ['/01/08936022220015/10/A1?17=260531&17=260601', /twice/],
    ['/01/08936022220015/10/A1?02=08936022220016', /check digit of AI 02/],
    ['/01/08936022220015/10/A1?402=12345678901234567', /belongs in the path/],
  ])('refuses %s with the AI named', (url, message) => {
    expect(() => parse(url)).toThrow(message);
    try {
      parse(url);
    } catch (error) {
      expect(error).toBeInstanceOf(DigitalLinkError);
      expect(error).not.toBeInstanceOf(UnsupportedKeyError);
      expect((error as DigitalLinkError).ai).toBe(new URL(url, 'https://x.example').searchParams.keys().next().value);
    }
  });

  it('keeps the valid data attributes of the query string, and leaves parameters that are not AIs alone', () => {
    expect(parse('/01/08936022220015/10/A1?17=260500&3103=000189&7003=2605311230&lang=en&foo=bar').attributes).toEqual({
      '17': '260500',
      '3103': '000189',
      '7003': '2605311230',
    });
  });

  it('checks the values of AIs by format, check digit and date', () => {
    expect(aiValueProblem('00', '012345678912345675')).toBeNull();
    expect(aiValueProblem('00', '012345678912345673')).toMatch(/check digit/);
    expect(aiValueProblem('414', '0123456789128')).toBeNull();
    expect(aiValueProblem('17', '260500')).toBeNull();
    expect(aiValueProblem('7006', '260500')).toMatch(/no such day/);
    expect(aiValueProblem('255', '5678409730535')).toBeNull();
    expect(aiValueProblem('10', '')).toMatch(/at most 20/);
  });

  it('reads well-formed links of other primary keys as not served here (404), malformed ones as malformed (400)', () => {
    expect(() => parse('/414/0123456789128/254/A1')).toThrow(UnsupportedKeyError);
    expect(() => parse('/414/0123456789123')).toThrow(/check digit/);
    expect(() => parse('/00/012345678912345675/10/4512')).toThrow(/not a qualifier of AI 00 \(it has none\)/);
  });

  describe("GS1's digital-link.js test URIs (e2e/fixtures/resolver/digital-link-uris.json)", () => {
    const fixture = JSON.parse(readFileSync(new URL('../../e2e/fixtures/resolver/digital-link-uris.json', import.meta.url), 'utf8')) as {
      valid: string[];
      invalid: string[];
      otherKeys: { valid: string[]; invalid: string[] };
      compression: { uncompressed: string; compressed: string }[];
    };
    it.each(fixture.valid)('parses %s', (uri) => {
      expect(parse(uri).gtin).toMatch(/^\d{14}$/);
    });
    it.each(fixture.invalid)('refuses %s', (uri) => {
      expect(() => parse(uri)).toThrow(DigitalLinkError);
      expect(() => parse(uri)).not.toThrow(UnsupportedKeyError);
    });
    it.each(fixture.otherKeys.valid)('reads %s as well-formed, of a key not served here', (uri) => {
      expect(() => parse(uri)).toThrow(UnsupportedKeyError);
    });
    it.each(fixture.otherKeys.invalid)('refuses %s for its check digit', (uri) => {
      expect(() => parse(uri)).toThrow(/check digit/);
      expect(() => parse(uri)).not.toThrow(UnsupportedKeyError);
    });
    it.each(fixture.compression)('decompresses $compressed to $uncompressed', ({ uncompressed, compressed }) => {
      const plain = parse(uncompressed);
      const link = parse(compressed);
      expect(link.canonicalPath).toBe(plain.canonicalPath);
      expect(link.attributes).toEqual(plain.attributes);
      const u = new URL(uncompressed);
      expect(link.uncompressed).toBe(`${plain.canonicalPath}${[...u.searchParams.keys()].some((k) => /^\d+$/.test(k)) ? u.search : ''}`);
    });
  });
});

describe('the linkset and link types (GS1-Conformant Resolver Standard)', () => {
  const schema = JSON.parse(readFileSync(new URL('../../e2e/fixtures/resolver/gs1-linkset-schema.json', import.meta.url), 'utf8'));
  const validate = new Ajv({ strict: false }).compile(schema);
  const base = 'https://check.cantho.example';
  const levels: ItemLevel[] = [
    { path: '/01/08936022220015/10/DX25-001/21/77', level: 'item', description: 'Gạo ST25, Số lô DX25-001, Số sê-ri 77' },
    { path: '/01/08936022220015/10/DX25-001', level: 'item', description: 'Gạo ST25, Số lô DX25-001' },
    { path: '/01/08936022220015', level: 'product', description: 'Gạo ST25' },
  ];

  it("validates against GS1's linkset schema, one entry per level, each with exactly one default link of a title and a target only", () => {
    const set = linkset(base, levels, ['vi', 'en'], 'vi');
    expect(validate(set), JSON.stringify(validate.errors)).toBe(true);
    expect(set.linkset.map((e) => e.anchor)).toEqual(levels.map((l) => `${base}${l.path}`));
    for (const entry of set.linkset) {
      expect(entry.itemDescription).toBeTruthy();
      expect(entry[`${GS1_VOC}defaultLink`]).toEqual([
        { href: expect.stringMatching(/^https:\/\/check\.cantho\.example\/page\/01\//), title: expect.any(String) },
      ]);
    }
    expect(set.linkset[2]![`${GS1_VOC}pip`]).toEqual([
      { href: `${base}/page/01/08936022220015?lang=vi`, title: 'Thông tin sản phẩm', type: 'text/html', hreflang: ['vi'] },
      { href: `${base}/page/01/08936022220015?lang=en`, title: 'Product information', type: 'text/html', hreflang: ['en'] },
    ]);
    // The schema can fail: the same linkset without an item description does.
    const broken = { linkset: set.linkset.map(({ itemDescription: _, ...rest }) => rest) };
    expect(validate(broken)).toBe(false);
  });

  it("accepts GS1's own examples and refuses its invalid one, so the schema check means something", () => {
    for (const [file, valid] of [
      ['valid-gs1-example.json', true],
      ['model-linkset.json', true],
      ['invalid-gs1-example.json', false],
    ] as const) {
      expect(validate(JSON.parse(readFileSync(new URL(`../../e2e/fixtures/resolver/${file}`, import.meta.url), 'utf8'))), file).toBe(valid);
    }
  });

  it('picks the most specific level with the link type, in the language asked for; none is null', () => {
    expect(linkTarget(base, levels, 'defaultLink', ['vi', 'en'], 'en')).toBe(`${base}/page/01/08936022220015/10/DX25-001/21/77`);
    expect(linkTarget(base, levels, 'traceability', ['vi', 'en'], 'en')).toBe(`${base}/page/01/08936022220015/10/DX25-001/21/77?lang=en#timeline`);
    expect(linkTarget(base, levels, 'pip', ['vi', 'en'], 'zh')).toBe(`${base}/page/01/08936022220015?lang=vi`);
    expect(linkTarget(base, levels.slice(2), 'traceability', ['vi', 'en'], 'vi')).toBeNull();
  });

  it('reads a link type in any of the GS1 Web Vocabulary namespaces, and nothing else', () => {
    for (const name of ['gs1:pip', 'https://gs1.org/voc/pip', 'https://ref.gs1.org/voc/pip', 'https://www.gs1.org/voc/pip'])
      expect(linkTypeOf(name)).toBe('pip');
    expect(linkTypeOf('gs1:defaultLink')).toBe('defaultLink');
    for (const name of ['gs1:nosuchlt', 'pip', 'https://example.com/voc/pip', 'linkset']) expect(linkTypeOf(name)).toBeNull();
  });

  it('passes the query string on to a redirect target, linkType excepted, before its fragment', () => {
    const query = new URLSearchParams('linkType=gs1:traceability&foo=bar&17=260531&lang=en');
    expect(withQuery(`${base}/page/01/08936022220015?lang=vi#timeline`, query)).toBe(`${base}/page/01/08936022220015?lang=vi&foo=bar&17=260531#timeline`);
    expect(withQuery(`${base}/page/01/08936022220015`, new URLSearchParams('linkType=gs1:pip'))).toBe(`${base}/page/01/08936022220015`);
  });
});

describe('compressed GS1 Digital Links', () => {
  // Published example pairs (compressed segment → AIs). Sources:
  //  [S] Solidsoft-Reply/Gs1DigitalLinkLib, Tests/Features/DecompressGs1DigitalLink.feature and
  //      AdditionalUriContent.feature (a .NET port of GS1's GS1DigitalLinkCompressionPrototype);
  //  [T] Trust-Codes-Ltd/gs1-compression, README.md and tests/compress/test_core_functions.py
  //      (a Python port of the same prototype).
  const EXAMPLES: Array<[string, Record<string, string>, string]> = [
    ['AQnYUc1gmg', { '01': '05412345000013' }, 'S'],
    ['ARHKVAdpQg', { '01': '09780345418913' }, 'T README'],
    ['AQnYUc1gmiCNV4JG', { '01': '05412345000013', '10': 'ABC123' }, 'S'],
    ['AQnYUc1gmkIXDU-iun', { '01': '05412345000013', '21': '72292641703' }, 'S'],
    ['AQnYUc1gmiCNV4JGQhcNT6K6c', { '01': '05412345000013', '10': 'ABC123', '21': '72292641703' }, 'S'],
    ['AQnYUc1gmkTaASxvp7z3tqfx6', { '01': '05412345000013', '22': 'AJY3095721P49' }, 'S'],
    ['AQnYUc1gmiCNV4JGQhcNT6K6cibQCWN9Pee9tT-PQ', { '01': '05412345000013', '22': 'AJY3095721P49', '10': 'ABC123', '21': '72292641703' }, 'S'],
    ['AQnYUc1gmiCNV4JGLo3DY', { '01': '05412345000013', '10': 'ABC123', '17': '290331' }, 'S'],
    ['AREjalurbiAUO-cgohCz45Z67b8A', { '01': '09421902960055', '10': '2010005828', '21': 'xyz1234' }, 'T'],
    ['AQnYUc1gmkax7ipGrOHDPC5YNI8hMz', { '01': '05412345000013', '235': '8TFV883a904GH&3' }, 'S (7-bit ASCII)'],
    ['AQnYUc1gmiERBhQ0ytiyZuAGOLc1TXgpNWCv1', { '01': '05412345000013', '10': 'ABC&+123', '7003': '1903061658', k1: 'v1' }, 'T (non-GS1 pair)'],
    [
      'AQnYUc1gmiCNV4JGLo3Dfg2q72Etrue8K7RPRWwjc0D4',
      { '01': '05412345000013', '10': 'ABC123', '17': '290331', arv: 'true', donor: 'bmgf' },
      'S (non-GS1 pairs)',
    ],
    ['AN2yxDhfaiaw', { '00': '998440410914660971' }, 'S'],
    ['JVUqG5hJ5wA', { '255': '5678409730535' }, 'S (empty variable part)'],
    ['QUSaVjC_dHBAVlCrg', { '414': '5060917510004', '7040': '5KFX' }, 'S'],
    ['gBCVYNWjFkzaNWbdk5YQWjFHHkM2cAI0xdvpGo', { '8010': '0541234537290A41#GH33', '8011': '6639047221' }, 'S'],
    ['gBe1ajAd9ATDmAGXPRfk', { '8017': '817019610850151481', '8019': '4003812' }, 'S'],
  ];

  it.each(EXAMPLES)('decompresses %s [%#]', (segment, ais) => {
    expect(decompressDigitalLink(segment)).toEqual(ais);
  });

  it.each(EXAMPLES)('compresses back to exactly %s [%#]', (segment, ais) => {
    const gs1 = Object.fromEntries(Object.entries(ais).filter(([k]) => /^\d+$/.test(k)));
    const extra = Object.fromEntries(Object.entries(ais).filter(([k]) => !/^\d+$/.test(k)));
    expect(compressDigitalLink(gs1, { extra })).toBe(segment);
  });

  it('round-trips optimised sequences (01+10, 01+21, 01+17, 01+22, 01+10+21+17) and every value encoding', () => {
    const cases: Record<string, string>[] = [
      { '01': '08936022220015', '10': 'DX25-001' },
      { '01': '08936022220015', '21': '000123' },
      { '01': '08936022220015', '17': '260531' },
      { '01': '08936022220015', '22': 'ab12ef' },
      { '01': '08936022220015', '10': 'AB12EF', '21': 'x_y-Z', '17': '260500' },
      { '01': '08936022220015', '10': "A/B%C'&+", '15': '251231', '3103': '000189' },
    ];
    for (const ais of cases) {
      const optimised = compressDigitalLink(ais, { optimise: true });
      expect(optimised.length).toBeLessThan(compressDigitalLink(ais).length);
      expect(decompressDigitalLink(optimised)).toEqual(ais);
      expect(decompressDigitalLink(compressDigitalLink(ais))).toEqual(ais);
    }
    // 0x0B = the sequence 01, 10: the segment starts with the bits 0000 1011.
    expect(compressDigitalLink({ '01': '08936022220015', '10': 'A1' }, { optimise: true })).toMatch(/^C/);
  });

  it('parses a compressed URI into the same link, with the uncompressed canonical path, and names its uncompressed form', () => {
    const segment = compressDigitalLink({ '01': '08936022220015', '10': 'DX25-001', '17': '260531' }, { optimise: true });
    expect(parse(`/${segment}`)).toEqual({ ...parse('/01/08936022220015/10/DX25-001?17=260531'), uncompressed: '/01/08936022220015/10/DX25-001?17=260531' });
    expect(parse(`/some/prefix/${segment}?linkType=gs1:pip`)).toMatchObject({ canonicalPath: '/01/08936022220015/10/DX25-001', linkType: 'gs1:pip' });
    expect(parse('/AQnYUc1gmiCNV4JG')).toMatchObject({ gtin: '05412345000013', lot: 'ABC123', canonicalPath: '/01/05412345000013/10/ABC123' });
  });

  it.each([
    ['/AQnYUc1gmiCNV4', /ends in the middle/, 'a truncated value'],
    ['/AQnYUc1gmiCNV4JH', /trailing data/, 'non-zero padding'],
    ['/7wAAAAAAAAAA', /Unknown optimisation code EF/, 'an unknown code'],
    [`/${compressDigitalLink({ '01': '08936022220016' })}`, /check digit/, 'a wrong GTIN check digit'],
    [`/${compressDigitalLink({ '01': '08936022220015', '10': 'L 01' })}`, /AI-82/, 'a lot outside AI-82'],
    [`/${compressDigitalLink({ '01': '08936022220015', '17': '261331' })}`, /month/, 'an impossible expiry'],
  ])('refuses %s (%s)', (url, message) => {
    expect(() => parse(url)).toThrow(DigitalLinkError);
    expect(() => parse(url)).toThrow(message);
  });

  it('reads a compressed link with another primary key as well-formed but not served here (an SSCC)', () => {
    expect(() => parse('/AN2yxDhfaiaw')).toThrow(UnsupportedKeyError);
    expect(() => parse('/AN2yxDhfaiaw')).toThrow(/GTINs \(AI 01\) only/);
  });

  it('throws CompressedLinkError from the decompressor itself', () => {
    expect(() => decompressDigitalLink('AQnYUc1gmiCNV4')).toThrow(CompressedLinkError);
    expect(() => decompressDigitalLink('AQnYUc1gmg!')).toThrow(/A–Z/);
    expect(() => decompressDigitalLink('')).toThrow(CompressedLinkError);
  });
});

describe('QR codes and labels', () => {
  const uri = 'https://check.cantho.example/01/08936022220015/10/DX25-001?17=260531';

  it('a PNG QR code decodes back to exactly the Digital Link URI', async () => {
    const { contentType, body } = await qrCode(uri, { format: 'PNG', size: 300, errorCorrection: 'M' });
    expect(contentType).toBe('image/png');
    const png = PNG.sync.read(body);
    expect(png.width).toBe(300);
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(uri);
  });

  it('an SVG QR code is an SVG of the requested size', async () => {
    const { body } = await qrCode(uri, { format: 'SVG', size: 256, errorCorrection: 'H' });
    expect(body.toString()).toMatch(/^<svg[^>]+width="256"/);
  });

  it('prints a label sheet as a PDF, N labels per page', async () => {
    const labels = Array.from({ length: 25 }, (_, i) => ({
      uri: `${uri}&i=${i}`,
      productName: 'Gạo thơm Thốt Nốt ST25',
      lotCode: 'DX25-001',
      expiresOn: '2026-05-31',
      serial: String(i + 1),
    }));
    const pdf = await labelSheet(labels, { columns: 3, rows: 8, errorCorrection: 'M' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(2);
  });
});

describe('the consumer page', () => {
  const view = (over: Partial<ProvenanceView> = {}): ProvenanceView => ({
    lang: 'vi',
    languages: ['vi', 'en'],
    uri: 'https://id.example.vn/01/08930000000017/10/L1',
    traceCode: gs1TraceCode({ gtin: '08930000000017', lot: 'L1', expiresOn: '2027-05-30' }),
    product: { name: 'Gạo ST25', nameLang: 'vi', gtin: '08930000000017', brand: null, description: null, image: null, certifications: [], standards: [] },
    producer: { name: 'HTX Thới Thuận', address: null, gln: null },
    lot: { lotCode: 'L1', status: 'RECALLED', producedOn: '2026-11-30', expiresOn: '2027-05-30', season: null, serial: null },
    area: null,
    stages: [
      { label: 'Thu hoạch', disposition: null, time: '2026-12-01T17:05:00.000Z', location: 'HTX', locationCode: null, traceCode: 'L1', erroneous: true },
      { label: 'Thu hoạch', disposition: null, time: '2026-12-01T17:20:00+00:00', location: 'HTX', locationCode: null, traceCode: 'L1', corrected: true },
    ],
    recall: { reason: 'Nấm mốc', severity: 'CLASS_II', openedAt: '2026-12-01T18:30:00.000Z' },
    origin: [],
    item: null,
    ...over,
  });

  it('shows every instant in Vietnam time, so a recall opened on 2 December local time never reads 1 December', () => {
    const html = renderProvenancePage(view());
    expect(html).toContain('02/12/2026 00:05 (UTC+07:00)');
    expect(html).toContain('02/12/2026 00:20 (UTC+07:00)');
    expect(html).toMatch(/Nấm mốc \(mức II, 02\/12\/2026\)/);
    expect(html).not.toContain('01/12/2026');
    const en = renderProvenancePage(view({ lang: 'en' }));
    expect(en).toContain('2026-12-02 00:05 (UTC+07:00)');
  });

  it('shows calendar dates as recorded, without shifting them', () => {
    const html = renderProvenancePage(view());
    expect(html).toContain('30/11/2026');
    expect(html).toContain('30/05/2027');
  });

  it('marks the erroneous original and the correction beside it, each for what it is', () => {
    const html = renderProvenancePage(view({ lang: 'en' }));
    const [original, correction] = html.split('<li class="stage">').slice(1);
    expect(original).toContain('erroneous, since corrected');
    expect(original).not.toContain('correction of');
    expect(correction).toContain('correction of an erroneous entry');
    expect(correction).not.toContain('erroneous, since');
  });

  const NOW = new Date('2026-12-03T03:00:00Z'); // 10:00 in Vietnam, 3 December

  it('shows the trace code as the GS1 Digital Link and its element string, never the host that served the page', () => {
    const code = gs1TraceCode({ gtin: '08930000000017', lot: 'L/1', serial: 'S9', expiresOn: '2027-05-30' });
    expect(code).toEqual({ uri: 'https://id.gs1.org/01/08930000000017/10/L%2F1/21/S9?17=270530', elementString: '(01)08930000000017(17)270530(10)L/1(21)S9' });
    const html = renderProvenancePage(view({ uri: 'http://127.0.0.1:4000/01/08930000000017/10/L1', recall: null }), NOW);
    const shown = html.replace(/<link rel="canonical"[^>]*>/, '');
    expect(shown).toContain('https://id.gs1.org/01/08930000000017/10/L1?17=270530');
    expect(shown).toContain('(01)08930000000017(17)270530(10)L1');
    expect(shown).not.toContain('127.0.0.1');
  });

  it("names an event's place by its location or GLN, never by the organization's internal tree path", () => {
    const organization = { gln: null, path: 'ct.agri.thot_not.htx_lua_thoi_thuan' };
    expect(publicLocationCode({ organization })).toBeNull();
    expect(publicLocationCode({ organization: { ...organization, gln: '8936041170006' } })).toBe('8936041170006');
    expect(publicLocationCode({ bizLocation: 'urn:epc:id:sgln:893604117.000.0', organization })).toBe('urn:epc:id:sgln:893604117.000.0');
  });

  const farm = (over: Partial<OriginStageView> = {}): OriginStageView => ({
    depth: 2,
    relation: 'INPUT',
    disclosed: true,
    lotCode: 'LUA-01',
    product: 'Lúa tươi ST25',
    producer: { name: 'HTX Thới Thuận', gln: '8936041170006' },
    area: {
      name: 'Cánh đồng lớn Thới Thuận',
      commune: 'Phường Thới Thuận',
      hectares: 52.5,
      certifications: [{ scheme: 'VietGAP', valid: true, validTo: '2027-06-30' }],
    },
    season: 'Đông Xuân 2025-2026',
    producedOn: '2026-03-02',
    steps: [{ label: 'Thu hoạch', time: '2026-03-02T01:00:00Z', organization: 'HTX Thới Thuận', gln: '8936041170006' }],
    ...over,
  });

  it('shows the origin nearest first: farm with GLN, area with commune, hectares and certification, season, harvest date, steps', () => {
    const mill = farm({
      depth: 1,
      lotCode: 'GAO-01',
      product: 'Gạo xát ST25',
      producer: { name: 'Công ty Lương thực Thốt Nốt', gln: '8936099900001' },
      area: null,
      season: null,
    });
    const html = renderProvenancePage(view({ recall: null, origin: [farm(), mill] }), NOW);
    const section = html.slice(html.indexOf('id="origin-heading"'));
    expect(section).toContain('Nguồn gốc');
    const [first, second] = section.split('<li class="origin-stage"').slice(1);
    expect(first).toContain('Công ty Lương thực Thốt Nốt');
    expect(second).toContain('HTX Thới Thuận');
    expect(second).toContain('GLN 8936041170006');
    expect(second).toMatch(
      /Cánh đồng lớn Thới Thuận<\/span>, <span class="commune">Phường Thới Thuận<\/span>, 52\.5 ha<br>VietGAP \(hiệu lực đến 30\/06\/2027\)/,
    );
    expect(second).toContain('Đông Xuân 2025-2026');
    expect(second).toContain('02/03/2026');
    expect(second).toContain('02/03/2026 08:00 (UTC+07:00)');
  });

  it('reads "not disclosed" for a stage the public may not see, and shows nothing of it', () => {
    const hidden = farm({ disclosed: false, lotCode: null, product: null, producer: null, area: null, season: null, producedOn: null, steps: [] });
    for (const [lang, words] of [
      ['vi', 'Chưa công bố'],
      ['en', 'Not disclosed'],
    ] as const) {
      const html = renderProvenancePage(view({ lang, recall: null, origin: [hidden] }), NOW);
      const stage = html.slice(html.indexOf('<li class="origin-stage undisclosed"'));
      expect(stage).toContain(words);
      expect(stage).not.toContain('<dl>');
    }
  });

  it('warns of an expired lot by the calendar in Vietnam, and of one within a week of expiry', () => {
    // 23:30 UTC on 2 December is already 3 December in Vietnam: a lot expiring on the 2nd is expired there.
    const late = new Date('2026-12-02T23:30:00Z');
    expect(vietnamToday(late)).toBe('2026-12-03');
    expect(expiryState('2026-12-02', late)).toEqual({ kind: 'expired', days: -1 });
    expect(expiryState('2026-12-03', late)).toEqual({ kind: 'near', days: 0 });
    expect(expiryState('2026-12-10', late)).toEqual({ kind: 'near', days: 7 });
    expect(expiryState('2026-12-11', late)).toBeNull();
    expect(expiryState(null, late)).toBeNull();
    const expired = renderProvenancePage(view({ recall: null, lot: { ...view().lot, expiresOn: '2026-12-02' } }), late);
    expect(expired).toMatch(/id="expiry" data-expiry="expired"><strong>⚠ ĐÃ HẾT HẠN SỬ DỤNG/);
    const near = renderProvenancePage(view({ lang: 'en', recall: null, lot: { ...view().lot, expiresOn: '2026-12-08' } }), late);
    expect(near).toMatch(/data-expiry="near"><strong>Near expiry<\/strong>Expiry date: 2026-12-08 \(5 days left\)/);
    expect(renderProvenancePage(view({ recall: null }), late)).not.toContain('id="expiry"');
  });

  it('replaces the page with a counterfeit warning for an unissued or locked serial, and warns above it for a flagged one', () => {
    const claims = {
      recall: null,
      lot: { ...view().lot, serial: 'X1' },
      product: {
        ...view().product,
        certifications: [{ scheme: 'VietGAP', issuer: 'Sở NN', number: 'VG-1', validFrom: '2026-01-01', validTo: '2027-01-01', valid: true, stars: null }],
        standards: ['VietGAP'],
      },
      origin: [farm()],
    };
    for (const state of ['NOT_ISSUED', 'LOCKED']) {
      const html = renderPage(view({ ...claims, item: { state, reason: null } }), NOW);
      expect(html).toContain(`id="counterfeit" data-state="${state}"`);
      expect(html).toContain('CẢNH BÁO: CÓ THỂ LÀ HÀNG GIẢ');
      expect(html).toContain('chưa được xác thực');
      // Nothing the package claims is shown as verified: no certificates, standards, origin or journey.
      for (const claim of ['VietGAP', 'HTX Thới Thuận', 'id="timeline"', 'id="origin', '✔']) expect(html).not.toContain(claim);
    }
    const flagged = renderPage(view({ ...claims, lang: 'en', item: { state: 'FLAGGED', reason: 'Scanned in two provinces within an hour.' } }), NOW);
    expect(flagged.indexOf('id="item-flagged"')).toBeLessThan(flagged.indexOf('id="product-name"'));
    expect(flagged).toContain('this code may have been copied');
    expect(flagged).toContain('id="timeline"');
    expect(renderPage(view({ ...claims, item: { state: 'ISSUED', reason: null } }), NOW)).not.toMatch(/id="(counterfeit|item-flagged)"/);
  });

  it('lets narrow phones wrap long codes and stack label grids instead of scrolling sideways', () => {
    const html = renderProvenancePage(view(), NOW);
    expect(html).toContain('overflow-wrap:anywhere');
    expect(html).toMatch(/@media \(max-width:30rem\)\{dl\{grid-template-columns:minmax\(0,1fr\)/);
  });
});

describe('demo media', () => {
  async function serve() {
    const route = mediaRoute();
    const edge = { requestId: 'test', allow: () => true } as unknown as EdgeContext;
    const server = createServer((req, res) => {
      void route(req, res, edge).then((handled) => {
        if (!handled) res.writeHead(418).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(r)) };
  }

  it('serves only the allowlisted images, small, immutable, typed and not sniffable', async () => {
    const { base, close } = await serve();
    try {
      for (const name of Object.keys(MEDIA)) {
        const res = await fetch(`${base}/media/demo/${name}`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('image/svg+xml');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('cache-control')).toMatch(/immutable/);
        const body = await res.text();
        expect(body.length).toBeLessThan(20_000);
        expect(body).toMatch(/^<svg /);
        expect(body).not.toMatch(/<script|href=|on\w+=/i);
      }
      for (const path of [
        '/media/demo/../../package.json',
        '/media/demo/%2e%2e/src/routes/media.ts',
        '/media/demo/',
        '/media/demo/hasOwnProperty',
        '/media/demo/rice.svg/x',
      ]) {
        // Sent as written (fetch would normalise the dots away before they reach the route).
        const status = await new Promise<number>((resolve, reject) =>
          get(`${base}${path}`.replace(path, ''), { path }, (res) => resolve(res.resume().statusCode ?? 0)).on('error', reject),
        );
        expect(status, path).toBe(404);
      }
      expect((await fetch(`${base}/media/demo/rice.svg`, { method: 'POST' })).status).toBe(405);
      expect((await fetch(`${base}/other`)).status).toBe(418);
    } finally {
      await close();
    }
  });

  it('finds the images from the source tree and from the production bundle in gateway/dist', () => {
    const fromSource = mediaDirectory(new URL('../src/routes/media.ts', import.meta.url).href);
    const fromBundle = mediaDirectory(new URL('../dist/index.mjs', import.meta.url).href);
    expect(fromBundle).toBe(fromSource);
    expect(fromSource).toMatch(/gateway\/media\/demo\/$/);
  });
});
