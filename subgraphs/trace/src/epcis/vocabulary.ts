import { labelLanguage, type LabelTable } from '@nguon/shared';

/**
 * GS1 CBV 2.0 vocabularies (Core Business Vocabulary, §7.2 BizStep and §7.3
 * Disposition) with labels in every enabled language (shared languages.ts)
 * for consumer timelines and statistics.
 * Input may be a bare word (`shipping`), the Web URI
 * (`https://ref.gs1.org/cbv/BizStep-shipping`) or the CBV 1.x URN
 * (`urn:epcglobal:cbv:bizstep:shipping`); we store the bare word. Any other
 * absolute URI is a user vocabulary (EPCIS 2.0 §7.3.5) and is stored as sent.
 */

type Labels = LabelTable;

export const BIZ_STEPS: Labels = {
  accepting: { vi: 'Tiếp nhận', en: 'Accepting', zh: '接收', ko: '인수', ja: '受入' },
  arriving: { vi: 'Đến nơi', en: 'Arriving', zh: '到达', ko: '도착', ja: '到着' },
  assembling: { vi: 'Lắp ráp', en: 'Assembling', zh: '组装', ko: '조립', ja: '組立' },
  collecting: { vi: 'Thu gom', en: 'Collecting', zh: '收集', ko: '수거', ja: '回収' },
  commissioning: { vi: 'Khởi tạo lô', en: 'Commissioning', zh: '赋码建批', ko: '로트 생성', ja: 'ロット登録' },
  consigning: { vi: 'Ký gửi', en: 'Consigning', zh: '托运', ko: '위탁', ja: '委託' },
  creating_class_instance: { vi: 'Tạo lô sản phẩm', en: 'Creating class instance', zh: '创建产品批次', ko: '제품 로트 생성', ja: '製品ロット作成' },
  cycle_counting: { vi: 'Kiểm đếm định kỳ', en: 'Cycle counting', zh: '定期盘点', ko: '정기 재고 조사', ja: '循環棚卸' },
  decommissioning: { vi: 'Hủy mã', en: 'Decommissioning', zh: '注销编码', ko: '코드 폐기', ja: 'コード無効化' },
  departing: { vi: 'Rời đi', en: 'Departing', zh: '离开', ko: '출발', ja: '出発' },
  destroying: { vi: 'Tiêu hủy', en: 'Destroying', zh: '销毁', ko: '폐기', ja: '廃棄' },
  disassembling: { vi: 'Tháo rời', en: 'Disassembling', zh: '拆解', ko: '분해', ja: '分解' },
  dispensing: { vi: 'Cấp phát', en: 'Dispensing', zh: '分发', ko: '분배', ja: '払出' },
  encoding: { vi: 'Mã hóa', en: 'Encoding', zh: '编码', ko: '인코딩', ja: 'エンコード' },
  entering_exiting: { vi: 'Ra vào', en: 'Entering or exiting', zh: '进出', ko: '출입', ja: '入退場' },
  holding: { vi: 'Tạm giữ', en: 'Holding', zh: '暂扣', ko: '보류', ja: '保留' },
  inspecting: { vi: 'Kiểm tra', en: 'Inspecting', zh: '检验', ko: '검사', ja: '検査' },
  installing: { vi: 'Lắp đặt', en: 'Installing', zh: '安装', ko: '설치', ja: '設置' },
  killing: { vi: 'Giết mổ', en: 'Killing', zh: '屠宰', ko: '도축', ja: 'と畜' },
  loading: { vi: 'Bốc xếp lên', en: 'Loading', zh: '装货', ko: '상차', ja: '積込' },
  other: { vi: 'Khác', en: 'Other', zh: '其他', ko: '기타', ja: 'その他' },
  packing: { vi: 'Đóng gói', en: 'Packing', zh: '包装', ko: '포장', ja: '包装' },
  picking: { vi: 'Lấy hàng', en: 'Picking', zh: '拣货', ko: '피킹', ja: 'ピッキング' },
  receiving: { vi: 'Nhận hàng', en: 'Receiving', zh: '收货', ko: '입고', ja: '入荷' },
  removing: { vi: 'Gỡ bỏ', en: 'Removing', zh: '移除', ko: '제거', ja: '取り外し' },
  repackaging: { vi: 'Đóng gói lại', en: 'Repackaging', zh: '重新包装', ko: '재포장', ja: '再包装' },
  repairing: { vi: 'Sửa chữa', en: 'Repairing', zh: '维修', ko: '수리', ja: '修理' },
  replacing: { vi: 'Thay thế', en: 'Replacing', zh: '更换', ko: '교체', ja: '交換' },
  reserving: { vi: 'Đặt trước', en: 'Reserving', zh: '预留', ko: '예약', ja: '予約' },
  retail_selling: { vi: 'Bán lẻ', en: 'Retail selling', zh: '零售', ko: '소매 판매', ja: '小売販売' },
  sampling: { vi: 'Lấy mẫu', en: 'Sampling', zh: '抽样', ko: '시료 채취', ja: 'サンプリング' },
  sensor_reporting: { vi: 'Ghi nhận cảm biến', en: 'Sensor reporting', zh: '传感器记录', ko: '센서 기록', ja: 'センサー記録' },
  shipping: { vi: 'Xuất hàng', en: 'Shipping', zh: '发货', ko: '출하', ja: '出荷' },
  staging_outbound: { vi: 'Chuẩn bị xuất', en: 'Staging outbound', zh: '备货待发', ko: '출하 준비', ja: '出荷準備' },
  stock_taking: { vi: 'Kiểm kê', en: 'Stock taking', zh: '盘点', ko: '재고 조사', ja: '棚卸' },
  stocking: { vi: 'Lên kệ', en: 'Stocking', zh: '上架', ko: '진열', ja: '品出し' },
  storing: { vi: 'Lưu kho', en: 'Storing', zh: '仓储', ko: '보관', ja: '保管' },
  transporting: { vi: 'Vận chuyển', en: 'Transporting', zh: '运输', ko: '운송', ja: '輸送' },
  unloading: { vi: 'Dỡ hàng', en: 'Unloading', zh: '卸货', ko: '하차', ja: '荷降ろし' },
  unpacking: { vi: 'Mở gói', en: 'Unpacking', zh: '拆包', ko: '개봉', ja: '開梱' },
  void_shipping: { vi: 'Hủy xuất hàng', en: 'Void shipping', zh: '取消发货', ko: '출하 취소', ja: '出荷取消' },
};

