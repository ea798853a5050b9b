import { describe, expect, it } from 'vitest';
import { localize } from '../src/i18n';
import { LABEL_LANGUAGES, LABEL_TABLES, LANGUAGES, labelLanguage, seasonText, type LabelTable } from '../src/languages';

/** Every code of a table has a non-empty label in every enabled language, and no language is a copy of Vietnamese by mistake. */
function expectComplete(name: string, table: LabelTable): void {
  for (const [code, label] of Object.entries(table)) {
    for (const lang of LABEL_LANGUAGES) expect(label[lang]?.trim(), `${name}.${code}.${lang}`).toBeTruthy();
    expect(Object.keys(label).sort(), `${name}.${code}`).toEqual([...LABEL_LANGUAGES].sort());
  }
}

describe('languages as data', () => {
  it('enables Vietnamese, English, Chinese, Korean and Japanese, each with its own name and locale', () => {
    expect(LABEL_LANGUAGES).toEqual(['vi', 'en', 'zh', 'ko', 'ja']);
    for (const l of LANGUAGES) expect(new Intl.DateTimeFormat(l.locale).resolvedOptions().locale).toBe(l.locale);
  });

  it('has a label for every code of every fixed table in every enabled language', () => {
    expect(Object.keys(LABEL_TABLES).sort()).toEqual(['organizationKinds', 'seasons', 'sectors', 'treeLevels', 'units']);
    for (const [name, table] of Object.entries(LABEL_TABLES)) expectComplete(name, table);
  });

  it('fails the completeness check when one language is missing', () => {
    const broken = { KGM: { vi: 'kg', en: 'kg', zh: '千克', ko: '킬로그램', ja: '' } } as LabelTable;
    expect(() => expectComplete('broken', broken)).toThrow(/broken\.KGM\.ja/);
  });

  it('picks the first enabled language by base tag, else Vietnamese', () => {
    expect(labelLanguage([null, 'zh-Hans-CN', 'en'])).toBe('zh');
    expect(labelLanguage(['fr-FR', 'ko'])).toBe('ko');
    expect(labelLanguage(['JA'])).toBe('ja');
    expect(labelLanguage(['fr', 'de'])).toBe('vi');
    expect(labelLanguage([])).toBe('vi');
  });

  it('puts the seasons producers type and the analytics keys into each language, and leaves other text alone', () => {
    expect(seasonText('Đông Xuân 2025-2026', 'en')).toBe('Winter–Spring 2025–2026');
    expect(seasonText('dong xuan 2025 – 2026', 'zh')).toBe('2025–2026年冬春季');
    expect(seasonText('Hè Thu 2026', 'ko')).toBe('2026년 여름–가을 작기');
    expect(seasonText('2026-TD', 'ja')).toBe('2026年 秋冬作');
    expect(seasonText('Đông Xuân 2025-2026', 'vi')).toBe('Đông Xuân 2025-2026');
    // Not one of the Delta's seasons, or years that do not follow: the producer's words as written.
    expect(seasonText('Vụ mùa 2026', 'en')).toBe('Vụ mùa 2026');
    expect(seasonText('Đông Xuân 2025-2027', 'en')).toBe('Đông Xuân 2025-2027');
  });

  it('falls back field by field: Chinese, Korean and Japanese read English before Vietnamese; English reads Vietnamese', () => {
    const name = { vi: 'Gạo ST25', en: 'ST25 rice' };
    expect(localize(name, ['zh'])).toEqual({ text: 'ST25 rice', lang: 'en', requested: 'zh', fallback: true });
    expect(localize(name, ['ja-JP'])).toMatchObject({ text: 'ST25 rice', lang: 'en' });
    expect(localize({ vi: 'Gạo ST25' }, ['ko'])).toMatchObject({ text: 'Gạo ST25', lang: 'vi', fallback: true });
    expect(localize({ ...name, zh: 'ST25 大米' }, ['zh'])).toMatchObject({ text: 'ST25 大米', lang: 'zh', fallback: false });
    // The reader's own list still comes first: Accept-Language after the asked tag.
    expect(localize({ vi: 'Gạo', en: 'Rice', ja: '米' }, ['zh', 'ja'])).toMatchObject({ text: '米', lang: 'ja' });
    expect(localize(name, ['fr'])).toMatchObject({ text: 'Gạo ST25', lang: 'vi' });
  });
});
