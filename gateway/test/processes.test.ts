import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '@nguon/shared';
import { startStack } from '../src/stack';
import { buildEntry } from '../build';

const root = fileURLToPath(new URL('../../', import.meta.url));
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
 * Each of these starts whole stacks (four subgraphs, migrations, the demo seed;
 * the secrets test twice): on a loaded 2-core machine one start took 47 s, so
 * the suite's 60 s default is too short for a test that starts two.
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
    'npm start serves the seeded graph and stops cleanly on Ctrl-C',
    async () => {
      let answer: any;
      const { code, output } = await run(
        'gateway/src/embedded.ts',
        { PORT: '0', DATA_DIR: join(scratch, 'start'), LOG_LEVEL: 'warn' },
        (out) => /Gateway:\s+(\S+)/.test(out),
        async (out) => {
          const url = /Gateway:\s+(\S+)/.exec(out)![1]!;
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              query:
                '{ organizations(kind: PRODUCER, first: 1) { nodes { path products(first: 1) { nodes { lots(first: 1) { nodes { lotCode } } } } stats { productCount } } } }',
            }),
          });
          answer = await response.json();
        },
      );
      expect(output).toMatch(/Seeded the Can Tho demo data set/);
      expect(output).toMatch(/admin\.ct@demo\.nguon\.vn/);
      expect(answer.errors).toBeUndefined();
      expect(answer.data.organizations.nodes[0].stats.productCount).toBeGreaterThan(0);
      expect(output).toMatch(/Stopping/);
      expect(code).toBe(0);
    },
    STACK_TIMEOUT_MS,
  );

  it(
    'npm start keeps its secrets: a verification code issued before a restart verifies after it',
    async () => {
      const dataDir = join(scratch, 'secrets');
      const env = { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
      const gatewayOf = (out: string) => /Gateway:\s+(\S+)/.exec(out)![1]!;
      const passwordOf = (out: string) => /password: (\S+)\)/.exec(out)![1]!;
      const post = (url: string, query: string, variables: object, token?: string) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query, variables }),
        }).then((r) => r.json() as Promise<any>);
      const staff = 'staff.ct-agri-thot-not-htx-lua-thoi-thuan@demo.nguon.vn';
      let issued: { link: string; code: string } | undefined;
      await run(
        'gateway/src/embedded.ts',
        env,
        (out) => /Gateway:/.test(out) && /password:/.test(out),
        async (out) => {
          const url = gatewayOf(out);
          const signIn = await post(url, 'mutation($e: String!, $p: String!) { signIn(input: { email: $e, password: $p }) { accessToken } }', {
            e: staff,
            p: passwordOf(out),
          });
          const token = signIn.data.signIn.accessToken;
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
        },
      );
      expect(issued?.code).toBeTruthy();
      let page = '';
      const second = await run(
        'gateway/src/embedded.ts',
        env,
        (out) => /Gateway:/.test(out),
        async (out) => {
          const origin = new URL(gatewayOf(out)).origin;
          page = await fetch(`${origin}${issued!.link}`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: `code=${issued!.code}`,
          }).then((r) => r.text());
        },
      );
      expect(second.code).toBe(0);
      expect(page).toMatch(/Hàng thật/);
    },
    STACK_TIMEOUT_MS,
  );

  it(
    'the production build of the gateway runs on plain node in front of the subgraphs and stops cleanly',
    async () => {
      const bundle = await buildEntry(join(root, 'gateway/src/index.ts'), 'test-processes');
      const connection = await connect({ dataDir: join(scratch, 'built') });
      const stack = await startStack({ connection, seedPassword: 'built-password' });
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
        await connection.close();
      }
    },
    STACK_TIMEOUT_MS,
  );

  it(
    'embedded data survives a restart and is not seeded twice',
    async () => {
      const dataDir = join(scratch, 'restart');
      const first = await connect({ dataDir });
      const a = await startStack({ connection: first, seedPassword: 'restart-password' });
      expect(a.seededAccounts.length).toBeGreaterThan(0);
      await a.close();
      await first.close();

      const second = await connect({ dataDir });
      const b = await startStack({ connection: second, seedPassword: 'restart-password' });
      try {
        expect(b.seededAccounts).toEqual([]);
        const response = await fetch(b.gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: 'mutation { signIn(input: { email: "admin.ct@demo.nguon.vn", password: "restart-password" }) { user { email } } }' }),
        });
        expect(((await response.json()) as any).data.signIn.user.email).toBe('admin.ct@demo.nguon.vn');
      } finally {
        await b.close();
        await second.close();
      }
    },
    STACK_TIMEOUT_MS,
  );
});
