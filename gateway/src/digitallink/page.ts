/**
 * The consumer provenance page: server-rendered, mobile-first, no framework,
 * small inline CSS, lazy images. It shows the ten items of the Vietnamese
 * minimum data set (Circular 02/2024/TT-BKHCN, docs/architecture.md §6), certifications
 * with validity, the production area, the timeline, and — above everything —
 * a recall warning when the lot is recalled.
 *
 * Issue 15 made it a page a Vietnamese shopper can trust: the lot's origin
 * upstream (farms, areas, processing, shipping), parties by public name and
 * GLN only (never a node of the city's tree), the trace code as the GS1
 * Digital Link rather than this host's URL, expiry warnings in Vietnam's
 * calendar, a counterfeit warning instead of the page for an unissued or
 * locked serial, and no sideways scrolling on a 320–430 px phone.
 */

import { LABEL_LANGUAGES, LANGUAGES, labelLanguage, localeOf, seasonText, type Label, type LabelLanguage } from '@nguon/shared/languages';

/** Each language by its own name, for the switcher's titles (its links read VI, EN, ZH…: short on a 320 px phone, and legible without CJK fonts). */
const LANGUAGE_NAMES = new Map<string, string>(LANGUAGES.map((l) => [l.code, l.name]));

export interface ProvenanceView {
  lang: string;
  /** Languages the page can switch to. */
  languages: string[];
  /** This page's canonical URL (for `<link rel=canonical>`), not what the page shows as the trace code. */
  uri: string;
  /** The trace code a shopper sees: the lot's GS1 Digital Link in GS1's canonical form, and its element string. */
  traceCode: TraceCode;
  product: {
    name: string;
    nameLang: string;
    gtin: string;
    brand: string | null;
    description: string | null;
    image: { url: string; alt: string } | null;
    certifications: { scheme: string; issuer: string; number: string; validFrom: string; validTo: string; valid: boolean; stars: number | null }[];
    standards: string[];
  };
  producer: { name: string; address: string | null; gln: string | null };
  lot: { lotCode: string; status: string; producedOn: string | null; expiresOn: string | null; season: string | null; serial: string | null };
  area: { name: string; code: string; commune?: string | null; hectares: number | null; crop: string | null } | null;
  stages: {
    label: string;
    disposition: string | null;
    time: string;
    location: string | null;
    /** The event's public location code (SGLN, GLN); never an internal tree path. */
    locationCode: string | null;
    traceCode: string;
    /** This entry corrects an earlier one (an EPCIS error declaration). */
    corrected?: boolean;
    /** A later entry declared this one erroneous: it stays, marked, beside its correction. */
    erroneous?: boolean;
  }[];
  recall: { reason: string; severity: string; openedAt: string } | null;
  /** Upstream stages, nearest first (Lot.origin). */
  origin: OriginStageView[];
  /** The serial's check (Lot.item) when the link names a serial; null otherwise. */
  item: { state: string; reason: string | null; reasonCode?: string | null } | null;
}

/** One upstream stage of the lot's journey as the page shows it; `disclosed: false` shows as "not disclosed" and nothing else. */
export interface OriginStageView {
  depth: number;
  relation: string;
  disclosed: boolean;
  lotCode: string | null;
  product: string | null;
  producer: { name: string; gln: string | null } | null;
  area: {
    name: string;
    commune: string | null;
    hectares: number | null;
    certifications: { scheme: string; valid: boolean; validTo: string | null }[];
  } | null;
  season: string | null;
  producedOn: string | null;
  steps: { label: string; time: string; organization: string | null; gln: string | null; corrected?: boolean; erroneous?: boolean }[];
}

export interface TraceCode {
  /** https://id.gs1.org/01/{gtin}/10/{lot}[/21/{serial}][?17=YYMMDD] */
  uri: string;
  /** (01){gtin}(17){YYMMDD}(10){lot}(21){serial} */
  elementString: string;
}

/**
 * GS1's canonical Digital Link for a lot (GS1 Digital Link 1.2 §4.11: the id.gs1.org domain stands
 * for "any resolver"), so the code a shopper reads does not depend on the host that served the page,
 * and the same identifiers as a GS1 element string, the form printed under a barcode.
 */
export function gs1TraceCode(link: { gtin: string; lot: string; serial?: string | null; expiresOn?: string | null }): TraceCode {
  const yymmdd = link.expiresOn ? `${link.expiresOn.slice(2, 4)}${link.expiresOn.slice(5, 7)}${link.expiresOn.slice(8, 10)}` : null;
  let path = `/01/${link.gtin}/10/${encodeURIComponent(link.lot)}`;
  if (link.serial) path += `/21/${encodeURIComponent(link.serial)}`;
  return {
    uri: `https://id.gs1.org${path}${yymmdd ? `?17=${yymmdd}` : ''}`,
    elementString: `(01)${link.gtin}${yymmdd ? `(17)${yymmdd}` : ''}(10)${link.lot}${link.serial ? `(21)${link.serial}` : ''}`,
  };
}

/** A lot expiring within this many days of today (Vietnam's calendar), today included, reads "near expiry". */
export const NEAR_EXPIRY_DAYS = 7;

/** Today's date in Vietnam, yyyy-mm-dd: a lot's expiry is a calendar date there, whatever the server's zone. */
const VIETNAM_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' });
export const vietnamToday = (now: Date) => VIETNAM_DAY.format(now);

/**
 * Whether a lot is past its expiry date (the last day of use is the date itself) or within
 * NEAR_EXPIRY_DAYS of it, in days from today in Vietnam.
 */
