import { and, eq, inArray } from 'drizzle-orm';
import { canReadInternal, canSupervise, organizationScope, type Database, type ItemScope, type Viewer } from '@nguon/shared';
import type { SectorValue } from './models';

/** A department the viewer supervises as OFFICER or ADMIN, with the sector it stands for. */
export interface SupervisedDepartment {
  path: string;
  sector: string;
}

/**
 * What this viewer may see in the catalog. Beyond the tree rule (published
 * items, plus everything under the viewer's grants), a product's category
 * decides which department supervises it (docs/permissions.md §3): an Industry &
 * Trade officer sees processed food even when its maker sits under the
 * Agriculture department's subtree.
 */
export interface Visibility {
  viewer: Viewer;
  internalRoots: readonly string[];
  departments: readonly SupervisedDepartment[];
}

const SUPERVISORS = new Set(['OFFICER', 'ADMIN']);

/**
 * The departments among the viewer's OFFICER/ADMIN grants. Which sector a
 * department stands for is data in tenants (read through its contract view),
 * so this is one query — and none for viewers without such grants, which keeps
 * anonymous requests at one statement per level.
 */
export async function supervisedDepartments(db: Database, viewer: Viewer): Promise<SupervisedDepartment[]> {
  if (viewer.kind !== 'user') return [];
  const paths = [...new Set(viewer.grants.filter((g) => SUPERVISORS.has(g.role)).map((g) => g.path))];
  if (paths.length === 0) return [];
  const rows = await db
    .select({ path: organizationScope.path, sector: organizationScope.sector })
    .from(organizationScope)
    .where(and(inArray(organizationScope.path, paths), eq(organizationScope.kind, 'DEPARTMENT'), eq(organizationScope.active, true)));
  return rows.filter((r): r is SupervisedDepartment => r.sector !== null);
}

/** The supervising department through which the viewer reaches a product of this sector, if any. */
const departmentFor = (visibility: Visibility, sector: SectorValue) => visibility.departments.find((d) => d.sector === sector);

/**
 * The scope the field rules judge. When the viewer reads the product only
 * through its category's department, the scope names that department's path:
 * the shared rules then grant exactly what an ancestor would get.
 */
export function productScope(visibility: Visibility, ownerPath: string, sector: SectorValue, published: boolean): ItemScope {
  if (!canReadInternal(visibility.viewer, ownerPath)) {
    const department = departmentFor(visibility, sector);
    if (department) return { path: department.path, published };
  }
  return { path: ownerPath, published };
}

/** Publish/withdraw: an OFFICER or ADMIN above the owner, or of the department supervising the category. */
export function maySupervise(visibility: Visibility, ownerPath: string, sector: SectorValue): boolean {
  return canSupervise(visibility.viewer, ownerPath) || departmentFor(visibility, sector) !== undefined;
}
