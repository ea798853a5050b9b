import type { Measure } from './query';

/**
 * What each figure counts, in words, for the `basis` every aggregate measure
 * and dashboard figure carries (docs/statistics.md says the same at length).
 * Vietnamese for vi, English for every other language: these sentences are
 * documentation, and English is the fallback the product text uses too.
 */
export type Figure = Measure | 'SEASONALITY' | 'DISTRICTS_WITHOUT_TRACEABLE_PRODUCTS' | 'CERTIFICATE_EXPIRIES';

const COUNTS: Record<Figure, { vi: string; en: string }> = {
  LOT_COUNT: { vi: 'Số lô đã đăng ký, mỗi lô một lần, theo tháng sản xuất.', en: 'Lots registered, each once, by production month.' },
  PRODUCTION_VOLUME: {
    vi: 'Sản lượng sơ cấp: lô thu hoạch hoặc đăng ký lần đầu (không có lô đầu vào), mỗi kg một lần; không cộng lô chế biến hay lô gộp.',
    en: 'Primary production: harvested or first-registered lots (no upstream lot), each kilogram once; processed and aggregated lots are not added.',
  },
  PROCESSED_OUTPUT: {
    vi: 'Sản lượng chế biến theo công đoạn (bizStep của sự kiện chuyển đổi), tách riêng khỏi sản lượng sơ cấp.',
    en: 'Processed output per stage (bizStep of the transformation that made the lots), reported apart from primary production.',
  },
  PROCESSING_YIELD: {
    vi: 'Hiệu suất chế biến: lượng đầu ra chia lượng đầu vào của các sự kiện chuyển đổi, cùng một đơn vị.',
    en: 'Processing yield: output over input quantity of the transformations, both in one canonical unit.',
  },
  SHIPPED_QUANTITY: {
    vi: 'Lượng xuất đi theo sự kiện shipping, tính cho đơn vị gửi; mỗi chặng một lần.',
    en: 'Quantity dispatched by shipping events, for the organization that shipped; each hop once.',
  },
  SOLD_QUANTITY: { vi: 'Lượng bán lẻ theo sự kiện retail_selling đã ghi nhận.', en: 'Quantity sold at retail, from recorded retail_selling events.' },
  PRODUCT_COUNT: { vi: 'Số sản phẩm có sản xuất.', en: 'Distinct products with production.' },
  PRODUCER_COUNT: { vi: 'Số cơ sở có sản xuất.', en: 'Distinct producers, businesses or stores with production.' },
  RECALLED_LOT_COUNT: { vi: 'Số lô hiện đang bị thu hồi.', en: 'Lots currently recalled.' },
  EVENT_COUNT: { vi: 'Số sự kiện truy xuất (EPCIS) đã ghi, theo tháng sự kiện.', en: 'Traceability (EPCIS) events captured, by event month.' },
  SCAN_COUNT: { vi: 'Số lượt quét QR của người tiêu dùng.', en: 'Consumer QR scans.' },
  RECALL_COUNT: { vi: 'Số đợt thu hồi, theo tháng mở.', en: 'Recalls, by the month they opened.' },
  RECALL_HOURS_TO_IDENTIFY: {
    vi: 'Trung vị số giờ từ khi mở thu hồi đến khi ghi nhận lô bị thu hồi.',
    en: 'Median hours from opening a recall to recording its lots as recalled.',
  },
  RECALL_RECOVERED_SHARE: { vi: 'Tỷ lệ lượng thu hồi được trên lượng đang giữ.', en: 'Share of the held quantity recovered.' },
  SEASONALITY: {
    vi: 'Sản lượng sơ cấp của sản phẩm đã công bố, theo tháng và mùa vụ, mọi năm cộng lại.',
    en: "A published product's primary production by month and season, all years together.",
  },
  DISTRICTS_WITHOUT_TRACEABLE_PRODUCTS: {
    vi: 'Quận/huyện chưa có sản phẩm đã công bố nào có lô được ghi nhận.',
    en: 'Districts where no published product has a recorded lot.',
  },
  CERTIFICATE_EXPIRIES: {
    vi: 'Chứng nhận của sản phẩm đã công bố hết hạn trong khoảng thời gian.',
    en: 'Certificates of published products whose last valid day falls in the window.',
  },
};

export interface FigureBasisModel {
  figure: Figure;
  counts: string;
  period: { from: string | null; to: string | null };
  asOf: Date;
}

export function figureBasis(figure: Figure, lang: string, period: FigureBasisModel['period'], asOf: Date): FigureBasisModel {
  const words = COUNTS[figure];
  return { figure, counts: lang.toLowerCase().startsWith('vi') ? words.vi : words.en, period, asOf };
}