export function expiryState(expiresOn: string | null, now: Date): { kind: 'expired' | 'near'; days: number } | null {
  if (!expiresOn || !/^\d{4}-\d{2}-\d{2}$/.test(expiresOn)) return null;
  const days = Math.round((Date.parse(`${expiresOn}T00:00:00Z`) - Date.parse(`${vietnamToday(now)}T00:00:00Z`)) / 86_400_000);
  if (days < 0) return { kind: 'expired', days };
  if (days <= NEAR_EXPIRY_DAYS) return { kind: 'near', days };
  return null;
}

/** Item states that replace the page with a counterfeit warning; FLAGGED only warns above it. */
export const COUNTERFEIT_STATES = new Set(['NOT_ISSUED', 'LOCKED']);

type Strings = Record<
  | 'title'
  | 'recalled'
  | 'recallAdvice'
  | 'reason'
  | 'product'
  | 'producer'
  | 'address'
  | 'traceCode'
  | 'lot'
  | 'serial'
  | 'brand'
  | 'produced'
  | 'expiry'
  | 'season'
  | 'standards'
  | 'certifications'
  | 'validUntil'
  | 'expired'
  | 'area'
  | 'stages'
  | 'location'
  | 'none'
  | 'correction'
  | 'erroneous'
  | 'language'
  | 'stars'
  | 'origin'
  | 'notDisclosed'
  | 'farm'
  | 'harvested'
  | 'level'
  | 'INPUT'
  | 'CONTENT'
  | 'CONTAINER'
  | 'lotExpired'
  | 'lotExpiredAdvice'
  | 'nearExpiry'
  | 'expiresToday'
  | 'daysLeft'
  | 'elementString'
  | 'counterfeit'
  | 'NOT_ISSUED'
  | 'LOCKED'
  | 'FLAGGED'
  | 'counterfeitAdvice'
  | 'claimed'
  | 'checkAuthenticity'
  | 'scratchCode'
  | 'check'
  | 'sharePlace'
  | 'VERIFIED_FIRST_TIME'
  | 'ALREADY_VERIFIED'
  | 'verifiedPlace'
  | 'WRONG_CODE'
  | 'NO_CODE'
  | 'UNKNOWN_ITEM'
  | 'TOO_MANY_ATTEMPTS'
  | 'LOCKED_ITEM'
  | 'lock_STOLEN'
  | 'lock_DESTROYED'
  | 'lock_WITHDRAWN'
  | 'lock_OTHER'
  | 'reportProblem',
  string
>;

/**
 * Every word of the page in every enabled language (shared languages.ts): a
 * language without all of them does not compile. Product text (names,
 * descriptions) is the catalog's and falls back field by field there.
 */
