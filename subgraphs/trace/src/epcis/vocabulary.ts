/**
 * GS1 CBV 2.0 vocabularies (Core Business Vocabulary, §7.2 BizStep and §7.3
 * Disposition) with Vietnamese and English labels for consumer timelines.
 * Input may be a bare word (`shipping`), the Web URI
 * (`https://ref.gs1.org/cbv/BizStep-shipping`) or the CBV 1.x URN
 * (`urn:epcglobal:cbv:bizstep:shipping`); we store the bare word.
 */
type Labels = Record<string, { vi: string; en: string }>;

export const BIZ_STEPS: Labels = {
  accepting: { vi: 'Tiếp nhận', en: 'Accepting' },
  arriving: { vi: 'Đến nơi', en: 'Arriving' },
  assembling: { vi: 'Lắp ráp', en: 'Assembling' },
  collecting: { vi: 'Thu gom', en: 'Collecting' },
  commissioning: { vi: 'Khởi tạo lô', en: 'Commissioning' },
  consigning: { vi: 'Ký gửi', en: 'Consigning' },
  creating_class_instance: { vi: 'Tạo lô sản phẩm', en: 'Creating class instance' },
  cycle_counting: { vi: 'Kiểm đếm định kỳ', en: 'Cycle counting' },
  decommissioning: { vi: 'Hủy mã', en: 'Decommissioning' },
  departing: { vi: 'Rời đi', en: 'Departing' },
  destroying: { vi: 'Tiêu hủy', en: 'Destroying' },
  disassembling: { vi: 'Tháo rời', en: 'Disassembling' },
  dispensing: { vi: 'Cấp phát', en: 'Dispensing' },
  encoding: { vi: 'Mã hóa', en: 'Encoding' },
  entering_exiting: { vi: 'Ra vào', en: 'Entering or exiting' },
  holding: { vi: 'Tạm giữ', en: 'Holding' },
  inspecting: { vi: 'Kiểm tra', en: 'Inspecting' },
  installing: { vi: 'Lắp đặt', en: 'Installing' },
  killing: { vi: 'Giết mổ', en: 'Killing' },
  loading: { vi: 'Bốc xếp lên', en: 'Loading' },
  other: { vi: 'Khác', en: 'Other' },
  packing: { vi: 'Đóng gói', en: 'Packing' },
  picking: { vi: 'Lấy hàng', en: 'Picking' },
  receiving: { vi: 'Nhận hàng', en: 'Receiving' },
  removing: { vi: 'Gỡ bỏ', en: 'Removing' },
  repackaging: { vi: 'Đóng gói lại', en: 'Repackaging' },
  repairing: { vi: 'Sửa chữa', en: 'Repairing' },
  replacing: { vi: 'Thay thế', en: 'Replacing' },
  reserving: { vi: 'Đặt trước', en: 'Reserving' },
  retail_selling: { vi: 'Bán lẻ', en: 'Retail selling' },
  sampling: { vi: 'Lấy mẫu', en: 'Sampling' },
  sensor_reporting: { vi: 'Ghi nhận cảm biến', en: 'Sensor reporting' },
  shipping: { vi: 'Xuất hàng', en: 'Shipping' },
  staging_outbound: { vi: 'Chuẩn bị xuất', en: 'Staging outbound' },
  stock_taking: { vi: 'Kiểm kê', en: 'Stock taking' },
  stocking: { vi: 'Lên kệ', en: 'Stocking' },
  storing: { vi: 'Lưu kho', en: 'Storing' },
  transporting: { vi: 'Vận chuyển', en: 'Transporting' },
  unloading: { vi: 'Dỡ hàng', en: 'Unloading' },
  unpacking: { vi: 'Mở gói', en: 'Unpacking' },
  void_shipping: { vi: 'Hủy xuất hàng', en: 'Void shipping' },
};

/**
 * Agricultural steps the Can Tho portal names that CBV 2.0 folds into
 * `commissioning` (harvest) and TransformationEvent (milling). Accepted so
 * producers can say what they did; they have no ref.gs1.org URI.
 */
export const LOCAL_BIZ_STEPS: Labels = {
  harvesting: { vi: 'Thu hoạch', en: 'Harvesting' },
  transforming: { vi: 'Chế biến', en: 'Transforming' },
};

