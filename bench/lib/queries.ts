/** The operations of each scenario, and the one SQL statement per scenario the floor answers with. */
import { encodeCursor } from '@nguon/shared';

/** Scenario 1: what a consumer's phone asks after a QR scan, anonymous. */
export const PROVENANCE = `query Provenance($id: ID!) {
  lot(id: $id) {
    id lotCode status producedOn expiresOn
    product { id name(lang: "vi") { text lang } owner { id name(lang: "vi") { text } } }
    owner { id name(lang: "vi") { text } }
    timeline(lang: "vi") { eventID bizStep eventTime }
  }
}`;

/** Scenario 2: N lots with product and owner; pages of at most 100 (the graph's cap), as aliases. */
export const pageSizeOf = (n: number) => Math.min(n, 100);
export const listQuery = (n: number) => {
  const pages = Math.ceil(n / 100);
  const size = pageSizeOf(n);
  const vars = Array.from({ length: pages }, (_, k) => `$a${k}: String`).join(', ');
  const fields = Array.from(
    { length: pages },
    (_, k) =>
      `p${k}: lots(first: ${size}, after: $a${k}) { nodes { id lotCode status product { id name(lang: "vi") { text } } owner { id name(lang: "vi") { text } } } }`,
  ).join('\n  ');
  return `query Lots(${vars}) {\n  ${fields}\n}`;
};
export const listVariables = (n: number, afterIds: string[]) =>
  Object.fromEntries(afterIds.slice(0, Math.ceil(n / 100)).map((id, k) => [`a${k}`, encodeCursor(id)]));

const PUBLIC = `('PUBLISHED', 'RECALLED')`;
const orgName = (alias: string) => `json_build_object('id', ${alias}.id, 'name', json_build_object('text', ${alias}.name->>'vi'))`;

export function floorSql(scenario: string, variables: Record<string, string>): { text: string; params: unknown[] } {
  if (scenario === 's1') {
    return {
      text: `
        select json_build_object('lot', (
          select json_build_object('id', l.id, 'lotCode', l.lot_code, 'status', l.status, 'producedOn', l.produced_on, 'expiresOn', l.expires_on,
            'product', json_build_object('id', p.id, 'name', json_build_object('text', p.name->>'vi', 'lang', 'vi'), 'owner', ${orgName('po')}),
            'owner', ${orgName('o')},
            'timeline', coalesce((select json_agg(json_build_object('eventID', e.event_id, 'bizStep', e.biz_step, 'eventTime', e.event_time) order by e.event_time, e.organization_id, e.seq)
                                  from trace.event_lots el join trace.events e on e.id = el.event_id where el.lot_id = l.id), '[]'::json))
          from trace.lots l
          join catalog.products p on p.id = l.product_id
          join tenants.organizations po on po.id = p.owner_id
          join tenants.organizations o on o.id = l.owner_id
          where l.id = $1 and l.status in ${PUBLIC}))::text as data`,
      params: [variables.id],
    };
  }
  if (scenario.startsWith('s2')) {
    const n = Number(scenario.slice(3));
    const keys = Object.keys(variables).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
    const afters = keys.map((k) => Buffer.from(variables[k]!, 'base64url').toString('utf8').slice(2));
    return {
      text: `
        select json_object_agg('p' || (a.k - 1), json_build_object('nodes', coalesce(page.nodes, '[]'::json)) order by a.k)::text as data
        from unnest($1::uuid[]) with ordinality a(after, k)
        cross join lateral (
          select json_agg(json_build_object('id', l.id, 'lotCode', l.lot_code, 'status', l.status,
                   'product', json_build_object('id', p.id, 'name', json_build_object('text', p.name->>'vi')), 'owner', ${orgName('o')}) order by l.id) as nodes
          from (select * from trace.lots where status in ${PUBLIC} and id > a.after order by id limit $2) l
          join catalog.products p on p.id = l.product_id
          join tenants.organizations o on o.id = l.owner_id) page`,
      params: [afters, pageSizeOf(n)],
    };
  }
  throw new Error(`no floor for ${scenario}`);
}