const STRINGS: Record<LabelLanguage, Strings> = {
  vi: {
    title: 'Truy xuất nguồn gốc',
    recalled: 'SẢN PHẨM ĐANG BỊ THU HỒI',
    recallAdvice: 'Không sử dụng sản phẩm thuộc lô này. Hãy liên hệ nơi bán để được hướng dẫn trả lại.',
    reason: 'Lý do',
    product: 'Sản phẩm',
    producer: 'Nhà sản xuất',
    address: 'Địa chỉ',
    traceCode: 'Mã truy xuất',
    lot: 'Số lô',
    serial: 'Số sê-ri',
    brand: 'Nhãn hiệu',
    produced: 'Ngày sản xuất',
    expiry: 'Hạn sử dụng',
    season: 'Mùa vụ',
    standards: 'Tiêu chuẩn áp dụng',
    certifications: 'Chứng nhận',
    validUntil: 'hiệu lực đến',
    expired: 'ĐÃ HẾT HIỆU LỰC',
    area: 'Vùng nguyên liệu',
    stages: 'Hành trình sản phẩm',
    location: 'Địa điểm',
    none: 'Chưa có thông tin',
    correction: 'đính chính cho mục sai',
    erroneous: 'thông tin sai, đã được đính chính',
    language: 'Ngôn ngữ',
    stars: 'sao',
    origin: 'Nguồn gốc',
    notDisclosed: 'Chưa công bố',
    farm: 'Nông trại / cơ sở sản xuất',
    harvested: 'Ngày thu hoạch / sản xuất',
    level: 'cấp',
    INPUT: 'Nguyên liệu',
    CONTENT: 'Hàng đóng trong kiện',
    CONTAINER: 'Kiện hàng vận chuyển',
    lotExpired: 'ĐÃ HẾT HẠN SỬ DỤNG',
    lotExpiredAdvice: 'Không sử dụng sản phẩm đã quá hạn.',
    nearExpiry: 'Sắp hết hạn',
    expiresToday: 'hết hạn hôm nay',
    daysLeft: 'còn {n} ngày',
    elementString: 'Dạng chuỗi GS1',
    counterfeit: 'CẢNH BÁO: CÓ THỂ LÀ HÀNG GIẢ',
    NOT_ISSUED: 'Số sê-ri này chưa từng được nhà sản xuất cấp cho lô hàng này.',
    LOCKED: 'Số sê-ri này đã bị nhà sản xuất khóa (bị mất cắp, đã hủy hoặc đã rút khỏi thị trường).',
    FLAGGED: 'Cảnh báo: mã này có thể đã bị sao chép.',
    counterfeitAdvice: 'Không sử dụng sản phẩm. Hãy giữ lại bao bì và báo cho nơi bán hoặc cơ quan quản lý thị trường.',
    claimed: 'Thông tin in trên bao bì (chưa được xác thực)',
    checkAuthenticity: 'Kiểm tra hàng thật',
    scratchCode: 'Mã dưới lớp cào',
    check: 'Kiểm tra',
    sharePlace: 'Chia sẻ khu vực (không bắt buộc)',
    VERIFIED_FIRST_TIME: '✔ Hàng thật. Đây là lần kiểm tra đầu tiên.',
    ALREADY_VERIFIED: '⚠ Mã này đã được kiểm tra lúc {when}{place}.',
    verifiedPlace: ', tại {place}',
    WRONG_CODE: '✘ Mã không đúng.',
    NO_CODE: 'Sản phẩm này không có mã kiểm tra.',
    UNKNOWN_ITEM: '✘ Không tìm thấy sản phẩm này.',
    TOO_MANY_ATTEMPTS: 'Quá nhiều lần nhập sai; hãy thử lại sau.',
    LOCKED_ITEM: '✘ Sản phẩm này đã bị nhà sản xuất khoá ({reason}).',
    lock_STOLEN: 'bị mất cắp',
    lock_DESTROYED: 'đã bị huỷ',
    lock_WITHDRAWN: 'đã rút khỏi thị trường',
    lock_OTHER: 'lý do khác',
    reportProblem: 'Báo cáo sự cố',
  },
  en: {
    title: 'Product traceability',
    recalled: 'THIS PRODUCT IS BEING RECALLED',
    recallAdvice: 'Do not use products from this lot. Contact the shop where you bought it for how to return it.',
    reason: 'Reason',
    product: 'Product',
    producer: 'Producer',
    address: 'Address',
    traceCode: 'Trace code',
    lot: 'Lot',
    serial: 'Serial number',
    brand: 'Brand',
    produced: 'Production date',
    expiry: 'Expiry date',
    season: 'Season',
    standards: 'Standards applied',
    certifications: 'Certifications',
    validUntil: 'valid until',
    expired: 'EXPIRED',
    area: 'Production area',
    stages: 'Product journey',
    location: 'Location',
    none: 'Not available',
    correction: 'correction of an erroneous entry',
    erroneous: 'erroneous, since corrected',
    language: 'Language',
    stars: 'stars',
    origin: 'Origin',
    notDisclosed: 'Not disclosed',
    farm: 'Farm or producer',
    harvested: 'Harvest or production date',
    level: 'level',
    INPUT: 'Raw material',
    CONTENT: 'Packed in this case',
    CONTAINER: 'Shipping pallet or case',
    lotExpired: 'EXPIRED',
    lotExpiredAdvice: 'Do not use a product past its expiry date.',
    nearExpiry: 'Near expiry',
    expiresToday: 'expires today',
    daysLeft: '{n} days left',
    elementString: 'GS1 element string',
    counterfeit: 'WARNING: POSSIBLY COUNTERFEIT',
    NOT_ISSUED: 'Its producer never issued this serial number for this lot.',
    LOCKED: 'Its producer has locked this serial number (stolen, destroyed or withdrawn).',
    FLAGGED: 'Warning: this code may have been copied.',
    counterfeitAdvice: 'Do not use the product. Keep the packaging and tell the shop or the market surveillance authority.',
    claimed: 'What the package claims (not verified)',
    checkAuthenticity: 'Check authenticity',
    scratchCode: 'Code under the scratch layer',
    check: 'Check',
    sharePlace: 'Share my area (optional)',
    VERIFIED_FIRST_TIME: '✔ Genuine. This is its first verification.',
    ALREADY_VERIFIED: '⚠ Already verified on {when}{place}.',
    verifiedPlace: ', at {place}',
    WRONG_CODE: '✘ The code does not match.',
    NO_CODE: 'This item has no verification code.',
    UNKNOWN_ITEM: '✘ No such item.',
    TOO_MANY_ATTEMPTS: 'Too many wrong codes; try again later.',
    LOCKED_ITEM: '✘ The producer has locked this item ({reason}).',
    lock_STOLEN: 'stolen',
    lock_DESTROYED: 'destroyed',
    lock_WITHDRAWN: 'withdrawn from sale',
    lock_OTHER: 'another reason',
    reportProblem: 'Report a problem',
  },
  zh: {
    title: '产品溯源',
    recalled: '本产品正在召回',
    recallAdvice: '请勿使用此批次的产品。请联系购买商店了解退货方式。',
    reason: '原因',
    product: '产品',
    producer: '生产者',
    address: '地址',
    traceCode: '追溯码',
    lot: '批号',
    serial: '序列号',
    brand: '品牌',
    produced: '生产日期',
    expiry: '保质期至',
    season: '种植季',
    standards: '执行标准',
    certifications: '认证',
    validUntil: '有效期至',
    expired: '已失效',
    area: '原料产地',
    stages: '产品流程',
    location: '地点',
    none: '暂无信息',
    correction: '更正错误记录',
    erroneous: '记录有误，已更正',
    language: '语言',
    stars: '星',
    origin: '来源',
    notDisclosed: '未公开',
    farm: '农场或生产者',
    harvested: '收获或生产日期',
    level: '层级',
    INPUT: '原料',
    CONTENT: '箱内产品',
    CONTAINER: '运输箱或托盘',
    lotExpired: '已过保质期',
    lotExpiredAdvice: '请勿使用过期产品。',
    nearExpiry: '即将过期',
    expiresToday: '今天到期',
    daysLeft: '还剩 {n} 天',
    elementString: 'GS1 元素串',
    counterfeit: '警告：疑似假冒产品',
    NOT_ISSUED: '生产者从未为此批次发放该序列号。',
    LOCKED: '生产者已锁定该序列号（被盗、销毁或撤出市场）。',
    FLAGGED: '警告：此码可能已被复制。',
    counterfeitAdvice: '请勿使用该产品。请保留包装，并告知商店或市场监管部门。',
    claimed: '包装上的信息（未经核实）',
    checkAuthenticity: '验证真伪',
    scratchCode: '刮开涂层下的验证码',
    check: '验证',
    sharePlace: '分享我的所在区域（可选）',
    VERIFIED_FIRST_TIME: '✔ 正品。这是首次验证。',
    ALREADY_VERIFIED: '⚠ 此码已于 {when} 验证过{place}。',
    verifiedPlace: '，地点：{place}',
    WRONG_CODE: '✘ 验证码不正确。',
    NO_CODE: '此商品没有验证码。',
    UNKNOWN_ITEM: '✘ 未找到该商品。',
    TOO_MANY_ATTEMPTS: '输入错误次数过多，请稍后再试。',
    LOCKED_ITEM: '✘ 生产者已锁定此商品（{reason}）。',
    lock_STOLEN: '被盗',
    lock_DESTROYED: '已销毁',
    lock_WITHDRAWN: '已撤出市场',
    lock_OTHER: '其他原因',
    reportProblem: '报告问题',
  },
  ko: {
    title: '제품 이력 추적',
    recalled: '이 제품은 리콜 중입니다',
    recallAdvice: '이 로트의 제품을 사용하지 마십시오. 반품 방법은 구입한 매장에 문의하십시오.',
    reason: '사유',
    product: '제품',
    producer: '생산자',
    address: '주소',
    traceCode: '이력 코드',
    lot: '로트 번호',
    serial: '일련번호',
    brand: '브랜드',
    produced: '생산일',
    expiry: '소비기한',
    season: '작기',
    standards: '적용 기준',
    certifications: '인증',
    validUntil: '유효기간 ~',
    expired: '효력 만료',
    area: '원료 생산지',
    stages: '제품 이동 경로',
    location: '장소',
    none: '정보 없음',
    correction: '잘못된 기록의 정정',
    erroneous: '잘못된 기록, 정정됨',
    language: '언어',
    stars: '성',
    origin: '원산지',
    notDisclosed: '비공개',
    farm: '농장 또는 생산자',
    harvested: '수확일 또는 생산일',
    level: '단계',
    INPUT: '원료',
    CONTENT: '상자 내 제품',
    CONTAINER: '운송 상자 또는 팔레트',
    lotExpired: '소비기한 경과',
    lotExpiredAdvice: '소비기한이 지난 제품은 사용하지 마십시오.',
    nearExpiry: '소비기한 임박',
    expiresToday: '오늘 만료',
    daysLeft: '{n}일 남음',
    elementString: 'GS1 요소 문자열',
    counterfeit: '경고: 위조품일 수 있습니다',
    NOT_ISSUED: '생산자가 이 로트에 이 일련번호를 발급한 적이 없습니다.',
    LOCKED: '생산자가 이 일련번호를 잠갔습니다(도난, 폐기 또는 판매 중단).',
    FLAGGED: '경고: 이 코드는 복제되었을 수 있습니다.',
    counterfeitAdvice: '제품을 사용하지 마십시오. 포장을 보관하고 매장이나 시장 감독 기관에 알리십시오.',
    claimed: '포장에 표시된 정보(확인되지 않음)',
    checkAuthenticity: '정품 확인',
    scratchCode: '스크래치 아래 코드',
    check: '확인',
    sharePlace: '내 지역 공유(선택)',
    VERIFIED_FIRST_TIME: '✔ 정품입니다. 첫 번째 확인입니다.',
    ALREADY_VERIFIED: '⚠ 이 코드는 {when}에 이미 확인되었습니다{place}.',
    verifiedPlace: ', 장소: {place}',
    WRONG_CODE: '✘ 코드가 일치하지 않습니다.',
    NO_CODE: '이 제품에는 확인 코드가 없습니다.',
    UNKNOWN_ITEM: '✘ 해당 제품을 찾을 수 없습니다.',
    TOO_MANY_ATTEMPTS: '잘못된 코드를 너무 많이 입력했습니다. 나중에 다시 시도하십시오.',
    LOCKED_ITEM: '✘ 생산자가 이 제품을 잠갔습니다({reason}).',
    lock_STOLEN: '도난',
    lock_DESTROYED: '폐기',
    lock_WITHDRAWN: '판매 중단',
    lock_OTHER: '기타 사유',
    reportProblem: '문제 신고',
  },
  ja: {
    title: 'トレーサビリティ',
    recalled: 'この製品はリコール中です',
    recallAdvice: 'このロットの製品は使用しないでください。返品方法は購入店にお問い合わせください。',
    reason: '理由',
    product: '製品',
    producer: '生産者',
    address: '住所',
    traceCode: '追跡コード',
    lot: 'ロット番号',
    serial: 'シリアル番号',
    brand: 'ブランド',
    produced: '製造日',
    expiry: '消費期限',
    season: '作期',
    standards: '適用規格',
    certifications: '認証',
    validUntil: '有効期限',
    expired: '失効',
    area: '原料産地',
    stages: '製品の流れ',
    location: '場所',
    none: '情報なし',
    correction: '誤った記録の訂正',
    erroneous: '誤った記録（訂正済み）',
    language: '言語',
    stars: 'つ星',
    origin: '産地・由来',
    notDisclosed: '非公開',
    farm: '農場・生産者',
    harvested: '収穫日・製造日',
    level: '段階',
    INPUT: '原料',
    CONTENT: 'ケース内の製品',
    CONTAINER: '輸送用ケース・パレット',
    lotExpired: '消費期限切れ',
    lotExpiredAdvice: '期限を過ぎた製品は使用しないでください。',
    nearExpiry: 'まもなく期限切れ',
    expiresToday: '本日が期限',
    daysLeft: '残り{n}日',
    elementString: 'GS1エレメント文字列',
    counterfeit: '警告：偽造品の可能性があります',
    NOT_ISSUED: '生産者はこのロットにこのシリアル番号を発行していません。',
    LOCKED: '生産者がこのシリアル番号をロックしています（盗難・廃棄・販売中止）。',
    FLAGGED: '警告：このコードは複製された可能性があります。',
    counterfeitAdvice: '製品を使用しないでください。包装を保管し、購入店または市場監督当局に連絡してください。',
    claimed: '包装に記載された情報（未確認）',
    checkAuthenticity: '真贋確認',
    scratchCode: 'スクラッチの下のコード',
    check: '確認',
    sharePlace: '地域を共有（任意）',
    VERIFIED_FIRST_TIME: '✔ 正規品です。初めての確認です。',
    ALREADY_VERIFIED: '⚠ このコードは {when} に確認済みです{place}。',
    verifiedPlace: '、場所：{place}',
    WRONG_CODE: '✘ コードが一致しません。',
    NO_CODE: 'この商品には確認コードがありません。',
    UNKNOWN_ITEM: '✘ 該当する商品がありません。',
    TOO_MANY_ATTEMPTS: '誤ったコードの入力が多すぎます。しばらくしてから再度お試しください。',
    LOCKED_ITEM: '✘ 生産者がこの商品をロックしています（{reason}）。',
    lock_STOLEN: '盗難',
    lock_DESTROYED: '廃棄',
    lock_WITHDRAWN: '販売中止',
    lock_OTHER: 'その他の理由',
    reportProblem: '問題を報告',
  },
};

