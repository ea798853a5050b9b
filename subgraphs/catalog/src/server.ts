import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { DateScalar, DateTimeScalar, GTINScalar, type SubgraphDefinition } from '@nguon/shared';
import type { Context } from './context';
import { createLoaders } from './loaders';
import { fieldClasses } from './permissions';
import { Category, Certification, Language, ProductImage } from './resolvers/Category';
import { Mutation } from './resolvers/Mutation';
import { Organization } from './resolvers/Organization';
import { Product } from './resolvers/Product';
import { ProductionArea } from './resolvers/ProductionArea';
import { Query } from './resolvers/Query';

export const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** The catalog subgraph: GS1-identified, multilingual, certified products and production areas. */
export function catalogSubgraph(): SubgraphDefinition<Context> {
  return {
    name: 'catalog',
    typeDefs,
    resolvers: {
      GTIN: GTINScalar,
      Date: DateScalar,
      DateTime: DateTimeScalar,
      Query,
      Mutation,
      Product,
      Organization,
      Category,
      Certification,
      Language,
      ProductImage,
      ProductionArea,
    } as SubgraphDefinition<Context>['resolvers'],
    fieldClasses,
    migrations: { folder: migrationsFolder, schema: 'catalog' },
    context: (base) => ({ ...base, loaders: createLoaders(base) }),
  };
}
