import { sql } from 'drizzle-orm';
import { fixedLabel, labelLanguage, localize, rowsOf, SECTOR_LABELS, type Database, type LabelLanguage, asJson } from '@nguon/shared';
import type { Dimension } from '../query';
import { parseSeasonKey, seasonLabel } from '../seasons';

type TextMap = Record<string, string>;

/** A month key (2025-01) as people read it in each language; English keeps the sortable key. */
const MONTH_LABEL: Record<LabelLanguage, (year: string, month: string) => string> = {
  vi: (y, m) => `Tháng ${m}/${y}`,
  en: (y, m) => `${y}-${m}`,
  zh: (y, m) => `${y}年${Number(m)}月`,
  ko: (y, m) => `${y}년 ${Number(m)}월`,
  ja: (y, m) => `${y}年${Number(m)}月`,
};

/** Human labels for grouping keys, in one language. Keys stay the stable values; labels are for people. */
export type Labeler = (dimension: Dimension, key: string) => string | null;

/**
 * Loads the names the keys of one answer need, one statement for all of them.
 * Product names are shown only for published products: a draft's name is
 * INTERNAL data and an aggregate must not leak it.
 */
export async function loadLabels(db: Database, keys: Partial<Record<Dimension, Set<string>>>, langs: string[]): Promise<Labeler> {
  const names = new Map<string, TextMap>();
  const parts = [];
  const districts = [...(keys.DISTRICT ?? [])].filter(Boolean);
  const producers = [...(keys.PRODUCER ?? [])];
  const areas = [...(keys.AREA ?? [])].filter(Boolean);
  const products = [...(keys.PRODUCT ?? [])];
  const categories = [...(keys.CATEGORY ?? [])];
  // The district's own node names its code: a commune below it carries the same code (issue 16's relabel bug).
  if (districts.length) {
    parts.push(sql`select distinct on (district_code) 'DISTRICT' as dim, district_code as key, name from analytics.organization_labels
      where kind = 'AREA' and district_code in (${sql.join(
        districts.map((d) => sql`${d}`),
        sql`, `,
      )}) order by district_code, (level = 'district') desc, id`);
  }
  if (areas.length) {
    parts.push(
      sql`select 'AREA' as dim, id::text as key, name from analytics.organization_labels where id in (${sql.join(
        areas.map((p) => sql`${p}::uuid`),
        sql`, `,
      )})`,
    );
  }
  if (producers.length) {
    parts.push(
      sql`select 'PRODUCER' as dim, id::text as key, name from analytics.organization_labels where id in (${sql.join(
        producers.map((p) => sql`${p}::uuid`),
        sql`, `,
      )})`,
    );
  }
  if (products.length) {
    parts.push(sql`select 'PRODUCT' as dim, id::text as key, name from analytics.product_labels
      where status = 'PUBLISHED' and id in (${sql.join(
        products.map((p) => sql`${p}::uuid`),
        sql`, `,
      )})`);
  }
  if (categories.length) {
    parts.push(
      sql`select 'CATEGORY' as dim, code as key, name from analytics.categories where code in (${sql.join(
        categories.map((c) => sql`${c}`),
        sql`, `,
      )})`,
    );
  }
  if (parts.length) {
    // Parenthesised: the district part has its own ORDER BY (for DISTINCT ON), which a bare UNION ALL refuses.
    const rows = rowsOf<{ dim: string; key: string; name: TextMap | string }>(
      await db.execute(
        sql.join(
          parts.map((part) => sql`(${part})`),
          sql` union all `,
        ),
      ),
    );
    for (const row of rows) names.set(`${row.dim}|${row.key}`, asJson(row.name));
  }
  const lang = labelLanguage(langs);
  return (dimension, key) => {
    if (key === '') return null;
    switch (dimension) {
      case 'SEASON': {
        const season = parseSeasonKey(key);
        return season ? seasonLabel(season, lang) : key;
      }
      case 'MONTH':
        return MONTH_LABEL[lang](key.slice(0, 4), key.slice(5, 7));
      case 'SECTOR':
        return fixedLabel(SECTOR_LABELS, key, lang) ?? key;
      default:
        return localize(names.get(`${dimension}|${key}`), langs)?.text ?? null;
    }
  };
}
