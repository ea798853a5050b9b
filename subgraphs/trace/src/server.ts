import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { DateScalar, DateTimeScalar, GTINScalar, type SubgraphDefinition } from '@nguon/shared';
import { JSONScalar } from '@nguon/shared/json';
import type { Context } from './context';
import { createLoaders } from './loaders';
import { fieldClasses } from './permissions';
import { Lot, Organization, Product } from './resolvers/Lot';
import { Mutation } from './resolvers/Mutation';
import { ChainVerification, CustodyHop, EventParty, QuantityElement, Recall, RecallLot, TimelineEntry, TracedLot, TraceEvent, TraceResult } from './resolvers/TraceEvent';
import { Query } from './resolvers/Query';
import { consumerResolvers, type ConsumerOptions } from './resolvers/Consumer';
import { CaptureJob, EpcisMutation, EpcisQuery, TraceEventEpcis } from './resolvers/Epcis';

export const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** The trace subgraph: lots, EPCIS events with hash chains, genealogy, trace and recalls. */
export function traceSubgraph(options: Partial<ConsumerOptions> = {}): SubgraphDefinition<Context> {
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
      Query: { ...Query, ...EpcisQuery },
      Mutation: { ...Mutation, ...EpcisMutation, ...consumer.Mutation },
      CaptureJob,
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
  };
}
