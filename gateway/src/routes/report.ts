import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseAcceptLanguage } from '@nguon/shared/i18n';
import { DEFAULT_LABEL_LANGUAGE, LABEL_LANGUAGES, LANGUAGES, fixedLabel, labelLanguage, type LabelLanguage, type LabelTable } from '@nguon/shared/languages';
import type { Viewer } from '@nguon/shared/viewer';
import type { DigitalLink } from '@nguon/gs1/digitallink/parse';
import type { EdgeContext, EdgeRoute, GraphError } from '../edge';
import { graphql } from '../generated';
import { CSS, esc, formatTime, pageStrings } from '../digitallink/page';

/**
 * "Báo cáo sự cố / Report a problem" (issue 15): the shopper's side of
 * complaints, server-rendered like the consumer page and usable without
 * JavaScript.
 *
 *   GET  /report?gtin=…&lot=…[&serial=…][&lang=…]   the form, for a published lot
 *   POST /report                                    files it (multipart/form-data or urlencoded) → the receipt
 *   GET  /report/status?receipt=…[&lang=…]          where a complaint is, by its receipt code
 *
 * Everything goes through the graph as the anonymous caller (the gateway adds
 * the keyed hash of the caller's address the trace graph rate-limits by), so
 * an unpublished lot is "not found" here exactly as on the consumer page.
 */

/** The largest body read: a 2 MiB photo and the form around it. Larger is refused by its declared length, or as it streams. */
export const REPORT_BODY_LIMIT = 3 * 1024 * 1024;

/**
 * Uploads read at once by one gateway: each holds up to REPORT_BODY_LIMIT in
 * memory (and its base64 on the way to trace), so a burst of slow or large
 * posts cannot exhaust the process; the next one is told to retry (503).
 */
export const REPORT_MAX_CONCURRENT_UPLOADS = 8;
/** How long a report's body may take to arrive: a client trickling bytes holds a slot this long at most (408). */
export const REPORT_UPLOAD_DEADLINE_MS = 30_000;
/** How long a form stays good to send: its token carries the minute it was issued. */
export const REPORT_FORM_TOKEN_MINUTES = 120;

export interface ReportRouteOptions {
  maxConcurrentUploads?: number;
  uploadDeadlineMs?: number;
}

const CATEGORIES = ['QUALITY', 'SAFETY', 'LABELLING', 'COUNTERFEIT', 'OTHER'] as const;
type Category = (typeof CATEGORIES)[number];
type Lang = LabelLanguage;

const REPORT_LOT = graphql(`
  query ReportLot($gtin: GTIN!, $lot: String!, $lang: String) {
    productByGtin(gtin: $gtin) {
      gtin
      name(lang: $lang) {
        text
      }
      lot(code: $lot) {
        id
        lotCode
        status
      }
    }
  }
`);

const REPORT_PROBLEM = graphql(`
  mutation ReportProblem($input: ReportProblemInput!) {
    reportProblem(input: $input) {
      receipt
      status
    }
  }
`);

const COMPLAINT_STATUS = graphql(`
  query ComplaintStatus($receipt: String!) {
    complaintReceipt(receipt: $receipt) {
      receipt
      status
      category
      createdAt
      updatedAt
      resolution
      recalled
    }
  }
`);

/** The Vietnamese strings, whose keys every other language must have. */
const VI = {
  title: 'Báo cáo sự cố',
  intro: 'Sản phẩm có vấn đề? Hãy cho nhà sản xuất và cơ quan quản lý biết.',
  product: 'Sản phẩm',
  lot: 'Số lô',
  serial: 'Số sê-ri',
  category: 'Loại sự cố',
  description: 'Mô tả sự cố',
  descriptionHint: '10–2000 ký tự',
  contact: 'Số điện thoại hoặc email (không bắt buộc)',
  contactHint: 'Chỉ nhà sản xuất dùng để liên hệ lại với bạn.',
  photo: 'Ảnh chụp (không bắt buộc)',
  photoHint: 'JPEG, PNG hoặc WebP, tối đa 2 MB.',
  send: 'Gửi báo cáo',
  back: 'Quay lại trang sản phẩm',
  sent: 'Đã gửi báo cáo',
  sentText: 'Nhà sản xuất và cơ quan quản lý đã nhận được báo cáo của bạn. Hãy lưu mã tiếp nhận dưới đây để theo dõi.',
  receipt: 'Mã tiếp nhận',
  followUp: 'Xem tình trạng xử lý',
  statusTitle: 'Tình trạng báo cáo',
  receiptAsk: 'Nhập mã tiếp nhận',
  check: 'Xem',
  status: 'Tình trạng',
  filed: 'Ngày gửi',
  updated: 'Cập nhật',
  resolution: 'Kết quả xử lý',
  recalled: 'Lô sản phẩm này đã bị thu hồi sau báo cáo.',
  unknownReceipt: 'Không tìm thấy mã tiếp nhận này.',
  notFound: 'Không tìm thấy lô sản phẩm đã công bố này.',
  error: 'Chưa gửi được báo cáo',
  language: 'Ngôn ngữ',
  foreign: 'Báo cáo này không được gửi từ trang của Nguồn nên chưa được nhận. Hãy mở trang báo cáo của sản phẩm và gửi từ đó.',
  expired: 'Biểu mẫu đã quá hạn (2 giờ) hoặc không hợp lệ nên báo cáo chưa được nhận. Hãy mở lại biểu mẫu và gửi lại.',
  reopen: 'Mở lại biểu mẫu',
  busy: 'Hệ thống đang nhận nhiều báo cáo cùng lúc. Hãy thử gửi lại sau ít giây.',
  slow: 'Gửi báo cáo quá lâu (kết nối chậm). Hãy thử lại, có thể với ảnh nhỏ hơn.',
  notAForm: 'Hãy gửi báo cáo bằng biểu mẫu.',
  tooLarge: 'Báo cáo quá lớn: ảnh tối đa 2 MB. Hãy quay lại và chọn ảnh nhỏ hơn.',
  chooseCategory: 'Hãy chọn loại sự cố.',
  lotRateLimited: 'Lô này vừa nhận nhiều báo cáo; hãy thử lại sau.',
  rateLimited: 'Bạn đã gửi quá nhiều báo cáo; hãy thử lại sau một giờ.',
  badDescription: 'Hãy mô tả sự cố trong 10–2000 ký tự.',
  badContact: 'Thông tin liên hệ tối đa 200 ký tự.',
  photoType: 'Ảnh phải là JPEG, PNG hoặc WebP.',
  photoDamaged: 'Tệp ảnh bị hỏng hoặc không đọc được; hãy chọn ảnh khác.',
  photoTooLarge: 'Ảnh lớn hơn 2 MB.',
  photoMismatch: 'Tệp ảnh không đúng định dạng đã chọn.',
};

