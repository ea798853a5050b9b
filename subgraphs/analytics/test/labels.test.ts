import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LABEL_LANGUAGES, SECTOR_LABELS, signViewer, type Viewer } from '@nguon/shared';
import { startSeededSubgraph, TEST_GATEWAY_SECRET, type TestDatabase, type TestSubgraph } from '@nguon/shared/testing';
import { demoOrgId } from '@nguon/demo/ids';
import { analyticsSubgraph, RollupKeeper } from '../src/server';
import { seasonCodeLabel, seasonLabel, SEASON_CODES } from '../src/seasons';
import { unitLabel } from '../src/units';

/** Letters only Vietnamese uses. */
const VIETNAMESE = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i;
/** Han, Hangul, kana: a sentence in zh, ko or ja has some of its own script. */
const SCRIPT = { zh: /\p{Script=Han}/u, ko: /\p{Script=Hangul}/u, ja: /[\p{Script=Hiragana}\p{Script=Katakana}]/u } as const;

const rollups = new RollupKeeper(60_000);
let subgraph: TestSubgraph;
let stop: () => Promise<void>;

beforeAll(async () => {
  let db: TestDatabase;
  ({ db, subgraph, stop } = await startSeededSubgraph(analyticsSubgraph({ rollups }), inject('seededTemplate')));
  await rollups.refresh(db.connection.drizzle());
});
afterAll(() => stop());

const MINISTRY: Viewer = {
  kind: 'client',
  requestId: 't',
  clientId: 'c',
  orgId: demoOrgId('ct'),
  path: 'ct',
  scopes: ['aggregates:read'],
};

const csv = async (query: string, headers: Record<string, string> = {}) => {
  const response = await fetch(new URL(`/export/aggregate.csv?${query}`, subgraph.url), {
    headers: { 'x-nguon-viewer': signViewer(MINISTRY, TEST_GATEWAY_SECRET), ...headers },
  });
  const text = (await response.text()).replace(/^\uFEFF/, '');
  return {
    status: response.status,
    language: response.headers.get('content-language'),
    lines: text
      .trim()
      .split('\r\n')
      .map((l) => l.split(',')),
  };
};