/**
 * Agricultural steps the Can Tho portal names that CBV 2.0 folds into
 * `commissioning` (harvest) and TransformationEvent (milling). Accepted so
 * producers can say what they did; they have no ref.gs1.org URI.
 */
export const LOCAL_BIZ_STEPS: Labels = {
  harvesting: { vi: 'Thu hoạch', en: 'Harvesting', zh: '收获', ko: '수확', ja: '収穫' },
  transforming: { vi: 'Chế biến', en: 'Transforming', zh: '加工', ko: '가공', ja: '加工' },
};

export const DISPOSITIONS: Labels = {
  active: { vi: 'Đang lưu hành', en: 'Active', zh: '流通中', ko: '유통 중', ja: '流通中' },
  available: { vi: 'Sẵn có', en: 'Available', zh: '可用', ko: '사용 가능', ja: '利用可能' },
  completeness_inferred: { vi: 'Đầy đủ (suy luận)', en: 'Completeness inferred', zh: '完整（推定）', ko: '완전(추정)', ja: '完全（推定）' },
  completeness_verified: { vi: 'Đầy đủ (đã xác minh)', en: 'Completeness verified', zh: '完整（已核实）', ko: '완전(확인됨)', ja: '完全（確認済み）' },
  conformant: { vi: 'Đạt yêu cầu', en: 'Conformant', zh: '合格', ko: '적합', ja: '適合' },
  container_closed: { vi: 'Đã đóng thùng', en: 'Container closed', zh: '已封箱', ko: '용기 밀봉', ja: '封函済み' },
  container_open: { vi: 'Thùng mở', en: 'Container open', zh: '箱已开启', ko: '용기 개봉', ja: '開函' },
  damaged: { vi: 'Hư hỏng', en: 'Damaged', zh: '损坏', ko: '파손', ja: '破損' },
  destroyed: { vi: 'Đã tiêu hủy', en: 'Destroyed', zh: '已销毁', ko: '폐기됨', ja: '廃棄済み' },
  dispensed: { vi: 'Đã cấp phát', en: 'Dispensed', zh: '已分发', ko: '분배됨', ja: '払出済み' },
  disposed: { vi: 'Đã thải bỏ', en: 'Disposed', zh: '已处置', ko: '처분됨', ja: '処分済み' },
  encoded: { vi: 'Đã mã hóa', en: 'Encoded', zh: '已编码', ko: '인코딩됨', ja: 'エンコード済み' },
  expired: { vi: 'Hết hạn', en: 'Expired', zh: '已过期', ko: '기한 만료', ja: '期限切れ' },
  in_progress: { vi: 'Đang xử lý', en: 'In progress', zh: '处理中', ko: '처리 중', ja: '処理中' },
  in_transit: { vi: 'Đang vận chuyển', en: 'In transit', zh: '运输中', ko: '운송 중', ja: '輸送中' },
  inactive: { vi: 'Chưa lưu hành', en: 'Inactive', zh: '未流通', ko: '미유통', ja: '未流通' },
  mismatch_instance: { vi: 'Sai lệch cá thể', en: 'Instance mismatch', zh: '个体不符', ko: '개체 불일치', ja: '個体不一致' },
  mismatch_class: { vi: 'Sai lệch chủng loại', en: 'Class mismatch', zh: '品类不符', ko: '품목 불일치', ja: '品目不一致' },
  mismatch_quantity: { vi: 'Sai lệch số lượng', en: 'Quantity mismatch', zh: '数量不符', ko: '수량 불일치', ja: '数量不一致' },
  needs_replacement: { vi: 'Cần thay thế', en: 'Needs replacement', zh: '需更换', ko: '교체 필요', ja: '要交換' },
  no_pedigree_match: { vi: 'Không khớp hồ sơ', en: 'No pedigree match', zh: '履历不符', ko: '이력 불일치', ja: '履歴不一致' },
  non_conformant: { vi: 'Không đạt yêu cầu', en: 'Non-conformant', zh: '不合格', ko: '부적합', ja: '不適合' },
  non_sellable_other: { vi: 'Không được bán', en: 'Not sellable', zh: '不可销售', ko: '판매 불가', ja: '販売不可' },
  partially_dispensed: { vi: 'Cấp phát một phần', en: 'Partially dispensed', zh: '部分分发', ko: '일부 분배', ja: '一部払出' },
  recalled: { vi: 'Đã thu hồi', en: 'Recalled', zh: '已召回', ko: '리콜됨', ja: 'リコール済み' },
  reserved: { vi: 'Đã đặt trước', en: 'Reserved', zh: '已预留', ko: '예약됨', ja: '予約済み' },
  retail_sold: { vi: 'Đã bán lẻ', en: 'Sold at retail', zh: '已零售', ko: '소매 판매됨', ja: '小売販売済み' },
  returned: { vi: 'Bị trả lại', en: 'Returned', zh: '已退回', ko: '반품됨', ja: '返品' },
  sellable_accessible: { vi: 'Đang bày bán', en: 'Sellable, accessible', zh: '在售', ko: '판매 중', ja: '販売中' },
  sellable_not_accessible: { vi: 'Có thể bán, chưa bày', en: 'Sellable, not accessible', zh: '可售，未上架', ko: '판매 가능, 미진열', ja: '販売可・未陳列' },
  stolen: { vi: 'Bị mất cắp', en: 'Stolen', zh: '被盗', ko: '도난', ja: '盗難' },
  unavailable: { vi: 'Không sẵn có', en: 'Unavailable', zh: '不可用', ko: '사용 불가', ja: '利用不可' },
  unknown: { vi: 'Không rõ', en: 'Unknown', zh: '未知', ko: '알 수 없음', ja: '不明' },
};

