/**
 * The consumer provenance page: server-rendered, mobile-first, no framework,
 * small inline CSS, lazy images. It shows the ten items of the Vietnamese
 * minimum data set (Circular 02/2024/TT-BKHCN, docs/architecture.md §6), certifications
 * with validity, the production area, the timeline, and — above everything —
 * a recall warning when the lot is recalled.
 */

export interface ProvenanceView {
  lang: string;
  /** Languages the page can switch to. */
  languages: string[];
  uri: string;
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
  area: { name: string; code: string; hectares: number | null; crop: string | null } | null;
  stages: {
    label: string;
    disposition: string | null;
    time: string;
    location: string | null;
    locationCode: string | null;
    traceCode: string;
    /** This entry corrects an earlier one (an EPCIS error declaration). */
    corrected?: boolean;
    /** A later entry declared this one erroneous: it stays, marked, beside its correction. */
    erroneous?: boolean;
  }[];
  recall: { reason: string; severity: string; openedAt: string } | null;
}

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
  | 'stars',
  string
>;

const STRINGS: Record<'vi' | 'en', Strings> = {
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
  },
};

export type PageStrings = Strings;
export const pageStrings = (lang: string): PageStrings => (lang.startsWith('en') ? STRINGS.en : STRINGS.vi);
export const PAGE_LANGUAGES = Object.keys(STRINGS);

const SEVERITY: Record<string, Record<'vi' | 'en', string>> = {
  CLASS_I: { vi: 'mức I — nguy hiểm nghiêm trọng', en: 'class I — serious danger' },
  CLASS_II: { vi: 'mức II', en: 'class II' },
  CLASS_III: { vi: 'mức III', en: 'class III' },
};
const severityText = (severity: string, lang: string) => SEVERITY[severity]?.[lang.startsWith('en') ? 'en' : 'vi'] ?? severity;

const esc = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Every date and time on the page is shown in the place's time zone — Vietnam's,
 * Asia/Ho_Chi_Minh — in one format: dd/mm/yyyy in Vietnamese, yyyy-mm-dd in
 * English, with the offset spelt out on times. A calendar date (production,
 * expiry) is shown as recorded; an instant (an event, a recall's opening) is
 * converted, so a recall opened at 01:00 on 2 December local time never reads 1 December.
 */
export const PAGE_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const dateText = (y: string, m: string, d: string, lang: string) => (lang.startsWith('en') ? `${y}-${m}-${d}` : `${d}/${m}/${y}`);

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

const CSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#17261a;background:#f6f8f4}
main{max-width:40rem;margin:0 auto;padding:0 .75rem 2rem}header{background:#1f6f43;color:#fff;padding:.6rem .75rem;display:flex;justify-content:space-between;align-items:center}
header a{color:#fff;margin-left:.5rem}h1{font-size:1.35rem;margin:.8rem 0 .2rem}h2{font-size:1.05rem;margin:1.2rem 0 .4rem;color:#1f6f43}
.recall{background:#b00020;color:#fff;padding:.9rem;border-radius:.5rem;margin:.75rem 0}.recall strong{font-size:1.15rem;display:block}
.card{background:#fff;border-radius:.5rem;padding:.75rem;box-shadow:0 1px 2px #0001}dl{display:grid;grid-template-columns:auto 1fr;gap:.2rem .75rem;margin:0}dt{color:#506052}dd{margin:0;font-weight:600;overflow-wrap:anywhere}
img{max-width:100%;height:auto;border-radius:.5rem;background:#e7ece4}ol{list-style:none;padding:0;margin:0}li.stage{border-left:3px solid #1f6f43;padding:.1rem 0 .6rem .7rem;margin-left:.3rem}
.muted{color:#506052;font-size:.9rem}.bad{color:#b00020;font-weight:700}.ok{color:#1f6f43}`;

export function renderProvenancePage(view: ProvenanceView): string {
  const t = pageStrings(view.lang);
  const row = (label: string, value: string | null | undefined) =>
    `<dt>${esc(label)}</dt><dd>${value ? esc(value) : `<span class="muted">${esc(t.none)}</span>`}</dd>`;
  const langLinks = view.languages
    .filter((l) => l !== view.lang)
    .map((l) => `<a href="?lang=${esc(l)}" hreflang="${esc(l)}" lang="${esc(l)}">${esc(l.toUpperCase())}</a>`)
    .join('');
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
        `<li class="stage"><strong>${esc(s.label)}</strong>${s.erroneous ? ` <span class="bad erroneous">(${esc(t.erroneous)})</span>` : ''}${s.corrected ? ` <span class="muted correction">(${esc(t.correction)})</span>` : ''}<br><span class="muted">${esc(formatTime(s.time, view.lang))}</span><br>${esc(t.location)}: ${esc(s.location ?? t.none)}${
          s.locationCode ? ` <span class="muted">(${esc(s.locationCode)})</span>` : ''
        }<br><span class="muted">${esc(t.traceCode)}: ${esc(s.traceCode)}</span></li>`,
    )
    .join('');
  return `<!doctype html><html lang="${esc(view.lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(view.product.name)} — ${esc(t.title)}</title><link rel="canonical" href="${esc(view.uri)}"><style>${CSS}</style></head><body>
<header><span>Nguồn · ${esc(t.title)}</span><nav aria-label="${esc(t.language)}">${langLinks}</nav></header><main>
${recall}
<h1 id="product-name">${esc(view.product.name)}</h1>
${view.product.image ? `<img id="product-image" src="${esc(view.product.image.url)}" alt="${esc(view.product.image.alt)}" loading="lazy" decoding="async" width="640" height="480">` : ''}
<section class="card"><dl>
${row(t.producer, view.producer.name)}${row(t.address, view.producer.address)}${row(t.traceCode, view.uri)}${row(t.lot, view.lot.lotCode)}
${view.lot.serial ? row(t.serial, view.lot.serial) : ''}${row(t.brand, view.product.brand)}${row(t.produced, formatDate(view.lot.producedOn, view.lang))}
${row(t.expiry, formatDate(view.lot.expiresOn, view.lang))}${view.lot.season ? row(t.season, view.lot.season) : ''}${row(t.standards, view.product.standards.join(', ') || null)}
</dl></section>
${view.product.description ? `<p>${esc(view.product.description)}</p>` : ''}
<h2>${esc(t.certifications)}</h2>${certs ? `<ul id="certifications">${certs}</ul>` : `<p class="muted">${esc(t.none)}</p>`}
${view.area ? `<h2>${esc(t.area)}</h2><p id="area">${esc(view.area.name)} (${esc(view.area.code)})${view.area.hectares ? `, ${esc(view.area.hectares)} ha` : ''}${view.area.crop ? `, ${esc(view.area.crop)}` : ''}</p>` : ''}
<h2>${esc(t.stages)}</h2>${stages ? `<ol id="timeline">${stages}</ol>` : `<p class="muted">${esc(t.none)}</p>`}
<p class="muted">GTIN ${esc(view.product.gtin)}${view.producer.gln ? ` · GLN ${esc(view.producer.gln)}` : ''}</p>
</main></body></html>`;
}
