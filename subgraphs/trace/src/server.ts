import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { DateScalar, DateTimeScalar, GTINScalar, type SubgraphDefinition } from '@nguon/shared';
import { JSONScalar } from '@nguon/shared/json';
import type { Context } from './context';
import { createLoaders } from './loaders';
import { fieldClasses } from './permissions';
import { Lot, Organization, Product } from './resolvers/Lot';
import { CaptureEventsPayload, Mutation } from './resolvers/Mutation';
import {
  ChainVerification,
  CustodyHop,
  EventParty,
  QuantityElement,
  Recall,
  RecallLot,
  TimelineEntry,
  TracedLot,
  TraceEvent,
  TraceResult,
} from './resolvers/TraceEvent';
import { Query } from './resolvers/Query';
import { consumerResolvers, type ConsumerOptions } from './resolvers/Consumer';
import { CaptureJob, EpcisMutation, EpcisQuery, TraceEventEpcis } from './resolvers/Epcis';
import { NationalOutbox, NationalOutboxEntry, NationalOutboxQuery } from './resolvers/NationalOutbox';
import { NationalPortalWorker, type NationalPortalOptions } from './services/nationalPortal';

export { NationalPortalWorker, type NationalPortalOptions } from './services/nationalPortal';

export const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** The trace subgraph: lots, EPCIS events with hash chains, genealogy, trace and recalls. */
export interface TraceOptions extends ConsumerOptions {
  /**
   * Push published lots' records to the national portal. Without it lots are
   * still queued (in the publishing transaction) and wait for a worker.
   */
  nationalPortal: NationalPortalOptions | undefined;
}

export function traceSubgraph(options: Partial<TraceOptions> = {}): SubgraphDefinition<Context> {
  let worker: NationalPortalWorker | null = null;
  const consumer = consumerResolvers({
    publicBaseUrl: options.publicBaseUrl ?? (() => 'http://localhost:4000'),
    verificationSecret: options.verificationSecret ?? 'nguon-development-verification-secret',
  });
  return {
    name: 'trace',
    typeDefs,
    resolvers: {
      Date: DateScalar,
      DateTime: DateTimeScalar,
      JSON: JSONScalar,
      GTIN: GTINScalar,
      Query: { ...Query, ...EpcisQuery, ...NationalOutboxQuery },
      Mutation: { ...Mutation, ...EpcisMutation, ...consumer.Mutation },
      CaptureJob,
      CaptureEventsPayload,
      NationalOutbox,
      NationalOutboxEntry,
      Lot: {
        ...Lot,
        ...consumer.Lot,
        // With @requires(fields: "product { gtin }") the gateway sends the GTIN in the representation: keep it.
        __resolveReference: async (ref: { id: string; product?: { gtin?: string } }, ctx: Context) => {
          const lot = await (Lot.__resolveReference as (r: { id: string }, c: Context) => Promise<unknown>)(ref, ctx);
          return lot && ref.product ? { ...(lot as object), product: ref.product } : lot;
        },
      },
      Product: { ...Product, ...consumer.Product },
      Organization,
      TraceEvent: { ...TraceEvent, ...TraceEventEpcis },
      TimelineEntry,
      QuantityElement,
      EventParty,
      TracedLot,
      TraceResult,
      CustodyHop,
      Recall,
      RecallLot,
      ChainVerification,
    } as SubgraphDefinition<Context>['resolvers'],
    fieldClasses,
    migrations: { folder: migrationsFolder, schema: 'trace' },
    context: (base) => ({ ...base, loaders: createLoaders(base) }),
    onStart({ db, logger }) {
      if (!options.nationalPortal) return;
      worker = new NationalPortalWorker(db, options.nationalPortal, logger.child({ worker: 'national-portal' }));
      worker.start();
    },
    async onStop() {
      await worker?.stop();
      worker = null;
    },
  };
}