export const DISPOSITIONS: Labels = {
  active: { vi: 'Đang lưu hành', en: 'Active' },
  available: { vi: 'Sẵn có', en: 'Available' },
  completeness_inferred: { vi: 'Đầy đủ (suy luận)', en: 'Completeness inferred' },
  completeness_verified: { vi: 'Đầy đủ (đã xác minh)', en: 'Completeness verified' },
  conformant: { vi: 'Đạt yêu cầu', en: 'Conformant' },
  container_closed: { vi: 'Đã đóng thùng', en: 'Container closed' },
  container_open: { vi: 'Thùng mở', en: 'Container open' },
  damaged: { vi: 'Hư hỏng', en: 'Damaged' },
  destroyed: { vi: 'Đã tiêu hủy', en: 'Destroyed' },
  dispensed: { vi: 'Đã cấp phát', en: 'Dispensed' },
  disposed: { vi: 'Đã thải bỏ', en: 'Disposed' },
  encoded: { vi: 'Đã mã hóa', en: 'Encoded' },
  expired: { vi: 'Hết hạn', en: 'Expired' },
  in_progress: { vi: 'Đang xử lý', en: 'In progress' },
  in_transit: { vi: 'Đang vận chuyển', en: 'In transit' },
  inactive: { vi: 'Chưa lưu hành', en: 'Inactive' },
  mismatch_instance: { vi: 'Sai lệch cá thể', en: 'Instance mismatch' },
  mismatch_class: { vi: 'Sai lệch chủng loại', en: 'Class mismatch' },
  mismatch_quantity: { vi: 'Sai lệch số lượng', en: 'Quantity mismatch' },
  needs_replacement: { vi: 'Cần thay thế', en: 'Needs replacement' },
  no_pedigree_match: { vi: 'Không khớp hồ sơ', en: 'No pedigree match' },
  non_conformant: { vi: 'Không đạt yêu cầu', en: 'Non-conformant' },
  non_sellable_other: { vi: 'Không được bán', en: 'Not sellable' },
  partially_dispensed: { vi: 'Cấp phát một phần', en: 'Partially dispensed' },
  recalled: { vi: 'Đã thu hồi', en: 'Recalled' },
  reserved: { vi: 'Đã đặt trước', en: 'Reserved' },
  retail_sold: { vi: 'Đã bán lẻ', en: 'Sold at retail' },
  returned: { vi: 'Bị trả lại', en: 'Returned' },
  sellable_accessible: { vi: 'Đang bày bán', en: 'Sellable, accessible' },
  sellable_not_accessible: { vi: 'Có thể bán, chưa bày', en: 'Sellable, not accessible' },
  stolen: { vi: 'Bị mất cắp', en: 'Stolen' },
  unavailable: { vi: 'Không sẵn có', en: 'Unavailable' },
  unknown: { vi: 'Không rõ', en: 'Unknown' },
};

const ALL_STEPS: Labels = { ...BIZ_STEPS, ...LOCAL_BIZ_STEPS };

function bareWord(value: string, webPrefix: string, urnPrefix: string): string {
  const v = value.trim();
  if (v.startsWith(webPrefix)) return v.slice(webPrefix.length);
  if (v.toLowerCase().startsWith(urnPrefix)) return v.slice(urnPrefix.length);
  return v;
}

/** The stored bare word, or null when the value is not in the vocabulary. */
export function normalizeBizStep(value: string): string | null {
  const word = bareWord(value, 'https://ref.gs1.org/cbv/BizStep-', 'urn:epcglobal:cbv:bizstep:');
  return Object.hasOwn(ALL_STEPS, word) ? word : null;
}

export function normalizeDisposition(value: string): string | null {
  const word = bareWord(value, 'https://ref.gs1.org/cbv/Disp-', 'urn:epcglobal:cbv:disp:');
  return Object.hasOwn(DISPOSITIONS, word) ? word : null;
}

/** The label in the wanted language (vi or en; anything else falls back to vi). */
export function labelOf(kind: 'bizStep' | 'disposition', word: string | null, lang: string): string | null {
  if (!word) return null;
  const entry = (kind === 'bizStep' ? ALL_STEPS : DISPOSITIONS)[word];
  if (!entry) return word;
  return lang.toLowerCase().startsWith('en') ? entry.en : entry.vi;
}

/** The URI form for EPCIS export; local steps stay bare words. */
export const bizStepUri = (word: string) => (Object.hasOwn(BIZ_STEPS, word) ? `https://ref.gs1.org/cbv/BizStep-${word}` : word);
export const dispositionUri = (word: string) => `https://ref.gs1.org/cbv/Disp-${word}`;
