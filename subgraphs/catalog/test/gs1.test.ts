import { describe, expect, it } from 'vitest';
import { GtinError, normalizeGtin } from '@nguon/shared';
import { gtinInput } from '../src/input';

// Examples published by GS1 (General Specifications §7.9 and the GS1 check digit
// calculator) and the standard GTIN-12/EAN-8 specimens.
const PUBLISHED = [
  { gtin: '6291041500213', gtin14: '06291041500213' }, // GTIN-13, GS1 General Specifications worked example
  { gtin: '4006381333931', gtin14: '04006381333931' }, // GTIN-13
  { gtin: '036000291452', gtin14: '00036000291452' }, // GTIN-12 (UPC-A)
  { gtin: '96385074', gtin14: '00000096385074' }, // GTIN-8
  { gtin: '10614141000415', gtin14: '10614141000415' }, // GTIN-14, GS1 US example
];

describe('GTIN check digits', () => {
  it.each(PUBLISHED)('accepts GS1 example $gtin and normalises it to GTIN-14', ({ gtin, gtin14 }) => {
    expect(gtinInput(gtin, 'input.gtin')).toBe(gtin14);
  });

  it('refuses every single-digit mutation of every published example', () => {
    let refused = 0;
    for (const { gtin } of PUBLISHED) {
      for (let position = 0; position < gtin.length; position++) {
        for (let digit = 0; digit <= 9; digit++) {
          if (String(digit) === gtin[position]) continue;
          const mutated = `${gtin.slice(0, position)}${digit}${gtin.slice(position + 1)}`;
          expect(() => normalizeGtin(mutated), mutated).toThrow(GtinError);
          refused++;
        }
      }
    }
    expect(refused).toBe(PUBLISHED.reduce((n, { gtin }) => n + gtin.length * 9, 0));
  });

  it('refuses a transposition of two adjacent different digits', () => {
    // 6291041500213 → swap "29" → 6921041500213
    expect(() => normalizeGtin('6921041500213')).toThrow(/check digit/);
  });

  it('answers a wrong check digit, a 15-digit number and letters as BAD_USER_INPUT on the field', () => {
    for (const bad of ['6291041500214', '006291041500213', '62910415OO213', '1234567']) {
      let error: unknown;
      try {
        gtinInput(bad, 'input.gtin');
      } catch (e) {
        error = e;
      }
      expect(error, bad).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: ['input', 'gtin'] } });
    }
  });
});
