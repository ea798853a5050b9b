import { withCheckDigit } from '@nguon/gs1';
import { stableId } from '@nguon/shared/ids';
import {
  AREAS,
  CITY,
  COMMUNES_2025,
  DEPARTMENT_NAMES_2025,
  DEPARTMENTS,
  DISTRICTS,
  OPERATOR_COMMUNES_2025,
  OPERATORS,
  type DemoArea,
  type DemoLayout,
  type DemoOperator,
  type DemoProduct,
} from './cantho';

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

/**
 * Demo GLNs (GS1 Vietnam prefix 893, fictitious, valid check digits): an
 * operator with a company prefix numbers its own locations, location
 * reference 000 for itself and 100, 101… for its production areas; the city's
 * bodies and the stores without a prefix are numbered under one demo prefix,
 * the city 000, departments 001–003, administrative areas from 100, stores
 * from 500 (by their place in OPERATORS).
 */
const PUBLIC_PREFIX = '893000000';
const glnOf = (prefix: string, ref: number) => withCheckDigit(`${prefix}${String(ref).padStart(3, '0')}`);
export const demoOperatorGln = (op: DemoOperator) => (op.companyPrefix ? glnOf(op.companyPrefix, 0) : glnOf(PUBLIC_PREFIX, 500 + OPERATORS.indexOf(op)));
/** A production area's own GLN: its producer's company prefix and the area's rank among that producer's areas. */
export const demoAreaGln = (area: DemoArea) => {
  const op = demoOperator(area.operator);
  if (!op.companyPrefix) throw new Error(`demo operator ${op.slug} owns areas but has no company prefix`);
  return glnOf(op.companyPrefix, 100 + AREAS.filter((a) => a.operator === area.operator).indexOf(area));
};

/** An administrative area of a demo layout: a district (2019) or a commune/ward (2025), once per department. */
export interface DemoAreaNode {
  path: string;
  department: string;
  level: 'district' | 'commune';
  nameVi: string;
  nameEn: string;
  /** Official (GSO) code; the 2025 units' codes are not in the demo. */
  code: string | null;
}

/**
 * The demo tree of one layout. Operators keep the id of their 2019 path in
 * both layouts (the id is opaque; the path only names it), so catalog and
 * trace seed the same products and lots, with the same ids, under either.
 */
export function demoTree(layout: DemoLayout) {
  const areaSlug = (op: DemoOperator) => (layout === '2025' ? OPERATOR_COMMUNES_2025[op.slug]! : op.district);
  const areaPath = (op: DemoOperator) => `${CITY.slug}.${op.department}.${areaSlug(op)}`;
  const units =
    layout === '2025'
      ? COMMUNES_2025.map((c) => ({ ...c, level: 'commune' as const, code: null }))
      : DISTRICTS.map((d) => ({ ...d, level: 'district' as const, code: d.code }));
  const areas = DEPARTMENTS.flatMap((dep): DemoAreaNode[] =>
    units.map((u) => ({
      path: `${CITY.slug}.${dep.slug}.${u.slug}`,
      department: dep.slug,
      level: u.level,
      nameVi: u.nameVi,
      nameEn: u.nameEn,
      code: u.code,
    })),
  );
  return {
    layout,
    /** Level codes the layout uses: communes may be added under the 2019 districts; 2025 has no district level. */
    levels: layout === '2025' ? ['city', 'department', 'commune', 'operator'] : ['city', 'department', 'district', 'commune', 'operator'],
    /** Department names of this layout (2025: after the merger). */
    departments: DEPARTMENTS.map((d) => (layout === '2025' ? { ...d, ...DEPARTMENT_NAMES_2025[d.slug] } : d)),
    areas,
    /** GLN of the city, a department or an administrative area of this layout, by path. */
    publicGln: (path: string) => {
      if (path === CITY.slug) return glnOf(PUBLIC_PREFIX, 0);
      const department = DEPARTMENTS.findIndex((d) => demoPaths.department(d.slug) === path);
      if (department >= 0) return glnOf(PUBLIC_PREFIX, 1 + department);
      const area = areas.findIndex((a) => a.path === path);
      if (area < 0) throw new Error(`no public demo node at ${path}`);
      return glnOf(PUBLIC_PREFIX, 100 + area);
    },
    /** Path of the area an operator sits in. */
    areaOf: areaPath,
    operatorPath: (op: DemoOperator) => `${areaPath(op)}.${op.slug}`,
    operatorId: (op: DemoOperator) => demoOrgId(demoPaths.operator(op)),
  };
}
export type DemoTree = ReturnType<typeof demoTree>;

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
