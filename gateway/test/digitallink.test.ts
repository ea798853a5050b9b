import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { DigitalLinkError, digitalLinkUri, parseDigitalLink, parseYymmdd } from '@nguon/shared/digitallink/parse';
import { labelSheet } from '../src/digitallink/labels';
import { qrCode } from '@nguon/shared/digitallink/qr';

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
    const labels = Array.from({ length: 25 }, (_, i) => ({ uri: `${uri}&i=${i}`, productName: 'Gạo thơm Thốt Nốt ST25', lotCode: 'DX25-001', expiresOn: '2026-05-31', serial: String(i + 1) }));
    const pdf = await labelSheet(labels, { columns: 3, rows: 8, errorCorrection: 'M' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(2);
  });
});
