import { canAdminister, canReadInternal, decodeCursor, forbidden, isUuid, localizedField, pageSize, toConnection, type Viewer } from '@nguon/shared';
import { toDigitalLink, toEpcUrn, type Gs1Id } from '@nguon/gs1/epc';
import type { OrganizationChangeKind, OrganizationResolvers } from '../generated/graphql';
import type { OrganizationModel } from '../models';
import type { Context } from '../context';
import { webhookOf } from '../data/webhooks';

/** Active organizations are public; an inactive one looks missing to those who may not read its internals. */
export const visibleOrganization = (viewer: Viewer, org: OrganizationModel | null): OrganizationModel | null =>
  org && (org.active || canReadInternal(viewer, org.path)) ? org : null;

export async function loadVisibleOrganization(ctx: Context, id: string): Promise<OrganizationModel | null> {
  return visibleOrganization(ctx.viewer, await ctx.loaders.organization.load(id));
}

/** A GS1 key in its EPC URN and Digital Link spellings. */
const gs1Key = (id: Gs1Id) => ({ epcUrn: toEpcUrn(id), digitalLink: toDigitalLink(id) });

export const Organization: OrganizationResolvers<Context> = {
  /** Only who may set it reads it back (url, enabled, updatedAt; never the secret). */
  webhook: async (org, _args, ctx) => {
    if (!canAdminister(ctx.viewer, org.path)) throw forbidden(`Only an ADMIN of ${org.path} or above may see its webhook.`);
    return webhookOf(ctx.db, org.id);
  },
  __resolveReference: async (ref, ctx) => (isUuid(ref.id) ? loadVisibleOrganization(ctx, ref.id) : null),
  name: (org, { lang }, ctx) => localizedField(org.name, lang, ctx.langs),
  // The foreign key guarantees the level exists; the loader reads the (few) levels once per request.
  level: async (org, _args, ctx) => (await ctx.loaders.treeLevels.load('all')).find((l) => l.code === org.level)!,
  parent: (org, _args, ctx) => (org.parentId ? loadVisibleOrganization(ctx, org.parentId) : null),
  children: async (org, { kind, first, after }, ctx) => {
    const limit = pageSize(first);
    const args = { kind: kind ?? null, limit, after: decodeCursor(after) };
    const rows = await ctx.loaders.children.load({ id: org.id, args });
    return toConnection(
      rows,
      limit,
      (o) => o.path,
      () => ctx.loaders.childCount.load({ id: org.id, args: kind ?? null }),
    );
  },
  pgln: (org) => (org.gln ? gs1Key({ kind: 'pgln', gln: org.gln }) : null),
  sgln: (org) => (org.gln ? gs1Key({ kind: 'sgln', gln: org.gln, extension: null }) : null),
  contact: (org) => org.contact ?? null,
  history: async (org, _args, ctx) =>
    (await ctx.loaders.history.load(org.id)).map((c) => ({
      change: c.change as OrganizationChangeKind,
      before: c.before === null ? null : JSON.stringify(c.before),
      after: c.after === null ? null : JSON.stringify(c.after),
      at: c.at,
      actorId: c.actorId,
    })),
  users: (org, _args, ctx) => ctx.loaders.usersOfOrganization.load(org.id),
};
