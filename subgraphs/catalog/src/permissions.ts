import type { FieldClassMap } from '@nguon/shared';

/** The permission class of every field of the catalog graph (DESIGN.md §3); unlisted fields are denied. */
export const fieldClasses: FieldClassMap = {
  Query: { product: 'OPEN', productByGtin: 'OPEN', products: 'OPEN' },
  Product: {
    id: 'PUBLIC',
    gtin: 'PUBLIC',
    internalCode: 'PUBLIC',
    name: 'PUBLIC',
    category: 'PUBLIC',
    brand: 'PUBLIC',
    unit: 'PUBLIC',
    status: 'PUBLIC',
    owner: 'PUBLIC',
  },
  // A representation from the gateway: only its key, no scope of its own;
  // `products` filters what the viewer may see.
  Organization: { id: 'OPEN', products: 'OPEN' },
  ProductConnection: { edges: 'OPEN', nodes: 'OPEN', pageInfo: 'OPEN', totalCount: 'OPEN' },
  ProductEdge: { node: 'OPEN', cursor: 'OPEN' },
  PageInfo: { hasNextPage: 'OPEN', hasPreviousPage: 'OPEN', startCursor: 'OPEN', endCursor: 'OPEN' },
  LocalizedText: { text: 'OPEN', lang: 'OPEN', fallback: 'OPEN' },
};
