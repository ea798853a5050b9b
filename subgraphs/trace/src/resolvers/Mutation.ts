import type { CaptureEventsPayloadResolvers, MutationResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { captureEvents } from '../services/capture';
import { correctLotQuantity, createLot, publishLot, reviewLot } from '../services/lots';
import { closeRecall, extendRecall, openRecall, recordRecovery } from '../services/recall';

/** Thin: each mutation is one domain service call; the services check permissions and input. */
export const Mutation: MutationResolvers<Context> = {
  createLot: async (_root, { input }, ctx) => ({ lot: await createLot(ctx, input) }),
  publishLot: async (_root, { input }, ctx) => ({ lot: await publishLot(ctx, input.lotId) }),
  correctLotQuantity: async (_root, { input }, ctx) => ({ lot: await correctLotQuantity(ctx, input) }),
  reviewLot: async (_root, { input }, ctx) => ({ lot: await reviewLot(ctx, input) }),
  captureEvents: (_root, { input }, ctx) => captureEvents(ctx, input),
  openRecall: async (_root, { input }, ctx) => ({ recall: await openRecall(ctx, input) }),
  extendRecall: async (_root, { input }, ctx) => ({ recall: await extendRecall(ctx, input) }),
  recordRecallRecovery: async (_root, { input }, ctx) => ({ recall: await recordRecovery(ctx, input) }),
  closeRecall: async (_root, { input }, ctx) => ({ recall: await closeRecall(ctx, input) }),
};

/** The stored events, in input order, only when selected: a 1 000-event capture that asks for counts reads nothing back. */
export const CaptureEventsPayload: CaptureEventsPayloadResolvers<Context> = {
  // The request's event loader: one statement for the batch, duplicates loaded once; the events were just stored.
  events: async ({ eventIds }, _args, ctx) => (await Promise.all(eventIds.map((id) => ctx.loaders.event.load(id)))).map((e) => e!),
};
