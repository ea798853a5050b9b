import { badInput, DEFAULT_LANG, GtinError, isLanguageTag, normalizeGtin, type TextMap } from '@nguon/shared';
import type { ImageData } from './db/schema';

/**
 * Input checks shared by the mutations. Each throws BAD_USER_INPUT naming the
 * offending field before anything is written.
 */

export const LIMITS = { name: 200, text: 5000, brand: 200, note: 2000, url: 2000, images: 20, code: 40, season: 60, issuer: 300 } as const;

export function gtinInput(raw: string, field: string): string {
  try {
    return normalizeGtin(raw);
  } catch (error) {
    if (error instanceof GtinError) throw badInput(error.message, field);
    throw error;
  }
}

export interface TextRules {
  /** Languages in `catalog.languages`. */
  known: ReadonlySet<string>;
  max: number;
  /** The Vietnamese text must exist afterwards (names). */
  requireVi?: boolean;
  what: string;
}

/**
 * Applies `entries` to `base`: each language given is set, an empty text
 * removes it. Unknown or repeated languages are refused — a typo would
 * otherwise store text no client ever asks for.
 */
export function applyText(base: TextMap, entries: readonly { lang: string; text: string }[], field: string, rules: TextRules): TextMap {
  const result: TextMap = { ...base };
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const at = `${field}.${index}`;
    const tag = entry.lang.trim().toLowerCase();
    if (!isLanguageTag(tag)) throw badInput(`"${entry.lang}" is not a BCP 47 language tag (e.g. vi, en).`, `${at}.lang`);
    if (!rules.known.has(tag)) throw badInput(`Unknown language "${entry.lang}": the catalog accepts ${[...rules.known].join(', ')}.`, `${at}.lang`);
    if (seen.has(tag)) throw badInput(`The language "${tag}" is given twice.`, `${at}.lang`);
    seen.add(tag);
    const text = entry.text.trim();
    if (text.length > rules.max) throw badInput(`${rules.what} has at most ${rules.max} characters.`, `${at}.text`);
    if (text) result[tag] = text;
    else if (rules.requireVi && tag === DEFAULT_LANG) throw badInput(`${rules.what} in Vietnamese cannot be empty.`, `${at}.text`);
    else delete result[tag];
  });
  if (rules.requireVi && !result[DEFAULT_LANG]) throw badInput(`${rules.what} in Vietnamese is required.`, field);
  return result;
}

export function optionalText(value: string | null | undefined, max: number, field: string, what: string): string | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text.length > max) throw badInput(`${what} has at most ${max} characters.`, field);
  return text || null;
}

export function requiredText(value: string, max: number, field: string, what: string): string {
  const text = optionalText(value, max, field, what);
  if (!text) throw badInput(`${what} cannot be empty.`, field);
  return text;
}

export function urlInput(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw badInput('Not a URL.', field);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput('A link must be http(s).', field);
  if (url.href.length > LIMITS.url) throw badInput(`A link has at most ${LIMITS.url} characters.`, field);
  return url.href;
}

export function imagesInput(
  images: readonly { url: string; alt?: { lang: string; text: string }[] | null }[],
  field: string,
  known: ReadonlySet<string>,
): ImageData[] {
  if (images.length > LIMITS.images) throw badInput(`A product has at most ${LIMITS.images} images.`, field);
  return images.map((image, index) => ({
    url: urlInput(image.url, `${field}.${index}.url`),
    alt: applyText({}, image.alt ?? [], `${field}.${index}.alt`, { known, max: LIMITS.name, what: 'Alt text' }),
  }));
}

/** UN/ECE Recommendation 20 codes are 2–3 upper-case letters or digits (KGM, H87, LTR). */
export function unitInput(value: string, field: string): string {
  const unit = value.trim().toUpperCase();
  if (!/^[A-Z0-9]{2,3}$/.test(unit)) throw badInput('A unit is a UN/ECE Recommendation 20 code such as KGM, GRM, LTR, MLT or H87.', field);
  return unit;
}

export function positiveNumber(value: number | null | undefined, field: string, what: string): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isFinite(value) || value <= 0) throw badInput(`${what} must be more than 0.`, field);
  return value;
}

export function shelfLifeInput(value: number | null | undefined, field: string): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 1 || value > 36500) throw badInput('Shelf life is a whole number of days between 1 and 36500.', field);
  return value;
}

export function codeInput(value: string, field: string, what: string): string {
  const code = value.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._\-/]{0,39}$/.test(code)) throw badInput(`${what} has 1–40 letters, digits, dots, dashes, slashes or underscores.`, field);
  return code;
}

/** Today's date in Vietnam (UTC+7, no daylight saving): certificates expire by the local calendar. */
export function todayInVietnam(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}
