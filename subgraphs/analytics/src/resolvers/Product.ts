import { canReadAggregates, canReadInternal, isUuid } from '@nguon/shared';
import type { ProductResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { primaryReason } from '../suppression';

export const Product: ProductResolvers<Context> = {
  stats: async (product, _args, ctx) => {
    const counts = isUuid(product.id) ? await ctx.loaders.products.load(product.id) : null;
    if (!counts) return null;
    const internal = canReadInternal(ctx.viewer, counts.path);
    const all = canReadAggregates(ctx.viewer, counts.path) || internal;
    // An unpublished product does not exist for whoever may not see it.
    if (!counts.published && !all) return null;
    if (!all) return { lotCount: counts.publishedLots, coverage: 'PUBLISHED_ONLY', volume: null, firstProducedOn: null, lastProducedOn: null, suppressionReason: null };
    // A product has one producer: to an ANALYST its volumes and dates are one
    // producer's INTERNAL figures, withheld under the small-cell rule.
    const withheld = (lots: number) => (internal || lots === 0 ? null : primaryReason(ctx.suppression, lots, 1));
    const dates = withheld(counts.lots);
    return {
      lotCount: counts.lots,
      coverage: 'ALL',
      volume: counts.volumes.map((v) => {
        const reason = withheld(Number(v.lots));
        return { value: reason ? null : Number(v.quantity), unit: v.unit, suppressed: reason !== null, suppressionReason: reason };
      }),
      firstProducedOn: dates ? null : counts.firstProducedOn,
      lastProducedOn: dates ? null : counts.lastProducedOn,
      suppressionReason: dates,
    };
  },
};
