/**
 * The languages Nguồn speaks, and the fixed labels every one of them needs,
 * as data in one place. Adding a language is one entry in LANGUAGES: the
 * `Label` type then makes every label table below (and the trace vocabulary,
 * the analytics export headers, the consumer page's strings) a compile error
 * until it has the new language, and a unit test walks the tables at run time.
 *
 * Vietnamese and English are the working languages; Chinese (Simplified),
 * Korean and Japanese are there for export markets, whose buyers scan the
 * same QR codes and whose importers read the same statistics.
 *
 * Free of imports so the gateway's edge can take it without the barrel.
 */

export const LANGUAGES = [
  { code: 'vi', name: 'Tiếng Việt', englishName: 'Vietnamese', locale: 'vi-VN' },
  { code: 'en', name: 'English', englishName: 'English', locale: 'en-GB' },
  { code: 'zh', name: '简体中文', englishName: 'Chinese (Simplified)', locale: 'zh-CN' },
  { code: 'ko', name: '한국어', englishName: 'Korean', locale: 'ko-KR' },
  { code: 'ja', name: '日本語', englishName: 'Japanese', locale: 'ja-JP' },
] as const;

/** A language fixed labels exist in. */
export type LabelLanguage = (typeof LANGUAGES)[number]['code'];
export const LABEL_LANGUAGES: readonly LabelLanguage[] = LANGUAGES.map((l) => l.code);
export const DEFAULT_LABEL_LANGUAGE: LabelLanguage = 'vi';

/** One fixed label in every enabled language: leaving one out does not compile. */
export type Label = Record<LabelLanguage, string>;
/** Fixed labels by stable code. */
export type LabelTable<K extends string = string> = Record<K, Label>;

export const isLabelLanguage = (tag: string): tag is LabelLanguage => (LABEL_LANGUAGES as readonly string[]).includes(tag);

/** The Intl locale a language formats dates and numbers in (zh → zh-CN). */
export const localeOf = (lang: LabelLanguage): string => LANGUAGES.find((l) => l.code === lang)!.locale;

/**
 * Where text missing in a language is looked for next. A shopper in Seoul or
 * Osaka is likelier to read English than Vietnamese, so the export-market
 * languages try English before Vietnamese; Vietnamese is the last word
 * because every product has its name in it.
 */
export const FALLBACK: Record<LabelLanguage, readonly LabelLanguage[]> = {
  vi: [],
  en: ['vi'],
  zh: ['en', 'vi'],
  ko: ['en', 'vi'],
  ja: ['en', 'vi'],
};

/**
 * The first of `tags` (an explicit `lang`, then Accept-Language, best first)
 * that labels exist in, by base language (en-US → en, zh-Hans-CN → zh), else
 * Vietnamese. Traditional-script tags (zh-TW, zh-Hant) get Simplified too: it
 * is the only Chinese there is, and closer than Vietnamese.
 */
export function labelLanguage(tags: Iterable<string | null | undefined>): LabelLanguage {
  for (const tag of tags) {
    if (!tag) continue;
    const base = tag.trim().toLowerCase().split('-')[0]!;
    if (isLabelLanguage(base)) return base;
  }
  return DEFAULT_LABEL_LANGUAGE;
}

/** The label of `code` in `lang`; null for a code the table does not know. */
export function fixedLabel<K extends string>(table: LabelTable<K>, code: string | null | undefined, lang: LabelLanguage): string | null {
  if (!code || !Object.hasOwn(table, code)) return null;
  return table[code as K][lang];
}

/**
 * UN/ECE Recommendation 20 units as people read them, plus the three
 * non-UN/ECE units aggregate figures use (count, hours, ratio). Names with
 * their symbol, so a spreadsheet column reads without a legend.
 */
