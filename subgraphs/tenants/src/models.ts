import type { Scoped } from '@nguon/shared';
import type { ContactData, TextMap } from './db/schema';

export const ORGANIZATION_KINDS = ['CITY', 'DEPARTMENT', 'AREA', 'PRODUCER', 'BUSINESS', 'STORE'] as const;
export type OrganizationKindValue = (typeof ORGANIZATION_KINDS)[number];
export const SECTORS = ['AGRICULTURE', 'INDUSTRY_TRADE', 'HEALTH'] as const;

/** An organization row as resolvers see it: parsed, with its place in the tree. */
export interface OrganizationModel extends Scoped {
  id: string;
  parentId: string | null;
  kind: OrganizationKindValue;
  sector: (typeof SECTORS)[number] | null;
  name: TextMap;
  path: string;
  depth: number;
  /** Administrative level code (tenants.levels). */
  level: string;
  gln: string | null;
  address: string | null;
  districtCode: string | null;
  contact: ContactData | null;
  active: boolean;
}

export interface UserModel extends Scoped {
  id: string;
  organizationId: string;
  email: string;
  name: string;
  phone: string | null;
  active: boolean;
}

export interface RoleGrantModel extends Scoped {
  id: string;
  userId: string;
  role: 'ADMIN' | 'OFFICER' | 'ANALYST' | 'STAFF';
  organizationId: string;
  grantedAt: Date;
}

export interface ApiClientModel extends Scoped {
  id: string;
  organizationId: string;
  name: string;
  keyPrefix: string;
  scopes: string[];
  createdAt: Date;
  revokedAt: Date | null;
}

export interface TreeLevelModel {
  code: string;
  rank: number;
  kinds: string[];
  name: TextMap;
}

export function toOrganization(row: {
  id: string;
  parentId: string | null;
  kind: string;
  sector: string | null;
  name: TextMap;
  path: string;
  depth: number;
  level: string;
  gln: string | null;
  address: string | null;
  districtCode: string | null;
  contact: ContactData | null;
  active: boolean;
}): OrganizationModel {
  return {
    ...row,
    kind: row.kind as OrganizationKindValue,
    sector: row.sector as OrganizationModel['sector'],
    scope: { path: row.path, published: row.active },
  };
}
