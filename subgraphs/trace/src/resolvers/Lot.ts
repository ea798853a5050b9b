import { canReadInternal, decodeCursor, isUuid, pageSize, toConnection, type PageArgs, type Viewer } from '@nguon/shared';
import type { LotResolvers, OrganizationResolvers, ProductResolvers } from '../generated/graphql';
import type { Context } from '../context';
import type { LotParent } from '../data/lots';
import type { LotModel } from '../models';

/** A draft lot looks missing to anyone who may not read its owner's internals. */
export const visibleLot = (viewer: Viewer, lot: LotModel | null): LotModel | null =>
  lot && (lot.scope.published || canReadInternal(viewer, lot.scope.path)) ? lot : null;

export async function loadVisibleLot(ctx: Context, id: string): Promise<LotModel | null> {
  return isUuid(id) ? visibleLot(ctx.viewer, await ctx.loaders.lot.load(id)) : null;
}

async function lotsOf(parent: LotParent, id: string, { first, after }: PageArgs, ctx: Context) {
  const limit = pageSize(first);
  const page = { parent, limit, after: decodeCursor(after) };
  const rows = isUuid(id) ? await ctx.loaders.lotsOf.load({ id, args: page }) : [];
  return toConnection(rows, limit, (l) => l.id, () => ctx.loaders.lotCountOf.load({ id, args: parent }));
}

export const Lot: LotResolvers<Context> = {
  __resolveReference: (ref, ctx) => loadVisibleLot(ctx, ref.id),
  product: (lot) => ({ id: lot.productId }),
  owner: (lot) => ({ id: lot.ownerId }),
};

export const Product: ProductResolvers<Context> = {
  lots: (product, args, ctx) => lotsOf('productId', product.id, args, ctx),
};

export const Organization: OrganizationResolvers<Context> = {
  lots: (org, args, ctx) => lotsOf('ownerId', org.id, args, ctx),
};