export const UNIT_LABELS: LabelTable = {
  KGM: { vi: 'kilôgam (kg)', en: 'kilograms (kg)', zh: '千克 (kg)', ko: '킬로그램 (kg)', ja: 'キログラム (kg)' },
  GRM: { vi: 'gam (g)', en: 'grams (g)', zh: '克 (g)', ko: '그램 (g)', ja: 'グラム (g)' },
  TNE: { vi: 'tấn (t)', en: 'tonnes (t)', zh: '吨 (t)', ko: '톤 (t)', ja: 'トン (t)' },
  LTR: { vi: 'lít (L)', en: 'litres (L)', zh: '升 (L)', ko: '리터 (L)', ja: 'リットル (L)' },
  MLT: { vi: 'mililít (mL)', en: 'millilitres (mL)', zh: '毫升 (mL)', ko: '밀리리터 (mL)', ja: 'ミリリットル (mL)' },
  H87: { vi: 'cái', en: 'pieces', zh: '件', ko: '개', ja: '個' },
  XBX: { vi: 'hộp', en: 'boxes', zh: '盒', ko: '상자', ja: '箱' },
  XBG: { vi: 'bao', en: 'bags', zh: '袋', ko: '포대', ja: '袋' },
  count: { vi: 'số lượng', en: 'count', zh: '数量', ko: '개수', ja: '件数' },
  hours: { vi: 'giờ', en: 'hours', zh: '小时', ko: '시간', ja: '時間' },
  ratio: { vi: 'tỷ lệ (0–1)', en: 'ratio (0–1)', zh: '比例 (0–1)', ko: '비율 (0–1)', ja: '割合 (0–1)' },
};

/** Sectors a department supervises, by their current (2025) names: agriculture and environment merged. */
export const SECTOR_LABELS: LabelTable<'AGRICULTURE' | 'INDUSTRY_TRADE' | 'HEALTH'> = {
  AGRICULTURE: { vi: 'Nông nghiệp và Môi trường', en: 'Agriculture and Environment', zh: '农业与环境', ko: '농업·환경', ja: '農業・環境' },
  INDUSTRY_TRADE: { vi: 'Công Thương', en: 'Industry and Trade', zh: '工业与贸易', ko: '산업·통상', ja: '商工' },
  HEALTH: { vi: 'Y tế', en: 'Health', zh: '卫生', ko: '보건', ja: '保健' },
};

/** Kinds of node in the organization tree (tenants' OrganizationKind). */
export const ORGANIZATION_KIND_LABELS: LabelTable<'CITY' | 'DEPARTMENT' | 'AREA' | 'PRODUCER' | 'BUSINESS' | 'STORE'> = {
  CITY: { vi: 'Tỉnh/Thành phố', en: 'City or province', zh: '省/市', ko: '성·시', ja: '省・市' },
  DEPARTMENT: { vi: 'Sở', en: 'Department', zh: '厅', ko: '국', ja: '局' },
  AREA: { vi: 'Địa bàn hành chính', en: 'Administrative area', zh: '行政区域', ko: '행정구역', ja: '行政区域' },
  PRODUCER: { vi: 'Cơ sở sản xuất', en: 'Producer', zh: '生产者', ko: '생산자', ja: '生産者' },
  BUSINESS: { vi: 'Doanh nghiệp', en: 'Business', zh: '经营企业', ko: '유통업체', ja: '事業者' },
  STORE: { vi: 'Cửa hàng', en: 'Store', zh: '门店', ko: '상점', ja: '店舗' },
};

/**
 * Names of the usual levels of the tree (tenants' TreeLevel.code), before and
 * after the 2025 reform that removed districts: a tree's own level names are
 * data and win; these fill the languages the data leaves out.
 */
