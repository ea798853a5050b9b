import { isUuid, localizedField } from '@nguon/shared';
import { toDigitalLink, toEpcUrn } from '@nguon/gs1/epc';
import type { ProductionAreaResolvers } from '../generated/graphql';
import type { Context } from '../context';

export const ProductionArea: ProductionAreaResolvers<Context> = {
  __resolveReference: async (ref, ctx) => (isUuid(ref.id) ? ctx.loaders.area.load(ref.id) : null),
  name: (area, { lang }, ctx) => localizedField(area.name, lang, ctx.langs),
  location: (area) => (area.latitude !== null && area.longitude !== null ? { latitude: area.latitude, longitude: area.longitude } : null),
  norms: async (area, _args, ctx) => (await ctx.loaders.normsOfArea.load(area.id)).map((norm) => ({ ...norm, scope: area.scope })),
  owner: (area) => ({ id: area.ownerId }),
  commune: (area) => area.commune,
  sgln: (area) => {
    if (!area.gln) return null;
    const id = { kind: 'sgln' as const, gln: area.gln, extension: area.glnExtension };
    return { epcUrn: toEpcUrn(id), digitalLink: toDigitalLink(id) };
  },
  // Areas are public reference data: their certificates carry the area's scope.
  certifications: async (area, _args, ctx) =>
    (await ctx.loaders.certificationsOfArea.load(area.id)).map(({ areaId: _area, ...c }) => ({ ...c, scope: area.scope })),
};
