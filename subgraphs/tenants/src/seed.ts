import { notInArray, sql } from 'drizzle-orm';
import type { Database } from '@nguon/shared';
import { CITY, DEFAULT_DEMO_LAYOUT, DEMO_LAYOUTS, LEVELS, OPERATORS, type DemoLayout } from '@nguon/demo/cantho';
import { demoOperator, demoOperatorGln, demoOrgId, demoPaths, demoTree, type DemoTree } from '@nguon/demo/ids';
import { stableId } from '@nguon/shared';
import { hashPassword } from './auth';
import { levels, organizations, roleGrants, users } from './db/schema';

export interface DemoAccount {
  email: string;
  role: string;
  path: string;
}

/** The layouts a deployment may seed (DEMO_LAYOUT), for the gateway, which does not depend on the demo package. */
export { DEFAULT_DEMO_LAYOUT, DEMO_LAYOUTS, type DemoLayout };

type OrgRow = typeof organizations.$inferInsert;

const email = (role: string, path: string) => `${role.toLowerCase()}.${path.replace(/[._]/g, '-')}@demo.nguon.vn`;

/** Demo accounts: every role at every level of the tree, and STAFF at every operator. */
function demoAccounts(tree: DemoTree): DemoAccount[] {
  const supervisors = ['ADMIN', 'OFFICER', 'ANALYST'];
  const accounts: DemoAccount[] = [];
  const add = (roles: string[], path: string) => roles.forEach((role) => accounts.push({ role, path, email: email(role, path) }));
  add(supervisors, demoPaths.city);
  for (const d of tree.departments) add(supervisors, demoPaths.department(d.slug));
  // The areas of four operators: in the 2019 layout the districts ct.agri.thot_not, ct.agri.phong_dien,
  // ct.industry_trade.ninh_kieu and ct.health.ninh_kieu; in the 2025 layout the wards and communes they are in.
  for (const slug of ['htx_lua_thoi_thuan', 'htx_dau_ha_chau', 'ct_tra_mang_cau_tay_do', 'ct_thao_duoc_mekong'])
    add(supervisors, tree.areaOf(demoOperator(slug)));
  OPERATORS.forEach((op, index) => add(index === 0 ? ['ADMIN', 'OFFICER', 'ANALYST', 'STAFF'] : ['STAFF'], tree.operatorPath(op)));
  return accounts;
}

export async function isSeeded(db: Database): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(organizations);
  return (row?.n ?? 0) > 0;
}

/**
 * Seeds the Can Tho tree in one layout (DEMO_LAYOUT, see @nguon/demo/cantho)
 * and demo accounts (all with `password`); returns the accounts.
 */
export async function seedTenants(db: Database, password: string, layout: DemoLayout = DEFAULT_DEMO_LAYOUT): Promise<DemoAccount[]> {
  const tree = demoTree(layout);
  // Levels are data: the migration names the standard ones; the layout keeps those it uses.
  const used = new Set(tree.levels);
  await db.delete(levels).where(notInArray(levels.code, [...used]));
  for (const l of LEVELS.filter((l) => used.has(l.code))) {
    const row = { code: l.code, rank: l.rank, kinds: l.kinds, name: { vi: l.nameVi, en: l.nameEn } };
    await db.insert(levels).values(row).onConflictDoUpdate({ target: levels.code, set: row });
  }
  const rows: OrgRow[] = [];
  const ids = new Map<string, string>();
  // Every node has a GLN: the bodies theirs from the tree, operators theirs from @nguon/demo/ids.
  const org = (row: Omit<OrgRow, 'id' | 'slug' | 'depth' | 'gln'> & { path: string; id?: string; gln?: string }) => {
    const slug = row.path.slice(row.path.lastIndexOf('.') + 1);
    const id = row.id ?? demoOrgId(row.path);
    ids.set(row.path, id);
    rows.push({ ...row, id, slug, gln: row.gln ?? tree.publicGln(row.path), depth: row.path.split('.').length - 1 });
  };
  org({ path: demoPaths.city, parentId: null, kind: 'CITY', level: 'city', sector: null, name: { vi: CITY.nameVi, en: CITY.nameEn }, address: CITY.address });
  for (const dep of tree.departments) {
    org({
      path: demoPaths.department(dep.slug),
      parentId: demoOrgId(demoPaths.city),
      kind: 'DEPARTMENT',
      level: 'department',
      sector: dep.sector,
      name: { vi: dep.nameVi, en: dep.nameEn },
      address: dep.address,
    });
  }
  for (const area of tree.areas) {
    const dep = tree.departments.find((d) => d.slug === area.department)!;
    org({
      path: area.path,
      parentId: demoOrgId(demoPaths.department(dep.slug)),
      kind: 'AREA',
      level: area.level,
      sector: dep.sector,
      name: { vi: area.nameVi, en: area.nameEn },
      districtCode: area.code,
    });
  }
  const areaCode = new Map(tree.areas.map((a) => [a.path, a.code]));
  for (const op of OPERATORS) {
    const dep = tree.departments.find((d) => d.slug === op.department)!;
    org({
      id: tree.operatorId(op),
      path: tree.operatorPath(op),
      gln: demoOperatorGln(op),
      parentId: demoOrgId(tree.areaOf(op)),
      kind: op.kind,
      level: 'operator',
      sector: dep.sector,
      name: { vi: op.nameVi, en: op.nameEn },
      address: op.address,
      districtCode: areaCode.get(tree.areaOf(op)) ?? null,
      contact: { person: op.contactPerson, email: op.contactEmail, phone: op.contactPhone },
    });
  }
  await db.insert(organizations).values(rows);

  const accounts = demoAccounts(tree);
  const hashes = await Promise.all(accounts.map(() => hashPassword(password)));
  const operatorNames = new Map(OPERATORS.map((op) => [tree.operatorPath(op), op.contactPerson]));
  await db.insert(users).values(
    accounts.map((a, i) => ({
      id: stableId('user', a.email),
      organizationId: ids.get(a.path)!,
      email: a.email,
      name: operatorNames.get(a.path) && a.role === 'STAFF' ? operatorNames.get(a.path)! : `${a.role} ${a.path}`,
      phone: null,
      passwordHash: hashes[i]!,
    })),
  );
  await db
    .insert(roleGrants)
    .values(accounts.map((a) => ({ id: stableId('grant', a.email), userId: stableId('user', a.email), organizationId: ids.get(a.path)!, role: a.role })));
  return accounts;
}