export const TREE_LEVEL_LABELS: LabelTable<'city' | 'province' | 'department' | 'district' | 'commune' | 'ward' | 'operator'> = {
  city: { vi: 'Thành phố', en: 'City', zh: '市', ko: '시', ja: '市' },
  province: { vi: 'Tỉnh', en: 'Province', zh: '省', ko: '성', ja: '省' },
  department: { vi: 'Sở', en: 'Department', zh: '厅', ko: '국', ja: '局' },
  district: { vi: 'Quận/Huyện', en: 'District', zh: '郡/县', ko: '군·현', ja: '郡・県' },
  commune: { vi: 'Xã', en: 'Commune', zh: '社', ko: '사(社)', ja: '社' },
  ward: { vi: 'Phường', en: 'Ward', zh: '坊', ko: '방(坊)', ja: '坊' },
  operator: { vi: 'Cơ sở sản xuất, kinh doanh', en: 'Producer, business or store', zh: '生产经营单位', ko: '생산·유통 사업자', ja: '生産・流通事業者' },
};

/**
 * The Mekong Delta's crop seasons (analytics keys them 2025-DX, 2025-HT,
 * 2025-TD). Đông Xuân spans the turn of the year, so its label names both years.
 */
export const SEASON_LABELS: LabelTable<'DX' | 'HT' | 'TD'> = {
  DX: { vi: 'Đông Xuân', en: 'Winter–Spring', zh: '冬春季', ko: '겨울–봄 작기', ja: '冬春作' },
  HT: { vi: 'Hè Thu', en: 'Summer–Autumn', zh: '夏秋季', ko: '여름–가을 작기', ja: '夏秋作' },
  TD: { vi: 'Thu Đông', en: 'Autumn–Winter', zh: '秋冬季', ko: '가을–겨울 작기', ja: '秋冬作' },
};
export type SeasonLabelCode = keyof typeof SEASON_LABELS;

/** "Đông Xuân 2024-2025", "Winter–Spring 2024–2025", "2024–2025年冬春季", "2024–2025년 겨울–봄 작기", "2024–2025年 冬春作". */
export function seasonName(code: SeasonLabelCode, year: number, lang: LabelLanguage): string {
  const name = SEASON_LABELS[code][lang];
  // The Vietnamese form keeps the hyphen producers type, so labels compare equal to lots' free-text seasons.
  const years = code === 'DX' ? (lang === 'vi' ? `${year - 1}-${year}` : `${year - 1}–${year}`) : String(year);
  switch (lang) {
    case 'zh':
      return `${years}年${name}`;
    case 'ja':
      return `${years}年 ${name}`;
    case 'ko':
      return `${years}년 ${name}`;
    default:
      return `${name} ${years}`;
  }
}

const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
const SEASON_WORDS: Record<string, SeasonLabelCode> = { 'dong xuan': 'DX', 'he thu': 'HT', 'thu dong': 'TD' };

/**
 * A season as a producer typed it on a lot ("Đông Xuân 2025-2026", "he thu
 * 2026") or as analytics keys it ("2026-DX"), in `lang`; any other text is
 * returned as written — it is the producer's, not ours to guess at.
 */
export function seasonText(text: string, lang: LabelLanguage): string {
  const key = /^(\d{4})-(DX|HT|TD)$/.exec(text.trim());
  if (key) return seasonName(key[2] as SeasonLabelCode, Number(key[1]), lang);
  const typed = /^(dong xuan|he thu|thu dong) (\d{4})(?: (\d{4}))?$/.exec(fold(text));
  if (!typed) return text;
  const code = SEASON_WORDS[typed[1]!]!;
  const first = Number(typed[2]);
  const last = typed[3] ? Number(typed[3]) : null;
  if (code === 'DX') {
    // Đông Xuân is named by the year it ends in; "Đông Xuân 2025" alone is taken as that year.
    if (last !== null && last !== first + 1) return text;
    return seasonName('DX', last ?? first, lang);
  }
  return last === null ? seasonName(code, first, lang) : text;
}

/** Every fixed-label table, by name: for the completeness test and for whoever lists them. */
export const LABEL_TABLES: Record<string, LabelTable> = {
  units: UNIT_LABELS,
  sectors: SECTOR_LABELS,
  organizationKinds: ORGANIZATION_KIND_LABELS,
  treeLevels: TREE_LEVEL_LABELS,
  seasons: SEASON_LABELS,
};
