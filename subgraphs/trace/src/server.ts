import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { DateScalar, type SubgraphDefinition } from '@nguon/shared';
import type { Context } from './context';
import { createLoaders } from './loaders';
import { fieldClasses } from './permissions';
import { Lot, Organization, Product } from './resolvers/Lot';
import { Query } from './resolvers/Query';

export const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** The trace subgraph: lots, and (growing) EPCIS events, genealogy and recalls. */
export function traceSubgraph(): SubgraphDefinition<Context> {
  return {
    name: 'trace',
    typeDefs,
    resolvers: { Date: DateScalar, Query, Lot, Product, Organization } as SubgraphDefinition<Context>['resolvers'],
    fieldClasses,
    migrations: { folder: migrationsFolder, schema: 'trace' },
    context: (base) => ({ ...base, loaders: createLoaders(base) }),
  };
}
