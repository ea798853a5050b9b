import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSubgraph } from '../new-subgraph';

/**
 * The generator, run into a scratch checkout (the files it edits, and this
 * repository's node_modules): what it writes typechecks, composes with the
 * four real subgraphs, and passes its own test against a real database.
 */
const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = (tool: string) => join(repo, 'node_modules/.bin', tool);
let root: string;
let left: string[];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'nguon-new-subgraph-'));
  mkdirSync(join(root, 'schema'));
  mkdirSync(join(root, 'subgraphs'));
  for (const file of ['codegen.ts', 'tsconfig.json', 'schema/compose.ts']) cpSync(join(repo, file), join(root, file));
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  left = newSubgraph({ name: 'inspections', port: 4105, root });
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('npm run new:subgraph', () => {
  it('registers the subgraph with codegen and the composition, and names the deployment steps it leaves', () => {
    expect(readFileSync(join(root, 'codegen.ts'), 'utf8')).toMatch(/const all = \['tenants', 'catalog', 'trace', 'analytics', 'inspections'\];/);
    expect(readFileSync(join(root, 'codegen.ts'), 'utf8')).toMatch(/InspectionsNote: '\.\.\/models#NoteModel'/);
    expect(readFileSync(join(root, 'schema/compose.ts'), 'utf8')).toMatch(
      /\{ name: 'inspections', url: 'http:\/\/inspections:4105\/graphql' \},\n\] as const;/,
    );
    expect(readFileSync(join(root, 'subgraphs/inspections/drizzle/0000_init.sql'), 'utf8')).toMatch(/CREATE TABLE "inspections"\."notes"/);
    expect(left.join('\n')).toMatch(/gateway\/src\/stack\.ts/);
  });

  it('writes a package that typechecks strictly', () => {
    execFileSync(bin('tsc'), ['--noEmit', '-p', '.'], { cwd: join(root, 'subgraphs/inspections'), stdio: 'pipe' });
  }, 120_000);

  it('composes with the four subgraphs', () => {
    const service = (name: string, dir: string) => ({
      name,
      url: `http://${name}/graphql`,
      typeDefs: parse(readFileSync(join(dir, 'schema.graphql'), 'utf8')),
    });
    const result = composeServices([
      ...['tenants', 'catalog', 'trace', 'analytics'].map((name) => service(name, join(repo, 'subgraphs', name))),
      service('inspections', join(root, 'subgraphs/inspections')),
    ]);
    expect(result.errors ?? []).toEqual([]);
  });

  it('passes the test it writes, on a real database', () => {
    // Its own vitest run (no global setup: the generated test starts from an empty database it migrates).
    const output = execFileSync(bin('vitest'), ['run', '--root', '.'], {
      cwd: join(root, 'subgraphs/inspections'),
      stdio: 'pipe',
      env: process.env,
    }).toString();
    expect(output).toMatch(/4 passed/);
  }, 120_000);

  it('refuses a name that is taken or malformed, and writes nothing', () => {
    expect(() => newSubgraph({ name: 'trace', port: 4106, root })).toThrow(/name:/);
    expect(() => newSubgraph({ name: 'Bad-Name', port: 4106, root })).toThrow(/name:/);
    expect(() => newSubgraph({ name: 'inspections', port: 4106, root })).toThrow(/exists/);
    expect(() => newSubgraph({ name: 'recalls', port: 80, root })).toThrow(/port:/);
    expect(readFileSync(join(root, 'codegen.ts'), 'utf8').match(/'inspections'/g)).toHaveLength(1);
  });
});