describe('labels in every enabled language', () => {
  it('names every season, unit and sector in every language, codes unchanged', () => {
    // Each language its own words: no label repeats another language's.
    for (const code of SEASON_CODES) expect(new Set(LABEL_LANGUAGES.map((lang) => seasonCodeLabel(code, lang))).size, code).toBe(LABEL_LANGUAGES.length);
    expect(LABEL_LANGUAGES.map((lang) => unitLabel('KGM', lang))).toEqual(['kilôgam (kg)', 'kilograms (kg)', '千克 (kg)', '킬로그램 (kg)', 'キログラム (kg)']);
    // A region subtag reads its language; a language not enabled reads Vietnamese; an unknown code has no label.
    expect(unitLabel('KGM', 'zh-CN')).toBe('千克 (kg)');
    expect(unitLabel('KGM', 'fr')).toBe('kilôgam (kg)');
    expect(unitLabel('XYZ', 'en')).toBeNull();
    expect(seasonLabel({ year: 2025, code: 'DX' }, 'vi')).toBe('Đông Xuân 2024-2025');
    expect(seasonLabel({ year: 2025, code: 'DX' }, 'en')).toBe('Winter–Spring 2024–2025');
    expect(seasonLabel({ year: 2025, code: 'DX' }, 'zh')).toBe('2024–2025年冬春季');
    expect(seasonLabel({ year: 2025, code: 'HT' }, 'ko-KR')).toBe('2025년 여름–가을 작기');
    expect(seasonLabel({ year: 2025, code: 'TD' }, 'ja')).toBe('2025年 秋冬作');
    // A language with no labels reads Vietnamese, never a mixture.
    expect(seasonLabel({ year: 2025, code: 'HT' }, 'fr')).toBe('Hè Thu 2025');
    expect(unitLabel('XYZ', 'en')).toBeNull();
  });

  it('exports the same aggregate in vi, en and zh: headers, season, sector and unit labels in each, codes and figures unchanged', async () => {
    const query = 'measures=PRODUCTION_VOLUME,LOT_COUNT&groupBy=SECTOR,SEASON';
    const [vi, en, zh] = [await csv(`${query}&lang=vi`), await csv(`${query}&lang=en`), await csv(`${query}&lang=zh`)];
    expect([vi.status, en.status, zh.status]).toEqual([200, 200, 200]);
    expect([vi.language, en.language, zh.language]).toEqual(['vi', 'en', 'zh']);
    expect(vi.lines[0]).toEqual(['Mã ngành', 'Ngành', 'Mùa vụ (mã)', 'Mùa vụ', 'Đơn vị', 'Tên đơn vị', 'Sản lượng', 'Số lô', 'Số liệu bị ẩn']);
    expect(en.lines[0]).toEqual(['Sector code', 'Sector', 'Season key', 'Season', 'Unit', 'Unit name', 'Production volume', 'Lots', 'Suppressed']);
    expect(zh.lines[0]).toEqual(['行业代码', '行业', '种植季代码', '种植季', '单位', '单位名称', '产量', '批次数', '隐去的数据']);

    // Codes (sector, season key, unit) and every figure are the same in the three files; only the words differ.
    const codes = (lines: string[][]) => lines.slice(1).map((c) => [c[0], c[2], c[4], c[6], c[7], c[8]]);
    expect(codes(en.lines)).toEqual(codes(vi.lines));
    expect(codes(zh.lines)).toEqual(codes(vi.lines));
    expect(vi.lines.length).toBeGreaterThan(2);

    const row = (lines: string[][]) => lines.find((c) => c[0] === 'AGRICULTURE' && c[2] === '2025-DX' && c[4] === 'KGM')!;
    expect(row(vi.lines).slice(0, 6)).toEqual(['AGRICULTURE', 'Nông nghiệp và Môi trường', '2025-DX', 'Đông Xuân 2024-2025', 'KGM', 'kilôgam (kg)']);
    expect(row(en.lines).slice(0, 6)).toEqual(['AGRICULTURE', 'Agriculture and Environment', '2025-DX', 'Winter–Spring 2024–2025', 'KGM', 'kilograms (kg)']);
    expect(row(zh.lines).slice(0, 6)).toEqual(['AGRICULTURE', '农业与环境', '2025-DX', '2024–2025年冬春季', 'KGM', '千克 (kg)']);
    // No Vietnamese word is left in the English or Chinese file.
    for (const file of [en, zh]) expect(file.lines.flat().join(' ')).not.toMatch(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i);
  });

  it('takes the language from Accept-Language when the query names none, and refuses a malformed tag without writing a byte of CSV', async () => {
    const ko = await csv('measures=LOT_COUNT&groupBy=SECTOR', { 'accept-language': 'ko-KR,ko;q=0.9,en;q=0.5' });
    expect(ko.language).toBe('ko');
    expect(ko.lines[0]).toEqual(['부문 코드', '부문', '로트 수']);
    expect(ko.lines.find((c) => c[0] === 'AGRICULTURE')?.[1]).toBe(SECTOR_LABELS.AGRICULTURE.ko);
    const bad = await fetch(new URL('/export/aggregate.csv?measures=LOT_COUNT&lang=en_US', subgraph.url), {
      headers: { 'x-nguon-viewer': signViewer(MINISTRY, TEST_GATEWAY_SECRET) },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/json/);
    expect(((await bad.json()) as { errors: { extensions: { code: string; field: string } }[] }).errors[0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
  });

  it('labels units in the GraphQL answer in its language, beside the unchanged code', async () => {
    const answer = async (lang: string) =>
      (
        await subgraph.request(
          `query($input: AggregateInput!) { aggregate(input: $input) { lang rows { keys { value label } values { measure unit unitLabel } } } }`,
          { input: { measures: ['PRODUCTION_VOLUME', 'LOT_COUNT'], groupBy: ['SECTOR'], lang } },
          { ...MINISTRY, kind: 'user', userId: 'u', grants: [{ role: 'OFFICER', orgId: demoOrgId('ct'), path: 'ct' }] } as Viewer,
        )
      ).body;
    const ja = await answer('ja');
    expect(ja.errors).toBeUndefined();
    expect(ja.data.aggregate.lang).toBe('ja');
    const agriculture = ja.data.aggregate.rows.find((r: { keys: { value: string }[] }) => r.keys[0]!.value === 'AGRICULTURE');
    expect(agriculture.keys[0].label).toBe('農業・環境');
    expect(agriculture.values).toContainEqual({ measure: 'PRODUCTION_VOLUME', unit: 'KGM', unitLabel: 'キログラム (kg)' });
    expect(agriculture.values).toContainEqual({ measure: 'LOT_COUNT', unit: 'count', unitLabel: '件数' });
    // A language without labels reads Vietnamese and says so.
    expect((await answer('fr')).data.aggregate.lang).toBe('vi');
  });

  it("says what each figure counts in the answer's language, Chinese, Korean and Japanese included", async () => {
    const basis = async (lang: string) => {
      const { body } = await subgraph.request(
        `query($input: AggregateInput!) { aggregate(input: $input) { lang basis { figure counts } } }`,
        { input: { measures: ['LOT_COUNT', 'PRODUCTION_VOLUME'], groupBy: ['SECTOR'], lang } },
        { ...MINISTRY, kind: 'user', userId: 'u', grants: [{ role: 'OFFICER', orgId: demoOrgId('ct'), path: 'ct' }] } as Viewer,
      );
      expect(body.errors).toBeUndefined();
      return body.data.aggregate.basis as { figure: string; counts: string }[];
    };
    const byLang = Object.fromEntries(await Promise.all(LABEL_LANGUAGES.map(async (lang) => [lang, await basis(lang)] as const)));
    for (const lang of LABEL_LANGUAGES) expect(byLang[lang]!.map((b) => b.figure)).toEqual(['LOT_COUNT', 'PRODUCTION_VOLUME']);
    for (const figure of [0, 1]) {
      const sentences = LABEL_LANGUAGES.map((lang) => byLang[lang]![figure]!.counts);
      // Five languages, five different sentences: none borrows another's.
      expect(new Set(sentences).size).toBe(LABEL_LANGUAGES.length);
    }
    for (const lang of ['zh', 'ko', 'ja'] as const)
      for (const { counts } of byLang[lang]!) {
        expect(counts, `${lang}: ${counts}`).not.toMatch(VIETNAMESE);
        // Written in the language's own script, not English.
        expect(counts, `${lang}: ${counts}`).toMatch(SCRIPT[lang]);
      }
    expect(byLang.ko![0]!.counts).toBe('등록된 로트 수(로트마다 한 번, 생산 월 기준).');
  });
});