/**
 * The form's and status page's words in every enabled language (shared
 * languages.ts), like the consumer page's: a language, or a key in one,
 * left out does not compile.
 */
const T: Record<Lang, Record<keyof typeof VI, string>> = {
  vi: VI,
  en: {
    title: 'Report a problem',
    intro: 'Something wrong with this product? Tell the producer and the authorities.',
    product: 'Product',
    lot: 'Lot',
    serial: 'Serial number',
    category: 'What kind of problem',
    description: 'What happened',
    descriptionHint: '10–2000 characters',
    contact: 'Phone or email (optional)',
    contactHint: 'Only the producer uses it to get back to you.',
    photo: 'Photo (optional)',
    photoHint: 'JPEG, PNG or WebP, at most 2 MB.',
    send: 'Send report',
    back: 'Back to the product page',
    sent: 'Report sent',
    sentText: 'The producer and the authorities have your report. Keep the receipt code below to follow it.',
    receipt: 'Receipt code',
    followUp: 'See its status',
    statusTitle: 'Report status',
    receiptAsk: 'Enter your receipt code',
    check: 'Check',
    status: 'Status',
    filed: 'Filed',
    updated: 'Updated',
    resolution: 'Outcome',
    recalled: 'This lot has been recalled following the report.',
    unknownReceipt: 'No report has this receipt code.',
    notFound: 'No published product lot has this code.',
    error: 'The report was not sent',
    language: 'Language',
    foreign: 'This report was not sent from a Nguồn page, so it was not accepted. Open the product’s report page and send it from there.',
    expired: 'The form has expired (after 2 hours) or is not valid, so the report was not accepted. Open the form again and send it.',
    reopen: 'Open the form again',
    busy: 'Many reports are arriving at once. Try sending again in a few seconds.',
    slow: 'Sending the report took too long (a slow connection). Try again, perhaps with a smaller photo.',
    notAForm: 'Send the report with the form.',
    tooLarge: 'The report is too large: a photo is at most 2 MB. Go back and pick a smaller one.',
    chooseCategory: 'Choose what kind of problem it is.',
    lotRateLimited: 'This lot has had many reports just now; try again later.',
    rateLimited: 'You have sent too many reports; try again in an hour.',
    badDescription: 'Describe the problem in 10–2000 characters.',
    badContact: 'Contact details have at most 200 characters.',
    photoType: 'The photo must be a JPEG, PNG or WebP image.',
    photoDamaged: 'The photo file is damaged or cannot be read; pick another one.',
    photoTooLarge: 'The photo is larger than 2 MB.',
    photoMismatch: 'The photo file is not the image type it claims.',
  },
  zh: {
    title: '报告问题',
    intro: '产品有问题？请告知生产者和监管部门。',
    product: '产品',
    lot: '批号',
    serial: '序列号',
    category: '问题类型',
    description: '问题描述',
    descriptionHint: '10–2000 个字符',
    contact: '电话或电子邮件（选填）',
    contactHint: '仅供生产者与您联系。',
    photo: '照片（选填）',
    photoHint: 'JPEG、PNG 或 WebP，最大 2 MB。',
    send: '提交报告',
    back: '返回产品页面',
    sent: '报告已提交',
    sentText: '生产者和监管部门已收到您的报告。请保存下方的受理编号，以便查询处理进度。',
    receipt: '受理编号',
    followUp: '查看处理进度',
    statusTitle: '报告处理进度',
    receiptAsk: '请输入受理编号',
    check: '查询',
    status: '状态',
    filed: '提交时间',
    updated: '更新时间',
    resolution: '处理结果',
    recalled: '根据此报告，该批次产品已被召回。',
    unknownReceipt: '未找到此受理编号。',
    notFound: '未找到此已发布的产品批次。',
    error: '报告未能提交',
    language: '语言',
    foreign: '此报告并非从 Nguồn 页面提交，因此未被受理。请打开该产品的报告页面，从那里提交。',
    expired: '表单已过期（2 小时）或无效，报告未被受理。请重新打开表单并提交。',
    reopen: '重新打开表单',
    busy: '系统正同时收到大量报告，请几秒钟后再试。',
    slow: '提交时间过长（网络较慢）。请重试，或换一张较小的照片。',
    notAForm: '请使用表单提交报告。',
    tooLarge: '报告过大：照片最大 2 MB。请返回并选择较小的照片。',
    chooseCategory: '请选择问题类型。',
    lotRateLimited: '该批次刚刚收到大量报告，请稍后再试。',
    rateLimited: '您提交的报告过多，请一小时后再试。',
    badDescription: '请用 10–2000 个字符描述问题。',
    badContact: '联系方式最多 200 个字符。',
    photoType: '照片必须是 JPEG、PNG 或 WebP 格式。',
    photoDamaged: '照片文件已损坏或无法读取，请选择其他照片。',
    photoTooLarge: '照片超过 2 MB。',
    photoMismatch: '照片文件与所标示的图片格式不符。',
  },
  ko: {
    title: '문제 신고',
    intro: '제품에 문제가 있나요? 생산자와 관리 당국에 알려 주세요.',
    product: '제품',
    lot: '로트 번호',
    serial: '일련번호',
    category: '문제 유형',
    description: '문제 설명',
    descriptionHint: '10–2000자',
    contact: '전화번호 또는 이메일(선택)',
    contactHint: '생산자가 회신할 때만 사용합니다.',
    photo: '사진(선택)',
    photoHint: 'JPEG, PNG 또는 WebP, 최대 2 MB.',
    send: '신고 보내기',
    back: '제품 페이지로 돌아가기',
    sent: '신고가 접수되었습니다',
    sentText: '생산자와 관리 당국이 신고를 받았습니다. 처리 상황을 확인할 수 있도록 아래 접수 번호를 보관하세요.',
    receipt: '접수 번호',
    followUp: '처리 상황 보기',
    statusTitle: '신고 처리 상황',
    receiptAsk: '접수 번호를 입력하세요',
    check: '조회',
    status: '상태',
    filed: '접수일',
    updated: '업데이트',
    resolution: '처리 결과',
    recalled: '이 신고에 따라 해당 로트가 회수되었습니다.',
    unknownReceipt: '이 접수 번호를 찾을 수 없습니다.',
    notFound: '공개된 제품 로트 중 이 번호를 찾을 수 없습니다.',
    error: '신고를 보내지 못했습니다',
    language: '언어',
    foreign: '이 신고는 Nguồn 페이지에서 보낸 것이 아니어서 접수되지 않았습니다. 제품의 신고 페이지를 열어 그곳에서 보내 주세요.',
    expired: '양식이 만료되었거나(2시간) 유효하지 않아 신고가 접수되지 않았습니다. 양식을 다시 열어 보내 주세요.',
    reopen: '양식 다시 열기',
    busy: '지금 많은 신고가 한꺼번에 들어오고 있습니다. 몇 초 후에 다시 보내 주세요.',
    slow: '신고 전송이 너무 오래 걸렸습니다(느린 연결). 더 작은 사진으로 다시 시도해 보세요.',
    notAForm: '신고는 양식으로 보내 주세요.',
    tooLarge: '신고가 너무 큽니다. 사진은 최대 2 MB입니다. 돌아가서 더 작은 사진을 선택하세요.',
    chooseCategory: '문제 유형을 선택하세요.',
    lotRateLimited: '이 로트에 방금 많은 신고가 접수되었습니다. 잠시 후 다시 시도하세요.',
    rateLimited: '신고를 너무 많이 보냈습니다. 한 시간 후에 다시 시도하세요.',
    badDescription: '문제를 10–2000자로 설명해 주세요.',
    badContact: '연락처는 최대 200자입니다.',
    photoType: '사진은 JPEG, PNG 또는 WebP 형식이어야 합니다.',
    photoDamaged: '사진 파일이 손상되었거나 읽을 수 없습니다. 다른 사진을 선택하세요.',
    photoTooLarge: '사진이 2 MB보다 큽니다.',
    photoMismatch: '사진 파일이 표시된 이미지 형식과 다릅니다.',
  },
  ja: {
    title: '問題を報告',
    intro: 'この製品に問題がありましたか？生産者と行政機関にお知らせください。',
    product: '製品',
    lot: 'ロット番号',
    serial: 'シリアル番号',
    category: '問題の種類',
    description: '問題の内容',
    descriptionHint: '10～2000文字',
    contact: '電話番号またはメールアドレス（任意）',
    contactHint: '生産者からの連絡にのみ使われます。',
    photo: '写真（任意）',
    photoHint: 'JPEG、PNG、WebP、最大2 MB。',
    send: '報告を送信',
    back: '製品ページに戻る',
    sent: '報告を送信しました',
    sentText: '生産者と行政機関があなたの報告を受け取りました。対応状況を確認できるよう、下の受付番号を控えておいてください。',
    receipt: '受付番号',
    followUp: '対応状況を見る',
    statusTitle: '報告の対応状況',
    receiptAsk: '受付番号を入力してください',
    check: '確認',
    status: '状況',
    filed: '送信日時',
    updated: '更新日時',
    resolution: '対応結果',
    recalled: 'この報告を受けて、このロットは回収されました。',
    unknownReceipt: 'この受付番号は見つかりません。',
    notFound: 'この番号の公開済み製品ロットは見つかりません。',
    error: '報告を送信できませんでした',
    language: '言語',
    foreign: 'この報告は Nguồn のページから送信されていないため、受け付けられませんでした。製品の報告ページを開き、そこから送信してください。',
    expired: 'フォームの有効期限（2時間）が切れているか無効なため、報告は受け付けられませんでした。フォームを開き直して送信してください。',
    reopen: 'フォームを開き直す',
    busy: '現在、多くの報告が同時に届いています。数秒後にもう一度送信してください。',
    slow: '送信に時間がかかりすぎました（接続が遅い）。小さめの写真でもう一度お試しください。',
    notAForm: '報告はフォームから送信してください。',
    tooLarge: '報告が大きすぎます。写真は最大2 MBです。戻って小さめの写真を選んでください。',
    chooseCategory: '問題の種類を選んでください。',
    lotRateLimited: 'このロットには今、多くの報告が届いています。しばらくしてからお試しください。',
    rateLimited: '報告の送信回数が多すぎます。1時間後にもう一度お試しください。',
    badDescription: '問題の内容を10～2000文字で入力してください。',
    badContact: '連絡先は200文字以内です。',
    photoType: '写真はJPEG、PNG、WebP形式にしてください。',
    photoDamaged: '写真ファイルが壊れているか読み込めません。別の写真を選んでください。',
    photoTooLarge: '写真が2 MBを超えています。',
    photoMismatch: '写真ファイルの形式が、示された画像形式と一致しません。',
  },
};

