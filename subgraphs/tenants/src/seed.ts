import { sql } from 'drizzle-orm';
import type { Database } from '@nguon/shared';
import { CITY, DEPARTMENTS, DISTRICTS, OPERATORS, TREE_LEVELS } from '@nguon/demo/cantho';
import { demoOrgId, demoPaths } from '@nguon/demo/ids';
import { stableId } from '@nguon/shared';
import { hashPassword } from './auth';
import { organizations, roleGrants, treeLevels, users } from './db/schema';

export interface DemoAccount {
  email: string;
  role: string;
  path: string;
}

type OrgRow = typeof organizations.$inferInsert;

const email = (role: string, path: string) => `${role.toLowerCase()}.${path.replace(/[._]/g, '-')}@demo.nguon.vn`;

/** Demo accounts: every role at every level of the tree, and STAFF at every operator. */
function demoAccounts(): DemoAccount[] {
  const supervisors = ['ADMIN', 'OFFICER', 'ANALYST'];
  const accounts: DemoAccount[] = [];
  const add = (roles: string[], path: string) => roles.forEach((role) => accounts.push({ role, path, email: email(role, path) }));
  add(supervisors, demoPaths.city);
  for (const d of DEPARTMENTS) add(supervisors, demoPaths.department(d.slug));
  add(supervisors, demoPaths.district('agri', 'thot_not'));
  add(supervisors, demoPaths.district('agri', 'phong_dien'));
  add(supervisors, demoPaths.district('industry_trade', 'ninh_kieu'));
  add(supervisors, demoPaths.district('health', 'ninh_kieu'));
  OPERATORS.forEach((op, index) => add(index === 0 ? ['ADMIN', 'OFFICER', 'ANALYST', 'STAFF'] : ['STAFF'], demoPaths.operator(op)));
  return accounts;
}

export async function isSeeded(db: Database): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(organizations);
  return (row?.n ?? 0) > 0;
}

/** Seeds the Can Tho tree and demo accounts (all with `password`); returns the accounts. */
export async function seedTenants(db: Database, password: string): Promise<DemoAccount[]> {
  await db.insert(treeLevels).values(TREE_LEVELS.map((l) => ({ depth: l.depth, code: l.code, name: { vi: l.nameVi, en: l.nameEn } })));
  const rows: OrgRow[] = [];
  const org = (row: Omit<OrgRow, 'id' | 'slug' | 'depth'> & { path: string }) => {
    const slug = row.path.slice(row.path.lastIndexOf('.') + 1);
    rows.push({ ...row, id: demoOrgId(row.path), slug, depth: row.path.split('.').length - 1 });
  };
  org({ path: demoPaths.city, parentId: null, kind: 'CITY', sector: null, name: { vi: CITY.nameVi, en: CITY.nameEn }, address: CITY.address });
  for (const dep of DEPARTMENTS) {
    const path = demoPaths.department(dep.slug);
    org({ path, parentId: demoOrgId(demoPaths.city), kind: 'DEPARTMENT', sector: dep.sector, name: { vi: dep.nameVi, en: dep.nameEn }, address: dep.address });
    for (const district of DISTRICTS) {
      org({
        path: demoPaths.district(dep.slug, district.slug),
        parentId: demoOrgId(path),
        kind: 'AREA',
        sector: dep.sector,
        name: { vi: district.nameVi, en: district.nameEn },
        districtCode: district.code,
      });
    }
  }
  const districtCode = new Map(DISTRICTS.map((d) => [d.slug, d.code]));
  for (const op of OPERATORS) {
    const dep = DEPARTMENTS.find((d) => d.slug === op.department)!;
    org({
      path: demoPaths.operator(op),
      parentId: demoOrgId(demoPaths.district(op.department, op.district)),
      kind: op.kind,
      sector: dep.sector,
      name: { vi: op.nameVi, en: op.nameEn },
      address: op.address,
      districtCode: districtCode.get(op.district) ?? null,
      contact: { person: op.contactPerson, email: op.contactEmail, phone: op.contactPhone },
    });
  }
  await db.insert(organizations).values(rows);

  const accounts = demoAccounts();
  const hashes = await Promise.all(accounts.map(() => hashPassword(password)));
  const operatorNames = new Map(OPERATORS.map((op) => [demoPaths.operator(op), op.contactPerson]));
  await db.insert(users).values(
    accounts.map((a, i) => ({
      id: stableId('user', a.email),
      organizationId: demoOrgId(a.path),
      email: a.email,
      name: operatorNames.get(a.path) && a.role === 'STAFF' ? operatorNames.get(a.path)! : `${a.role} ${a.path}`,
      phone: null,
      passwordHash: hashes[i]!,
    })),
  );
  await db
    .insert(roleGrants)
    .values(accounts.map((a) => ({ id: stableId('grant', a.email), userId: stableId('user', a.email), organizationId: demoOrgId(a.path), role: a.role })));
  return accounts;
}
