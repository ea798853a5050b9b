import { canSupervise, conflict, decodeCursor, forbidden, badInput, isUuid, notFound, pageSize, toConnection, type Viewer } from '@nguon/shared';
import type { MutationResolvers, NotificationResolvers, QueryResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { listNotifications, notificationById, requeueNotification, type NotificationRow } from '../data/notifications';
import { supervisedRoots } from './NationalOutbox';

/**
 * Whose notifications a viewer reads: an organization's staff (STAFF, ADMIN,
 * OFFICER on it, or an API client with internal:read bound to it) its own;
 * an OFFICER or ADMIN those of every organization under the grant — the dead
 * letters they are there to chase.
 */
export function notificationScope(viewer: Viewer): { ownOrgs: string[]; roots: string[] } {
  if (viewer.kind === 'client') return { ownOrgs: viewer.scopes.includes('internal:read') ? [viewer.orgId] : [], roots: [] };
  if (viewer.kind !== 'user') return { ownOrgs: [], roots: [] };
  return { ownOrgs: viewer.grants.filter((g) => g.role !== 'ANALYST').map((g) => g.orgId), roots: supervisedRoots(viewer) };
}

export const NotificationQuery: Pick<QueryResolvers<Context>, 'notifications'> = {
  notifications: async (_root, { filter, first, after }, ctx) => {
    const limit = pageSize(first);
    const key = decodeCursor(after);
    if (key !== null && !isUuid(key)) throw badInput('`after` is not a cursor this API gave out.', 'after');
    if (filter?.organizationId && !isUuid(filter.organizationId)) throw badInput('Not an organization id.', 'filter.organizationId');
    const scope = notificationScope(ctx.viewer);
    const rows =
      scope.ownOrgs.length || scope.roots.length
        ? await listNotifications(
            ctx.db,
            scope,
            { status: filter?.status ?? null, kind: filter?.kind ?? null, organizationId: filter?.organizationId?.toLowerCase() ?? null },
            limit,
            key,
          )
        : [];
    return toConnection<NotificationRow>(
      rows,
      limit,
      (n) => n.id,
      () => 0,
    );
  },
};

export const NotificationMutation: Pick<MutationResolvers<Context>, 'retryNotification'> = {
  /** An OFFICER or ADMIN over the organization, or its own ADMIN, puts a dead letter back in the queue. */
  retryNotification: async (_root, { id }, ctx) => {
    const row = await notificationById(ctx.db, id.toLowerCase());
    const scope = notificationScope(ctx.viewer);
    const visible =
      row !== null &&
      row.organizationPath !== null &&
      (scope.ownOrgs.includes(row.organizationId) || scope.roots.some((r) => row.organizationPath === r || row.organizationPath!.startsWith(`${r}.`)));
    if (!row || !visible) throw notFound('The notification');
    if (!canSupervise(ctx.viewer, row.organizationPath!))
      throw forbidden('Only an OFFICER or ADMIN over the organization, or its ADMIN, may retry its notifications.');
    if (row.status !== 'DEAD') throw conflict(`Only a DEAD notification can be retried; this one is ${row.status}.`, 'id');
    if (!(await requeueNotification(ctx.db, row.id))) throw conflict('The notification was retried meanwhile.', 'id');
    return (await notificationById(ctx.db, row.id))!;
  },
};

export const Notification: NotificationResolvers<Context> = {
  organization: (n) => ({ id: n.organizationId }),
};
