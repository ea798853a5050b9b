import { GraphQLError } from 'graphql';
import { badInput, decodeCursor, encodeCursor, ErrorCode, isLanguageTag, labelLanguage, notFound } from '@nguon/shared';
import type { Context } from './context';
import { checkAreaLevel, runAggregate, type AggregateRowData } from './data/aggregate';
import { seasonVolumes } from './data/forecast';
import { loadLabels } from './data/labels';
import { figureBasis } from './figures';
import { forecastSeries } from './forecast/model';
import type { AggregateInput, AggregateResult, AggregateValue, Forecast, ForecastInput } from './generated/graphql';
import {
  DEFAULT_AGGREGATE_ROWS,
  MAX_AGGREGATE_ROWS,
  PENDING_MEASURES,
  STAGED_MEASURES,
  aggregateScope,
  parseAggregateInput,
  type AggregateFilter,
  type AggregateQuery,
  type Dimension,
  type Measure,
} from './query';
import { unitLabel } from './units';
import { parseSeasonKey, seasonFromOrdinal, seasonKey, seasonLabel, seasonOfMonth, seasonOrdinal, SEASONS_PER_YEAR } from './seasons';

/**
 * Turns validated questions into answers: scope, rollup freshness, SQL (in
 * data/), labels and the forecast model. Resolvers call these and nothing else.
 */

export function languages(lang: string | null | undefined, accepted: string[], field: string[]): string[] {
  if (lang !== null && lang !== undefined && !isLanguageTag(lang)) throw badInput(`"${lang}" is not a BCP 47 language tag (e.g. vi, en, zh).`, field);
  return lang ? [lang.toLowerCase(), ...accepted] : accepted.length ? accepted : ['vi'];
}