const ALL_STEPS: Labels = { ...BIZ_STEPS, ...LOCAL_BIZ_STEPS };

/** CBV 2.0 §7.4 business transaction types. */
const BIZ_TRANSACTION_TYPES = new Set(['po', 'poc', 'bol', 'cert', 'desadv', 'inv', 'pedigree', 'prodorder', 'recadv', 'rma', 'testprd', 'testres', 'upevt']);
/** CBV 2.0 §7.5 source/destination types. */
const PARTY_TYPES = new Set(['owning_party', 'possessing_party', 'location']);
/** CBV 2.0 §7.6 error reasons. */
const ERROR_REASONS = new Set(['did_not_occur', 'incorrect_data']);

/** RFC 3986 absolute URI: a user vocabulary (EPCIS 2.0 allows one for every CBV field) is kept as sent. */
const ABSOLUTE_URI = /^[a-z][a-z0-9+.-]*:[!-~]+$/i;

/**
 * A CBV value, given as a bare word, its Web URI or its CBV 1.x URN, becomes
 * the bare word; any other absolute URI is a user vocabulary and stays
 * verbatim; a bare word outside the vocabulary is null (refused: EPCIS 2.0
 * has no bare user words).
 */
function vocabulary(value: string, known: (word: string) => boolean, webPrefix: string, urnPrefix: string): string | null {
  const v = value.trim();
  let word = v;
  if (v.startsWith(webPrefix)) word = v.slice(webPrefix.length);
  else if (v.toLowerCase().startsWith(urnPrefix)) word = v.slice(urnPrefix.length);
  if (known(word)) return word;
  return ABSOLUTE_URI.test(v) && v.length <= 500 ? v : null;
}

