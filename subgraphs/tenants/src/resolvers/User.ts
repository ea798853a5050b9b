import type { OrganizationKindValue } from '../models';
import { localizedField, TREE_LEVEL_LABELS } from '@nguon/shared';
import type { ApiClientResolvers, RoleGrantResolvers, TreeLevelResolvers, UserResolvers, ViewerResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { scopeEnumOf, type ApiScopeEnum } from '../auth';
import { loadVisibleOrganization } from './Organization';

const organizationOf = async (id: string, ctx: Context) => {
  const org = await loadVisibleOrganization(ctx, id);
  if (!org) throw new Error(`organization ${id} of a visible row is missing`);
  return org;
};

export const User: UserResolvers<Context> = {
  organization: (user, _args, ctx) => organizationOf(user.organizationId, ctx),
  roles: (user, _args, ctx) => ctx.loaders.grantsOfUser.load(user.id),
};

export const RoleGrant: RoleGrantResolvers<Context> = {
  organization: (grant, _args, ctx) => organizationOf(grant.organizationId, ctx),
};

const scopeEnums = (scopes: readonly string[]) => scopes.map(scopeEnumOf).filter((s): s is ApiScopeEnum => s !== undefined);

export const ApiClient: ApiClientResolvers<Context> = {
  organization: (client, _args, ctx) => organizationOf(client.organizationId, ctx),
  scopes: (client) => scopeEnums(client.scopes),
};

export const TreeLevel: TreeLevelResolvers<Context> = {
  // Written only by migrations and seeds, with the kinds of OrganizationKind.
  kinds: (level) => level.kinds as OrganizationKindValue[],
  // A usual level (district, commune…) has names in every enabled language (shared TREE_LEVEL_LABELS); the tree's own names win.
  name: (level, { lang }, ctx) =>
    localizedField(
      { ...(Object.hasOwn(TREE_LEVEL_LABELS, level.code) ? TREE_LEVEL_LABELS[level.code as keyof typeof TREE_LEVEL_LABELS] : {}), ...level.name },
      lang,
      ctx.langs,
    ),
};

export const Viewer: ViewerResolvers<Context> = {
  kind: (viewer) => viewer.kind.toUpperCase(),
  user: (viewer, _args, ctx) => (viewer.kind === 'user' ? ctx.loaders.user.load(viewer.userId) : null),
  roles: (viewer, _args, ctx) => (viewer.kind === 'user' ? ctx.loaders.grantsOfUser.load(viewer.userId) : []),
  scopes: (viewer) => (viewer.kind === 'client' ? scopeEnums(viewer.scopes) : []),
};
