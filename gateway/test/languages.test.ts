import { describe, expect, it } from 'vitest';
import { LABEL_LANGUAGES } from '@nguon/shared/languages';
import { gs1TraceCode, pageStrings, PAGE_LANGUAGES, renderPage, renderProvenancePage, type ProvenanceView } from '../src/digitallink/page';
import { reportLink } from '../src/routes/report';

/** Letters only Vietnamese uses: a page in another language with one of them in its chrome has a string left untranslated. */
const VIETNAMESE = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i;

const NOW = new Date('2026-12-03T03:00:00Z'); // 10:00 in Vietnam, 3 December

/** A recalled lot near its expiry, with an upstream farm: every part of the page shows. Product text is the producer's (Vietnamese here). */
const view = (lang: string, over: Partial<ProvenanceView> = {}): ProvenanceView => ({
  lang,
  languages: PAGE_LANGUAGES,
  uri: 'https://id.example.vn/01/08930000000017/10/L1',
  traceCode: gs1TraceCode({ gtin: '08930000000017', lot: 'L1', expiresOn: '2026-12-05' }),
  product: {
    name: 'Gạo ST25',
    nameLang: 'vi',
    gtin: '08930000000017',
    brand: null,
    description: null,
    image: null,
    certifications: [{ scheme: 'VIETGAP', issuer: 'CT', number: 'V-1', validFrom: '2025-01-01', validTo: '2027-06-30', valid: true, stars: null }],
    standards: ['VIETGAP'],
  },
  producer: { name: 'HTX', address: null, gln: '8936041170006' },
  lot: { lotCode: 'L1', status: 'RECALLED', producedOn: '2026-11-30', expiresOn: '2026-12-05', season: 'Đông Xuân 2025-2026', serial: null },
  area: null,
  stages: [{ label: '发货', disposition: null, time: '2026-12-01T17:05:00.000Z', location: 'HTX', locationCode: null, traceCode: 'L1' }],
  recall: { reason: '—', severity: 'CLASS_I', openedAt: '2026-12-01T18:30:00.000Z' },
  origin: [
    {
      depth: 1,
      relation: 'INPUT',
      disclosed: true,
      lotCode: 'LUA-1',
      product: null,
      producer: { name: 'HTX', gln: null },
      area: null,
      season: 'Hè Thu 2026',
      producedOn: '2026-03-02',
      steps: [],
    },
    { depth: 2, relation: 'INPUT', disclosed: false, lotCode: null, product: null, producer: null, area: null, season: null, producedOn: null, steps: [] },
  ],
  item: null,
  ...over,
});

/** The page without the producer's own text (product name, lot and trace codes are data, not chrome). */
const chrome = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/Gạo ST25/g, '')
    .replace(/Nguồn/g, '')
    .replace(/<nav[\s\S]*?<\/nav>/, '');

describe('the consumer page in Chinese, Korean and Japanese', () => {
  it('has every string of the page in every enabled language', () => {
    expect(PAGE_LANGUAGES).toEqual([...LABEL_LANGUAGES]);
    const keys = Object.keys(pageStrings('vi'));
    for (const lang of LABEL_LANGUAGES) {
      const t = pageStrings(lang);
      expect(Object.keys(t)).toEqual(keys);
      for (const key of keys) expect(t[key as keyof typeof t].trim(), `${lang}.${key}`).toBeTruthy();
      if (lang !== 'vi') for (const key of keys) expect(t[key as keyof typeof t], `${lang}.${key}`).not.toMatch(VIETNAMESE);
    }
  });

  const cases = [
    {
      lang: 'zh',
      words: ['产品溯源', '本产品正在召回', '生产者', '追溯码', '保质期至', '即将过期', '还剩 2 天', '来源', '未公开', '产品流程', 'I 级——严重危险'],
      calendar: '2026/11/30',
      season: ['2025–2026年冬春季', '2026年夏秋季'],
    },
    {
      lang: 'ko',
      words: [
        '제품 이력 추적',
        '이 제품은 리콜 중입니다',
        '생산자',
        '이력 코드',
        '소비기한',
        '소비기한 임박',
        '2일 남음',
        '원산지',
        '비공개',
        '제품 이동 경로',
        '1등급',
      ],
      calendar: '2026. 11. 30.',
      season: ['2025–2026년 겨울–봄 작기', '2026년 여름–가을 작기'],
    },
    {
      lang: 'ja',
      words: [
        'トレーサビリティ',
        'この製品はリコール中です',
        '生産者',
        '追跡コード',
        '消費期限',
        'まもなく期限切れ',
        '残り2日',
        '産地・由来',
        '非公開',
        '製品の流れ',
        'クラスI',
      ],
      calendar: '2026/11/30',
      season: ['2025–2026年 冬春作', '2026年 夏秋作'],
    },
  ] as const;

  for (const { lang, words, calendar, season } of cases) {
    it(`renders the page's chrome in ${lang}, dates in its own form in Vietnam's time zone, and the seasons by their ${lang} names`, () => {
      const html = renderProvenancePage(view(lang), NOW);
      expect(html).toMatch(new RegExp(`<html lang="${lang}">`));
      for (const word of words) expect(html, word).toContain(word);
      // A calendar date as recorded, in the language's numeric form; an instant in Vietnam time (01 Dec 17:05 UTC is 2 Dec).
      expect(html).toContain(calendar);
      expect(html).toContain('00:05 (UTC+07:00)');
      expect(html).not.toMatch(/2026\D{1,3}12\D{1,3}01\D+17:05/);
      for (const s of season) expect(html).toContain(s);
      // The product's name fell back to Vietnamese: it says so, for screen readers and translators.
      expect(html).toContain('<h1 id="product-name" lang="vi">');
      expect(chrome(html)).not.toMatch(VIETNAMESE);
    });
  }

  it('offers every other language, titled in its own words, and the report-a-problem action in the page language', () => {
    const html = renderProvenancePage(view('ko'), NOW);
    for (const [code, name] of [
      ['vi', 'Tiếng Việt'],
      ['en', 'English'],
      ['zh', '简体中文'],
      ['ja', '日本語'],
    ] as const)
      expect(html).toContain(`hreflang="${code}" lang="${code}" title="${name}">${code.toUpperCase()}</a>`);
    expect(html).not.toContain('hreflang="ko"');
    expect(reportLink({ gtin: '08930000000017', lot: 'L1' }, 'zh')).toContain('⚑ 报告问题');
    expect(reportLink({ gtin: '08930000000017', lot: 'L1' }, 'ja')).toContain('⚑ 問題を報告');
    // The form speaks every page language: the reader lands on it in theirs.
    expect(reportLink({ gtin: '08930000000017', lot: 'L1' }, 'ko')).toContain('lang=ko');
  });

  it('warns of a counterfeit in the page language', () => {
    const html = renderPage(view('zh', { item: { state: 'NOT_ISSUED', reason: null } }), NOW);
    expect(html).toContain('警告：疑似假冒产品');
    expect(html).toContain('生产者从未为此批次发放该序列号。');
    expect(html).toContain('包装上的信息（未经核实）');
    expect(chrome(html)).not.toMatch(VIETNAMESE);
  });

  it('keeps English pages fully English, season names included', () => {
    const html = renderProvenancePage(view('en'), NOW);
    expect(html).toContain('Winter–Spring 2025–2026');
    expect(html).toContain('Summer–Autumn 2026');
    expect(chrome(html)).not.toMatch(VIETNAMESE);
  });
});