export const lastDayOfMonth = (month: string) => {
  const d = new Date(`${month}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
};

/** Field of the row and unit of each single-valued measure (PRODUCTION_VOLUME has one value per unit). */
const FIELDS = {
  LOT_COUNT: ['lotCount', 'count'],
  PRODUCT_COUNT: ['productCount', 'count'],
  PRODUCER_COUNT: ['producerCount', 'count'],
  RECALLED_LOT_COUNT: ['recalledLotCount', 'count'],
  EVENT_COUNT: ['eventCount', 'count'],
  SCAN_COUNT: ['scanCount', 'count'],
  RECALL_COUNT: ['recallCount', 'count'],
  RECALL_HOURS_TO_IDENTIFY: ['recallHoursToIdentify', 'hours'],
  RECALL_RECOVERED_SHARE: ['recallRecoveredShare', 'ratio'],
} as const satisfies Record<Exclude<Measure, 'PRODUCTION_VOLUME' | StagedMeasure>, [keyof AggregateRowData, string]>;

type StagedMeasure = 'PROCESSED_OUTPUT' | 'PROCESSING_YIELD' | 'SHIPPED_QUANTITY' | 'SOLD_QUANTITY';

/** Values of a staged measure: one per stage and unit present, withheld cells null with their reason. */
function stagedValues(measure: StagedMeasure, row: AggregateRowData): AggregateValue[] {
  const list = { PROCESSED_OUTPUT: row.processed, PROCESSING_YIELD: row.processed, SHIPPED_QUANTITY: row.shipped, SOLD_QUANTITY: row.sold }[measure];
  const isYield = measure === 'PROCESSING_YIELD';
  // A yield exists only where input and output were comparable; no value rather than a made-up one.
  return list
    .filter((v) => !isYield || v.reason !== null || v.yield !== null)
    .map((v) => ({
      measure,
      value: v.reason ? null : isYield ? v.yield : Number(v.quantity),
      unit: isYield ? 'ratio' : v.unit,
      stage: v.stage,
      inputUnit: isYield ? v.unit : null,
      suppressed: v.reason !== null,
      suppressionReason: v.reason,
    }));
}

const isStaged = (m: Measure): m is StagedMeasure => STAGED_MEASURES.has(m);

export async function answerAggregate(ctx: Context, query: AggregateQuery, page: { first: number; offset: number }, langs: string[]): Promise<AggregateResult> {
  await checkAreaLevel(ctx.db, query);
  const asOf = await ctx.rollups.ensureFresh(ctx.db);
  const rows = await runAggregate(ctx.db, query, { viewer: ctx.viewer, rule: ctx.suppression }, page.first, page.offset);
  const keys: Partial<Record<Dimension, Set<string>>> = {};
  for (const row of rows) query.groupBy.forEach((d, i) => (keys[d] ??= new Set()).add(row.keys[i]!));
  const label = await loadLabels(ctx.db, keys, langs);
  const total = rows[0]?.totalRows ?? 0;
  const period = { from: query.filter.fromMonth, to: query.filter.toMonth ? lastDayOfMonth(query.filter.toMonth) : null };
  const hasMore = page.offset + rows.length < total;
  return {
    rows: rows.map((row) => ({
      keys: query.groupBy.map((dimension, i) => ({ dimension, value: row.keys[i] || null, label: label(dimension, row.keys[i]!) })),
      values: query.measures.flatMap((measure): AggregateValue[] => {
        if (isStaged(measure)) return stagedValues(measure, row);
        if (measure === 'PRODUCTION_VOLUME') {
          return row.volumes.map((v) => ({
            measure,
            value: v.reason ? null : Number(v.quantity),
            unit: v.unit,
            suppressed: v.reason !== null,
            suppressionReason: v.reason,
          }));
        }
        const [field, unit] = FIELDS[measure];
        // Counts are facts, never withheld; the two recall figures read INTERNAL records.
        const reason = measure === 'RECALL_HOURS_TO_IDENTIFY' || measure === 'RECALL_RECOVERED_SHARE' ? row.recallSuppressed : null;
        const value = PENDING_MEASURES.has(measure) || reason ? null : (row[field] as number | null);
        return [{ measure, value, unit, suppressed: reason !== null, suppressionReason: reason }];
      }),
    })),
    totalRows: total,
    hasMore,
    nextCursor: hasMore ? encodeCursor(String(page.offset + rows.length)) : null,
    scope: query.roots,
    period,
    asOf,
    lang: labelLanguage(langs),
    pendingMeasures: query.measures.filter((m) => PENDING_MEASURES.has(m)),
    basis: query.measures.map((m) => figureBasis(m, labelLanguage(langs), period, asOf)),
  };
}

export function aggregate(ctx: Context, input: AggregateInput): Promise<AggregateResult> {
  const query = parseAggregateInput(ctx.viewer, input, ['input'], { staged: true });
  const first = input.first ?? DEFAULT_AGGREGATE_ROWS;
  if (!Number.isInteger(first) || first < 1 || first > MAX_AGGREGATE_ROWS)
    throw badInput(`\`first\` must be between 1 and ${MAX_AGGREGATE_ROWS}.`, ['input', 'first']);
  const cursor = decodeCursor(input.after);
  const offset = cursor === null ? 0 : Number(cursor);
  if (!Number.isInteger(offset) || offset < 0) throw badInput('`after` is not a cursor this API gave out.', ['input', 'after']);
  return answerAggregate(ctx, query, { first, offset }, languages(input.lang, ctx.langs, ['input', 'lang']));
}

export const MAX_HORIZON = 20;

/** The season in progress today is not history yet: a half-harvested season would drag the forecast down. */
function lastCompletedSeasonOrdinal(now = new Date()): number {
  return seasonOrdinal(seasonOfMonth(now.getUTCFullYear(), now.getUTCMonth() + 1)) - 1;
}

