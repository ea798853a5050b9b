/**
 * GS1 identifiers (GS1 General Specifications §7.9): mod-10 check digits with
 * weights 3,1 alternating from the right; GTIN-8/12/13/14 normalised to 14.
 */

export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = body.length - 1, w = 3; i >= 0; i--, w = 4 - w) {
    sum += (body.charCodeAt(i) - 48) * w;
  }
  return (10 - (sum % 10)) % 10;
}

export function hasValidCheckDigit(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  return gs1CheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}

export type GtinProblem = 'NOT_DIGITS' | 'BAD_LENGTH' | 'BAD_CHECK_DIGIT';

export class GtinError extends Error {
  constructor(
    readonly problem: GtinProblem,
    message: string,
  ) {
    super(message);
  }
}

/** Accepts GTIN-8, -12, -13 or -14 and returns the GTIN-14 form; throws GtinError. */
export function normalizeGtin(input: string): string {
  const value = input.trim();
  if (!/^\d+$/.test(value)) throw new GtinError('NOT_DIGITS', 'A GTIN has digits only.');
  if (![8, 12, 13, 14].includes(value.length)) {
    throw new GtinError('BAD_LENGTH', `A GTIN has 8, 12, 13 or 14 digits, not ${value.length}.`);
  }
  if (!hasValidCheckDigit(value)) {
    const expected = gs1CheckDigit(value.slice(0, -1));
    throw new GtinError('BAD_CHECK_DIGIT', `The GTIN check digit is wrong (expected ${expected}).`);
  }
  return value.padStart(14, '0');
}

/** Builds a full GTIN-13 from 12 digits of company prefix + item reference. */
export function withCheckDigit(body: string): string {
  return body + String(gs1CheckDigit(body));
}

/**
 * GS1 AI (10) batch/lot: 1–20 characters from the AI-82 set (GS1 General
 * Specifications Figure 7.11-1): digits, letters and ! " % & ' ( ) * + , - . / : ; < = > ? _
 */
const AI82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$/;

export function lotCodeProblem(code: string): string | null {
  if (code.length === 0) return 'A lot code cannot be empty.';
  if (code.length > 20) return `A lot code has at most 20 characters, not ${code.length}.`;
  if (!AI82.test(code)) return 'A lot code may use only digits, Latin letters and the GS1 AI-82 symbols.';
  return null;
}
