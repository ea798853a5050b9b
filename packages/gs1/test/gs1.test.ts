import { describe, expect, it } from 'vitest';
import { gs1CheckDigit, hasValidCheckDigit, lotCodeProblem, normalizeGtin } from '../src/index';

describe('GS1 check digits', () => {
  // Examples from the GS1 General Specifications and GS1 check digit calculator.
  it.each([
    ['629104150021', 3], // GTIN-13 6291041500213
    ['0001234560001', 2], // GTIN-14 00012345600012
    ['9638507', 4], // GTIN-8 96385074
    ['03600029145', 2], // GTIN-12 036000291452
    ['893602222001', 5], // a Vietnamese (893) GTIN-13
    ['00000123456789012', 8], // SSCC 000001234567890128
  ])('computes the check digit of %s as %i', (body, digit) => {
    expect(gs1CheckDigit(body)).toBe(digit);
    expect(hasValidCheckDigit(`${body}${digit}`)).toBe(true);
  });

  it('rejects every single-digit mutation of a valid GTIN-13', () => {
    const valid = '6291041500213';
    for (let i = 0; i < valid.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === valid[i]) continue;
        const mutated = valid.slice(0, i) + d + valid.slice(i + 1);
        expect(hasValidCheckDigit(mutated), mutated).toBe(false);
      }
    }
  });

  it('normalises GTIN-8, -12 and -13 to GTIN-14', () => {
    expect(normalizeGtin('96385074')).toBe('00000096385074');
    expect(normalizeGtin('036000291452')).toBe('00036000291452');
    expect(normalizeGtin('6291041500213')).toBe('06291041500213');
    expect(normalizeGtin('00012345600012')).toBe('00012345600012');
  });

  it('refuses wrong lengths, non-digits and wrong check digits with a reason', () => {
    expect(() => normalizeGtin('629104150021')).toThrow(/check digit/);
    expect(() => normalizeGtin('123456789012345')).toThrow(/8, 12, 13 or 14 digits, not 15/);
    expect(() => normalizeGtin('62910415002A3')).toThrow(/digits only/);
    expect(() => normalizeGtin('6291041500214')).toThrow(/expected 3/);
  });
});

describe('lot codes (GS1 AI 10)', () => {
  it('accepts up to 20 characters of the AI-82 set', () => {
    expect(lotCodeProblem('DX25-001')).toBeNull();
    expect(lotCodeProblem('A1!"%&\'()*+,-./:;<=>?_')).not.toBeNull(); // 22 chars: too long
    expect(lotCodeProblem('AB!"%&\'()*+,-./:;<=>')).toBeNull();
  });
  it('refuses 21 characters, spaces, diacritics and an empty code', () => {
    expect(lotCodeProblem('A'.repeat(21))).toMatch(/at most 20/);
    expect(lotCodeProblem('LÔ 01')).toMatch(/AI-82/);
    expect(lotCodeProblem('LOT#1')).toMatch(/AI-82/);
    expect(lotCodeProblem('')).toMatch(/empty/);
  });
});
