import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/** `_` and `%` are LIKE wildcards and `_` is common in paths: escape them so a prefix means a prefix. */
const likeEscape = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Rows whose path is `root` or lies below it; uses the text_pattern_ops index. */
export function inSubtree(path: SQLWrapper, root: string): SQL {
  return sql`(${path} = ${root} or ${path} like ${`${likeEscape(root)}.%`})`;
}

/** Rows under any of `roots`; false when there are none. */
export function inAnySubtree(path: SQLWrapper, roots: readonly string[]): SQL {
  if (roots.length === 0) return sql`false`;
  return sql`(${sql.join(
    roots.map((root) => inSubtree(path, root)),
    sql` or `,
  )})`;
}
