import { sql, type SQLWrapper } from 'drizzle-orm';

/**
 * Per-parent pages in one statement: number each parent's rows with a window
 * and keep the first `limit + 1` of each (the extra row tells whether a next
 * page exists). Used by every `Parent.children(first:)` field so a page of N
 * parents costs one query.
 */
export const rankWithin = (partition: SQLWrapper, order: SQLWrapper) => sql<number>`row_number() over (partition by ${partition} order by ${order})`.as('rank');

export const withinRank = (rank: SQLWrapper, limit: number) => sql`${rank} <= ${limit + 1}`;

/** Groups rows by a key, dropping the window's `rank` column. */
export function groupRanked<R extends { rank: number }, T>(rows: R[], keyOf: (row: R) => string, map: (row: Omit<R, 'rank'>) => T): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const { rank: _rank, ...row } of rows) {
    const key = keyOf(row as R);
    const list = groups.get(key);
    const item = map(row);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Groups plain rows by a key. */
export function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
