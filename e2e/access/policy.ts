/**
 * The permission model of docs/permissions.md written down as expectations, cell by
 * cell: who may do what to an item inside or outside their subtree. This is
 * the specification the access-matrix test checks the running graph against,
 * and the source of docs/access-matrix.md. It deliberately does not import
 * the implementation's rules, so loosening one of those fails the test.
 */

export type Role = 'ADMIN' | 'OFFICER' | 'ANALYST' | 'STAFF';
export type Level = 'city' | 'department' | 'district' | 'producer';
export type Relation = 'inside' | 'outside';

export interface ViewerSpec {
  label: string;
  kind: 'anonymous' | 'user' | 'client';
  role?: Role;
  level?: Level;
  /** Node the role (or API client) is bound to. */
  path?: string;
  scopes?: string[];
}

/** What the probes exercise, one field class or act each. */
export const CELLS = {
  PUBLIC: 'read a PUBLIC field of a published item',
  DRAFT: 'see an unpublished product at all (others get null, as if it did not exist)',
  INTERNAL: 'read an INTERNAL field (history, stock quantity)',
  PERSONAL: "read PERSONAL data (an organization's contact)",
  AGGREGATE: 'read aggregates over the subtree (`aggregate` query)',
  OPERATE: 'write operational data (register a product)',
  SUPERVISE: 'supervise (publish a draft product)',
  MANAGE: 'manage the organization (rename it)',
} as const;
export type Cell = keyof typeof CELLS;

const SUPERVISORS: Role[] = ['ADMIN', 'OFFICER'];

/** The expected answer for every viewer, cell and relation: the role table of docs/permissions.md §2. */
export function expected(viewer: ViewerSpec, cell: Cell, relation: Relation): boolean {
  if (cell === 'PUBLIC') return true; // published data is for everyone, consumers included
  if (viewer.kind === 'anonymous') return false;
  if (viewer.kind === 'client') {
    // Machine clients read what their scopes name, in their subtree, and manage nothing.
    const scopes = viewer.scopes ?? [];
    if (relation === 'outside') return false;
    if (cell === 'INTERNAL' || cell === 'DRAFT') return scopes.includes('INTERNAL_READ');
    if (cell === 'AGGREGATE') return scopes.includes('AGGREGATES_READ');
    return false;
  }
  if (relation === 'outside') return false; // a role covers its node's subtree and nothing beside it
  const role = viewer.role!;
  switch (cell) {
    case 'INTERNAL':
    case 'DRAFT':
      // owner organization (its STAFF and ADMIN) and supervising OFFICER/ADMIN ancestors
      return SUPERVISORS.includes(role) || role === 'STAFF';
    case 'AGGREGATE':
      // ANALYST and up; STAFF run their own organization, they do not analyse it
      return role !== 'STAFF';
    case 'OPERATE':
      // the organization's own STAFF, and an ADMIN above it acting for it
      return role === 'STAFF' || role === 'ADMIN';
    case 'SUPERVISE':
      return SUPERVISORS.includes(role);
    case 'PERSONAL':
      // people's contact data: the owner organization's ADMIN and the city ADMIN only
      return role === 'ADMIN' && (viewer.level === 'producer' || viewer.level === 'city');
    case 'MANAGE':
      return role === 'ADMIN';
  }
}

const OPERATOR = 'ct.agri.thot_not.htx_lua_thoi_thuan';

/** Every role at every level of one branch of the demo tree, plus anonymous and machine clients. */
export const VIEWERS: ViewerSpec[] = [
  { label: 'anonymous', kind: 'anonymous' },
  ...(['ADMIN', 'OFFICER', 'ANALYST'] as Role[]).flatMap((role) => [
    { label: `${role} @ city`, kind: 'user' as const, role, level: 'city' as Level, path: 'ct' },
    { label: `${role} @ department`, kind: 'user' as const, role, level: 'department' as Level, path: 'ct.agri' },
    { label: `${role} @ district`, kind: 'user' as const, role, level: 'district' as Level, path: 'ct.agri.thot_not' },
  ]),
  ...(['ADMIN', 'OFFICER', 'ANALYST', 'STAFF'] as Role[]).map((role) => ({
    label: `${role} @ producer`,
    kind: 'user' as const,
    role,
    level: 'producer' as Level,
    path: OPERATOR,
  })),
  { label: 'API client (aggregates:read) @ department', kind: 'client', level: 'department', path: 'ct.agri', scopes: ['AGGREGATES_READ'] },
  { label: 'API client (internal:read) @ district', kind: 'client', level: 'district', path: 'ct.agri.thot_not', scopes: ['INTERNAL_READ'] },
];

/**
 * Targets: the producer itself, a sibling producer in the same district, and
 * a producer in another department. Which relation each has to a viewer
 * follows from the paths.
 */
export const TARGETS: { label: string; path: string; create?: { parent: string; slug: string } }[] = [
  { label: 'the producer', path: OPERATOR },
  { label: 'a sibling producer', path: 'ct.agri.thot_not.htx_lua_tan_loc' },
  { label: 'a producer of another department', path: 'ct.health.ninh_kieu.ct_thao_duoc_mekong' },
  // Created by the test: its path starts with the producer's path as text, so
  // a prefix check without the dot boundary would wrongly cover it.
  {
    label: 'a producer whose path extends the producer’s as text',
    path: `${OPERATOR}_2`,
    create: { parent: 'ct.agri.thot_not', slug: 'htx_lua_thoi_thuan_2' },
  },
];

export const relationOf = (viewer: ViewerSpec, target: string): Relation =>
  viewer.path && (target === viewer.path || target.startsWith(`${viewer.path}.`)) ? 'inside' : 'outside';

/** docs/access-matrix.md, rendered from the same expectations the test asserts. */
export function renderMatrix(): string {
  const cells = Object.keys(CELLS) as Cell[];
  const mark = (v: ViewerSpec, cell: Cell, relation: Relation) => (expected(v, cell, relation) ? '✅' : '—');
  const lines = [
    '# Access matrix',
    '',
    'Generated from `e2e/access/policy.ts` by `npm run docs:access`; the test',
    '`e2e/access-matrix.test.ts` asserts every cell below against the running',
    'graph through the gateway (each probe on the producer, a sibling producer and a',
    'producer of another department), and fails when this file is stale.',
    '',
    'Each cell reads *inside the viewer’s subtree* / *outside it*. ✅ allowed, — refused',
    '(a refused field is a `FORBIDDEN` error; a refused act is `FORBIDDEN` or',
    '`UNAUTHENTICATED` and writes nothing).',
    '',
    ...cells.map((c) => `- **${c}**: ${CELLS[c]}`),
    '',
    `| viewer | ${cells.join(' | ')} |`,
    `| --- | ${cells.map(() => '---').join(' | ')} |`,
    ...VIEWERS.map(
      (v) => `| ${v.label}${v.path ? ` (\`${v.path}\`)` : ''} | ${cells.map((c) => `${mark(v, c, 'inside')} / ${mark(v, c, 'outside')}`).join(' | ')} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
