import type { QueryResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { aggregate, forecast, languages } from '../answers';
import { aggregateScope } from '../query';

export const Query: QueryResolvers<Context> = {
  aggregate: (_root, { input }, ctx) => aggregate(ctx, input),
  forecast: (_root, { input }, ctx) => forecast(ctx, input),
  dashboard: async (_root, { under, lang }, ctx) => {
    const roots = aggregateScope(ctx.viewer, under, ['under']);
    return { roots, langs: languages(lang, ctx.langs, ['lang']), asOf: await ctx.rollups.ensureFresh(ctx.db) };
  },
};
