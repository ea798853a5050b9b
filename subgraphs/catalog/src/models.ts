import type { Scoped } from '@nguon/shared';
import type { TextMap } from './db/schema';

export type ProductStatusValue = 'DRAFT' | 'PUBLISHED' | 'WITHDRAWN';

/** A product row as resolvers see it, scoped by its owner's place in the tree. */
export interface ProductModel extends Scoped {
  id: string;
  ownerId: string;
  gtin: string | null;
  internalCode: string;
  category: string;
  name: TextMap;
  brand: string | null;
  unit: string;
  status: ProductStatusValue;
}

/** An Organization as the catalog knows it: just its key. */
export interface OrganizationRef {
  id: string;
}
