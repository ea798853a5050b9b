import { badInput, localize } from '@nguon/shared';
import type { DashboardResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { answerAggregate } from '../answers';
import { districtsWithoutTraceable, expiringCertificates, productMonthVolumes } from '../data/dashboard';
import { parseAggregateInput } from '../query';
import { SEASON_CODES, seasonCodeLabel, seasonOfMonth } from '../seasons';

const bounded = (value: number, max: number, field: string) => {
  if (!Number.isInteger(value) || value < 1 || value > max) throw badInput(`\`${field}\` must be between 1 and ${max}.`, [field]);
  return value;
};

export const Dashboard: DashboardResolvers<Context> = {
  scope: (d) => d.roots,
  asOf: (d) => d.asOf,
  seasonality: async (d, { first }, ctx) => {
    const rows = await productMonthVolumes(ctx.db, d.roots, bounded(first ?? 20, 100, 'first'), { viewer: ctx.viewer, rule: ctx.suppression });
    const products = new Map<string, { unit: string; name: string | null; months: number[] }>();
    for (const r of rows) {
      const p = products.get(r.productId) ?? { unit: r.unit, name: localize(r.name, d.langs)?.text ?? null, months: Array(12).fill(0) };
      p.months[r.month - 1] += r.volume;
      products.set(r.productId, p);
    }
    return [...products.entries()]
      .map(([productId, p]) => {
        const volume = p.months.reduce((a, b) => a + b, 0);
        const bySeason = SEASON_CODES.map((code) => ({
          season: code,
          label: seasonCodeLabel(code, d.langs[0]!),
          volume: p.months.reduce((sum, v, i) => (seasonOfMonth(2000, i + 1).code === code ? sum + v : sum), 0),
        }));
        return {
          productId,
          name: p.name,
          unit: p.unit,
          volume,
          seasons: bySeason.map((s) => ({ ...s, share: volume ? s.volume / volume : 0 })),
          peakSeason: [...bySeason].sort((a, b) => b.volume - a.volume)[0]!.season,
          monthlyShare: p.months.map((v) => (volume ? v / volume : 0)),
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
  districtsWithoutTraceableProducts: async (d, _args, ctx) =>
    (await districtsWithoutTraceable(ctx.db, d.roots)).map((r) => ({ code: r.code, name: localize(r.name, d.langs)?.text ?? null })),
  certificateExpiries: (d, { days }, ctx) => expiringCertificates(ctx.db, d.roots, bounded(days ?? 90, 3650, 'days')),
};
