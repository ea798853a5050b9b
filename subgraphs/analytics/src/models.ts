export interface OrganizationRef {
  id: string;
}

export interface OrganizationStatsModel {
  productCount: number;
  lotCount: number;
  coverage: 'PUBLISHED_ONLY' | 'ALL';
}

/** Both counts for one organization's subtree; the resolver picks by the viewer's rights. */
export interface SubtreeCounts {
  id: string;
  path: string;
  products: number;
  publishedProducts: number;
  lots: number;
  publishedLots: number;
}

export interface ProductRef {
  id: string;
}

/** The dashboard's fields take their own arguments; the parent carries the settled scope. */
export interface DashboardModel {
  roots: string[];
  langs: string[];
  asOf: Date;
}
