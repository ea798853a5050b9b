import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalId, EpcError, formatId, isGs1Id, parseGs1Id, toDigitalLink, toEpcUrn } from '../src/epc';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/epc/${name}`, import.meta.url), 'utf8'));
const tds: { urn: string; digitalLink: string }[] = fixture('tds-examples.json').urnToDigitalLink;
const generator: { urnToDigitalLink: { urn: string; digitalLink: string }[]; digitalLinks: { input: string; canonical: string }[] } =
  fixture('hash-generator.json');
const pairs = [...tds, ...generator.urnToDigitalLink];
/** The company prefix length a URN spells out. */
const prefixLength = (urn: string) => urn.split(':')[4]!.split('.')[0]!.length;

describe('EPC URN ⇄ GS1 Digital Link', () => {
  it('covers every EPC scheme with a GS1 key, and the class patterns', () => {
    const schemes = new Set(pairs.map((p) => p.urn.split(':').slice(2, 4).join(':')));
    for (const s of ['id:sgtin', 'class:lgtin', 'idpat:sgtin', 'id:sscc', 'id:sgln', 'id:pgln', 'id:grai', 'idpat:grai', 'id:giai', 'id:gdti', 'idpat:gdti'])
      expect(schemes).toContain(s);
    for (const s of ['id:gsrn', 'id:gsrnp', 'id:cpi', 'idpat:cpi', 'id:sgcn', 'idpat:sgcn', 'id:ginc', 'id:gsin', 'id:itip', 'idpat:itip', 'id:upui'])
      expect(schemes).toContain(s);
  });

  it.each(pairs.map((p) => [p.urn, p.digitalLink]))('reads %s as %s and back', (urn, digitalLink) => {
    expect(canonicalId(urn)).toBe(digitalLink);
    expect(formatId(urn, 'Always_GS1_Digital_Link')).toBe(digitalLink);
    expect(toEpcUrn(parseGs1Id(digitalLink), prefixLength(urn))).toBe(urn);
  });

  const digitalLinks: { input: string; canonical: string }[] = [...generator.digitalLinks, ...fixture('digital-link-toolkit.json').digitalLinks];
  it.each(digitalLinks.map((d) => [d.input, d.canonical]))('canonicalises %s to %s', (input, canonical) => {
    expect(canonicalId(input)).toBe(canonical);
  });

  it('spells every scheme per GS1-EPC-Format, with the default company prefix table (893 → 9 digits, else 7)', () => {
    for (const { urn, digitalLink } of tds) {
      expect(formatId(digitalLink, 'Always_EPC_URN')).toBe(urn);
      expect(formatId(urn, 'Always_EPC_URN')).toBe(urn);
      expect(formatId(urn, 'Always_GS1_Digital_Link', 'https://brand.example.vn/')).toBe(digitalLink.replace('https://id.gs1.org', 'https://brand.example.vn'));
    }
    expect(formatId('https://id.gs1.org/01/08936041170018/10/LOT-1', 'Always_EPC_URN')).toBe('urn:epc:class:lgtin:893604117.0001.LOT-1');
    expect(formatId('https://id.gs1.org/414/8936041170001', 'Always_EPC_URN')).toBe('urn:epc:id:sgln:893604117.000.0');
    expect(formatId('https://id.gs1.org/8004/8936041170001A', 'No_Preference')).toBe('urn:epc:id:giai:893604117.0001A');
  });

  it('leaves URIs that are not GS1 keys as they are', () => {
    for (const uri of [
      'urn:uuid:4f1d6c53-1b0e-4c38-9b7e-2a0e4f6f2f11',
      'geo:47.506694,11.104301',
      'https://example.com/po/12345678',
      'urn:epcglobal:cbv:bt:4012345000009:ASN1099',
    ])
      for (const format of ['Always_EPC_URN', 'Always_GS1_Digital_Link'] as const) expect(formatId(uri, format)).toBe(uri);
  });

  it('reads a GTIN without lot as a class in both spellings (idpat sgtin, /01/ alone)', () => {
    const id = parseGs1Id('https://id.gs1.org/01/04012345123456');
    expect(id).toEqual({ kind: 'gtinClass', gtin: '04012345123456' });
    expect(parseGs1Id('urn:epc:idpat:sgtin:4012345.012345.*')).toEqual(id);
    expect(toEpcUrn(id)).toBe('urn:epc:idpat:sgtin:4012345.012345.*');
    expect(parseGs1Id('https://id.gs1.org/01/4012345123456/22/2A')).toEqual(id); // GTIN-13 padded, CPV is not part of the EPC
  });

  it('keeps the finest level: a serial over a lot, SGLN extension "0" as none', () => {
    expect(toDigitalLink(parseGs1Id('https://id.gs1.org/01/04012345123456/10/L1/21/S1'))).toBe('https://id.gs1.org/01/04012345123456/21/S1');
    expect(parseGs1Id('urn:epc:id:sgln:4012345.00005.0')).toEqual({ kind: 'sgln', gln: '4012345000054', extension: null });
  });

  it('escapes per each spelling: TDS characters in URNs, reserved characters in Digital Links', () => {
    const id = parseGs1Id('https://id.gs1.org/01/04012345123456/10/A%2FB%3AC%27D');
    expect(id).toEqual({ kind: 'lgtin', gtin: '04012345123456', lot: "A/B:C'D" });
    expect(toEpcUrn(id)).toBe("urn:epc:class:lgtin:4012345.012345.A%2FB:C'D");
    expect(toDigitalLink(id)).toBe("https://id.gs1.org/01/04012345123456/10/A%2FB%3AC'D");
  });

  it.each([
    ['https://id.gs1.org/01/04012345123457/21/1', /check digit/],
    ['https://id.gs1.org/01/04012345123456/21/ABCDEFGHIJKLMNOPQRSTU', /serial has 1–20 characters/],
    ['https://id.gs1.org/01/04012345123456/10/L%C3%94', /AI-82/],
    ['https://id.gs1.org/01/04012345123456/10/A%20B', /AI-82/],
    ['https://id.gs1.org/00/040123450000003338/10/X', /not a key qualifier of AI 00/],
    ['https://id.gs1.org/01/04012345123456/10/A/10/B', /appears twice/],
    ['https://id.gs1.org/8003/1401234500022334455', /filler digit 0/],
    ['https://id.gs1.org/8003/04012345000221ABCDEFGHIJKLMNOPQ', /serial has 1–16/],
    ['https://id.gs1.org/8010/4012345abc', /AI-39/],
    ['https://id.gs1.org/255/401234599999044A', /serial has 1–12 digits/],
    ['https://id.gs1.org/8004/ABC', /company prefix/],
    ['https://id.gs1.org/8006/040123451234560102/10/L1', /ITIP with a lot/],
    ['https://example.com/products/123', /not a GS1 Digital Link/],
    ['urn:epc:id:sgtin:4012345.011111.a/b', /must %-escape/],
    ['urn:epc:id:sgtin:4012345.01111.1', /13 digits together/],
    ['urn:epc:id:sscc:4012345.311111111', /17 digits together/],
    ['urn:epc:id:cpi:0614141.123abc.1', /AI-39/],
    ['urn:epc:idpat:sgtin:4012345.*.*', /only a pattern of one class/],
    ['urn:epc:id:gid:95100000.12345.400', /has no GS1 key/],
    ['mailto:someone@example.com', /neither an EPC URN nor a GS1 Digital Link/],
  ])('refuses %s with a clear EpcError', (value, message) => {
    expect(() => parseGs1Id(value)).toThrow(EpcError);
    expect(() => parseGs1Id(value)).toThrow(message);
    expect(isGs1Id(value)).toBe(false);
  });

  it('never throws from isGs1Id, whatever it is given', () => {
    for (const value of ['', 'http://', 'https://%', 'urn:epc:', 'urn:epc:id:sgtin:%zz.1.1', undefined, null, 42] as unknown as string[])
      expect(isGs1Id(value)).toBe(false);
  });
});
