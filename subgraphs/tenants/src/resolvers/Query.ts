import { badInput, canAdminister, decodeCursor, forbidden, hasValidCheckDigit, internalRoots, isUuid, notFound, pageSize, toConnection } from '@nguon/shared';
import { isGs1Id, parseGs1Id } from '@nguon/gs1/epc';
import type { QueryResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { countOrganizations, listOrganizations, organizationByGln, organizationByPath } from '../data/organizations';
import { apiClientsUnder } from '../data/users';
import { loadVisibleOrganization, visibleOrganization } from './Organization';

/** The 13 digits of a GLN given bare, as a PGLN, or as an SGLN without extension (the organization's own location). */
function glnArgument(value: string): string {
  const v = value.trim();
  if (/^\d{13}$/.test(v) && hasValidCheckDigit(v)) return v;
  const id = isGs1Id(v) ? parseGs1Id(v) : null;
  if (id?.kind === 'pgln' || (id?.kind === 'sgln' && !id.extension)) return id.gln;
  throw badInput('A GLN is 13 digits with a valid check digit, a PGLN or an SGLN without extension.', 'gln');
}

export const Query: QueryResolvers<Context> = {
  organization: (_root, { id }, ctx) => (isUuid(id) ? loadVisibleOrganization(ctx, id) : null),
  organizationByPath: async (_root, { path }, ctx) => visibleOrganization(ctx.viewer, await organizationByPath(ctx.db, path)),
  organizationByGln: async (_root, { gln }, ctx) => visibleOrganization(ctx.viewer, await organizationByGln(ctx.db, glnArgument(gln))),
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
