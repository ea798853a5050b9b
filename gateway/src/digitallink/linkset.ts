import { LABEL_LANGUAGES } from '@nguon/shared/languages';

/**
 * What the resolver offers for an item, level by level (GS1-Conformant Resolver
 * Standard 1.x): links keyed by GS1 Web Vocabulary link types, served as an RFC 9264
 * linkset (`application/linkset+json`) that validates against GS1's linkset schema,
 * and the target a `linkType` request redirects to.
 *
 * An item has one entry per level from the URI up to its primary key — the serial, the
 * lot, the GTIN — each with exactly one `gs1:defaultLink` (a title and a target, no other
 * attribute, as the standard asks) and its other links in every page language. A lot
 * level exists only for a lot published here; the GTIN level is the product page, so a
 * GTIN with no lot, or with a lot not known here, still resolves (walking up the tree).
 * Every target is this deployment's consumer page, at `/page` + the canonical path:
 * the resolver's own URI answers browsers with the page itself and everyone else
 * with a redirect, so the page needs an address that is not a resolver request.
 */
export const GS1_VOC = 'https://gs1.org/voc/';

/** The GS1 Web Vocabulary is published under three namespaces; a link type in any of them, or as a `gs1:` CURIE, is the same. */
const VOC_NAMESPACES = /^(?:gs1:|https?:\/\/(?:www\.|ref\.)?gs1\.org\/voc\/)([A-Za-z]+)$/;

/** The path the consumer page answers at, for any GTIN, lot or serial path after it. */
export const PAGE_PREFIX = '/page';

type Level = 'item' | 'product';

interface LinkType {
  /** The page section that answers it. */
  fragment: string;
  title: Record<string, string>;
  levels: readonly Level[];
}

export const LINK_TYPES: Record<string, LinkType> = {
  pip: { fragment: '', title: { vi: 'Thông tin sản phẩm', en: 'Product information' }, levels: ['product'] },
  traceability: { fragment: '#timeline', title: { vi: 'Hành trình sản phẩm', en: 'Product journey' }, levels: ['item'] },
  certificationInfo: { fragment: '#certifications', title: { vi: 'Chứng nhận', en: 'Certifications' }, levels: ['item', 'product'] },
  recallStatus: { fragment: '#recall', title: { vi: 'Tình trạng thu hồi', en: 'Recall status' }, levels: ['item'] },
};

const DEFAULT_TITLE: Record<Level, Record<string, string>> = {
  item: { vi: 'Thông tin truy xuất nguồn gốc', en: 'Traceability information' },
  product: { vi: 'Thông tin sản phẩm', en: 'Product information' },
};

const titleIn = (title: Record<string, string>, lang: string) => title[lang] ?? title.vi!;

/** One level of an item: its canonical path and what it is, in words. */
export interface ItemLevel {
  path: string;
  level: Level;
  description: string;
}

export interface LinkObject {
  href: string;
  title: string;
  type?: string;
  hreflang?: string[];
}

/**
 * The link type a `linkType` parameter names (`gs1:pip`, `https://gs1.org/voc/pip`,
 * `gs1:defaultLink` …), or null when it names none this resolver knows.
 */
export function linkTypeOf(parameter: string): string | null {
  const name = VOC_NAMESPACES.exec(parameter)?.[1];
  return name && (name === 'defaultLink' || Object.hasOwn(LINK_TYPES, name)) ? name : null;
}

/** The consumer page for a level, in a language, at a section. */
const pageUrl = (baseUrl: string, path: string, lang: string | null, fragment = '') =>
  `${baseUrl}${PAGE_PREFIX}${path}${lang ? `?lang=${encodeURIComponent(lang)}` : ''}${fragment}`;

/** The links of one level, default link first. */
function linksOf(baseUrl: string, item: ItemLevel, languages: readonly string[], lang: string): Record<string, LinkObject[]> {
  const links: Record<string, LinkObject[]> = {
    defaultLink: [{ href: pageUrl(baseUrl, item.path, null), title: titleIn(DEFAULT_TITLE[item.level], lang) }],
  };
  for (const [name, entry] of Object.entries(LINK_TYPES)) {
    if (!entry.levels.includes(item.level)) continue;
    links[name] = languages.map((l) => ({
      href: pageUrl(baseUrl, item.path, l, entry.fragment),
      title: titleIn(entry.title, l),
      type: 'text/html',
      hreflang: [l],
    }));
  }
  return links;
}

/** The linkset of an item, most specific level first; `anchor` is always the uncompressed URI. */
export function linkset(baseUrl: string, levels: readonly ItemLevel[], languages: readonly string[], lang: string): { linkset: Record<string, unknown>[] } {
  return {
    linkset: levels.map((item) => {
      const entry: Record<string, unknown> = { anchor: `${baseUrl}${item.path}`, itemDescription: item.description };
      for (const [name, links] of Object.entries(linksOf(baseUrl, item, languages, lang))) entry[`${GS1_VOC}${name}`] = links;
      return entry;
    }),
  };
}

/**
 * Where a request for `linkType` redirects: the most specific level that has the link
 * type, and of its links the one in `lang` (else the first). Null: no such link, a 404.
 */
export function linkTarget(baseUrl: string, levels: readonly ItemLevel[], linkType: string, languages: readonly string[], lang: string): string | null {
  for (const item of levels) {
    const links = linksOf(baseUrl, item, languages, lang)[linkType];
    if (links) return (links.find((l) => l.hreflang?.includes(lang)) ?? links[0]!).href;
  }
  return null;
}

/**
 * A redirect target with the request's query string passed on (the standard's default),
 * `linkType` excepted; a parameter the target already has keeps the target's value.
 */
export function withQuery(href: string, query: URLSearchParams): string {
  const extra = [...query].filter(([key]) => key !== 'linkType');
  if (!extra.length) return href;
  const hash = href.indexOf('#');
  const [head, fragment] = hash < 0 ? [href, ''] : [href.slice(0, hash), href.slice(hash)];
  const target = new URL(head);
  for (const [key, value] of extra) if (!target.searchParams.has(key)) target.searchParams.append(key, value);
  return `${target.toString()}${fragment}`;
}

/** `/.well-known/gs1resolver` (GS1-Conformant Resolver Standard §6). */
export function resolverDescription(baseUrl: string) {
  return {
    name: 'Nguồn — GS1 Digital Link resolver',
    resolverRoot: baseUrl,
    supportedPrimaryKeys: ['01'],
    supportedLinkType: ['defaultLink', ...Object.keys(LINK_TYPES)].map((name) => ({ namespace: GS1_VOC, prefix: 'gs1:', profile: `${GS1_VOC}${name}` })),
    linkTypeDefaultCanBeLinkset: true,
    supportedContextValuesEnumerated: [],
    supportedLanguages: [...LABEL_LANGUAGES],
    validatesCheckDigit: true,
  };
}
