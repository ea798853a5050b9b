import { badInput } from './errors';
import { FALLBACK, isLabelLanguage } from './languages';

/** Localised text: one string per BCP 47 language tag, Vietnamese as the fallback. */
export type TextMap = Record<string, string>;

export const DEFAULT_LANG = 'vi';
const TAG = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;

export function isLanguageTag(tag: string): boolean {
  return TAG.test(tag);
}

/** The languages of an Accept-Language header, best first (q-values honoured). */
export function parseAcceptLanguage(header: string | undefined | null): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: (tag ?? '').trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((l) => l.tag && l.tag !== '*' && isLanguageTag(l.tag) && l.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((l) => l.tag);
}

export interface Localized {
  text: string;
  lang: string;
  requested: string;
  fallback: boolean;
}

/**
 * Picks the text for the first wanted language that exists (a region tag such
 * as en-US also matches en), then the requested language's fallbacks
 * (English before Vietnamese for zh, ko and ja: languages.ts), then
 * Vietnamese, then any language present. Each field falls back on its own.
 */
export function localize(map: TextMap | null | undefined, wanted: readonly string[]): Localized | null {
  if (!map) return null;
  const requested = wanted[0] ?? DEFAULT_LANG;
  const base = requested.split('-')[0]!.toLowerCase();
  const fallbacks = isLabelLanguage(base) ? FALLBACK[base] : [];
  for (const tag of [...wanted, ...fallbacks, DEFAULT_LANG]) {
    const exact = map[tag];
    if (exact) return { text: exact, lang: tag, requested, fallback: tag !== requested };
    const base = tag.split('-')[0]!;
    if (map[base]) return { text: map[base]!, lang: base, requested, fallback: base !== requested.split('-')[0] };
  }
  const first = Object.entries(map).find(([, v]) => v);
  return first ? { text: first[1], lang: first[0], requested, fallback: true } : null;
}

/**
 * Resolves a localized field: an explicit `lang` argument wins, then the
 * request's Accept-Language, then Vietnamese. A malformed tag is the caller's
 * mistake and is refused rather than silently ignored.
 */
export function localizedField(map: TextMap | null | undefined, lang: string | null | undefined, accepted: readonly string[]): Localized {
  if (lang !== null && lang !== undefined && !isLanguageTag(lang)) {
    throw badInput(`"${lang}" is not a BCP 47 language tag (e.g. vi, en, en-US).`, 'lang');
  }
  const wanted = lang ? [lang.toLowerCase(), ...accepted] : [...accepted];
  return localize(map, wanted) ?? { text: '', lang: DEFAULT_LANG, requested: wanted[0] ?? DEFAULT_LANG, fallback: true };
}

/** Lower-case text without Vietnamese diacritics ("Gạo Thốt Nốt" → "gao thot not") for accent-blind search. */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The key two free-text labels (a season, a crop) are the same under: accents,
 * case, spacing and punctuation left out ("Đông Xuân 2025-2026" and
 * "dong xuan 2025 – 2026" match). Used to map what a producer types onto the
 * label an officer's norm or tolerance was set for, so a variant spelling
 * cannot slip past the check that label decides.
 */
export const labelKey = (text: string): string => foldVietnamese(text).replace(/[^a-z0-9]+/g, '');
