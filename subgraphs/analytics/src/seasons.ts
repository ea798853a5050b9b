import { sql, type SQLWrapper } from 'drizzle-orm';
import { labelLanguage, SEASON_LABELS, seasonName } from '@nguon/shared';

/**
 * Mekong Delta crop seasons (names in every language: SEASON_LABELS), keyed by the month a harvest (production) falls
 * in: Đông Xuân (winter–spring) harvests Dec–Apr, Hè Thu (summer–autumn)
 * May–Aug, Thu Đông (autumn–winter) Sep–Nov. A Đông Xuân season belongs to the
 * year its harvest ends in, so December 2024 is in 2025-DX. Keys sort in time
 * order as text ("2025-DX" < "2025-HT" < "2025-TD" < "2026-DX").
 */
export const SEASON_CODES = ['DX', 'HT', 'TD'] as const;
export type SeasonCode = (typeof SEASON_CODES)[number];
export const SEASONS_PER_YEAR = SEASON_CODES.length;

export interface Season {
  year: number;
  code: SeasonCode;
}

export function seasonOfMonth(year: number, month: number): Season {
  if (month === 12) return { year: year + 1, code: 'DX' };
  if (month <= 4) return { year, code: 'DX' };
  if (month <= 8) return { year, code: 'HT' };
  return { year, code: 'TD' };
}

export const seasonKey = (s: Season) => `${s.year}-${s.code}`;

export function parseSeasonKey(key: string): Season | null {
  const match = /^(\d{4})-(DX|HT|TD)$/.exec(key);
  return match ? { year: Number(match[1]), code: match[2] as SeasonCode } : null;
}

/** A running index: consecutive seasons differ by one. */
export const seasonOrdinal = (s: Season) => s.year * SEASONS_PER_YEAR + SEASON_CODES.indexOf(s.code);
export const seasonFromOrdinal = (n: number): Season => ({ year: Math.floor(n / SEASONS_PER_YEAR), code: SEASON_CODES[n % SEASONS_PER_YEAR]! });

/** The season's name in `lang` (any enabled language; others read Vietnamese): the names are shared languages.ts data. */
export const seasonLabel = (s: Season, lang: string): string => seasonName(s.code, s.year, labelLanguage([lang]));

export const seasonCodeLabel = (code: SeasonCode, lang: string) => SEASON_LABELS[code][labelLanguage([lang])];

/** The same rule in SQL, for the rollup: `date` is any date expression. */
export function seasonSql(date: SQLWrapper) {
  return sql`case
    when extract(month from ${date}) = 12 then (extract(year from ${date})::int + 1)::text || '-DX'
    when extract(month from ${date}) <= 4 then extract(year from ${date})::int::text || '-DX'
    when extract(month from ${date}) <= 8 then extract(year from ${date})::int::text || '-HT'
    else extract(year from ${date})::int::text || '-TD' end`;
}
