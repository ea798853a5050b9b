import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEntry } from '../build';

/**
 * The gateway's production bundle (`npm run build`) is an edge: it speaks HTTP
 * to the subgraphs and holds no database driver, no permission engine and no
 * subgraph server. Its own code is bundled and npm packages stay external, so
 * the packages it would load are exactly the bare imports left in the file.
 */
const FORBIDDEN = ['postgres', '@electric-sql/pglite', 'drizzle-orm', 'graphql-shield', 'graphql-middleware', '@apollo/subgraph', 'dataloader'];

let bundle = '';
afterAll(() => {
  for (const file of [bundle, `${bundle}.map`]) if (file) rmSync(file, { force: true });
});

const packagesOf = (code: string) =>
  new Set([...code.matchAll(/(?:from|import)\s*\(?\s*"([^"./][^"]*)"/g)].map((m) => m[1]!.replace(/^((?:@[^/]+\/)?[^/]+).*$/, '$1')));

describe('the gateway production bundle', () => {
  it('loads no database driver, permission engine or subgraph server', async () => {
    bundle = await buildEntry(fileURLToPath(new URL('../src/index.ts', import.meta.url)), 'test-bundle');
    const packages = packagesOf(readFileSync(bundle, 'utf8'));
    expect(packages.has('@apollo/gateway')).toBe(true);
    expect([...packages].filter((p) => FORBIDDEN.includes(p))).toEqual([]);
  });
});
