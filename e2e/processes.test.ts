import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startStack } from '@nguon/gateway/stack';
import { buildEntry } from '@nguon/gateway/build';
import { DEMO_PASSWORD, testDatabase } from '@nguon/shared/testing';

const root = fileURLToPath(new URL('../', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');
const scratch = mkdtempSync(join(tmpdir(), 'nguon-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs a service entry point and resolves with its exit code and output. */
function run(entry: string, env: Record<string, string>, until?: (output: string) => boolean, then?: (output: string) => Promise<void>) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    // Built bundles run on plain node, as in production; sources through tsx.
    const [command, args] = entry.endsWith('.mjs') ? [process.execPath, [entry]] : [tsx, [entry]];
    const child = spawn(command, args, { cwd: root, env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', ...env } });
    let output = '';
    let triggered = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (until && !triggered && until(output)) {
        triggered = true;
        void then!(output).finally(() => child.kill('SIGINT'));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    // 'close', not 'exit': 'exit' may come before the last output is read from the pipes.
    child.on('close', (code) => resolve({ code, output }));
  });
}

/**
 * A cap, not a guess at how long a start takes: each test waits for the
 * process's readiness banner. The npm start test starts the whole stack twice
 * and seeds once; on a loaded 2-core machine one seeding start took 47 s.
 */
const STACK_TIMEOUT_MS = 240_000;

describe('service processes', () => {
  it('a subgraph with bad configuration exits 1 naming every problem', async () => {
    const { code, output } = await run('subgraphs/catalog/src/index.ts', { PORT: 'x', DATABASE_URL: 'mysql://nope' });
    expect(code).toBe(1);
    expect(output).toMatch(/PORT/);
    expect(output).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
    expect(output).toMatch(/GATEWAY_SECRET/);
  });

  it('the gateway with bad configuration exits 1 naming every problem', async () => {
    const { code, output } = await run('gateway/src/index.ts', { GATEWAY_SECRET: 'short', TENANTS_URL: 'not a url' });
    expect(code).toBe(1);
    expect(output).toMatch(/GATEWAY_SECRET: must have at least 32 characters/);
    expect(output).toMatch(/TOKEN_SECRET/);
    expect(output).toMatch(/TENANTS_URL/);
  });

  it(
    'npm start seeds a fresh data directory once, serves the graph, keeps its data and secrets across a restart, and stops cleanly on Ctrl-C',
    async () => {
      const env = { PORT: '0', DATA_DIR: join(scratch, 'start'), LOG_LEVEL: 'warn' };
      // The readiness signal: the banner npm start prints once the gateway listens.
      const ready = (out: string) => /Gateway:\s+\S+/.test(out) && /password: \S+\)/.test(out);
      const gatewayOf = (out: string) => /Gateway:\s+(\S+)/.exec(out)![1]!;
      const passwordOf = (out: string) => /password: (\S+)\)/.exec(out)![1]!;
      const post = (url: string, query: string, variables: object = {}, token?: string) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query, variables }),
        }).then((r) => r.json() as Promise<any>);
      const SIGN_IN = 'mutation($e: String!, $p: String!) { signIn(input: { email: $e, password: $p }) { accessToken user { email } } }';
      const staff = 'staff.ct-agri-thot-not-htx-lua-thoi-thuan@demo.nguon.vn';

      // First start: migrates, seeds, serves; a serial issued now carries a verification code.
      let answer: any;
      let issued: { link: string; code: string } | undefined;
      let password = '';
      const first = await run('gateway/src/embedded.ts', env, ready, async (out) => {
        const url = gatewayOf(out);
        password = passwordOf(out);
        answer = await post(
          url,
          '{ organizations(kind: PRODUCER, first: 1) { nodes { path products(first: 1) { nodes { lots(first: 1) { nodes { lotCode } } } } stats { productCount } } } }',
        );
        const token = (await post(url, SIGN_IN, { e: staff, p: password })).data.signIn.accessToken;
        const lots = await post(
          url,
          '{ organizationByPath(path: "ct.agri.thot_not.htx_lua_thoi_thuan") { lots(first: 10) { nodes { id status digitalLink } } } }',
          {},
          token,
        );
        const lot = lots.data.organizationByPath.lots.nodes.find((l: any) => l.status === 'PUBLISHED' && l.digitalLink);
        const serials = await post(
          url,
          'mutation($i: IssueSerialsInput!) { issueSerials(input: $i) { serials { serial verificationCode } } }',
          { i: { lotId: lot.id, from: 1, to: 1 } },
          token,
        );
        issued = { link: `${new URL(lot.digitalLink).pathname}/21/1`, code: serials.data.issueSerials.serials[0].verificationCode };
      });
      expect(first.output).toMatch(/Seeded the Can Tho demo data set/);
      expect(first.output).toMatch(/admin\.ct@demo\.nguon\.vn/);
      expect(answer.errors).toBeUndefined();
      expect(answer.data.organizations.nodes[0].stats.productCount).toBeGreaterThan(0);
      expect(issued?.code).toBeTruthy();
      expect(first.output).toMatch(/Stopping/);
      expect(first.code).toBe(0);

      // Second start on the same directory: nothing seeded twice, the same password signs in,
      // and the code issued before the restart still verifies (the secrets were kept).
      let signIn: any;
      let page = '';
      const second = await run('gateway/src/embedded.ts', env, ready, async (out) => {
        const url = gatewayOf(out);
        signIn = await post(url, SIGN_IN, { e: 'admin.ct@demo.nguon.vn', p: password });
        page = await fetch(`${new URL(url).origin}${issued!.link}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `code=${issued!.code}`,
        }).then((r) => r.text());
      });
      expect(second.output).not.toMatch(/Seeded the Can Tho demo data set/);
      expect(passwordOf(second.output)).toBe(password);
      expect(signIn.data.signIn.user.email).toBe('admin.ct@demo.nguon.vn');
      expect(page).toMatch(/Hàng thật/);
      expect(second.code).toBe(0);
    },
    STACK_TIMEOUT_MS,
  );

  it(
    'the production build of the gateway runs on plain node in front of the subgraphs and stops cleanly',
    async () => {
      const bundle = await buildEntry(join(root, 'gateway/src/index.ts'), 'test-processes');
      const db = await testDatabase(inject('seededTemplate'));
      const stack = await startStack({ connection: db.connection, seedPassword: DEMO_PASSWORD });
      let answer: any;
      try {
        const urls = Object.fromEntries(Object.entries(stack.subgraphs).map(([name, s]) => [`${name.toUpperCase()}_URL`, s.url]));
        const { code } = await run(
          bundle,
          { ...urls, GATEWAY_SECRET: stack.gatewaySecret, TOKEN_SECRET: stack.tokenSecret, PORT: '0', LOG_LEVEL: 'info' },
          (out) => /"port":\d+,"msg":"gateway listening"/.test(out),
          async (out) => {
            const port = /"port":(\d+),"msg":"gateway listening"/.exec(out)![1];
            const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({
                query: '{ organizations(kind: PRODUCER, first: 1) { nodes { path products(first: 1) { nodes { name(lang: "vi") { text } } } } } }',
              }),
            });
            answer = await response.json();
          },
        );
        expect(answer.errors).toBeUndefined();
        expect(answer.data.organizations.nodes[0].products.nodes[0].name.text).toBeTruthy();
        expect(code).toBe(0);
      } finally {
        await stack.close();
        await db.close();
      }
    },
    STACK_TIMEOUT_MS,
  );
});
