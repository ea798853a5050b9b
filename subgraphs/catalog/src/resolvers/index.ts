import { DateScalar, DateTimeScalar, GTINScalar } from '@nguon/shared';
import type { Resolvers } from '../generated/graphql';
import { Category, Certification, Language, ProductImage } from './Category';
import { Mutation } from './Mutation';
import { Organization } from './Organization';
import { Product } from './Product';
import { ProductionArea } from './ProductionArea';
import { Query } from './Query';

/** Every resolver of the catalog graph, one file per type, typed by codegen. */
export const resolvers: Resolvers = {
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
};
