import type { FieldClassMap } from '@nguon/shared';

/** The permission class of every field of the analytics graph (DESIGN.md §3); unlisted fields are denied. */
export const fieldClasses: FieldClassMap = {
  // `stats` decides coverage from the viewer's rights over the subtree itself.
  Organization: { id: 'OPEN', stats: 'OPEN' },
  OrganizationStats: { productCount: 'OPEN', lotCount: 'OPEN', coverage: 'OPEN' },
};