export type PageStrings = Strings;
/** The page's words in `lang` (a tag such as zh-CN reads zh; a language without a page reads Vietnamese). */
export const pageStrings = (lang: string): PageStrings => STRINGS[labelLanguage([lang])];
export const PAGE_LANGUAGES: string[] = [...LABEL_LANGUAGES];

const SEVERITY: Record<string, Label> = {
  CLASS_I: {
    vi: 'mức I — nguy hiểm nghiêm trọng',
    en: 'class I — serious danger',
    zh: 'I 级——严重危险',
    ko: '1등급 — 심각한 위험',
    ja: 'クラスI — 重大な危険',
  },
  CLASS_II: { vi: 'mức II', en: 'class II', zh: 'II 级', ko: '2등급', ja: 'クラスII' },
  CLASS_III: { vi: 'mức III', en: 'class III', zh: 'III 级', ko: '3등급', ja: 'クラスIII' },
};
const severityText = (severity: string, lang: string) => SEVERITY[severity]?.[labelLanguage([lang])] ?? severity;

/** A season as the producer typed it, in the page's language where it is one of the Delta's seasons ("Đông Xuân 2025-2026" → "Winter–Spring 2025–2026"). */
export const pageSeason = (season: string, lang: string) => seasonText(season, labelLanguage([lang]));

