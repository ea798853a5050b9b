import { canAdminister, decodeCursor, forbidden, internalRoots, isUuid, notFound, pageSize, toConnection } from '@nguon/shared';
import type { QueryResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { countOrganizations, listOrganizations, organizationByPath } from '../data/organizations';
import { apiClientsUnder } from '../data/users';
import { loadVisibleOrganization, visibleOrganization } from './Organization';

export const Query: QueryResolvers<Context> = {
  organization: (_root, { id }, ctx) => (isUuid(id) ? loadVisibleOrganization(ctx, id) : null),
  organizationByPath: async (_root, { path }, ctx) => visibleOrganization(ctx.viewer, await organizationByPath(ctx.db, path)),
  organizations: async (_root, { kind, under, sector, level, first, after }, ctx) => {
    const limit = pageSize(first);
    const roots = internalRoots(ctx.viewer);
    const filter = { kind: kind ?? null, under: under ?? null, sector: sector ?? null, level: level ?? null };
    const rows = await listOrganizations(ctx.db, filter, roots, limit, decodeCursor(after));
    return toConnection(
      rows,
      limit,
      (o) => o.path,
      () => countOrganizations(ctx.db, filter, roots),
    );
  },
  treeLevels: (_root, _args, ctx) => ctx.loaders.treeLevels.load('all'),
  viewer: (_root, _args, ctx) => ctx.viewer,
  apiClients: async (_root, { organizationId }, ctx) => {
    const org = isUuid(organizationId) ? await loadVisibleOrganization(ctx, organizationId) : null;
    if (!org) throw notFound('The organization');
    if (!canAdminister(ctx.viewer, org.path)) throw forbidden('Only an ADMIN of this organization’s subtree sees its API clients.');
    return apiClientsUnder(ctx.db, org.id);
  },
};
