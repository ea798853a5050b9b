import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../src/db';
import { inAnySubtree, inSubtree } from '../src/sqlscope';
import { testDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db?.close());

const PATHS = [
  'ct',
  'ct.agri',
  'ct.agri.thot_not',
  'ct.agri.thot_not.p1',
  'ct.agri.thot1not',
  'ct.agri.thot1not.p2',
  'ct.agri.thot_not_2',
  'ct.agriculture',
  'ct.agri%x',
];

async function under(condition: (column: ReturnType<typeof sql.identifier>) => ReturnType<typeof sql>) {
  const column = sql.identifier('path');
  const values = sql.join(
    PATHS.map((p) => sql`(${p})`),
    sql`, `,
  );
  const result = await db.connection.drizzle().execute(sql`select path from (values ${values}) as t(path) where ${condition(column)} order by path`);
  return rowsOf<{ path: string }>(result).map((r) => r.path);
}

describe('subtree conditions in SQL', () => {
  it('treat `_` and `%` in a path literally and need the dot boundary', async () => {
    expect(await under((c) => inSubtree(c, 'ct.agri.thot_not'))).toEqual(['ct.agri.thot_not', 'ct.agri.thot_not.p1']);
    expect(await under((c) => inSubtree(c, 'ct.agri'))).not.toContain('ct.agriculture');
    expect(await under((c) => inSubtree(c, 'ct.agri%x'))).toEqual(['ct.agri%x']);
  });

  it('match nothing for no roots and the union for several', async () => {
    expect(await under((c) => inAnySubtree(c, []))).toEqual([]);
    expect(await under((c) => inAnySubtree(c, ['ct.agri.thot1not', 'ct.agri.thot_not_2']))).toEqual([
      'ct.agri.thot1not',
      'ct.agri.thot1not.p2',
      'ct.agri.thot_not_2',
    ]);
  });
});
