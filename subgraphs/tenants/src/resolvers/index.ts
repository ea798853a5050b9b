import { DateTimeScalar } from '@nguon/shared';
import type { Resolvers } from '../generated/graphql';
import { Mutation } from './Mutation';
import { Organization } from './Organization';
import { Query } from './Query';
import { ApiClient, RoleGrant, TreeLevel, User, Viewer } from './User';

/** Every resolver of the tenants graph, one file per type, typed by codegen. */
export const resolvers: Resolvers = { DateTime: DateTimeScalar, Query, Mutation, Organization, User, RoleGrant, ApiClient, TreeLevel, Viewer };
