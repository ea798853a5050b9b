import { aggregateRoots, badInput, covers, forbidden, unauthenticated, type Viewer } from '@nguon/shared';

/**
 * What an aggregate may be grouped by and what it may measure, with the
 * validation both the GraphQL field and the CSV export apply — one set of
 * rules, one set of error messages.
 */
export const DIMENSIONS = ['DISTRICT', 'AREA', 'SECTOR', 'CATEGORY', 'PRODUCER', 'PRODUCT', 'MONTH', 'SEASON'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const MEASURES = [
  'LOT_COUNT',
  'PRODUCTION_VOLUME',
  'PROCESSED_OUTPUT',
  'PROCESSING_YIELD',
  'SHIPPED_QUANTITY',
  'SOLD_QUANTITY',
  'PRODUCT_COUNT',
  'PRODUCER_COUNT',
  'RECALLED_LOT_COUNT',
  'EVENT_COUNT',
  'SCAN_COUNT',
  'RECALL_COUNT',
  'RECALL_HOURS_TO_IDENTIFY',
  'RECALL_RECOVERED_SHARE',
] as const;
export type Measure = (typeof MEASURES)[number];

/**
 * Measures whose source is not in the read contract yet: they answer null
 * (documented in the schema) instead of a made-up zero. Every measure has a
 * source today; the set stays so the next measure can be declared before
 * its data exists.
 */
export const PENDING_MEASURES: ReadonlySet<Measure> = new Set<Measure>();

/**
 * Measures with one value per stage and unit (docs/statistics.md). Rows
 * cannot be ordered by them, and the CSV export does not carry them yet: its
 * one unit column has no place for the stage.
 */
export const STAGED_MEASURES: ReadonlySet<Measure> = new Set<Measure>(['PROCESSED_OUTPUT', 'PROCESSING_YIELD', 'SHIPPED_QUANTITY', 'SOLD_QUANTITY']);

export const SECTORS = ['AGRICULTURE', 'INDUSTRY_TRADE', 'HEALTH'] as const;
export const MAX_GROUP_BY = 4;
export const MAX_AGGREGATE_ROWS = 5000;
export const DEFAULT_AGGREGATE_ROWS = 1000;

export interface AggregateFilter {
  /** First month counted, YYYY-MM-01 (the `from` date's month). */
  fromMonth: string | null;
  /** Last month counted, YYYY-MM-01 (the `to` date's month). */
  toMonth: string | null;
  districtCodes: string[] | null;
  /** Organizations of any level (areas, departments…): rows of producers in their subtrees, from the tree as it is now. */
  areaIds: string[] | null;
  sectors: string[] | null;
  categories: string[] | null;
  producerIds: string[] | null;
  productIds: string[] | null;
}

export interface AggregateQuery {
  measures: Measure[];
  groupBy: Dimension[];
  /** Level code (tenants.levels) the AREA dimension groups by; null without AREA. */
  areaLevel: string | null;
  filter: AggregateFilter;
  /** Tree nodes the figures are limited to: the viewer's rights intersected with `under`. */
  roots: string[];
  orderBy: { measure: Measure; descending: boolean; unit: string } | null;
}

export interface RawAggregateInput {
  measures?: readonly string[] | null;
  groupBy?: readonly string[] | null;
  areaLevel?: string | null;
  filter?: {
    from?: string | null;
    to?: string | null;
    districtCodes?: readonly string[] | null;
    areaIds?: readonly string[] | null;
    sectors?: readonly string[] | null;
    categories?: readonly string[] | null;
    producerIds?: readonly string[] | null;
    productIds?: readonly string[] | null;
  } | null;
  under?: string | null;
  orderBy?: { measure: string; direction?: string | null; unit?: string | null } | null;
}

const PATH = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function list(values: readonly string[] | null | undefined, field: string[], check?: (v: string) => boolean, what?: string): string[] | null {
  if (values === null || values === undefined) return null;
  if (values.length > 500) throw badInput('At most 500 values per filter.', field);
  values.forEach((v, i) => {
    if (check && !check(v)) throw badInput(`"${v}" is not ${what}.`, [...field, String(i)]);
  });
  return [...new Set(values)];
}

function monthOf(date: string, field: string[]): string {
  const parsed = new Date(`${date}T00:00:00Z`);
  if (!DATE.test(date) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    throw badInput(`"${date}" is not a calendar date (YYYY-MM-DD).`, field);
  }
  return `${date.slice(0, 7)}-01`;
}

/** Which subtrees a viewer gets: `under` intersected with their aggregate rights (see schema: AggregateInput.under). */
export function aggregateScope(viewer: Viewer, under: string | null | undefined, field: string[] = ['input', 'under']): string[] {
  if (viewer.kind === 'anonymous') throw unauthenticated('Sign in (or use an API client) to read aggregates.');
  // A grant under another grant adds nothing: keep the outermost nodes only.
  const granted = [...new Set(aggregateRoots(viewer))];
  const roots = granted.filter((r) => !granted.some((o) => o !== r && covers(o, r)));
  if (roots.length === 0) throw forbidden('Aggregates need an ANALYST, OFFICER or ADMIN role, or an API client with the aggregates:read scope.');
  if (under === null || under === undefined) return roots;
  if (!PATH.test(under)) throw badInput(`"${under}" is not an organization path (e.g. ct.agri.thot_not).`, field);
  if (roots.some((r) => covers(r, under))) return [under];
  const inside = roots.filter((r) => covers(under, r));
  if (inside.length > 0) return inside;
  throw forbidden(`You may not read aggregates under ${under}.`);
}

/**
 * `staged`: whether the caller can answer staged measures (the GraphQL
 * field can; the CSV export cannot yet and refuses them before writing).
 */
export function parseAggregateInput(
  viewer: Viewer,
  input: RawAggregateInput,
  prefix: string[] = ['input'],
  options: { staged?: boolean } = {},
): AggregateQuery {
  const at = (...path: string[]) => [...prefix, ...path];
  const measures = [...new Set(input.measures ?? [])];
  if (measures.length === 0) throw badInput('Ask for at least one measure.', at('measures'));
  measures.forEach((m, i) => {
    if (!(MEASURES as readonly string[]).includes(m)) throw badInput(`Unknown measure "${m}"; one of ${MEASURES.join(', ')}.`, at('measures', String(i)));
    if (!options.staged && STAGED_MEASURES.has(m as Measure))
      throw badInput(`${m} has one value per stage and unit and is not in the CSV export yet; ask the GraphQL aggregate.`, at('measures', String(i)));
  });
  const groupBy = input.groupBy ?? [];
  groupBy.forEach((d, i) => {
    if (!(DIMENSIONS as readonly string[]).includes(d)) throw badInput(`Unknown grouping "${d}"; one of ${DIMENSIONS.join(', ')}.`, at('groupBy', String(i)));
  });
  if (new Set(groupBy).size !== groupBy.length) throw badInput('Each grouping may appear once.', at('groupBy'));
  if (groupBy.length > MAX_GROUP_BY) throw badInput(`Group by at most ${MAX_GROUP_BY} dimensions.`, at('groupBy'));
  // Which level AREA groups by is data (tenants.levels); checkAreaLevel (data/aggregate.ts) refuses an unknown code.
  const areaLevel = input.areaLevel ?? null;
  if (groupBy.includes('AREA') && areaLevel === null) throw badInput('Grouping by AREA needs an areaLevel, e.g. "district" or "commune".', at('areaLevel'));
  if (!groupBy.includes('AREA') && areaLevel !== null) throw badInput('areaLevel applies to the AREA grouping only.', at('areaLevel'));
  if (areaLevel !== null && !/^[a-z0-9_]{1,40}$/.test(areaLevel)) throw badInput(`"${areaLevel}" is not a level code.`, at('areaLevel'));

  const f = input.filter ?? {};
  const fromMonth = f.from ? monthOf(f.from, at('filter', 'from')) : null;
  const toMonth = f.to ? monthOf(f.to, at('filter', 'to')) : null;
  if (f.from && f.to && f.to < f.from) throw badInput(`The end date ${f.to} is before the start date ${f.from}.`, at('filter', 'to'));
  const filter: AggregateFilter = {
    fromMonth,
    toMonth,
    districtCodes: list(f.districtCodes, at('filter', 'districtCodes'), (v) => /^[0-9A-Za-z_-]{1,20}$/.test(v), 'a district code'),
    areaIds: list(f.areaIds, at('filter', 'areaIds'), (v) => UUID.test(v), 'an organization id'),
    sectors: list(f.sectors, at('filter', 'sectors'), (v) => (SECTORS as readonly string[]).includes(v), `a sector (${SECTORS.join(', ')})`),
    categories: list(f.categories, at('filter', 'categories'), (v) => /^[a-z0-9_.]{1,100}$/.test(v), 'a category code'),
    producerIds: list(f.producerIds, at('filter', 'producerIds'), (v) => UUID.test(v), 'an organization id'),
    productIds: list(f.productIds, at('filter', 'productIds'), (v) => UUID.test(v), 'a product id'),
  };

  let orderBy: AggregateQuery['orderBy'] = null;
  if (input.orderBy) {
    const measure = input.orderBy.measure as Measure;
    if (!measures.includes(measure)) throw badInput('Order by one of the measures asked for.', at('orderBy', 'measure'));
    if (PENDING_MEASURES.has(measure)) throw badInput(`${measure} has no data source yet and cannot order rows.`, at('orderBy', 'measure'));
    if (STAGED_MEASURES.has(measure)) throw badInput(`${measure} has one value per stage and unit and cannot order rows.`, at('orderBy', 'measure'));
    orderBy = { measure, descending: input.orderBy.direction !== 'ASC', unit: input.orderBy.unit ?? 'KGM' };
  }
  return {
    measures: measures as Measure[],
    groupBy: groupBy as Dimension[],
    areaLevel,
    filter,
    roots: aggregateScope(viewer, input.under, at('under')),
    orderBy,
  };
}
