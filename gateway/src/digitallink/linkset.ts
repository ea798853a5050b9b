import { LABEL_LANGUAGES } from '@nguon/shared/languages';

/**
 * Links a resolver offers for one item, as an RFC 9264 linkset
 * (`application/linkset+json`) keyed by GS1 link-type URIs (GS1 Web
 * Vocabulary). Every link points at this deployment; `gs1:defaultLink` is
 * the consumer page.
 */
export const GS1_VOC = 'https://gs1.org/voc/';

export const LINK_TYPES: Record<string, { fragment: string; title: Record<string, string> }> = {
  'gs1:defaultLink': { fragment: '', title: { vi: 'Thông tin truy xuất nguồn gốc', en: 'Traceability information' } },
  'gs1:pip': { fragment: '', title: { vi: 'Thông tin sản phẩm', en: 'Product information' } },
  'gs1:traceability': { fragment: '#timeline', title: { vi: 'Hành trình sản phẩm', en: 'Product journey' } },
  'gs1:certificationInfo': { fragment: '#certifications', title: { vi: 'Chứng nhận', en: 'Certifications' } },
  'gs1:recallStatus': { fragment: '#recall-status', title: { vi: 'Tình trạng thu hồi', en: 'Recall status' } },
};

export const isKnownLinkType = (linkType: string) => linkType in LINK_TYPES;

/** Where a linkType redirects: the consumer page, at the section that answers it. */
export function linkTarget(canonicalUri: string, linkType: string, lang: string | null): string {
  const entry = LINK_TYPES[linkType]!;
  return `${canonicalUri}${lang ? `?lang=${encodeURIComponent(lang)}` : ''}${entry.fragment}`;
}

export function linkset(canonicalUri: string, languages: string[]): { linkset: Record<string, unknown>[] } {
  const item: Record<string, unknown> = { anchor: canonicalUri };
  for (const [type, entry] of Object.entries(LINK_TYPES)) {
    item[`${GS1_VOC}${type.slice(4)}`] = languages.map((lang) => ({
      href: linkTarget(canonicalUri, type, lang),
      title: entry.title[lang] ?? entry.title.vi,
      type: 'text/html',
      hreflang: [lang],
    }));
  }
  return { linkset: [item] };
}

/** `/.well-known/gs1resolver` (GS1-Conformant Resolver Standard §6). */
export function resolverDescription(baseUrl: string) {
  return {
    name: 'Nguồn — GS1 Digital Link resolver',
    resolverRoot: baseUrl,
    supportedPrimaryKeys: ['01'],
    supportedLinkType: Object.keys(LINK_TYPES).map((prefixed) => ({ namespace: GS1_VOC, prefix: 'gs1:', profile: `${GS1_VOC}${prefixed.slice(4)}` })),
    linkTypeDefaultCanBeLinkset: true,
    supportedContextValuesEnumerated: [],
    supportedLanguages: [...LABEL_LANGUAGES],
    validatesCheckDigit: true,
  };
}
