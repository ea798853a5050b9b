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
    if (!all)
      return { lotCount: counts.publishedLots, coverage: 'PUBLISHED_ONLY', volume: null, firstProducedOn: null, lastProducedOn: null, suppressionReason: null };
    // The lots of a product may belong to its owner and to licensees, so
    // rights over the owner say nothing about the others' INTERNAL figures: a
    // value is exact only when the viewer may read every owner's lots behind
    // it, and otherwise sized by its lots and distinct owners.
    const readable = (owners: (string | null)[]) => owners.every((path) => path !== null && canReadInternal(ctx.viewer, path));
    const withheld = (lots: number, producers: number, owners: (string | null)[]) =>
      lots === 0 || readable(owners) ? null : primaryReason(ctx.suppression, lots, producers);
    const dates = withheld(counts.lots, counts.producers, counts.owners);
    return {
      lotCount: counts.lots,
      coverage: 'ALL',
      volume: counts.volumes.map((v) => {
        const reason = withheld(v.lots, v.producers, v.owners);
        return { value: reason ? null : Number(v.quantity), unit: v.unit, suppressed: reason !== null, suppressionReason: reason };
      }),
      firstProducedOn: dates ? null : counts.firstProducedOn,
      lastProducedOn: dates ? null : counts.lastProducedOn,
      suppressionReason: dates,
    };
  },
};
