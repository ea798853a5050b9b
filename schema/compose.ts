/**
 * Composes the four subgraph schemas into schema/supergraph.graphql with
 * @apollo/composition — no network, no running services. The gateway reads
 * the committed file; `--check` fails when it is stale (CI runs that).
 *
 *   npm run compose          write schema/supergraph.graphql
 *   npm run compose:check    exit 1 when the committed file differs
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

/** Subgraph names and the URLs the production layout (docker-compose.yml) serves them at. */
export const SUBGRAPHS = [
  { name: 'tenants', url: 'http://tenants:4101/graphql' },
  { name: 'catalog', url: 'http://catalog:4102/graphql' },
  { name: 'trace', url: 'http://trace:4103/graphql' },
  { name: 'analytics', url: 'http://analytics:4104/graphql' },
] as const;

const target = new URL('./supergraph.graphql', import.meta.url);

export function compose(): string {
  const result = composeServices(
    SUBGRAPHS.map(({ name, url }) => ({
      name,
      url,
      typeDefs: parse(readFileSync(new URL(`../subgraphs/${name}/schema.graphql`, import.meta.url), 'utf8')),
    })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  for (const hint of result.hints ?? []) {
    if (hint.definition.level.name !== 'INFO') console.warn(`hint: ${hint.toString()}`);
  }
  return `${result.supergraphSdl.trimEnd()}\n`;
}

const isMain = process.argv[1] && new URL(import.meta.url).pathname === new URL(`file://${process.argv[1]}`).pathname;
if (isMain) {
  try {
    const sdl = compose();
    if (process.argv.includes('--check')) {
      let current = '';
      try {
        current = readFileSync(target, 'utf8');
      } catch {
        // no file yet: stale
      }
      if (current !== sdl) {
        console.error('schema/supergraph.graphql is stale: run `npm run compose` and commit it.');
        process.exit(1);
      }
      console.log('schema/supergraph.graphql is up to date.');
    } else {
      writeFileSync(target, sdl);
      console.log(`wrote ${target.pathname}`);
    }
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
