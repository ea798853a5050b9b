/**
 * Child process of `bench:consumer:compare`: the whole stack of ONE checkout
 * (argv[2], any revision of this repo) on a fresh PostgreSQL database seeded
 * with the demo data, no response or page cache of anonymous GraphQL answers.
 * Everything is imported from that checkout's files, so two revisions can be
 * served side by side. Writes what the driver needs to argv[3], then waits
 * for SIGTERM and drops its database.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import postgres from 'postgres';

const [root, out] = [process.argv[2]!, process.argv[3]!];
const from = (path: string) => import(pathToFileURL(`${root}/${path}`).href);
const { connect } = await from('subgraphs/shared/src/index.ts');
const { startStack } = await from('gateway/src/stack.ts');
const { PROVENANCE_PAGE_QUERY } = await from('gateway/src/routes/resolver.ts');

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `nguon_bench_compare_${Date.now().toString(36)}_${process.pid}`;
const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const url = new URL(ADMIN_URL);
url.pathname = `/${name}`;
const connection = await connect({ databaseUrl: url.toString(), poolMax: 10, applicationName: 'bench-compare' });
try {
  const stack = await startStack({ connection, seedPassword: 'bench-password-1', gateway: { rateLimits: false, responseCacheTtlMs: 0 } });
  const gql = async (query: string) =>
    (
      (await (
        await fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })
      ).json()) as any
    ).data;
  const lots = (await gql('{ lots(first: 100) { nodes { lotCode digitalLink product { gtin } } } }')).lots.nodes.filter((l: any) => l.digitalLink);
  // The published lots made from other lots: the pages with an upstream journey (issue 15).
  const db = postgres(url.toString(), { max: 1, onnotice: () => {} });
  const madeFrom = new Set<string>(
    (await db`select distinct l.lot_code from trace.lot_edges e join trace.lots l on l.id = e.child_lot_id`).map((r) => r.lot_code as string),
  );
  await db.end();
  writeFileSync(
    out,
    JSON.stringify({
      url: stack.gateway.url,
      pageQuery: PROVENANCE_PAGE_QUERY.toString(),
      lots: lots.map((l: any) => ({ gtin: l.product.gtin, lot: l.lotCode, path: new URL(l.digitalLink).pathname, madeFrom: madeFrom.has(l.lotCode) })),
    }),
  );
  await new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));
  await stack.close();
} finally {
  await connection.close();
  await admin.unsafe(`drop database ${name} with (force)`);
  await admin.end();
}
process.exit(0);
