import { decodeCursor, isUuid, pageSize, toConnection, type LabelLanguage, type PageArgs } from '@nguon/shared';
import type { LotResolvers, OrganizationResolvers, ProductResolvers } from '../generated/graphql';
import type { Context } from '../context';
import type { LotParent } from '../data/lots';
import type { TimelineEntryModel } from '../models';
import { labelLang, loadVisibleLot } from './visibility';

export { loadVisibleLot, visibleLot } from './visibility';

async function lotsOf(parent: LotParent, id: string, { first, after }: PageArgs, ctx: Context) {
  const limit = pageSize(first);
  const page = { parent, limit, after: decodeCursor(after) };
  const rows = isUuid(id) ? await ctx.loaders.lotsOf.load({ id, args: page }) : [];
  return toConnection(
    rows,
    limit,
    (l) => l.id,
    () => ctx.loaders.lotCountOf.load({ id, args: parent }),
  );
}

/**
 * A lot's timeline in time order, a correction right after the event it
 * corrects, so a reader sees both together. Shared by Lot.timeline and the
 * steps of Lot.origin, so both label and place corrections alike.
 */
export async function timelineOf(ctx: Context, lotId: string, language: LabelLanguage): Promise<TimelineEntryModel[]> {
  const events = await ctx.loaders.eventsOfLot.load(lotId);
  const corrections = await Promise.all(events.map((e) => ctx.loaders.correctedBy.load(e.eventID)));
  const entries: TimelineEntryModel[] = events.map((event, i) => ({ event, lang: language, correctedBy: corrections[i]! }));
  const byEventId = new Map(entries.map((e) => [e.event.eventID, e]));
  const placed = new Set<TimelineEntryModel>();
  const ordered: TimelineEntryModel[] = [];
  const place = (entry: TimelineEntryModel) => {
    if (placed.has(entry)) return;
    placed.add(entry);
    ordered.push(entry);
    for (const id of entry.correctedBy) {
      const correction = byEventId.get(id);
      if (correction) place(correction);
    }
  };
  for (const entry of entries) {
    const corrected = entry.event.body.errorDeclaration?.correctedEventID;
    // A correction waits for the event it corrects when that is on this timeline.
    if (corrected && byEventId.has(corrected) && !placed.has(byEventId.get(corrected)!)) continue;
    place(entry);
  }
  for (const entry of entries) place(entry);
  return ordered;
}

export const Lot: LotResolvers<Context> = {
  __resolveReference: async (ref, ctx) => {
    const lot = await loadVisibleLot(ctx, ref.id);
    // With @requires(fields: "product { gtin }") the gateway sends the GTIN in the representation: keep it.
    const { product } = ref as { product?: { gtin?: string | null } };
    return lot && product ? Object.assign({}, lot, { product }) : lot;
  },
  product: (lot) => ({ id: lot.productId }),
  owner: (lot) => ({ id: lot.ownerId }),
  /**
   * Events in time order; a correction is placed right after the event it
   * corrects, so a reader sees both together.
   */
  timeline: (lot, { lang }, ctx) => timelineOf(ctx, lot.id, labelLang(lang, ctx)),
  activeRecall: async (lot, _args, ctx) => {
    const id = await ctx.loaders.activeRecallId.load(lot.id);
    return id ? ctx.loaders.recall.load(id) : null;
  },
  normCheck: (lot) => lot.normCheck,
  review: (lot) => ({ publishOnApproval: lot.publishOnApproval, reviewedBy: lot.reviewedBy, reviewedAt: lot.reviewedAt, note: lot.reviewNote }),
  audit: async (lot, _args, ctx) =>
    (await ctx.loaders.lotAudit.load(lot.id)).map((e) => ({
      action: e.action,
      at: e.at,
      actorId: e.actorId,
      actorKind: e.actorKind,
      reason: e.reason,
      detail: e.detail ?? {},
    })),
};

export const Product: ProductResolvers<Context> = {
  lots: (product, args, ctx) => lotsOf('productId', product.id, args, ctx),
};

export const Organization: OrganizationResolvers<Context> = {
  lots: (org, args, ctx) => lotsOf('ownerId', org.id, args, ctx),
};
