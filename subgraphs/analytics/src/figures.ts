import { labelLanguage, type Label } from '@nguon/shared/languages';
import type { Measure } from './query';

/**
 * What each figure counts, in words, for the `basis` every aggregate measure
 * and dashboard figure carries (docs/statistics.md says the same at length).
 * In every enabled language (shared languages.ts): a language left out does
 * not compile, and one without sentences (fr) reads Vietnamese, as labels do.
 */
export type Figure = Measure | 'SEASONALITY' | 'DISTRICTS_WITHOUT_TRACEABLE_PRODUCTS' | 'CERTIFICATE_EXPIRIES';

const COUNTS: Record<Figure, Label> = {
  LOT_COUNT: {
    vi: 'Số lô đã đăng ký, mỗi lô một lần, theo tháng sản xuất.',
    en: 'Lots registered, each once, by production month.',
    zh: '已登记的批次数，每批次只计一次，按生产月份。',
    ko: '등록된 로트 수(로트마다 한 번, 생산 월 기준).',
    ja: '登録されたロット数（各ロット1回、生産月別）。',
  },
  PRODUCTION_VOLUME: {
    vi: 'Sản lượng sơ cấp: lô thu hoạch hoặc đăng ký lần đầu (không có lô đầu vào), mỗi kg một lần; không cộng lô chế biến hay lô gộp.',
    en: 'Primary production: harvested or first-registered lots (no upstream lot), each kilogram once; processed and aggregated lots are not added.',
    zh: '初级产量：收获或首次登记的批次（无上游批次），每千克只计一次；不计加工批次和合并批次。',
    ko: '1차 생산량: 수확했거나 처음 등록한 로트(상위 로트 없음), 1 kg당 한 번; 가공 로트와 병합 로트는 더하지 않습니다.',
    ja: '一次生産量：収穫または初回登録のロット（上流ロットなし）、1 kgにつき1回；加工ロットと統合ロットは加算しません。',
  },
  PROCESSED_OUTPUT: {
    vi: 'Sản lượng chế biến theo công đoạn (bizStep của sự kiện chuyển đổi), tách riêng khỏi sản lượng sơ cấp.',
    en: 'Processed output per stage (bizStep of the transformation that made the lots), reported apart from primary production.',
    zh: '按工序（生成该批次的转换事件的 bizStep）统计的加工产量，与初级产量分开报告。',
    ko: '공정별 가공 생산량(로트를 만든 변환 이벤트의 bizStep), 1차 생산량과 따로 집계합니다.',
    ja: '工程別の加工生産量（ロットを生んだ変換イベントの bizStep）、一次生産量とは別に集計します。',
  },
  PROCESSING_YIELD: {
    vi: 'Hiệu suất chế biến: lượng đầu ra chia lượng đầu vào của các sự kiện chuyển đổi, cùng một đơn vị.',
    en: 'Processing yield: output over input quantity of the transformations, both in one canonical unit.',
    zh: '加工得率：转换事件的产出量除以投入量，二者使用同一标准单位。',
    ko: '가공 수율: 변환 이벤트의 산출량을 투입량으로 나눈 값(같은 표준 단위).',
    ja: '加工歩留まり：変換イベントの産出量を投入量で割った値（同じ標準単位）。',
  },
  SHIPPED_QUANTITY: {
    vi: 'Lượng xuất đi theo sự kiện shipping, tính cho đơn vị gửi; mỗi chặng một lần.',
    en: 'Quantity dispatched by shipping events, for the organization that shipped; each hop once.',
    zh: '按发货（shipping）事件统计的发出量，计入发货单位；每段运输只计一次。',
    ko: '출하(shipping) 이벤트 기준 출고량, 출하한 조직에 집계; 구간마다 한 번.',
    ja: '出荷（shipping）イベントによる出荷量、出荷した組織に計上；各区間1回。',
  },
  SOLD_QUANTITY: {
    vi: 'Lượng bán lẻ theo sự kiện retail_selling đã ghi nhận.',
    en: 'Quantity sold at retail, from recorded retail_selling events.',
    zh: '根据已记录的零售（retail_selling）事件统计的零售量。',
    ko: '기록된 소매 판매(retail_selling) 이벤트 기준 판매량.',
    ja: '記録された小売（retail_selling）イベントによる販売量。',
  },
  PRODUCT_COUNT: {
    vi: 'Số sản phẩm có sản xuất.',
    en: 'Distinct products with production.',
    zh: '有生产记录的产品数（不重复）。',
    ko: '생산 기록이 있는 제품 수(중복 제외).',
    ja: '生産のある製品数（重複なし）。',
  },
  PRODUCER_COUNT: {
    vi: 'Số cơ sở có sản xuất.',
    en: 'Distinct producers, businesses or stores with production.',
    zh: '有生产记录的生产者、企业或门店数（不重复）。',
    ko: '생산 기록이 있는 생산자·업체·상점 수(중복 제외).',
    ja: '生産のある生産者・事業者・店舗数（重複なし）。',
  },
  RECALLED_LOT_COUNT: {
    vi: 'Số lô hiện đang bị thu hồi.',
    en: 'Lots currently recalled.',
    zh: '当前正在召回的批次数。',
    ko: '현재 회수 중인 로트 수.',
    ja: '現在回収中のロット数。',
  },
  EVENT_COUNT: {
    vi: 'Số sự kiện truy xuất (EPCIS) đã ghi, theo tháng sự kiện.',
    en: 'Traceability (EPCIS) events captured, by event month.',
    zh: '已记录的追溯（EPCIS）事件数，按事件月份。',
    ko: '기록된 이력추적(EPCIS) 이벤트 수, 이벤트 월 기준.',
    ja: '記録されたトレーサビリティ（EPCIS）イベント数、イベント月別。',
  },
  SCAN_COUNT: {
    vi: 'Số lượt quét QR của người tiêu dùng.',
    en: 'Consumer QR scans.',
    zh: '消费者扫描二维码的次数。',
    ko: '소비자 QR 코드 스캔 횟수.',
    ja: '消費者によるQRコードのスキャン回数。',
  },
  RECALL_COUNT: {
    vi: 'Số đợt thu hồi, theo tháng mở.',
    en: 'Recalls, by the month they opened.',
    zh: '召回次数，按启动召回的月份。',
    ko: '회수 건수, 회수를 시작한 월 기준.',
    ja: '回収件数、回収を開始した月別。',
  },
  RECALL_HOURS_TO_IDENTIFY: {
    vi: 'Trung vị số giờ từ khi mở thu hồi đến khi ghi nhận lô bị thu hồi.',
    en: 'Median hours from opening a recall to recording its lots as recalled.',
    zh: '从启动召回到将其批次记录为召回状态所需小时数的中位数。',
    ko: '회수 시작부터 해당 로트를 회수로 기록하기까지 걸린 시간의 중앙값.',
    ja: '回収開始からそのロットを回収済みと記録するまでの時間（中央値）。',
  },
  RECALL_RECOVERED_SHARE: {
    vi: 'Tỷ lệ lượng thu hồi được trên lượng đang giữ.',
    en: 'Share of the held quantity recovered.',
    zh: '已追回量占持有量的比例。',
    ko: '보유량 중 회수된 양의 비율.',
    ja: '保有量のうち回収できた量の割合。',
  },
  SEASONALITY: {
    vi: 'Sản lượng sơ cấp của sản phẩm đã công bố, theo tháng và mùa vụ, mọi năm cộng lại.',
    en: "A published product's primary production by month and season, all years together.",
    zh: '已发布产品的初级产量，按月份和农季，各年合计。',
    ko: '공개된 제품의 1차 생산량, 월·작기별, 모든 연도 합계.',
    ja: '公開製品の一次生産量、月・作期別、全年の合計。',
  },
  DISTRICTS_WITHOUT_TRACEABLE_PRODUCTS: {
    vi: 'Quận/huyện chưa có sản phẩm đã công bố nào có lô được ghi nhận.',
    en: 'Districts where no published product has a recorded lot.',
    zh: '尚无任何已发布产品有已记录批次的郡/县。',
    ko: '공개된 제품의 로트가 하나도 기록되지 않은 군·현.',
    ja: '公開製品のロットがまだ一つも記録されていない郡・県。',
  },
  CERTIFICATE_EXPIRIES: {
    vi: 'Chứng nhận của sản phẩm đã công bố hết hạn trong khoảng thời gian.',
    en: 'Certificates of published products whose last valid day falls in the window.',
    zh: '已发布产品的证书中，最后有效日落在该时间段内的证书。',
    ko: '공개된 제품의 인증서 중 유효 기간 마지막 날이 이 기간에 속하는 인증서.',
    ja: '公開製品の認証のうち、有効期限の最終日がこの期間内にあるもの。',
  },
};

export interface FigureBasisModel {
  figure: Figure;
  counts: string;
  period: { from: string | null; to: string | null };
  asOf: Date;
}

export function figureBasis(figure: Figure, lang: string, period: FigureBasisModel['period'], asOf: Date): FigureBasisModel {
  return { figure, counts: COUNTS[figure][labelLanguage([lang])], period, asOf };
}
