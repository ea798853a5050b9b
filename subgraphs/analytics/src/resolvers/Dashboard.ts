import { badInput, labelLanguage, localize } from '@nguon/shared';
import type { DashboardResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { answerAggregate, lastDayOfMonth } from '../answers';
import { districtsWithoutTraceable, expiringCertificates, productMonthVolumes } from '../data/dashboard';
import { parseAggregateInput } from '../query';
import { SEASON_CODES, seasonCodeLabel, seasonOfMonth } from '../seasons';
import { unitLabel } from '../units';
import { figureBasis } from '../figures';

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const bounded = (value: number, max: number, field: string) => {
  if (!Number.isInteger(value) || value < 1 || value > max) throw badInput(`\`${field}\` must be between 1 and ${max}.`, [field]);
  return value;
};

export const Dashboard: DashboardResolvers<Context> = {
  scope: (d) => d.roots,
  asOf: (d) => d.asOf,
  seasonality: async (d, { first }, ctx) => {
    const rows = await productMonthVolumes(ctx.db, d.roots, bounded(first ?? 20, 100, 'first'), { viewer: ctx.viewer, rule: ctx.suppression });
    const products = new Map<string, { unit: string; name: string; months: number[]; first: string; last: string }>();
    for (const r of rows) {
      // A published product always has a name in its default language; localize falls back to it.
      const p = products.get(r.productId) ?? {
        unit: r.unit,
        name: localize(r.name, d.langs)?.text ?? '',
        months: Array(12).fill(0),
        first: r.firstMonth,
        last: r.lastMonth,
      };
      p.months[r.month - 1] += r.volume;
      if (r.firstMonth < p.first) p.first = r.firstMonth;
      if (r.lastMonth > p.last) p.last = r.lastMonth;
      products.set(r.productId, p);
    }
    return [...products.entries()]
      .map(([productId, p]) => {
        const volume = p.months.reduce((a, b) => a + b, 0);
        const bySeason = SEASON_CODES.map((code) => ({
          season: code,
          label: seasonCodeLabel(code, labelLanguage(d.langs)),
          volume: p.months.reduce((sum, v, i) => (seasonOfMonth(2000, i + 1).code === code ? sum + v : sum), 0),
        }));
        return {
          productId,
          name: p.name,
          unit: p.unit,
          unitLabel: unitLabel(p.unit, labelLanguage(d.langs)),
          volume,
          seasons: bySeason.map((s) => ({ ...s, share: volume ? s.volume / volume : 0 })),
          peakSeason: [...bySeason].sort((a, b) => b.volume - a.volume)[0]!.season,
          monthlyShare: p.months.map((v) => (volume ? v / volume : 0)),
          basis: figureBasis('SEASONALITY', labelLanguage(d.langs), { from: p.first, to: lastDayOfMonth(p.last) }, d.asOf),
        };
      })
      .sort((a, b) => b.volume - a.volume);
  },
  topProducers: (d, { first, unit, from, to }, ctx) => {
    // The generic aggregate answers this; the scope was settled by `dashboard`.
    const query = parseAggregateInput(
      ctx.viewer,
      {
        measures: ['PRODUCTION_VOLUME', 'LOT_COUNT'],
        groupBy: ['PRODUCER'],
        filter: { from, to },
        orderBy: { measure: 'PRODUCTION_VOLUME', direction: 'DESC', unit: unit ?? 'KGM' },
      },
      [],
    );
    return answerAggregate(ctx, { ...query, roots: d.roots }, { first: bounded(first ?? 10, 100, 'first'), offset: 0 }, d.langs);
  },
  districtsWithoutTraceableProducts: async (d, _args, ctx) => {
    // All recorded history, from the rollup the dashboard was settled on.
    const basis = figureBasis('DISTRICTS_WITHOUT_TRACEABLE_PRODUCTS', labelLanguage(d.langs), { from: null, to: null }, d.asOf);
    return (await districtsWithoutTraceable(ctx.db, d.roots)).map((r) => ({ code: r.code, name: localize(r.name, d.langs)?.text ?? null, basis }));
  },
  certificateExpiries: async (d, { days }, ctx) => {
    const window = bounded(days ?? 90, 3650, 'days');
    const { rows, today } = await expiringCertificates(ctx.db, d.roots, window);
    // Read live from catalog, not from a rollup: as of now, over today … today + days.
    const basis = figureBasis('CERTIFICATE_EXPIRIES', labelLanguage(d.langs), { from: today, to: addDays(today, window) }, new Date());
    return rows.map((r) => ({ ...r, basis }));
  },
};
