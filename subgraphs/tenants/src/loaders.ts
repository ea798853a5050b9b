import DataLoader from 'dataloader';
import { byIdLoader, groupBy, groupedLoader, internalRoots, type BaseContext } from '@nguon/shared';
import { allTreeLevels, childrenOf, countChildren, historyOf, organizationsByIds } from './data/organizations';
import { grantsOfUsers, usersByIds, usersOfOrganizations } from './data/users';
import type { OrganizationModel, RoleGrantModel, TreeLevelModel, UserModel } from './models';

export interface ChildArgs {
  kind: string | null;
  limit: number;
  after: string | null;
}

/** Built per request: batching and caching never cross viewers. */
export function createLoaders({ db, viewer }: BaseContext) {
  const roots = internalRoots(viewer);
  return {
    organization: byIdLoader<OrganizationModel>(
      (ids) => organizationsByIds(db, ids),
      (o) => o.id,
    ),
    children: groupedLoader<ChildArgs, OrganizationModel[]>(
      (ids, args) => childrenOf(db, ids, args.kind, roots, args.limit, args.after),
      () => [],
    ),
    childCount: groupedLoader<string | null, number>(
      (ids, kind) => countChildren(db, ids, kind, roots),
      () => 0,
    ),
    history: new DataLoader(async (ids: readonly string[]) => {
      const byOrg = groupBy(await historyOf(db, ids), (c) => c.organizationId);
      return ids.map((id) => byOrg.get(id) ?? []);
    }),
    user: byIdLoader<UserModel>(
      (ids) => usersByIds(db, ids),
      (u) => u.id,
    ),
    usersOfOrganization: new DataLoader(async (ids: readonly string[]) => {
      const byOrg = groupBy(await usersOfOrganizations(db, ids), (u) => u.organizationId);
      return ids.map((id) => byOrg.get(id) ?? []);
    }),
    grantsOfUser: new DataLoader<string, RoleGrantModel[]>(async (ids) => {
      const byUser = groupBy(await grantsOfUsers(db, ids), (g) => g.userId);
      return ids.map((id) => byUser.get(id) ?? []);
    }),
    treeLevels: new DataLoader<'all', TreeLevelModel[]>(async (keys) => {
      const levels = await allTreeLevels(db);
      return keys.map(() => levels);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
