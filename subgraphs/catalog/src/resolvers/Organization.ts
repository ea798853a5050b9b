import { decodeCursor, isUuid, pageSize, toConnection } from '@nguon/shared';
import type { OrganizationResolvers } from '../generated/graphql';
import type { Context } from '../context';

export const Organization: OrganizationResolvers<Context> = {
  products: async (org, { first, after }, ctx) => {
    const limit = pageSize(first);
    const page = { limit, after: decodeCursor(after) };
    const rows = isUuid(org.id) ? await ctx.loaders.productsOfOwner.load({ id: org.id, args: page }) : [];
    return toConnection(
      rows,
      limit,
      (p) => p.id,
      () => (isUuid(org.id) ? ctx.loaders.productCountOfOwner.load({ id: org.id, args: null }) : 0),
    );
  },
  productionAreas: async (org, { first, after }, ctx) => {
    const limit = pageSize(first);
    const page = { limit, after: decodeCursor(after) };
    const rows = isUuid(org.id) ? await ctx.loaders.areasOfOwner.load({ id: org.id, args: page }) : [];
    return toConnection(
      rows,
      limit,
      (a) => a.id,
      () => (isUuid(org.id) ? ctx.loaders.areaCountOfOwner.load({ id: org.id, args: null }) : 0),
    );
  },
};