export async function forecast(ctx: Context, input: ForecastInput): Promise<Forecast> {
  const { horizon } = input;
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > MAX_HORIZON) {
    throw badInput(`The horizon must be between 1 and ${MAX_HORIZON} seasons (got ${horizon}).`, ['input', 'horizon']);
  }
  const level = input.level ?? 0.8;
  if (!(level >= 0.5 && level <= 0.99)) throw badInput('The interval level must be between 0.5 and 0.99.', ['input', 'level']);
  const backtestSeasons = input.backtestSeasons ?? 3;
  if (!Number.isInteger(backtestSeasons) || backtestSeasons < 1 || backtestSeasons > 12) {
    throw badInput('backtestSeasons must be between 1 and 12.', ['input', 'backtestSeasons']);
  }
  const targets = Object.entries(input.target).filter(([, v]) => v !== null && v !== undefined);
  if (targets.length !== 1) throw badInput('Name exactly one of productId, category, districtCode or sector.', ['input', 'target']);
  const langs = languages(input.lang, ctx.langs, ['input', 'lang']);
  // The target is one more filter on the same validated shape the aggregate uses.
  const [field, value] = targets[0]! as [string, string];
  const filterInput = {
    productId: { productIds: [value] },
    category: { categories: [value] },
    districtCode: { districtCodes: [value] },
    sector: { sectors: [value] },
  }[field as 'productId'];
  const roots = aggregateScope(ctx.viewer, input.under);
  const parsed = parseAggregateInput(ctx.viewer, { measures: ['PRODUCTION_VOLUME'], filter: filterInput }, ['input', 'target']);
  const asOf = await ctx.rollups.ensureFresh(ctx.db);
  const volumes = await seasonVolumes(ctx.db, roots, parsed.filter as AggregateFilter, { viewer: ctx.viewer, rule: ctx.suppression });

  const totals = new Map<string, number>();
  for (const v of volumes) totals.set(v.unit, (totals.get(v.unit) ?? 0) + v.volume);
  const unit = input.unit ?? [...totals.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const series = volumes.filter((v) => v.unit === unit);
  if (!unit || series.length === 0) throw notFound(`Production for this target${input.unit ? ` in ${input.unit}` : ''} in your scope`);
  const bySeason = new Map(series.map((v) => [seasonOrdinal(parseSeasonKey(v.season)!), v.volume]));
  const start = Math.min(...bySeason.keys());
  const end = Math.min(Math.max(...bySeason.keys()), lastCompletedSeasonOrdinal());
  if (end < start) throw notFound('A completed season of production for this target');
  // The history, the backtest's actuals and the naive models' points repeat
  // season volumes: a season resting on too few lots or producers that the
  // viewer may not read would be disclosed by any of them, so no forecast.
  const withheld = series.find((v) => v.reason !== null && seasonOrdinal(parseSeasonKey(v.season)!) <= end);
  if (withheld) {
    throw new GraphQLError(
      `Season ${withheld.season} of this target rests on too few lots or producers to show you (small-cell suppression): ask for a larger group, or ask someone who may read its lots.`,
      { extensions: { code: ErrorCode.FORBIDDEN, suppressionReason: withheld.reason, season: withheld.season } },
    );
  }

  const ordinals = Array.from({ length: end - start + 1 }, (_, i) => start + i);
  const history = ordinals.map((o) => bySeason.get(o) ?? 0);

  const result = forecastSeries(history, { period: SEASONS_PER_YEAR, horizon, level, backtestSeasons });
  const describe = (o: number) => {
    const season = seasonFromOrdinal(o);
    return { season: seasonKey(season), label: seasonLabel(season, labelLanguage(langs)) };
  };
  return {
    unit,
    unitLabel: unitLabel(unit, labelLanguage(langs)),
    model: result.model,
    level,
    history: ordinals.map((o, i) => ({ ...describe(o), volume: history[i]! })),
    points: result.points.map((p) => ({ ...describe(end + p.step), value: p.value, lower: p.lower, upper: p.upper })),
    backtest: {
      mape: result.mape,
      seasons: result.backtest.map((b) => ({ season: describe(start + b.index).season, actual: b.actual, predicted: b.predicted })),
    },
    scope: roots,
    asOf,
  };
}