const CATEGORY_LABELS: LabelTable<Category> = {
  QUALITY: {
    vi: 'Chất lượng (hư hỏng, mùi vị, dị vật)',
    en: 'Quality (spoiled, taste, foreign matter)',
    zh: '质量（变质、异味、异物）',
    ko: '품질(변질, 맛·냄새, 이물질)',
    ja: '品質（変質・味・異物）',
  },
  SAFETY: {
    vi: 'An toàn (gây bệnh, nguy hiểm)',
    en: 'Safety (illness, hazard)',
    zh: '安全（致病、危险）',
    ko: '안전(질병, 위험)',
    ja: '安全（健康被害・危険）',
  },
  LABELLING: { vi: 'Nhãn mác sai hoặc thiếu', en: 'Wrong or missing label', zh: '标签错误或缺失', ko: '표시 오류 또는 누락', ja: '表示の誤り・欠落' },
  COUNTERFEIT: { vi: 'Nghi hàng giả', en: 'Suspected counterfeit', zh: '疑似假冒', ko: '위조품 의심', ja: '偽造品の疑い' },
  OTHER: { vi: 'Khác', en: 'Other', zh: '其他', ko: '기타', ja: 'その他' },
};

const STATUS_LABELS: LabelTable<'NEW' | 'ACKNOWLEDGED' | 'INVESTIGATING' | 'RESOLVED' | 'ESCALATED'> = {
  NEW: { vi: 'Mới tiếp nhận', en: 'Received', zh: '已受理', ko: '접수됨', ja: '受付済み' },
  ACKNOWLEDGED: { vi: 'Đã xác nhận', en: 'Acknowledged', zh: '已确认', ko: '확인됨', ja: '確認済み' },
  INVESTIGATING: { vi: 'Đang xác minh', en: 'Being investigated', zh: '核查中', ko: '조사 중', ja: '調査中' },
  RESOLVED: { vi: 'Đã giải quyết', en: 'Resolved', zh: '已解决', ko: '해결됨', ja: '解決済み' },
  ESCALATED: {
    vi: 'Đã chuyển thành thu hồi sản phẩm',
    en: 'Escalated to a product recall',
    zh: '已转为产品召回',
    ko: '제품 회수로 전환됨',
    ja: '製品回収に移行',
  },
};

