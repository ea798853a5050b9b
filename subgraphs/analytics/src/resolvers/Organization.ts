import { canReadAggregates, canReadInternal, isUuid } from '@nguon/shared';
import type { OrganizationResolvers } from '../generated/graphql';
import type { Context } from '../context';

export const Organization: OrganizationResolvers<Context> = {
  stats: async (org, _args, ctx) => {
    const counts = isUuid(org.id) ? await ctx.loaders.counts.load(org.id) : null;
    if (!counts) return null;
    // Published counts are derivable from public data; drafts only for those
    // who may aggregate or read the internals of this subtree.
    const all = canReadAggregates(ctx.viewer, counts.path) || canReadInternal(ctx.viewer, counts.path);
    return all
      ? { productCount: counts.products, lotCount: counts.lots, coverage: 'ALL' }
      : { productCount: counts.publishedProducts, lotCount: counts.publishedLots, coverage: 'PUBLISHED_ONLY' };
  },
};
