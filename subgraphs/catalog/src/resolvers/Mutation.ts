import type { MutationResolvers } from '../generated/graphql';
import type { Context } from '../context';
import * as writes from '../services/writes';

/** Catalog mutations: each is its service in src/services/writes.ts. */
export const Mutation: MutationResolvers<Context> = {
  createProduct: (_root, { input }, ctx) => writes.createProduct(ctx, input),
  updateProduct: (_root, { input }, ctx) => writes.updateProduct(ctx, input),
  assignGtin: (_root, { input }, ctx) => writes.assignGtin(ctx, input),
  publishProduct: (_root, { input }, ctx) => writes.publishProduct(ctx, input),
  withdrawProduct: (_root, { input }, ctx) => writes.withdrawProduct(ctx, input),
  addCertification: (_root, { input }, ctx) => writes.addCertification(ctx, input),
  removeCertification: (_root, { input }, ctx) => writes.removeCertification(ctx, input),
  createProductionArea: (_root, { input }, ctx) => writes.createProductionArea(ctx, input),
  setSeasonNorm: (_root, { input }, ctx) => writes.setSeasonNorm(ctx, input),
  setCropNormTolerance: (_root, { input }, ctx) => writes.setCropNormTolerance(ctx, input),
  grantProductLicence: (_root, { input }, ctx) => writes.grantProductLicence(ctx, input),
  revokeProductLicence: (_root, { input }, ctx) => writes.revokeProductLicence(ctx, input),
};
