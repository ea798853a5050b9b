import type { Scoped } from '@nguon/shared';

export type LotStatusValue = 'DRAFT' | 'PUBLISHED' | 'RECALLED' | 'CLOSED';
/** Lots consumers may see: a recalled lot stays visible so its warning is seen. */
export const PUBLIC_LOT_STATUSES: readonly LotStatusValue[] = ['PUBLISHED', 'RECALLED', 'CLOSED'];

export interface LotModel extends Scoped {
  id: string;
  lotCode: string;
  productId: string;
  ownerId: string;
  season: string | null;
  quantity: number;
  unit: string;
  producedOn: string | null;
  expiresOn: string | null;
  status: LotStatusValue;
}

export interface ProductRef {
  id: string;
}
export interface OrganizationRef {
  id: string;
}
