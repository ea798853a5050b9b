import type { MutationResolvers } from '../generated/graphql';
import type { Context } from '../context';
import * as writes from '../services/writes';
import { setOrganizationWebhook } from '../services/webhooks';

/** Tenants mutations: each is its service in src/services/writes.ts. */
export const Mutation: MutationResolvers<Context> = {
  signIn: (_root, { input }, ctx) => writes.signIn(ctx, input),
  createOrganization: (_root, { input }, ctx) => writes.createOrganization(ctx, input),
  renameOrganization: (_root, { input }, ctx) => writes.renameOrganization(ctx, input),
  setOrganizationGln: (_root, { input }, ctx) => writes.setOrganizationGln(ctx, input),
  moveOrganization: (_root, { input }, ctx) => writes.moveOrganization(ctx, input),
  deactivateOrganization: (_root, { input }, ctx) => writes.deactivateOrganization(ctx, input),
  createUser: (_root, { input }, ctx) => writes.createUser(ctx, input),
  grantRole: (_root, { input }, ctx) => writes.grantRole(ctx, input),
  revokeRole: (_root, { input }, ctx) => writes.revokeRole(ctx, input),
  changePassword: (_root, { input }, ctx) => writes.changePassword(ctx, input),
  signOutEverywhere: (_root, _args, ctx) => writes.signOutEverywhere(ctx),
  deactivateUser: (_root, { input }, ctx) => writes.deactivateUser(ctx, input),
  createApiClient: (_root, { input }, ctx) => writes.createApiClient(ctx, input),
  revokeApiClient: (_root, { input }, ctx) => writes.revokeApiClient(ctx, input),
  setOrganizationWebhook: (_root, { input }, ctx) => setOrganizationWebhook(ctx, input),
};
