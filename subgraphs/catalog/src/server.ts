import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import type { SubgraphDefinition } from '@nguon/shared';
import type { Context } from './context';
import { createLoaders } from './loaders';
import { fieldClasses } from './permissions';
import { resolvers } from './resolvers';

export const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** The catalog subgraph: GS1-identified, multilingual, certified products and production areas. */
export function catalogSubgraph(): SubgraphDefinition<Context> {
  return {
    name: 'catalog',
    typeDefs,
    resolvers,
    fieldClasses,
    migrations: { folder: migrationsFolder, schema: 'catalog' },
    context: (base) => ({ ...base, loaders: createLoaders(base) }),
  };
}