export const esc = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Every date and time on the page is shown in the place's time zone — Vietnam's,
 * Asia/Ho_Chi_Minh — in one format per language: dd/mm/yyyy in Vietnamese,
 * yyyy-mm-dd in English, the language's own numeric form (Intl) in Chinese,
 * Korean and Japanese (2026/02/10, 2026. 02. 10.), with the offset spelt out on times. A calendar date (production,
 * expiry) is shown as recorded; an instant (an event, a recall's opening) is
 * converted, so a recall opened at 01:00 on 2 December local time never reads 1 December.
 */
export const PAGE_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** Calendar dates in the page's language; the date is already Vietnam's, so it is formatted at UTC and never shifts a day. */
const CALENDAR = new Map(
  LABEL_LANGUAGES.map((l) => [l, new Intl.DateTimeFormat(localeOf(l), { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' })]),
);

function dateText(y: string, m: string, d: string, lang: string): string {
  const language = labelLanguage([lang]);
  if (language === 'en') return `${y}-${m}-${d}`;
  if (language === 'vi') return `${d}/${m}/${y}`;
  return CALENDAR.get(language)!.format(new Date(Date.UTC(Number(y), Number(m) - 1, Number(d))));
}

const formatDate = (iso: string | null, lang: string) => {
  if (!iso) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) {
    const [y, m, d] = iso.split('-') as [string, string, string];
    return dateText(y, m, d, lang);
  }
  return zoned(iso, lang)?.date ?? iso;
};

const ZONED = new Intl.DateTimeFormat('en-GB', {
  timeZone: PAGE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'longOffset',
});

function zoned(iso: string, lang: string): { date: string; time: string } | null {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return null;
  const part = Object.fromEntries(ZONED.formatToParts(at).map((p) => [p.type, p.value]));
  const offset = String(part.timeZoneName ?? 'GMT').replace('GMT', '') || '+00:00';
  return { date: dateText(part.year!, part.month!, part.day!, lang), time: `${part.hour}:${part.minute} (UTC${offset})` };
}

/** An instant in the page's time zone, date then time. */
export const formatTime = (iso: string, lang: string) => {
  const z = zoned(iso, lang);
  return z ? `${z.date} ${z.time}` : iso;
};

/*
 * Narrow phones (320–430 px) never scroll sideways: long words (GLNs, URIs, SGLNs) wrap anywhere,
 * the header wraps, and label/value grids stack below 30rem.
 */
export const CSS = `*{box-sizing:border-box}html,body{overflow-wrap:anywhere}body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#17261a;background:#f6f8f4}
main{max-width:40rem;margin:0 auto;padding:0 .75rem 2rem}header{background:#1f6f43;color:#fff;padding:.6rem .75rem;display:flex;flex-wrap:wrap;gap:.25rem;justify-content:space-between;align-items:center}
header a{color:#fff;margin-left:.5rem}h1{font-size:1.35rem;margin:.8rem 0 .2rem}h2{font-size:1.05rem;margin:1.2rem 0 .4rem;color:#1f6f43}h3{font-size:1rem;margin:0 0 .3rem}
.recall,.alarm{background:#b00020;color:#fff;padding:.9rem;border-radius:.5rem;margin:.75rem 0}.recall strong,.alarm strong{font-size:1.15rem;display:block}
.near{background:#fff3cd;color:#5c4400;border:2px solid #d99a00;padding:.7rem;border-radius:.5rem;margin:.75rem 0}.near strong{display:block}
.card{background:#fff;border-radius:.5rem;padding:.75rem;box-shadow:0 1px 2px #0001}dl{display:grid;grid-template-columns:auto minmax(0,1fr);gap:.2rem .75rem;margin:0}dt{color:#506052}dd{margin:0;font-weight:600;min-width:0}
.code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.88rem;font-weight:600}
img{max-width:100%;height:auto;border-radius:.5rem;background:#e7ece4}ol,ul{padding-left:1.1rem}ol{list-style:none;padding:0;margin:0}li.stage{border-left:3px solid #1f6f43;padding:.1rem 0 .6rem .7rem;margin-left:.3rem}
li.origin-stage{background:#fff;border-radius:.5rem;padding:.75rem;margin:0 0 .6rem;box-shadow:0 1px 2px #0001;border-left:4px solid #1f6f43}li.origin-stage.undisclosed{border-left-color:#8a948b;color:#506052}
ol.steps{margin-top:.4rem}ol.steps li{border-left:2px solid #c9d6c6;padding:0 0 .35rem .6rem;font-size:.93rem}
.muted{color:#506052;font-size:.9rem}.bad{color:#b00020;font-weight:700}.ok{color:#1f6f43}
@media (max-width:30rem){dl{grid-template-columns:minmax(0,1fr);gap:0}dt{margin-top:.4rem}}`;

type Row = (label: string, value: string | null | undefined) => string;

const rowOf =
  (t: Strings): Row =>
  (label, value) =>
    `<dt>${esc(label)}</dt><dd>${value ? esc(value) : `<span class="muted">${esc(t.none)}</span>`}</dd>`;

/** A row whose value is already HTML (escaped by the caller). */
const htmlRow = (label: string, html: string) => `<dt>${esc(label)}</dt><dd>${html}</dd>`;

const certificateText = (c: { scheme: string; valid: boolean; validTo: string | null }, t: Strings, lang: string) =>
  `${esc(c.scheme)}${c.validTo ? ` (${esc(t.validUntil)} ${esc(formatDate(c.validTo, lang))})` : ''} ${c.valid ? '<span class="ok">✔</span>' : `<span class="bad">${esc(t.expired)}</span>`}`;

const glnText = (gln: string | null | undefined) => (gln ? ` <span class="muted code">GLN ${esc(gln)}</span>` : '');

/** Step marks: the erroneous original and its correction, each for what it is. */
const marks = (s: { corrected?: boolean; erroneous?: boolean }, t: Strings) =>
  `${s.erroneous ? ` <span class="bad erroneous">(${esc(t.erroneous)})</span>` : ''}${s.corrected ? ` <span class="muted correction">(${esc(t.correction)})</span>` : ''}`;

function originStage(stage: OriginStageView, t: Strings, lang: string): string {
  const heading = `<h3>${esc(t[stage.relation as 'INPUT'] ?? stage.relation)} <span class="muted">· ${esc(t.level)} ${esc(stage.depth)}</span></h3>`;
  const attrs = `data-depth="${esc(stage.depth)}" data-relation="${esc(stage.relation)}"`;
  if (!stage.disclosed) return `<li class="origin-stage undisclosed" ${attrs}>${heading}<p class="not-disclosed">${esc(t.notDisclosed)}</p></li>`;
  const row = rowOf(t);
  const area = stage.area
    ? `<span class="area-name">${esc(stage.area.name)}</span>${stage.area.commune ? `, <span class="commune">${esc(stage.area.commune)}</span>` : ''}${
        stage.area.hectares ? `, ${esc(stage.area.hectares)} ha` : ''
      }${stage.area.certifications.length ? `<br>${stage.area.certifications.map((c) => certificateText(c, t, lang)).join('<br>')}` : ''}`
    : null;
  const steps = stage.steps
    .map(
      (s) =>
        `<li><strong>${esc(s.label)}</strong>${marks(s, t)}<br><span class="muted">${esc(formatTime(s.time, lang))}</span>${
          s.organization ? `<br>${esc(s.organization)}${glnText(s.gln)}` : ''
        }</li>`,
    )
    .join('');
  const lotText = stage.lotCode ? `${esc(t.lot)} ${esc(stage.lotCode)}` : '';
  return `<li class="origin-stage" ${attrs}>${heading}<p>${
    stage.product
      ? `<strong class="stage-product">${esc(stage.product)}</strong>${lotText ? ` <span class="muted">· ${lotText}</span>` : ''}`
      : `<strong>${lotText}</strong>`
  }</p><dl>${htmlRow(t.farm, stage.producer ? `<span class="producer-name">${esc(stage.producer.name)}</span>${glnText(stage.producer.gln)}` : `<span class="muted">${esc(t.none)}</span>`)}${
    area ? htmlRow(t.area, area) : ''
  }${stage.season ? row(t.season, pageSeason(stage.season, lang)) : ''}${stage.producedOn ? row(t.harvested, formatDate(stage.producedOn, lang)) : ''}</dl>${
    steps ? `<ol class="steps">${steps}</ol>` : ''
  }</li>`;
}

/** The lot's origin, nearest first; the section is left out when nothing is upstream. */
function originSection(view: ProvenanceView, t: Strings): string {
  if (!view.origin.length) return '';
  const stages = [...view.origin].sort((a, b) => a.depth - b.depth);
  return `<h2 id="origin-heading">${esc(t.origin)}</h2><ol id="origin">${stages.map((s) => originStage(s, t, view.lang)).join('')}</ol>`;
}

function expiryBanner(view: ProvenanceView, t: Strings, now: Date): string {
  const state = expiryState(view.lot.expiresOn, now);
  if (!state) return '';
  const date = esc(formatDate(view.lot.expiresOn, view.lang));
  if (state.kind === 'expired')
    return `<section class="alarm" role="alert" id="expiry" data-expiry="expired"><strong>⚠ ${esc(t.lotExpired)}</strong>${esc(t.expiry)}: ${date}. ${esc(t.lotExpiredAdvice)}</section>`;
  const left = state.days === 0 ? t.expiresToday : t.daysLeft.replace('{n}', String(state.days));
  return `<section class="near" id="expiry" data-expiry="near"><strong>${esc(t.nearExpiry)}</strong>${esc(t.expiry)}: ${date} (${esc(left)})</section>`;
}

function flaggedBanner(view: ProvenanceView, t: Strings): string {
  if (view.item?.state !== 'FLAGGED') return '';
  return `<section class="near" role="alert" id="item-flagged"><strong>⚠ ${esc(t.FLAGGED)}</strong>${view.item.reason ? esc(view.item.reason) : ''}</section>`;
}

const traceCodeHtml = (code: TraceCode) => `<span class="code" id="trace-code">${esc(code.uri)}</span>`;

function shell(view: Pick<ProvenanceView, 'lang' | 'languages' | 'uri'>, t: Strings, title: string, body: string): string {
  const langLinks = view.languages
    .filter((l) => l !== view.lang)
    .map((l) => `<a href="?lang=${esc(l)}" hreflang="${esc(l)}" lang="${esc(l)}" title="${esc(LANGUAGE_NAMES.get(l) ?? l)}">${esc(l.toUpperCase())}</a>`)
    .join('');
  return `<!doctype html><html lang="${esc(view.lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} — ${esc(t.title)}</title><link rel="canonical" href="${esc(view.uri)}"><style>${CSS}</style></head><body>
<header><span>Nguồn · ${esc(t.title)}</span><nav aria-label="${esc(t.language)}">${langLinks}</nav></header><main>
${body}
</main></body></html>`;
}

/**
 * The page for a serial its producer never issued or has locked: a warning in place of the
 * provenance, so nothing on the package is shown as verified — only what it claims, marked so.
 * The graph's reason in words (Lot.item.reason) is shown where it gives one, else the state's own.
 */
export function renderCounterfeitPage(view: ProvenanceView): string {
  const t = pageStrings(view.lang);
  const state = view.item?.state ?? 'NOT_ISSUED';
  const row = rowOf(t);
  const body = `<section class="alarm" role="alert" id="counterfeit" data-state="${esc(state)}"><strong>⚠ ${esc(t.counterfeit)}</strong>${esc(view.item?.reason || t[state as 'NOT_ISSUED'] || state)}<br>${esc(t.counterfeitAdvice)}</section>
<h2>${esc(t.claimed)}</h2><section class="card"><dl>
${row(t.product, view.product.name)}${row(t.lot, view.lot.lotCode)}${view.lot.serial ? row(t.serial, view.lot.serial) : ''}${htmlRow(t.traceCode, traceCodeHtml(view.traceCode))}
</dl></section>`;
  return shell(view, t, t.counterfeit, body);
}

/** What the product page shows: the product alone, for a GTIN with no lot published here. */
export type ProductView = Pick<ProvenanceView, 'lang' | 'languages' | 'uri' | 'product' | 'producer'>;

/**
 * The product page: the GS1 default link of a GTIN, and where a lot not published here
 * resolves (the resolver walks up to the GTIN), so it claims nothing about any lot.
 */
export function renderProductPage(view: ProductView): string {
  const t = pageStrings(view.lang);
  const row = rowOf(t);
  const certs = view.product.certifications
    .map(
      (c) =>
        `<li>${esc(c.scheme)} — ${esc(c.issuer)}, ${esc(c.number)}; ${esc(t.validUntil)} ${esc(formatDate(c.validTo, view.lang))} ${
          c.valid ? '<span class="ok">✔</span>' : `<span class="bad">${esc(t.expired)}</span>`
        }</li>`,
    )
    .join('');
  const body = `<h1 id="product-name"${view.product.nameLang && view.product.nameLang !== view.lang ? ` lang="${esc(view.product.nameLang)}"` : ''}>${esc(view.product.name)}</h1>
${view.product.image ? `<img id="product-image" src="${esc(view.product.image.url)}" alt="${esc(view.product.image.alt)}" loading="lazy" decoding="async" width="640" height="480">` : ''}
<section class="card"><dl>
${row(t.producer, view.producer.name)}${row(t.address, view.producer.address)}${row(t.brand, view.product.brand)}${row(t.standards, view.product.standards.join(', ') || null)}
</dl></section>
${view.product.description ? `<p>${esc(view.product.description)}</p>` : ''}
<h2>${esc(t.certifications)}</h2>${certs ? `<ul id="certifications">${certs}</ul>` : `<p class="muted">${esc(t.none)}</p>`}
<p class="muted">GTIN <span class="code">${esc(view.product.gtin)}</span>${view.producer.gln ? ` · GLN <span class="code">${esc(view.producer.gln)}</span>` : ''}</p>`;
  return shell(view, t, view.product.name, body);
}

/** The page for a link: the counterfeit warning for an unissued or locked serial, else the provenance. */
export function renderPage(view: ProvenanceView, now = new Date()): string {
  return view.item && COUNTERFEIT_STATES.has(view.item.state) ? renderCounterfeitPage(view) : renderProvenancePage(view, now);
}

export function renderProvenancePage(view: ProvenanceView, now = new Date()): string {
  const t = pageStrings(view.lang);
  const row = rowOf(t);
  const recall = view.recall
    ? `<section class="recall" role="alert" id="recall"><strong>⚠ ${esc(t.recalled)}</strong>${esc(t.recallAdvice)}<br>${esc(t.reason)}: ${esc(view.recall.reason)} (${esc(severityText(view.recall.severity, view.lang))}, ${esc(formatDate(view.recall.openedAt, view.lang))})</section>`
    : '';
  const certs = view.product.certifications
    .map(
      (c) =>
        `<li>${esc(c.scheme)}${c.stars ? ` ${c.stars} ${esc(t.stars)}` : ''} — ${esc(c.issuer)}, ${esc(c.number)}; ${esc(t.validUntil)} ${esc(formatDate(c.validTo, view.lang))} ${
          c.valid ? '<span class="ok">✔</span>' : `<span class="bad">${esc(t.expired)}</span>`
        }</li>`,
    )
    .join('');
  const stages = view.stages
    .map(
      (s) =>
        `<li class="stage"><strong>${esc(s.label)}</strong>${marks(s, t)}<br><span class="muted">${esc(formatTime(s.time, view.lang))}</span><br>${esc(t.location)}: ${esc(s.location ?? t.none)}${
          s.locationCode ? ` <span class="muted code">(${esc(s.locationCode)})</span>` : ''
        }<br><span class="muted">${esc(t.traceCode)}: <span class="code">${esc(s.traceCode)}</span></span></li>`,
    )
    .join('');
  const area = view.area
    ? `<h2>${esc(t.area)}</h2><p id="area">${esc(view.area.name)} (${esc(view.area.code)})${view.area.commune ? `, ${esc(view.area.commune)}` : ''}${
        view.area.hectares ? `, ${esc(view.area.hectares)} ha` : ''
      }${view.area.crop ? `, ${esc(view.area.crop)}` : ''}</p>`
    : '';
  const body = `${recall}${expiryBanner(view, t, now)}${flaggedBanner(view, t)}
<h1 id="product-name"${view.product.nameLang && view.product.nameLang !== view.lang ? ` lang="${esc(view.product.nameLang)}"` : ''}>${esc(view.product.name)}</h1>
${view.product.image ? `<img id="product-image" src="${esc(view.product.image.url)}" alt="${esc(view.product.image.alt)}" loading="lazy" decoding="async" width="640" height="480">` : ''}
<section class="card"><dl>
${row(t.producer, view.producer.name)}${row(t.address, view.producer.address)}${htmlRow(t.traceCode, traceCodeHtml(view.traceCode))}${htmlRow(t.elementString, `<span class="code" id="element-string">${esc(view.traceCode.elementString)}</span>`)}${row(t.lot, view.lot.lotCode)}
${view.lot.serial ? row(t.serial, view.lot.serial) : ''}${row(t.brand, view.product.brand)}${row(t.produced, formatDate(view.lot.producedOn, view.lang))}
${row(t.expiry, formatDate(view.lot.expiresOn, view.lang))}${view.lot.season ? row(t.season, pageSeason(view.lot.season, view.lang)) : ''}${row(t.standards, view.product.standards.join(', ') || null)}
</dl></section>
${view.product.description ? `<p>${esc(view.product.description)}</p>` : ''}
<h2>${esc(t.certifications)}</h2>${certs ? `<ul id="certifications">${certs}</ul>` : `<p class="muted">${esc(t.none)}</p>`}
${area}
<h2>${esc(t.stages)}</h2>${stages ? `<ol id="timeline">${stages}</ol>` : `<p class="muted">${esc(t.none)}</p>`}
${originSection(view, t)}
<p class="muted">GTIN <span class="code">${esc(view.product.gtin)}</span>${view.producer.gln ? ` · GLN <span class="code">${esc(view.producer.gln)}</span>` : ''}</p>`;
  return shell(view, t, view.product.name, body);
}