/** The stored bare word (or the user URI), or null when the value is neither. */
export const normalizeBizStep = (value: string) =>
  vocabulary(value, (w) => Object.hasOwn(ALL_STEPS, w), 'https://ref.gs1.org/cbv/BizStep-', 'urn:epcglobal:cbv:bizstep:');
export const normalizeDisposition = (value: string) =>
  vocabulary(value, (w) => Object.hasOwn(DISPOSITIONS, w), 'https://ref.gs1.org/cbv/Disp-', 'urn:epcglobal:cbv:disp:');
export const normalizeBizTransactionType = (value: string) =>
  vocabulary(value, (w) => BIZ_TRANSACTION_TYPES.has(w), 'https://ref.gs1.org/cbv/BTT-', 'urn:epcglobal:cbv:btt:');
export const normalizePartyType = (value: string) => vocabulary(value, (w) => PARTY_TYPES.has(w), 'https://ref.gs1.org/cbv/SDT-', 'urn:epcglobal:cbv:sdt:');
export const normalizeErrorReason = (value: string) => vocabulary(value, (w) => ERROR_REASONS.has(w), 'https://ref.gs1.org/cbv/ER-', 'urn:epcglobal:cbv:er:');

/** The label in the wanted language (any enabled one; anything else falls back to vi); an unknown word as it is. */
export function labelOf(kind: 'bizStep' | 'disposition', word: string | null, lang: string): string | null {
  if (!word) return null;
  const table = kind === 'bizStep' ? ALL_STEPS : DISPOSITIONS;
  if (!Object.hasOwn(table, word)) return word;
  return table[word]![labelLanguage([lang])];
}

/** The URI form for EPCIS export and the event hash; local steps stay bare words, user URIs as they are. */
export const bizStepUri = (word: string) => (Object.hasOwn(BIZ_STEPS, word) ? `https://ref.gs1.org/cbv/BizStep-${word}` : word);
export const dispositionUri = (word: string) => (Object.hasOwn(DISPOSITIONS, word) ? `https://ref.gs1.org/cbv/Disp-${word}` : word);
export const bizTransactionTypeUri = (word: string) => (BIZ_TRANSACTION_TYPES.has(word) ? `https://ref.gs1.org/cbv/BTT-${word}` : word);
export const partyTypeUri = (word: string) => (PARTY_TYPES.has(word) ? `https://ref.gs1.org/cbv/SDT-${word}` : word);
export const errorReasonUri = (word: string) => (ERROR_REASONS.has(word) ? `https://ref.gs1.org/cbv/ER-${word}` : word);
