import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { GTINScalar, type SubgraphDefinition } from '@nguon/shared';
import type { Context } from './context';
import { createLoaders } from './loaders';
import { fieldClasses } from './permissions';
import { Organization, Product } from './resolvers/Product';
import { Query } from './resolvers/Query';

export const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** The catalog subgraph: GS1-identified products. */
export function catalogSubgraph(): SubgraphDefinition<Context> {
  return {
    name: 'catalog',
    typeDefs,
    resolvers: { GTIN: GTINScalar, Query, Product, Organization } as SubgraphDefinition<Context>['resolvers'],
    fieldClasses,
    migrations: { folder: migrationsFolder, schema: 'catalog' },
    context: (base) => ({ ...base, loaders: createLoaders(base) }),
  };
}
