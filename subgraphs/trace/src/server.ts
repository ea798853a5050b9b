import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { DateScalar, DateTimeScalar, type SubgraphDefinition } from '@nguon/shared';
import { JSONScalar } from '@nguon/shared/json';
import type { Context } from './context';
import { createLoaders } from './loaders';
import { fieldClasses } from './permissions';
import { Lot, Organization, Product } from './resolvers/Lot';
import { Mutation } from './resolvers/Mutation';
import { ChainVerification, CustodyHop, EventParty, QuantityElement, Recall, RecallLot, TimelineEntry, TracedLot, TraceEvent, TraceResult } from './resolvers/TraceEvent';
import { Query } from './resolvers/Query';

export const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** The trace subgraph: lots, EPCIS events with hash chains, genealogy, trace and recalls. */
export function traceSubgraph(): SubgraphDefinition<Context> {
  return {
    name: 'trace',
    typeDefs,
    resolvers: {
      Date: DateScalar,
      DateTime: DateTimeScalar,
      JSON: JSONScalar,
      Query,
      Mutation,
      Lot,
      Product,
      Organization,
      TraceEvent,
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
