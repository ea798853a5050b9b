import type { FieldClassMap } from '@nguon/shared';

const open = (...fields: string[]) => Object.fromEntries(fields.map((f) => [f, 'OPEN' as const]));

/**
 * The permission class of every field of the analytics graph (docs/permissions.md §4);
 * unlisted fields are denied.
 *
 * Root fields are SIGNED_IN: anonymous callers get UNAUTHENTICATED from the
 * shield before any SQL runs. Past that, each root field settles the scope
 * itself (the viewer's aggregate roots intersected with `under`, FORBIDDEN
 * when that is empty) and the SQL only reads rows inside it, so the result
 * types below are plain values computed for this viewer: OPEN. Labels that
 * could leak row data (names of unpublished products) are removed in SQL,
 * and figures that could disclose INTERNAL values of a few lots are withheld
 * by small-cell suppression (src/suppression.ts) before they leave.
 */
export const fieldClasses: FieldClassMap = {
  Query: { aggregate: 'SIGNED_IN', forecast: 'SIGNED_IN', dashboard: 'SIGNED_IN' },
  // `stats` decides coverage from the viewer's rights over the subtree or product itself.
  Organization: open('id', 'stats'),
  OrganizationStats: open('productCount', 'lotCount', 'coverage'),
  Product: open('id', 'stats'),
  ProductStats: open('lotCount', 'coverage', 'volume', 'firstProducedOn', 'lastProducedOn', 'suppressionReason'),
  ProducedQuantity: open('value', 'unit', 'unitLabel', 'suppressed', 'suppressionReason'),
  AggregateResult: open('rows', 'totalRows', 'hasMore', 'nextCursor', 'scope', 'period', 'asOf', 'lang', 'pendingMeasures', 'basis'),
  AggregateRow: open('keys', 'values'),
  AggregateKey: open('dimension', 'value', 'label'),
  AggregateValue: open('measure', 'stage', 'inputUnit', 'value', 'unit', 'unitLabel', 'suppressed', 'suppressionReason'),
  AggregatePeriod: open('from', 'to'),
  FigureBasis: open('figure', 'counts', 'period', 'asOf'),
  Forecast: open('unit', 'unitLabel', 'model', 'level', 'history', 'points', 'backtest', 'scope', 'asOf'),
  SeasonVolume: open('season', 'label', 'volume'),
  ForecastPoint: open('season', 'label', 'value', 'lower', 'upper'),
  Backtest: open('mape', 'seasons'),
  BacktestSeason: open('season', 'actual', 'predicted'),
  Dashboard: open('scope', 'seasonality', 'topProducers', 'districtsWithoutTraceableProducts', 'certificateExpiries', 'asOf'),
  ProductSeasonality: open('productId', 'name', 'unit', 'unitLabel', 'volume', 'seasons', 'peakSeason', 'monthlyShare', 'basis'),
  SeasonShare: open('season', 'label', 'volume', 'share'),
  DistrictSummary: open('code', 'name', 'basis'),
  CertificateExpiry: open('productId', 'scheme', 'number', 'validTo', 'daysLeft', 'basis'),
};
