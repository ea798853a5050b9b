import { DateScalar, DateTimeScalar } from '@nguon/shared';
import type { Resolvers } from '../generated/graphql';
import { Dashboard } from './Dashboard';
import { Organization } from './Organization';
import { Product } from './Product';
import { Query } from './Query';
import { AggregateResult, ProducedQuantity } from './Quantities';

/** Every resolver of the analytics graph, one file per type, typed by codegen. */
export const resolvers: Resolvers = { Date: DateScalar, DateTime: DateTimeScalar, Query, Dashboard, Organization, Product, ProducedQuantity, AggregateResult };
