import type { FieldClassMap } from '@nguon/shared';

/** The permission class of every field of the trace graph (DESIGN.md §3); unlisted fields are denied. */
export const fieldClasses: FieldClassMap = {
  Query: { lot: 'OPEN', lots: 'OPEN' },
  Lot: {
    id: 'PUBLIC',
    lotCode: 'PUBLIC',
    product: 'PUBLIC',
    owner: 'PUBLIC',
    season: 'PUBLIC',
    unit: 'PUBLIC',
    producedOn: 'PUBLIC',
    expiresOn: 'PUBLIC',
    status: 'PUBLIC',
    quantity: 'INTERNAL',
  },
  // Representations from the gateway carry only their key; the lists filter by visibility.
  Product: { id: 'OPEN', lots: 'OPEN' },
  Organization: { id: 'OPEN', lots: 'OPEN' },
  LotConnection: { edges: 'OPEN', nodes: 'OPEN', pageInfo: 'OPEN', totalCount: 'OPEN' },
  LotEdge: { node: 'OPEN', cursor: 'OPEN' },
  PageInfo: { hasNextPage: 'OPEN', hasPreviousPage: 'OPEN', startCursor: 'OPEN', endCursor: 'OPEN' },
};
