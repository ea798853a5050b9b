import { canReadAggregates, canReadInternal, isUuid } from '@nguon/shared';
import type { ProductResolvers } from '../generated/graphql';
import type { Context } from '../context';

export const Product: ProductResolvers<Context> = {
  stats: async (product, _args, ctx) => {
    const counts = isUuid(product.id) ? await ctx.loaders.products.load(product.id) : null;
    if (!counts) return null;
    const all = canReadAggregates(ctx.viewer, counts.path) || canReadInternal(ctx.viewer, counts.path);
    // An unpublished product does not exist for whoever may not see it.
    if (!counts.published && !all) return null;
    if (!all) return { lotCount: counts.publishedLots, coverage: 'PUBLISHED_ONLY', volume: null, firstProducedOn: null, lastProducedOn: null };
    return {
      lotCount: counts.lots,
      coverage: 'ALL',
      volume: counts.volumes.map((v) => ({ value: Number(v.quantity), unit: v.unit })),
      firstProducedOn: counts.firstProducedOn,
      lastProducedOn: counts.lastProducedOn,
    };
  },
};
