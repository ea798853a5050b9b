import { badInput } from '@nguon/shared';
import type { ItemCheckResolvers, LotResolvers, OriginStageResolvers, SuspiciousItemResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { checkItem, reasonLabel } from '../data/consumer';
import { originOf, type OriginStageModel } from '../data/origin';
import { timelineOf } from './Lot';
import { checkSerial, labelLang } from './visibility';

/** Bounds of Lot.origin(maxDepth): a consumer page never needs more than twenty steps of genealogy. */
export const ORIGIN_DEPTH = { min: 1, max: 20, default: 10 };

/**
 * Lot.origin and Lot.item (issue 15), merged into Lot in resolvers/index.ts.
 * The lot itself is already visible to the viewer (its reference resolved
 * through loadVisibleLot); what the origin shows of other lots is decided in
 * data/origin.ts by the public rule alone.
 */
export const LotOrigin: Pick<LotResolvers<Context>, 'origin' | 'item' | 'journeyOrganizations' | 'journeyAreas'> = {
  origin: (lot, { maxDepth }, ctx) => originOnce(ctx, lot.id, maxDepth),
  /**
   * The parties and places of the whole page in two lists, so the gateway
   * names them in one tenants and one catalog fetch rather than one per list
   * (timeline, producers, steps, areas): the page's cost with its origin
   * (BENCHMARKS.md, issue 15). Same loaders as `timeline` and `steps`.
   */
  journeyOrganizations: async (lot, { maxDepth }, ctx) => {
    // Only who recorded each event matters here: the events themselves, not their ordered, labelled timelines.
    const [own, stages] = await Promise.all([ctx.loaders.eventsOfLot.load(lot.id), originOnce(ctx, lot.id, maxDepth)]);
    const ids = new Set(own.map((e) => e.organizationId));
    const disclosed = stages.filter((s) => s.disclosed);
    for (const s of disclosed) ids.add(s.ownerId);
    for (const events of await Promise.all(disclosed.map((s) => ctx.loaders.eventsOfLot.load(s.lotId)))) for (const e of events) ids.add(e.organizationId);
    return [...ids].map((id) => ({ id }));
  },
  journeyAreas: async (lot, { maxDepth }, ctx) => {
    const ids = new Set<string>(lot.productionAreaId ? [lot.productionAreaId] : []);
    for (const s of await originOnce(ctx, lot.id, maxDepth)) if (s.disclosed && s.productionAreaId) ids.add(s.productionAreaId);
    return [...ids].map((id) => ({ id }));
  },
  item: (lot, { serial }, ctx) => {
    return checkItem(ctx.db, lot, checkSerial(serial, 'serial')!);
  },
};

/** One walk per lot and depth per request, however many fields (origin, journeyOrganizations, journeyAreas) ask. */
const walks = new WeakMap<Context, Map<string, Promise<OriginStageModel[]>>>();
function originOnce(ctx: Context, lotId: string, maxDepth: number | null | undefined): Promise<OriginStageModel[]> {
  const depth = maxDepth ?? ORIGIN_DEPTH.default;
  if (!Number.isInteger(depth) || depth < ORIGIN_DEPTH.min || depth > ORIGIN_DEPTH.max) {
    throw badInput(`maxDepth is between ${ORIGIN_DEPTH.min} and ${ORIGIN_DEPTH.max}.`, 'maxDepth');
  }
  let byLot = walks.get(ctx);
  if (!byLot) walks.set(ctx, (byLot = new Map()));
  const key = `${lotId}:${depth}`;
  let walk = byLot.get(key);
  if (!walk) {
    walk = originOf(ctx.db, lotId, depth).then(({ stages, eventsByLot }) => {
      // The walk brought the disclosed stages' events: their steps (and the
      // journey's organizations) read them from the same loaders as a timeline.
      for (const [stageLotId, events] of eventsByLot) {
        ctx.loaders.eventsOfLot.prime(
          stageLotId,
          events.map((e) => e.event),
        );
        for (const e of events) ctx.loaders.correctedBy.prime(e.event.eventID, e.correctedBy);
      }
      return stages;
    });
    byLot.set(key, walk);
  }
  return walk;
}

/** Every field but depth, relation and disclosed is empty for an undisclosed stage: the model carries nothing else. */
export const OriginStage: OriginStageResolvers<Context> = {
  depth: (s) => s.depth,
  relation: (s) => s.relation,
  disclosed: (s) => s.disclosed,
  lotCode: (s) => (s.disclosed ? s.lotCode : null),
  product: (s) => (s.disclosed ? { id: s.productId } : null),
  producer: (s) => (s.disclosed ? { id: s.ownerId } : null),
  producerId: (s) => (s.disclosed ? s.ownerId : null),
  productionArea: (s) => (s.disclosed && s.productionAreaId ? { id: s.productionAreaId } : null),
  productionAreaId: (s) => (s.disclosed ? s.productionAreaId : null),
  season: (s) => (s.disclosed ? s.season : null),
  producedOn: (s) => (s.disclosed ? s.producedOn : null),
  // The same loaders and ordering as Lot.timeline: every stage's events load in one batch.
  steps: (s, { lang }, ctx) => (s.disclosed ? timelineOf(ctx, s.lotId, labelLang(lang, ctx)) : []),
};

export const ItemCheck: ItemCheckResolvers<Context> = {
  serial: (c) => c.serial,
  state: (c) => c.state,
  reasonCode: (c) => c.reasonCode,
  reason: (c, { lang }, ctx) => (c.reasonCode ? reasonLabel(c.reasonCode, labelLang(lang, ctx)) : null),
};

/** The stable code and a label beside the stored sentence (`reason`, kept as it was). */
export const SuspiciousItem: SuspiciousItemResolvers<Context> = {
  reasonCode: (i) => i.reasonCode,
  reasonLabel: (i, { lang }, ctx) => reasonLabel(i.reasonCode, labelLang(lang, ctx)),
};
