/**
 * Composes the four subgraph schemas into schema/supergraph.graphql with
 * @apollo/composition — no network, no running services. The gateway reads
 * the committed file; `--check` fails when it is stale (CI runs that).
 * Beside it, schema/api.graphql is the graph as clients see it (the
 * supergraph without federation's machinery): codegen types the edge's own
 * operations against it.
 *
 *   npm run compose          write schema/supergraph.graphql and schema/api.graphql
 *   npm run compose:check    exit 1 when either committed file differs
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { printSchema } from '@apollo/federation-internals';
import { parse } from 'graphql';

/** Subgraph names and the URLs the production layout (docker-compose.yml) serves them at. */
export const SUBGRAPHS = [
  { name: 'tenants', url: 'http://tenants:4101/graphql' },
  { name: 'catalog', url: 'http://catalog:4102/graphql' },
  { name: 'trace', url: 'http://trace:4103/graphql' },
  { name: 'analytics', url: 'http://analytics:4104/graphql' },
] as const;

const targets = { supergraph: new URL('./supergraph.graphql', import.meta.url), api: new URL('./api.graphql', import.meta.url) };

export function compose(): { supergraph: string; api: string } {
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
  return {
    supergraph: `${result.supergraphSdl.trimEnd()}\n`,
    api: `${printSchema(result.schema.toAPISchema()).trimEnd()}\n`,
  };
}

const isMain = process.argv[1] && new URL(import.meta.url).pathname === new URL(`file://${process.argv[1]}`).pathname;
if (isMain) {
  try {
    const files = compose();
    if (process.argv.includes('--check')) {
      const stale = (Object.keys(targets) as (keyof typeof targets)[]).filter((k) => {
        try {
          return readFileSync(targets[k], 'utf8') !== files[k];
        } catch {
          return true; // no file yet
        }
      });
      if (stale.length) {
        console.error(`${stale.map((k) => `schema/${k}.graphql`).join(' and ')} stale: run \`npm run compose\` and commit.`);
        process.exit(1);
      }
      console.log('schema/supergraph.graphql and schema/api.graphql are up to date.');
    } else {
      for (const k of Object.keys(targets) as (keyof typeof targets)[]) {
        writeFileSync(targets[k], files[k]);
        console.log(`wrote ${targets[k].pathname}`);
      }
    }
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
