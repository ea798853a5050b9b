import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '@nguon/shared';
import type { SubtreeCounts } from '../models';

/**
 * Published and total counts for many subtrees in one statement. Reads only
 * the analytics views. Rollup tables replace the lateral counts when the data
 * grows (see the analytics issue).
 */
export async function subtreeCounts(db: Database, ids: readonly string[]): Promise<SubtreeCounts[]> {
  const idList = sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const result = await db.execute(sql`
    with targets as (
      select id, path, replace(replace(replace(path, '\\', '\\\\'), '_', '\\_'), '%', '\\%') || '.%' as pattern
      from analytics.organizations where id in (${idList})
    ),
    scoped as (
      select t.id as target_id, o.id as org_id
      from targets t join analytics.organizations o on o.path = t.path or o.path like t.pattern
    )
    select t.id, t.path,
      coalesce(p.total, 0)::int as products, coalesce(p.published, 0)::int as "publishedProducts",
      coalesce(l.total, 0)::int as lots, coalesce(l.published, 0)::int as "publishedLots"
    from targets t
    left join (
      select s.target_id, count(*) as total, count(*) filter (where pr.status = 'PUBLISHED') as published
      from scoped s join analytics.products pr on pr.owner_id = s.org_id group by s.target_id
    ) p on p.target_id = t.id
    left join (
      select s.target_id, count(*) as total, count(*) filter (where lo.status in ('PUBLISHED', 'RECALLED', 'CLOSED')) as published
      from scoped s join analytics.lots lo on lo.owner_id = s.org_id group by s.target_id
    ) l on l.target_id = t.id
  `);
  return rowsOf<SubtreeCounts>(result);
}