/** Refusals in the shopper's language, by what was refused; anything else shows the graph's own message. */
function errorText(error: GraphError, lang: Lang): string {
  const t = T[lang];
  const code = String(error.extensions?.code ?? '');
  const field = Array.isArray(error.extensions?.field) ? (error.extensions.field as string[]).join('.') : '';
  if (code === 'RATE_LIMITED') return error.extensions?.limit === 'lot' ? t.lotRateLimited : t.rateLimited;
  if (code === 'NOT_FOUND') return t.notFound;
  if (field === 'input.description') return t.badDescription;
  if (field === 'input.contact') return t.badContact;
  if (field === 'input.photo.contentType') return t.photoType;
  if (field === 'input.photo.base64' && /well-formed/.test(error.message)) return t.photoDamaged;
  if (field === 'input.photo.base64') return /2 MiB/.test(error.message) ? t.photoTooLarge : t.photoMismatch;
  return error.message;
}

/**
 * The page's language, as the consumer page picks it (resolver.ts): `?lang=`,
 * then the form's own `lang` field, then Accept-Language, each by its base
 * language (zh-CN → zh), else Vietnamese.
 */
function pickLang(url: URL, req: IncomingMessage, form?: FormData): Lang {
  const posted = form?.get('lang');
  return labelLanguage([url.searchParams.get('lang'), typeof posted === 'string' ? posted : null, ...parseAcceptLanguage(req.headers['accept-language'])]);
}

