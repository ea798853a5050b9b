import { localizedField } from '@nguon/shared';
import type { CategoryResolvers, CertificationResolvers, LanguageResolvers, ProductImageResolvers } from '../generated/graphql';
import type { Context } from '../context';
import type { CertificationSchemeValue } from '../models';
import { todayInVietnam } from '../input';
import { categoryByCode } from './Product';

export const Category: CategoryResolvers<Context> = {
  name: (category, { lang }, ctx) => localizedField(category.name, lang, ctx.langs),
  parent: (category, _args, ctx) => (category.parentCode ? categoryByCode(ctx, category.parentCode) : null),
  children: async (category, _args, ctx) =>
    (await ctx.loaders.categories.load('all')).filter((c) => c.parentCode === category.code).sort((a, b) => a.position - b.position),
};

export const Language: LanguageResolvers<Context> = {
  name: (language, { lang }, ctx) => localizedField(language.name, lang, ctx.langs),
};

export const ProductImage: ProductImageResolvers<Context> = {
  alt: (image, { lang }, ctx) => localizedField(image.alt, lang, ctx.langs),
};

const SCHEME_NAMES: Record<Exclude<CertificationSchemeValue, 'OTHER'>, string> = {
  VIETGAP: 'VietGAP',
  GLOBALGAP: 'GLOBALG.A.P.',
  ORGANIC: 'Organic',
  OCOP: 'OCOP',
  HACCP: 'HACCP',
  ISO_22000: 'ISO 22000',
};

export const Certification: CertificationResolvers<Context> = {
  schemeName: (c) => (c.scheme === 'OTHER' ? (c.schemeName ?? 'Other') : SCHEME_NAMES[c.scheme]),
  // Decided at read time by the local calendar: a certificate expires on its
  // own, without anyone editing it, and from then on never reads as valid.
  status: (c) => {
    const today = todayInVietnam();
    if (c.validTo < today) return 'EXPIRED';
    if (c.validFrom > today) return 'NOT_YET_VALID';
    return 'VALID';
  },
};
