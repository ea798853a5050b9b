import { sql } from 'drizzle-orm';
import { inAnySubtree, rowsOf, type Database, asJson } from '@nguon/shared';
import type { Disclosure } from './aggregate';
import { primaryReasonSql, readableSql } from '../suppression';

export interface ProductMonthVolume {
  productId: string;
  unit: string;
  month: number;
  volume: number;
  name: Record<string, string>;
  /** First and last calendar month (YYYY-MM-01) of the product's production behind the figures. */
  firstMonth: string;
  lastMonth: string;
}

/**
 * Primary production per product, unit and calendar month of the `first`
 * published products with the most of it in scope. A draft is left out: it
 * has no public name, and a nameless row on a dashboard tells a reader
 * nothing (issue 16); its lots still count in every aggregate. A product
 * whose main-unit volume this viewer may not see (small-cell suppression)
 * is left out before ranking: its rank would disclose its size. So is one
 * whose main unit has a calendar month the viewer may not see: the answer
 * gives each month's share and each season's volume, and a month resting on
 * one lot would give that lot's quantity away. A season is a union of months,
 * so when every month passes the rule every season does too.
 */
export async function productMonthVolumes(db: Database, roots: string[], first: number, disclosure: Disclosure): Promise<ProductMonthVolume[]> {
  const rows = rowsOf<{
    product_id: string;
    unit: string;
    m: number;
    volume: string;
    first_month: string;
    last_month: string;
    name: Record<string, string> | string;
  }>(
    await db.execute(sql`
      with scoped as (
        select r.product_id, r.unit, r.month, extract(month from r.month)::int as m, r.quantity, r.lot_count, r.owner_id,
          ${readableSql(disclosure.viewer, roots, sql`r.path`)} as readable
        from analytics.production_monthly r
        join analytics.product_labels pl on pl.id = r.product_id and pl.status = 'PUBLISHED'
        where ${inAnySubtree(sql`r.path`, roots)} and r.origin = 'PRIMARY'
      ),
      main_unit as (
        select distinct on (product_id) product_id, unit, sum(quantity) as total,
          ${primaryReasonSql(disclosure.rule, sql`bool_and(readable)`, sql`sum(lot_count)`, sql`count(distinct owner_id)`)} as reason
        from scoped group by product_id, unit order by product_id, sum(quantity) desc, unit
      ),
      per_month as (
        select product_id, unit, m, sum(quantity) as volume, min(month) as first_month, max(month) as last_month,
          ${primaryReasonSql(disclosure.rule, sql`bool_and(readable)`, sql`sum(lot_count)`, sql`count(distinct owner_id)`)} as reason
        from scoped group by product_id, unit, m
      ),
      top as (
        select u.product_id, u.unit from main_unit u
        where u.reason is null
          and not exists (select 1 from per_month pm where pm.product_id = u.product_id and pm.unit = u.unit and pm.reason is not null)
        order by u.total desc, u.product_id limit ${first}
      )
      select pm.product_id::text, pm.unit, pm.m, pm.volume::text as volume, pm.first_month::text, pm.last_month::text,
        (select pl.name from analytics.product_labels pl where pl.id = pm.product_id) as name
      from per_month pm join top t on t.product_id = pm.product_id and t.unit = pm.unit
    `),
  );
  return rows.map((r) => ({
    productId: r.product_id,
    unit: r.unit,
    month: Number(r.m),
    volume: Number(r.volume),
    name: asJson(r.name),
    firstMonth: r.first_month,
    lastMonth: r.last_month,
  }));
}

/**
 * Districts (by code) of the area nodes in scope where no organization in
 * scope has a published product with at least one recorded lot.
 */
export async function districtsWithoutTraceable(db: Database, roots: string[]): Promise<{ code: string; name: Record<string, string> }[]> {
  const rows = rowsOf<{ code: string; name: Record<string, string> | string }>(
    await db.execute(sql`
      select distinct on (a.district_code) a.district_code as code, l.name
      from analytics.organizations a join analytics.organization_labels l on l.id = a.id
      where a.kind = 'AREA' and a.district_code is not null and ${inAnySubtree(sql`a.path`, roots)}
        and not exists (
          select 1 from analytics.organizations o
          join analytics.products p on p.owner_id = o.id and p.status = 'PUBLISHED'
          where o.district_code = a.district_code and ${inAnySubtree(sql`o.path`, roots)}
            and exists (select 1 from analytics.production_monthly r where r.product_id = p.id)
        )
      order by a.district_code, a.path
    `),
  );
  return rows.map((r) => ({ code: r.code, name: asJson(r.name) }));
}

export interface ExpiringCertificate {
  productId: string;
  scheme: string;
  number: string;
  validTo: string;
  daysLeft: number;
}

/** YYYY-MM-DD in Vietnam, where a certificate's last valid day is counted. */
const VIETNAM_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * Certificates of published products in scope whose last valid day falls
 * within `days` from today (Asia/Ho_Chi_Minh), soonest first. Drafts are row
 * data of unpublished items, so they are left out.
 */
export async function expiringCertificates(db: Database, roots: string[], days: number, limit = 500): Promise<{ rows: ExpiringCertificate[]; today: string }> {
  // One "today" for the rows and for the window the answer reports, and no round trip to learn it.
  const today = VIETNAM_DAY.format(new Date());
  const rows = rowsOf<{ product_id: string; scheme: string; number: string; valid_to: string; days_left: number }>(
    await db.execute(sql`
      with today as (select ${today}::date as d)
      select c.product_id::text, c.scheme, c.number, c.valid_to::text, (c.valid_to - today.d)::int as days_left
      from analytics.certificates c
      cross join today
      join analytics.products p on p.id = c.product_id and p.status = 'PUBLISHED'
      join analytics.organizations o on o.id = p.owner_id
      where c.valid_to between today.d and today.d + ${days}::int and ${inAnySubtree(sql`o.path`, roots)}
      order by c.valid_to, c.number
      limit ${limit}
    `),
  );
  return {
    rows: rows.map((r) => ({ productId: r.product_id, scheme: r.scheme, number: r.number, validTo: r.valid_to, daysLeft: Number(r.days_left) })),
    today,
  };
}
