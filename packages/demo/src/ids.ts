import { withCheckDigit } from '@nguon/gs1';
import { stableId } from '@nguon/shared/ids';
import { CITY, DEPARTMENTS, OPERATORS, type DemoOperator, type DemoProduct } from './cantho';

/**
 * How the demo data set names its rows, shared by every service's seed so
 * catalog can point at tenants' organizations (and trace at catalog's
 * products) without reading another service's tables.
 */
export const demoPaths = {
  city: CITY.slug,
  department: (slug: string) => `${CITY.slug}.${slug}`,
  district: (department: string, district: string) => `${CITY.slug}.${department}.${district}`,
  operator: (op: DemoOperator) => `${CITY.slug}.${op.department}.${op.district}.${op.slug}`,
};

export const demoOrgId = (path: string) => stableId('organization', path);

const operatorsBySlug = new Map(OPERATORS.map((op) => [op.slug, op]));
export const demoOperator = (slug: string): DemoOperator => {
  const op = operatorsBySlug.get(slug);
  if (!op) throw new Error(`unknown demo operator ${slug}`);
  return op;
};

/** GTIN-14 of a demo product: company prefix + item reference + check digit, zero-padded. */
export const demoGtin = (product: DemoProduct) => withCheckDigit(`${demoOperator(product.operator).companyPrefix}${product.itemRef}`).padStart(14, '0');
export const demoProductId = (product: DemoProduct) => stableId('product', demoGtin(product));

export { DEPARTMENTS };
