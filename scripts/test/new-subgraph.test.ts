import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { newSubgraph } from '../new-subgraph';

/**
 * The generator, run into a scratch copy of this checkout (its files, and
 * this repository's installed packages with the new one linked as npm
 * install would): what it writes typechecks, composes, passes its own test
 * on a real database, and is served through the gateway by the embedded
 * stack, as `npm start` would serve it.
 */
const repo = fileURLToPath(new URL('../../', import.meta.url));
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'nguon-new-subgraph-'));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: repo, encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const file of files) {
    if (file.startsWith('bench/results/') || file.startsWith('docs/')) continue;
    mkdirSync(dirname(join(root, file)), { recursive: true });
    try {
      cpSync(join(repo, file), join(root, file));
    } catch {
      // listed but deleted in the working tree
    }
  }
  // node_modules: the installed packages, with our workspaces linked inside the copy (as npm install links them).
  mkdirSync(join(root, 'node_modules/@nguon'), { recursive: true });
  for (const entry of readdirSync(join(repo, 'node_modules'))) {
    if (entry !== '@nguon') symlinkSync(join(repo, 'node_modules', entry), join(root, 'node_modules', entry));
  }
  for (const [name, dir] of Object.entries({
    shared: 'subgraphs/shared',
    tenants: 'subgraphs/tenants',
    catalog: 'subgraphs/catalog',
    trace: 'subgraphs/trace',
    analytics: 'subgraphs/analytics',
    gateway: 'gateway',
    gs1: 'packages/gs1',
    interop: 'packages/interop',
    demo: 'packages/demo',
    inspections: 'subgraphs/inspections',
  }))
    symlinkSync(join(root, dir), join(root, 'node_modules/@nguon', name));
  newSubgraph({ name: 'inspections', port: 4105, root });
  execFileSync(join(root, 'node_modules/.bin/tsx'), ['schema/compose.ts'], { cwd: root, stdio: 'pipe' });
}, 180_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('npm run new:subgraph', () => {
  it('wires the subgraph into codegen, composition, the embedded stack and docker-compose', () => {
    expect(readFileSync(join(root, 'codegen.ts'), 'utf8')).toMatch(/const all = \['tenants', 'catalog', 'trace', 'analytics', 'inspections'\];/);
    expect(readFileSync(join(root, 'codegen.ts'), 'utf8')).toMatch(/InspectionsNote: '\.\.\/models#NoteModel'/);
    expect(readFileSync(join(root, 'schema/supergraph.graphql'), 'utf8')).toMatch(
      /@join__graph\(name: "inspections", url: "http:\/\/inspections:4105\/graphql"\)/,
    );
    expect(readFileSync(join(root, 'subgraphs/inspections/drizzle/0000_init.sql'), 'utf8')).toMatch(/CREATE TABLE "inspections"\."notes"/);
    const compose = parseYaml(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, any> };
    expect(compose.services.inspections.command).toEqual(['npx', 'tsx', 'subgraphs/inspections/src/index.ts']);
    expect(compose.services.inspections.environment.PORT).toBe('4105');
    expect(compose.services.gateway.depends_on.inspections).toEqual({ condition: 'service_healthy' });
    expect(compose.services.gateway.build.dockerfile_inline).toContain('COPY subgraphs/inspections/package.json subgraphs/inspections/');
  });

  it('writes a package, and a stack, that typecheck strictly', () => {
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['--noEmit', '-p', '.'], { cwd: join(root, 'subgraphs/inspections'), stdio: 'pipe' });
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['--noEmit', '-p', '.'], { cwd: join(root, 'gateway'), stdio: 'pipe' });
  }, 180_000);

  it('passes the test it writes, on a real database, as part of npm test', () => {
    // The copy's own vitest run over the new package (subgraphs/*/test is in the suite), its database as this run's.
    const output = execFileSync(join(root, 'node_modules/.bin/vitest'), ['run', 'subgraphs/inspections'], {
      cwd: root,
      stdio: 'pipe',
      env: process.env,
    }).toString();
    expect(output).toMatch(/4 passed/);
  }, 180_000);

  it('is served through the gateway by the embedded stack, under the permission tree', () => {
    // A separate process in the copy: the stack there imports the new package as npm start would.
    const script = `
      import { connect } from '@nguon/shared';
      import { startStack } from '@nguon/gateway/stack';
      const connection = await connect({ dataDir: 'memory://' });
      const stack = await startStack({ connection, seedPassword: 'generator-test-password' });
      const post = (body, token) => fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: 'Bearer ' + token } : {}) }, body: JSON.stringify(body) }).then((r) => r.json());
      const signIn = await post({ query: 'mutation { signIn(input: { email: "admin.ct@demo.nguon.vn", password: "generator-test-password" }) { accessToken } }' });
      const org = await post({ query: '{ organizationByPath(path: "ct") { id } }' });
      const q = { query: 'query($o: ID!) { inspectionsNotes(organizationId: $o) { id text } }', variables: { o: org.data.organizationByPath.id } };
      const signed = await post(q, signIn.data.signIn.accessToken);
      const anonymous = await post(q);
      console.log(JSON.stringify({ signed, anonymous: anonymous.errors?.[0]?.extensions?.code }));
      await stack.close();
      await connection.close();
    `;
    const output = execFileSync(join(root, 'node_modules/.bin/tsx'), ['--input-type=module', '-e', script], {
      cwd: join(root, 'gateway'),
      stdio: 'pipe',
    }).toString();
    const answer = JSON.parse(output.trim().split('\n').at(-1)!);
    expect(answer.signed).toEqual({ data: { inspectionsNotes: [] } });
    expect(answer.anonymous).toBe('UNAUTHENTICATED');
  }, 180_000);

  it('refuses a name that is taken or malformed, and writes nothing', () => {
    expect(() => newSubgraph({ name: 'trace', port: 4106, root })).toThrow(/name:/);
    expect(() => newSubgraph({ name: 'Bad-Name', port: 4106, root })).toThrow(/name:/);
    expect(() => newSubgraph({ name: 'inspections', port: 4106, root })).toThrow(/exists/);
    expect(() => newSubgraph({ name: 'recalls', port: 80, root })).toThrow(/port:/);
    expect(readFileSync(join(root, 'codegen.ts'), 'utf8').match(/'inspections'/g)).toHaveLength(1);
  });
});