/** Each language by its own name, for the switcher's titles (as on the consumer page). */
const LANGUAGE_NAMES = new Map<string, string>(LANGUAGES.map((l) => [l.code, l.name]));

/**
 * The page around a body: the consumer page's look, its header and CSS, plus
 * the form's few rules. `switchTo` is this page's address in another language,
 * for the switcher, which offers every other language as the consumer page does.
 */
function page(lang: Lang, title: string, body: string, switchTo: (lang: Lang) => string): string {
  const languages = LABEL_LANGUAGES.filter((l) => l !== lang)
    .map((l) => `<a href="${esc(switchTo(l))}" hreflang="${l}" lang="${l}" title="${esc(LANGUAGE_NAMES.get(l) ?? l)}">${l.toUpperCase()}</a>`)
    .join(' ');
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} — Nguồn</title><style>${CSS}
form.report label{display:block;margin:.8rem 0 .25rem;font-weight:600}form.report .hint{display:block;font-weight:400}
form.report input[type=text],form.report textarea,form.report select,form.status input{width:100%;max-width:100%;font:inherit;padding:.55rem;border:1px solid #9aa99c;border-radius:.4rem;background:#fff}
form.report textarea{min-height:8rem;resize:vertical}form.report input[type=file]{max-width:100%;font:inherit}
fieldset{border:0;margin:0;padding:0;min-width:0}legend{font-weight:600;margin:.8rem 0 .25rem;padding:0}fieldset label.choice{display:flex;gap:.5rem;align-items:flex-start;font-weight:400;margin:.35rem 0}
button.primary,a.button{display:inline-block;background:#1f6f43;color:#fff;border:0;border-radius:.5rem;padding:.75rem 1.1rem;font:inherit;font-weight:700;text-decoration:none;margin-top:1rem;max-width:100%}
.error{background:#fde8ea;border:2px solid #b00020;color:#7a0016;padding:.7rem;border-radius:.5rem;margin:.75rem 0}
.receipt{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1.5rem;font-weight:700;letter-spacing:.05em;background:#fff;border:2px dashed #1f6f43;border-radius:.5rem;padding:.6rem;text-align:center;margin:.75rem 0}</style></head><body>
<header><span>Nguồn · ${esc(T[lang].title)}</span><nav aria-label="${esc(T[lang].language)}">${languages}</nav></header><main>
${body}
</main></body></html>`;
}

function send(res: ServerResponse, status: number, html: string, head = false): true {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    // A form and a receipt are the shopper's own: never cached or shared.
    'cache-control': 'no-store',
    // The language page() wrote on <html>.
    'content-language': /^<!doctype html><html lang="([a-z]+)">/.exec(html)?.[1] ?? DEFAULT_LABEL_LANGUAGE,
    // Never inside another site's frame: a form a shopper cannot see they are sending (clickjacking).
    'content-security-policy': "frame-ancestors 'none'",
    'x-frame-options': 'DENY',
  });
  res.end(head ? undefined : html);
  return true;
}

interface Target {
  gtin: string;
  lot: string;
  serial: string | null;
  /** The scan the shopper came from (the page's beacon answers its id); ties the report to it. */
  scan?: string | null;
}

/** A scan id as the beacon answered it; anything else is dropped, never refused: the report matters more than the link. */
const scanParam = (value: string | null | undefined) =>
  value && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? value.toLowerCase() : null;

const consumerPath = (t: Target) => `/01/${encodeURIComponent(t.gtin)}/10/${encodeURIComponent(t.lot)}${t.serial ? `/21/${encodeURIComponent(t.serial)}` : ''}`;
const reportPath = (t: Target, lang: Lang) =>
  `/report?gtin=${encodeURIComponent(t.gtin)}&lot=${encodeURIComponent(t.lot)}${t.serial ? `&serial=${encodeURIComponent(t.serial)}` : ''}&lang=${lang}`;

/** The consumer page's link to this form (gateway/src/routes/resolver.ts adds it to every lot page), to the form in the page's language. */
export function reportLink(link: Pick<DigitalLink, 'gtin' | 'lot' | 'serial'>, lang: string): string {
  if (!link.lot) return '';
  return `<p><a id="report-problem" class="button" href="${esc(reportPath({ gtin: link.gtin, lot: link.lot, serial: link.serial ?? null }, labelLanguage([lang])))}">⚑ ${esc(pageStrings(lang).reportProblem)}</a></p>`;
}

/** The lot the form is about, as the anonymous caller sees it; null when unknown or not published. */
async function loadTarget(edge: EdgeContext, viewer: Viewer, target: Target, lang: Lang) {
  if (!/^\d{8,14}$/.test(target.gtin) || !target.lot || target.lot.length > 20 || (target.serial !== null && target.serial.length > 20)) return null;
  const result = await edge.execute(REPORT_LOT, { gtin: target.gtin, lot: target.lot, lang }, viewer, { acceptLanguage: lang });
  const product = result.data?.productByGtin;
  const lot = product?.lot;
  if (!product || !lot || !['PUBLISHED', 'RECALLED', 'CLOSED'].includes(lot.status)) return null;
  return { lotId: lot.id, lotCode: lot.lotCode, productName: product.name.text };
}

interface FormValues {
  category: string;
  description: string;
  contact: string;
}

/*
 * The form's token: HMAC(gateway-only key, gtin|lot|serial|minute issued),
 * sent back as a hidden field. A page on another site can make a browser
 * post to /report but cannot read the form, so it has no token; one minted
 * for another lot does not verify; one older than REPORT_FORM_TOKEN_MINUTES
 * has expired. No subgraph holds the key (EdgeContext.sign).
 */
const tokenMessage = (t: Target, minute: number) => `${t.gtin}|${t.lot}|${t.serial ?? ''}|${minute}`;
const nowMinute = () => Math.floor(Date.now() / 60_000);

/** A token for the form about `target`, issued now (or at `minute`). */
export function formToken(sign: EdgeContext['sign'], target: Target, minute = nowMinute()): string {
  return `${minute.toString(36)}.${sign('report-form', tokenMessage(target, minute))}`;
}

/** Whether `token` was issued by this gateway for the form about `target`, within the last REPORT_FORM_TOKEN_MINUTES. */
export function formTokenValid(sign: EdgeContext['sign'], target: Target, token: string, now = nowMinute()): boolean {
  const match = /^([0-9a-z]{1,10})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return false;
  const minute = parseInt(match[1]!, 36);
  if (!(minute <= now && now - minute <= REPORT_FORM_TOKEN_MINUTES)) return false;
  const expected = Buffer.from(sign('report-form', tokenMessage(target, minute)));
  const given = Buffer.from(match[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The origin clients reach this gateway at, and the one the request names in Host. */
function ownOrigins(edge: EdgeContext, req: IncomingMessage): { origins: string[]; host: string } {
  let base = '';
  try {
    base = new URL(edge.publicBaseUrl).origin;
  } catch {
    // An unparsable base names no origin; the Host comparison still holds.
  }
  return { origins: base ? [base] : [], host: String(req.headers.host ?? '').toLowerCase() };
}

/**
 * A post another site's page made the browser send: Sec-Fetch-Site says
 * cross-site, or an Origin is given that is not this gateway's (its public
 * base URL, or the Host the request was sent to). Clients that send neither
 * header (curl, old browsers) pass here and still need the form's token.
 */
function crossSite(edge: EdgeContext, req: IncomingMessage): boolean {
  if (String(req.headers['sec-fetch-site'] ?? '').toLowerCase() === 'cross-site') return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  const { origins, host } = ownOrigins(edge, req);
  if (origins.includes(origin)) return false;
  try {
    const url = new URL(origin);
    return !(host && url.host.toLowerCase() === host && (url.protocol === 'http:' || url.protocol === 'https:'));
  } catch {
    // "null" (a sandboxed frame, a redirect from elsewhere) and anything unparsable are not this gateway.
    return true;
  }
}

function renderForm(
  lang: Lang,
  target: Target,
  lot: { lotCode: string; productName: string },
  values: FormValues,
  error: string | null,
  token: string,
): string {
  const t = T[lang];
  const categories = CATEGORIES.map(
    (c) =>
      `<label class="choice"><input type="radio" name="category" value="${c}"${values.category === c ? ' checked' : ''} required> <span>${esc(CATEGORY_LABELS[c][lang])}</span></label>`,
  ).join('');
  const body = `<h1>${esc(t.title)}</h1><p class="muted">${esc(t.intro)}</p>
${error ? `<div class="error" role="alert" id="report-error"><strong>${esc(t.error)}:</strong> ${esc(error)}</div>` : ''}
<section class="card"><dl><dt>${esc(t.product)}</dt><dd>${esc(lot.productName)}</dd><dt>${esc(t.lot)}</dt><dd class="code">${esc(lot.lotCode)}</dd>${
    target.serial ? `<dt>${esc(t.serial)}</dt><dd class="code">${esc(target.serial)}</dd>` : ''
  }</dl></section>
<form class="report" method="post" action="/report" enctype="multipart/form-data">
<input type="hidden" name="gtin" value="${esc(target.gtin)}"><input type="hidden" name="lot" value="${esc(target.lot)}">${
    target.serial ? `<input type="hidden" name="serial" value="${esc(target.serial)}">` : ''
  }${target.scan ? `<input type="hidden" name="scan" value="${esc(target.scan)}">` : ''}<input type="hidden" name="lang" value="${lang}"><input type="hidden" name="token" value="${esc(token)}">
<fieldset><legend>${esc(t.category)}</legend>${categories}</fieldset>
<label for="description">${esc(t.description)} <span class="hint muted">${esc(t.descriptionHint)}</span></label>
<textarea id="description" name="description" minlength="10" maxlength="2000" required>${esc(values.description)}</textarea>
<label for="contact">${esc(t.contact)} <span class="hint muted">${esc(t.contactHint)}</span></label>
<input type="text" id="contact" name="contact" maxlength="200" autocomplete="tel" value="${esc(values.contact)}">
<label for="photo">${esc(t.photo)} <span class="hint muted">${esc(t.photoHint)}</span></label>
<input type="file" id="photo" name="photo" accept="image/jpeg,image/png,image/webp">
<button class="primary" type="submit" id="send-report">${esc(t.send)}</button>
</form>
<p><a href="${esc(consumerPath(target))}?lang=${lang}">← ${esc(t.back)}</a></p>`;
  return page(lang, t.title, body, (l) => reportPath(target, l));
}

function notFoundPage(lang: Lang, message: string): string {
  return page(lang, T[lang].title, `<h1>${esc(T[lang].title)}</h1><div class="error" role="alert">${esc(message)}</div>`, (l) => `?lang=${l}`);
}

type BodyOutcome = Buffer | 'too-large' | 'too-slow' | 'gone';

/**
 * The body, at most `limit` bytes, arriving within `deadlineMs`: whichever
 * fails first ends the read (nothing more is buffered) — a body larger than
 * the cap is never held whole, and a client trickling bytes gets a 408.
 */
function readBody(req: IncomingMessage, limit: number, deadlineMs: number): Promise<BodyOutcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (outcome: BodyOutcome) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onGone);
      if (!Buffer.isBuffer(outcome)) req.pause();
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return done('too-large');
      chunks.push(chunk);
    };
    const onEnd = () => done(Buffer.concat(chunks));
    const onGone = () => done('gone');
    const timer = setTimeout(() => done('too-slow'), deadlineMs);
    req.on('data', onData).once('end', onEnd).once('error', onGone).once('close', onGone);
  });
}

/** A form body (see readBody); the declared length is checked before anything is read. */
async function readForm(req: IncomingMessage, deadlineMs: number): Promise<FormData | Exclude<BodyOutcome, Buffer>> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > REPORT_BODY_LIMIT) return 'too-large';
  const type = String(req.headers['content-type'] ?? '');
  if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(type)) throw new TypeError('not a form');
  const body = await readBody(req, REPORT_BODY_LIMIT, deadlineMs);
  if (!Buffer.isBuffer(body)) return body;
  // The platform's own parser (undici) for both encodings.
  return new Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
}

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

export function reportRoutes(options: ReportRouteOptions = {}): EdgeRoute[] {
  const maxUploads = options.maxConcurrentUploads ?? REPORT_MAX_CONCURRENT_UPLOADS;
  const deadlineMs = options.uploadDeadlineMs ?? REPORT_UPLOAD_DEADLINE_MS;
  /** Report posts being read or filed right now by this gateway (a counting semaphore; Node runs this on one thread). */
  let uploads = 0;

  /** A refusal before the body is read: the connection closes so the unread body is not drained either. */
  const refuse = (res: ServerResponse, status: number, lang: Lang, message: keyof typeof VI, extra: Record<string, string> = {}) => {
    res.setHeader('connection', 'close');
    for (const [name, value] of Object.entries(extra)) res.setHeader(name, value);
    return send(res, status, notFoundPage(lang, T[lang][message]));
  };

  const fileReport = async (req: IncomingMessage, res: ServerResponse, edge: EdgeContext, url: URL, viewer: Viewer): Promise<true> => {
    let body: Awaited<ReturnType<typeof readForm>>;
    try {
      body = await readForm(req, deadlineMs);
    } catch {
      return refuse(res, 415, pickLang(url, req), 'notAForm');
    }
    if (body === 'gone') {
      res.destroy();
      return true;
    }
    if (body === 'too-slow') return refuse(res, 408, pickLang(url, req), 'slow');
    if (body === 'too-large') return refuse(res, 413, pickLang(url, req), 'tooLarge');
    const lang = pickLang(url, req, body);
    const target: Target = { gtin: field(body, 'gtin'), lot: field(body, 'lot'), serial: field(body, 'serial') || null, scan: scanParam(field(body, 'scan')) };
    // Before any work on the report: a form this gateway handed out for this lot, and not too long ago.
    if (!formTokenValid(edge.sign, target, field(body, 'token'))) {
      const t = T[lang];
      const reopen =
        /^\d{8,14}$/.test(target.gtin) && target.lot ? `<p><a class="button" href="${esc(reportPath(target, lang))}">${esc(t.reopen)}</a></p>` : '';
      return send(
        res,
        403,
        page(lang, t.title, `<h1>${esc(t.title)}</h1><div class="error" role="alert" id="report-error">${esc(t.expired)}</div>${reopen}`, (l) => `?lang=${l}`),
      );
    }
    const lot = await loadTarget(edge, viewer, target, lang);
    if (!lot) return send(res, 404, notFoundPage(lang, T[lang].notFound));
    const values: FormValues = { category: field(body, 'category'), description: field(body, 'description'), contact: field(body, 'contact') };
    const again = (status: number, message: string) => send(res, status, renderForm(lang, target, lot, values, message, formToken(edge.sign, target)));
    if (!(CATEGORIES as readonly string[]).includes(values.category)) return again(400, T[lang].chooseCategory);
    const file = body.get('photo');
    const photo =
      file && typeof file !== 'string' && file.size > 0
        ? { contentType: file.type || 'application/octet-stream', base64: Buffer.from(await file.arrayBuffer()).toString('base64') }
        : null;
    const result = await edge.execute(
      REPORT_PROBLEM,
      {
        input: {
          lotId: lot.lotId,
          serial: target.serial,
          scanId: target.scan ?? null,
          category: values.category as Category,
          description: values.description,
          contact: values.contact.trim() || null,
          photo,
          lang,
        },
      },
      viewer,
    );
    const error = result.errors?.[0];
    if (error || !result.data?.reportProblem) {
      const code = String(error?.extensions?.code ?? '');
      return again(code === 'RATE_LIMITED' ? 429 : code === 'NOT_FOUND' ? 404 : 400, error ? errorText(error, lang) : T[lang].error);
    }
    const { receipt } = result.data.reportProblem;
    const t = T[lang];
    const statusHref = `/report/status?receipt=${encodeURIComponent(receipt)}&lang=${lang}`;
    const html = page(
      lang,
      t.sent,
      `<h1>✔ ${esc(t.sent)}</h1><p>${esc(t.sentText)}</p><p class="muted">${esc(t.receipt)}</p><p class="receipt" id="receipt">${esc(receipt)}</p>
<p><a class="button" id="follow-up" href="${esc(statusHref)}">${esc(t.followUp)}</a></p><p><a href="${esc(consumerPath(target))}?lang=${lang}">← ${esc(t.back)}</a></p>`,
      (l) => `/report/status?receipt=${encodeURIComponent(receipt)}&lang=${l}`,
    );
    return send(res, 201, html);
  };

  const form: EdgeRoute = async (req, res, edge) => {
    const url = new URL(req.url ?? '/', 'http://edge');
    if (url.pathname !== '/report') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') {
      res.writeHead(405, { allow: 'GET, HEAD, POST' });
      res.end();
      return true;
    }
    const viewer: Viewer = { kind: 'anonymous', requestId: edge.requestId };
    if (!edge.allow(viewer)) return true;

    if (req.method !== 'POST') {
      const lang = pickLang(url, req);
      const target: Target = {
        gtin: url.searchParams.get('gtin') ?? '',
        lot: url.searchParams.get('lot') ?? '',
        serial: url.searchParams.get('serial') || null,
        scan: scanParam(url.searchParams.get('scan')),
      };
      const lot = await loadTarget(edge, viewer, target, lang);
      if (!lot) return send(res, 404, notFoundPage(lang, T[lang].notFound), req.method === 'HEAD');
      return send(
        res,
        200,
        renderForm(lang, target, lot, { category: '', description: '', contact: '' }, null, formToken(edge.sign, target)),
        req.method === 'HEAD',
      );
    }

    // Cross-site forgery: another site's page posting through the shopper's browser is refused before anything is read.
    if (crossSite(edge, req)) return refuse(res, 403, pickLang(url, req), 'foreign');
    // Nothing is read while the gateway already reads its share of uploads.
    if (uploads >= maxUploads) return refuse(res, 503, pickLang(url, req), 'busy', { 'retry-after': '5' });
    uploads++;
    try {
      return await fileReport(req, res, edge, url, viewer);
    } finally {
      uploads--;
    }
  };

  const status: EdgeRoute = async (req, res, edge) => {
    const url = new URL(req.url ?? '/', 'http://edge');
    if (url.pathname !== '/report/status') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      res.end();
      return true;
    }
    const viewer: Viewer = { kind: 'anonymous', requestId: edge.requestId };
    if (!edge.allow(viewer)) return true;
    const lang = pickLang(url, req);
    const t = T[lang];
    const receipt = (url.searchParams.get('receipt') ?? '').trim().slice(0, 40);
    const ask = `<form class="status" method="get" action="/report/status"><label for="receipt-code">${esc(t.receiptAsk)}</label>
<input id="receipt-code" name="receipt" value="${esc(receipt)}" autocomplete="off" maxlength="40" required><input type="hidden" name="lang" value="${lang}">
<button class="primary" type="submit">${esc(t.check)}</button></form>`;
    const switchTo = (l: Lang) => `/report/status?receipt=${encodeURIComponent(receipt)}&lang=${l}`;
    if (!receipt) return send(res, 200, page(lang, t.statusTitle, `<h1>${esc(t.statusTitle)}</h1>${ask}`, switchTo), req.method === 'HEAD');
    const result = await edge.execute(COMPLAINT_STATUS, { receipt }, viewer);
    const found = result.data?.complaintReceipt;
    if (!found) {
      const message = result.errors?.length ? errorText(result.errors[0]!, lang) : t.unknownReceipt;
      return send(res, 404, page(lang, t.statusTitle, `<h1>${esc(t.statusTitle)}</h1><div class="error" role="alert">${esc(message)}</div>${ask}`, switchTo));
    }
    const body = `<h1>${esc(t.statusTitle)}</h1>
<p class="receipt">${esc(found.receipt)}</p>
<section class="card"><dl>
<dt>${esc(t.status)}</dt><dd><strong id="complaint-status" data-status="${esc(found.status)}">${esc(fixedLabel(STATUS_LABELS, found.status, lang) ?? found.status)}</strong></dd>
<dt>${esc(t.category)}</dt><dd>${esc(fixedLabel(CATEGORY_LABELS, found.category, lang) ?? found.category)}</dd>
<dt>${esc(t.filed)}</dt><dd>${esc(formatTime(found.createdAt, lang))}</dd>
<dt>${esc(t.updated)}</dt><dd>${esc(formatTime(found.updatedAt, lang))}</dd>
${found.resolution ? `<dt>${esc(t.resolution)}</dt><dd id="resolution">${esc(found.resolution)}</dd>` : ''}
</dl></section>
${found.recalled ? `<div class="recall" role="status" id="recalled">${esc(t.recalled)}</div>` : ''}
${ask}`;
    return send(res, 200, page(lang, t.statusTitle, body, switchTo), req.method === 'HEAD');
  };

  return [status, form];
}
