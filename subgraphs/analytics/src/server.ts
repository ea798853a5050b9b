import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import type { SubgraphDefinition } from '@nguon/shared';
import type { Context } from './context';
import { createLoaders } from './loaders';
import { fieldClasses } from './permissions';
import { Organization } from './resolvers/Organization';

export const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** The analytics subgraph: read-only aggregates over the other services' read contracts. */
export function analyticsSubgraph(): SubgraphDefinition<Context> {
  return {
    name: 'analytics',
    typeDefs,
    resolvers: { Organization } as SubgraphDefinition<Context>['resolvers'],
    fieldClasses,
    migrations: { folder: migrationsFolder, schema: 'analytics' },
    context: (base) => ({ ...base, loaders: createLoaders(base) }),
  };
}
