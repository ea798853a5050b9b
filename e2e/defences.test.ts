import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, getIntrospectionQuery, Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, signViewer } from '@nguon/shared';
import { DEFAULT_LIMITS, measureOperation, nestsDeeperThan } from '@nguon/gateway/limits';
import type { RateLimitConfig } from '@nguon/gateway/ratelimit';
import { edgeRoutes } from '@nguon/gateway/routes';
import { startGateway } from '@nguon/gateway';
import { supergraphPath } from '@nguon/gateway/stack';
import { demoEmail, startTestStack, type TestStack } from './helpers';

/**
 * Issue 14, item 7: the gateway's own defences, each found from the outside
 * against `npm start`. Every refusal here must reach no subgraph and run no
 * SQL; `refusedUpstream` counts both.
 */
let stack: TestStack;
beforeAll(async () => {
  // Rate limits get gateways of their own below; introspection is left at the stack's default on purpose.
  stack = await startTestStack({ gateway: { rateLimits: false } });
});
afterAll(() => stack?.stop());

const metricsHeaders = () => ({ 'x-nguon-viewer': signViewer({ kind: 'anonymous', requestId: 'defences-test' }, stack.gatewaySecret) });

/** HTTP requests one subgraph has answered so far (its signed /metrics). */
async function subgraphRequests(name: keyof TestStack['subgraphs']): Promise<number> {
  const text = await (await fetch(`${new URL(stack.subgraphs[name].url).origin}/metrics`, { headers: metricsHeaders() })).text();
  return Number(/nguon_http_requests_total\{[^}]*\} (\d+)/.exec(text)?.[1]);
}

async function downstreamActivity() {
  const statements = Object.values(stack.statements()).reduce((a, b) => a + b, 0);
  let requests = 0;
  for (const name of Object.keys(stack.subgraphs) as (keyof TestStack['subgraphs'])[]) requests += await subgraphRequests(name);
  return { statements, requests };
}

/**
 * A signed-in user's current grants come from tenants (cached two seconds):
 * asking once right before a refusal keeps that credential check out of the
 * counts, which are about the refused operation.
 */
const signedIn = async (token: string) => {
  expect((await stack.gql('{ __typename }', {}, { token })).status).toBe(200);
  return token;
};

/** Runs `send` and asserts that no subgraph received a request and no SQL ran meanwhile. */
async function refusedUpstream<T>(send: () => Promise<T>): Promise<T> {
  const before = await downstreamActivity();
  const result = await send();
  expect(await downstreamActivity()).toEqual(before);
  return result;
}

const subgraphUrls = () => ({
  tenants: stack.subgraphs.tenants.url,
  catalog: stack.subgraphs.catalog.url,
  trace: stack.subgraphs.trace.url,
  analytics: stack.subgraphs.analytics.url,
});

describe('introspection fields count like any other field', () => {
  it('refuses 200 aliases of __typename from an anonymous client', async () => {
    const aliases = Array.from({ length: 200 }, (_, i) => `t${i}: __typename`).join(' ');
    const result = await refusedUpstream(() => stack.gql(`{ ${aliases} }`));
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'aliases', max: 15 });
  });

  it('refuses a signed-in user more aliases of __type and __schema than the signed-in limit', async () => {
    const token = await stack.tokenFor(demoEmail('ANALYST', 'ct'));
    const aliases = Array.from({ length: 26 }, (_, i) => `t${i}: __type(name: "Lot") { name } s${i}: __schema { queryType { name } }`).join(' ');
    await signedIn(token);
    const result = await refusedUpstream(() => stack.gql(`{ ${aliases} }`, {}, { token }));
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'aliases', max: 50 });
    // A few aliases are still fine.
    const few = await stack.gql(`{ a: __type(name: "Lot") { name } b: __schema { queryType { name } } }`, {}, { token });
    expect(few.errors).toBeUndefined();
    expect(few.data).toEqual({ a: { name: 'Lot' }, b: { queryType: { name: 'Query' } } });
  });

  it('counts __typename for depth: one level past the anonymous limit is refused', async () => {
    let selection = '__typename';
    for (let i = 0; i < 8; i++) selection = `parent { ${selection} }`;
    // organizations > nodes > 8 × parent > __typename: 11 levels.
    const result = await refusedUpstream(() => stack.gql(`{ organizations(first: 1) { nodes { ${selection} } } }`));
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'depth', max: 10, found: 11 });
  });

  it('counts __typename for cost, once per object it is asked on', async () => {
    const pages = (leaf: string) => `{ organizations(first: 50) { nodes { products(first: 50) { nodes { ${leaf} } } } } }`;
    // 1 + 50 + 50 + 2500 = 2601 without the leaf; asking __typename on 2500 products makes 5101.
    const result = await refusedUpstream(() => stack.gql(pages('__typename')));
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost', max: 5000 });
  });

  it('still lets a signed-in user run the standard introspection query', async () => {
    const token = await stack.tokenFor(demoEmail('ANALYST', 'ct'));
    const result = await stack.gql(getIntrospectionQuery(), {}, { token });
    expect(result.errors).toBeUndefined();
    expect(result.data.__schema.queryType.name).toBe('Query');
  });
});

/** Twenty fragments, each spreading the next twice: 2^20 leaves from a few hundred tokens. */
function fragmentBomb(leaf: string, levels = 20) {
  const fragments = Array.from({ length: levels }, (_, i) =>
    i === levels - 1 ? `fragment F${i} on Organization { ${leaf} }` : `fragment F${i} on Organization { ...F${i + 1} ...F${i + 1} }`,
  );
  return `{ organizations(first: 1) { nodes { ...F0 } } } ${fragments.join(' ')}`;
}

describe('fragment bombs', () => {
  const health = async () => {
    const started = performance.now();
    const response = await fetch(`${stack.gateway.publicBaseUrl}/health`);
    expect(response.status).toBe(200);
    return performance.now() - started;
  };

  for (const [name, leaf, limit] of [
    ['plain fields', 'id path', 'cost'],
    ['aliased fields', 'a: id b: path', 'aliases'],
    ['aliased __typename', 'a: __typename', 'aliases'],
    ['nested pages', 'products(first: 100) { nodes { id } }', 'cost'],
  ] as const) {
    it(`refuses a bomb of ${name} at once with QUERY_LIMIT_EXCEEDED (${limit}), while a bystander's /health answers promptly`, async () => {
      const query = fragmentBomb(leaf);
      const started = performance.now();
      const [result, healthMs] = await refusedUpstream(async () => {
        const refusal = stack.gql(query).then((r) => ({ ...r, ms: performance.now() - started }));
        // Sent while the bomb is being checked: the event loop must not be held.
        const bystander = new Promise((resolve) => setTimeout(resolve, 5)).then(health);
        return Promise.all([refusal, bystander]);
      });
      expect(result.status).toBe(400);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit });
      // Generous bounds only an exponential walk breaks (2^20 expansions took seconds).
      expect(result.ms).toBeLessThan(500);
      expect(healthMs).toBeLessThan(500);
    });
  }

  it('refuses a bomb from a signed-in user as well', async () => {
    const token = await signedIn(await stack.tokenFor(demoEmail('ANALYST', 'ct')));
    const started = performance.now();
    const result = await refusedUpstream(() => stack.gql(fragmentBomb('id'), {}, { token }));
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost', max: 50_000 });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('measures a fragment once however often it is spread, and counts it as often as it is spread', () => {
    const schema = buildSchema(`type Query { org: Org } type Org { id: ID parent: Org }`);
    const document = parse(`{ org { ...A } } fragment A on Org { ...B ...B ...B } fragment B on Org { x: id parent { y: id } }`);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    const fragments = Object.fromEntries(
      document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
    );
    const measure = measureOperation(schema, operation, fragments, {}, DEFAULT_LIMITS);
    // org (1) + 3 × (x, parent, y): depth org > parent > y.
    expect(measure).toMatchObject({ depth: 3, aliases: 6, cost: 10, directives: 0 });
  });

  it('refuses a fragment cycle even when validation has not run', () => {
    const schema = buildSchema(`type Query { org: Org } type Org { id: ID parent: Org }`);
    const document = parse(`{ org { ...A } } fragment A on Org { id ...B } fragment B on Org { parent { ...A } }`);
    const operation = document.definitions[0] as OperationDefinitionNode;
    const fragments = { A: document.definitions[1] as FragmentDefinitionNode, B: document.definitions[2] as FragmentDefinitionNode };
    expect(() => measureOperation(schema, operation, fragments, {}, DEFAULT_LIMITS)).toThrow(/within itself/);
  });
});

describe('deeply nested variables', () => {
  const deep = (levels: number) => {
    let value: unknown = 1;
    for (let i = 0; i < levels; i++) value = [value];
    return { a: value };
  };
  /** The JSON text of `{"a":[[…1…]]}`, `levels` arrays deep: JSON.stringify itself recurses too deep for 10 000. */
  const deepJson = (levels: number) => `{"a":${'['.repeat(levels)}1${']'.repeat(levels)}}`;
  /** POSTs a body whose JSON is written by hand, with a deep value where `DEEP` stands. */
  const postDeep = async (template: Record<string, unknown>, levels: number, token?: string) => {
    const body = JSON.stringify(template).replace('"DEEP"', deepJson(levels));
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const response = await fetch(stack.gateway.url, { method: 'POST', headers, body });
    return { status: response.status, ...((await response.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[] }) };
  };

  it('finds nesting past the limit without recursion, however deep', () => {
    expect(nestsDeeperThan([deep(63)], 64)).toBe(false); // the object and 63 arrays: 64 levels
    expect(nestsDeeperThan([deep(64)], 64)).toBe(true);
    expect(nestsDeeperThan([deep(200_000)], 64)).toBe(true);
    expect(nestsDeeperThan(['text', 3, null, { a: { b: 'c' } }], 2)).toBe(false);
  });

  it('refuses a 10 000-deep variable value with BAD_USER_INPUT before any work', async () => {
    const result = await refusedUpstream(() => postDeep({ query: `query($s: String) { organization(id: $s) { id } }`, variables: { s: 'DEEP' } }, 10_000));
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/at most 64 levels/);
  });

  it('refuses a 10 000-deep JSON scalar input with BAD_USER_INPUT before any work', async () => {
    const input = {
      organizationId: '00000000-0000-0000-0000-000000000000',
      events: [{ type: 'OBJECT_EVENT', action: 'ADD', eventTime: '2026-03-01T07:30:00+07:00', ilmd: 'DEEP' }],
    };
    const token = await signedIn(await stack.tokenFor(demoEmail('ADMIN', 'ct')));
    const result = await refusedUpstream(() =>
      postDeep({ query: `mutation($input: CaptureEventsInput!) { captureEvents(input: $input) { events { id } } }`, variables: { input } }, 10_000, token),
    );
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses deep extensions and deep GET variables the same way', async () => {
    const post = await refusedUpstream(() => postDeep({ query: '{ __typename }', extensions: { x: 'DEEP' } }, 10_000));
    expect(post.status).toBe(400);
    expect(post.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const search = new URLSearchParams({ query: 'query($s: String) { organization(id: $s) { id } }', variables: JSON.stringify({ s: deep(100) }) });
    const get = await refusedUpstream(() => fetch(`${stack.gateway.url}?${search}`, { headers: { 'apollo-require-preflight': 'true' } }));
    expect(get.status).toBe(400);
    expect(((await get.json()) as any).errors[0].message).toMatch(/at most 64 levels/);
  });

  it('still answers variables of ordinary depth', async () => {
    const result = await stack.gql(`query($k: OrganizationKind) { organizations(kind: $k, first: 1) { nodes { kind } } }`, { k: 'PRODUCER' });
    expect(result.errors).toBeUndefined();
  });
});

describe('rate limits come before credential look-ups', () => {
  const limits: RateLimitConfig = {
    anonymous: { perMinute: 60, burst: 3 },
    user: { perMinute: 60, burst: 20 },
    client: { perMinute: 60, burst: 20 },
    trustProxyHops: 0,
    maxBuckets: 1000,
  };
  const limitedGateway = (subgraphs = subgraphUrls(), apiKeyCacheSeconds = 0) =>
    startGateway({
      supergraphSdl: readFileSync(supergraphPath, 'utf8'),
      subgraphs,
      gatewaySecret: stack.gatewaySecret,
      tokenSecret: stack.tokenSecret,
      rateLimits: limits,
      apiKeyCacheSeconds,
      edgeRoutes: edgeRoutes({ gatewaySecret: stack.gatewaySecret, analyticsUrl: subgraphs.analytics }),
      logger: createLogger('gateway', 'silent'),
    });
  const randomKey = () => `ngk_${crypto.randomUUID().replace(/-/g, '')}`;
  const ask = (url: string, headers: Record<string, string>) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ __typename }' }) });

  it('refuses an address cycling random API keys with 429 once its budget is spent, without asking tenants again', async () => {
    const gateway = await limitedGateway();
    try {
      const before = await subgraphRequests('tenants');
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await ask(gateway.url, { authorization: `ApiKey ${randomKey()}` })).status);
      for (let i = 0; i < 2; i++) statuses.push((await ask(gateway.url, { 'x-api-key': randomKey() })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
      // Three look-ups (the address's burst), not eight.
      expect((await subgraphRequests('tenants')) - before).toBe(3);
    } finally {
      await gateway.close();
    }
  });

  it('applies the same order on the REST edge routes (exports, EPCIS, labels)', async () => {
    const gateway = await limitedGateway();
    const base = gateway.url.replace(/\/graphql$/, '');
    try {
      const before = await subgraphRequests('tenants');
      const paths = [
        '/export/aggregate.csv',
        '/epcis/events',
        `/labels/lots/${crypto.randomUUID()}.pdf`,
        '/exports/fsma204.csv',
        '/epcis/events',
        '/export/aggregate.csv',
      ];
      const statuses: number[] = [];
      for (const path of paths) statuses.push((await fetch(`${base}${path}`, { headers: { authorization: `ApiKey ${randomKey()}` } })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
      expect((await subgraphRequests('tenants')) - before).toBe(3);
      const refused = await fetch(`${base}/epcis/events`, { headers: { authorization: `ApiKey ${randomKey()}` } });
      expect(refused.headers.get('retry-after')).toBeTruthy();
      expect(await refused.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    } finally {
      await gateway.close();
    }
  });

  it('gives the address its request back when the API key is valid', async () => {
    const admin = await stack.tokenFor(demoEmail('ADMIN', 'ct'));
    const city = await stack.gql(`{ organizations(kind: CITY, first: 1) { nodes { id } } }`);
    const created = await stack.gql(
      `mutation($input: CreateApiClientInput!) { createApiClient(input: $input) { key } }`,
      { input: { organizationId: city.data.organizations.nodes[0].id, name: 'defences test', scopes: ['AGGREGATES_READ'] } },
      { token: admin },
    );
    const key = created.data.createApiClient.key as string;
    const gateway = await limitedGateway();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await ask(gateway.url, { authorization: `ApiKey ${key}` })).status);
      // The address's burst of 3 is untouched by the machine client's six requests.
      for (let i = 0; i < 4; i++) statuses.push((await ask(gateway.url, {})).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 429]);
    } finally {
      await gateway.close();
    }
  });

  it('serves a valid cached API key from its own bucket after other traffic from its address spent the anonymous budget', async () => {
    const admin = await stack.tokenFor(demoEmail('ADMIN', 'ct'));
    const city = await stack.gql(`{ organizations(kind: CITY, first: 1) { nodes { id } } }`);
    const created = await stack.gql(
      `mutation($input: CreateApiClientInput!) { createApiClient(input: $input) { key } }`,
      { input: { organizationId: city.data.organizations.nodes[0].id, name: 'defences test, cached key', scopes: ['AGGREGATES_READ'] } },
      { token: admin },
    );
    const key = created.data.createApiClient.key as string;
    const gateway = await limitedGateway(subgraphUrls(), 60);
    try {
      // The first request looks the key up (drawing on the address, given back: the key is valid) and caches it.
      expect((await ask(gateway.url, { authorization: `ApiKey ${key}` })).status).toBe(200);
      const before = await subgraphRequests('tenants');
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await ask(gateway.url, {})).status);
      for (let i = 0; i < 2; i++) statuses.push((await ask(gateway.url, { authorization: `ApiKey ${key}` })).status);
      statuses.push((await ask(gateway.url, { 'x-api-key': key })).status);
      // The address's burst of 3 is spent by anonymous traffic; the cached key asks nothing of tenants and draws only on its own bucket.
      expect(statuses).toEqual([200, 200, 200, 429, 200, 200, 200]);
      expect((await subgraphRequests('tenants')) - before).toBe(0);
      // An unknown key from that address is still refused before any look-up.
      expect((await ask(gateway.url, { authorization: `ApiKey ${randomKey()}` })).status).toBe(429);
      expect((await subgraphRequests('tenants')) - before).toBe(0);
    } finally {
      await gateway.close();
    }
  });

  it('answers 503 SERVICE_UNAVAILABLE, never a 500, when tenants cannot be asked', async () => {
    // A port that was just free: nothing listens there.
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const gateway = await limitedGateway({ ...subgraphUrls(), tenants: `http://127.0.0.1:${closed}/graphql` });
    const base = gateway.url.replace(/\/graphql$/, '');
    try {
      const graphql = await ask(gateway.url, { authorization: `ApiKey ${randomKey()}` });
      expect(graphql.status).toBe(503);
      expect(graphql.headers.get('retry-after')).toBe('1');
      expect(((await graphql.json()) as any).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
      const edge = await fetch(`${base}/export/aggregate.csv`, { headers: { 'x-api-key': randomKey() } });
      expect(edge.status).toBe(503);
      expect(await edge.json()).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    } finally {
      await gateway.close();
    }
  });
});

describe('subgraph /metrics', () => {
  it('answers only the gateway’s signature, while /health and /ready stay open', async () => {
    const origin = new URL(stack.subgraphs.catalog.url).origin;
    const bare = await fetch(`${origin}/metrics`);
    expect(bare.status).toBe(401);
    expect(((await bare.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const forged = await fetch(`${origin}/metrics`, {
      headers: { 'x-nguon-viewer': signViewer({ kind: 'anonymous', requestId: 'forged-1' }, 'not-the-gateway-secret-at-all-0123456789') },
    });
    expect(forged.status).toBe(401);
    const signed = await fetch(`${origin}/metrics`, { headers: metricsHeaders() });
    expect(signed.status).toBe(200);
    expect(await signed.text()).toMatch(/nguon_sql_statements_total\{service="catalog"\} \d+/);
    expect((await fetch(`${origin}/health`)).status).toBe(200);
    expect((await fetch(`${origin}/ready`)).status).toBe(200);
  });
});

describe('introspection default', () => {
  it('the stack refuses anonymous introspection by default and answers signed-in users', async () => {
    const anonymous = await refusedUpstream(() => stack.gql(`{ __schema { queryType { name } } }`));
    expect(anonymous.status).toBe(403);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const token = await stack.tokenFor(demoEmail('ANALYST', 'ct'));
    expect((await stack.gql(`{ __schema { queryType { name } } }`, {}, { token })).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('npm start honours INTROSPECTION, signed-in by default', async () => {
    const root = fileURLToPath(new URL('../', import.meta.url));
    const scratch = mkdtempSync(join(tmpdir(), 'nguon-defences-'));
    const introspect = (env: Record<string, string>) =>
      new Promise<{ status: number; code: unknown }>((resolve, reject) => {
        const child = spawn(join(root, 'node_modules/.bin/tsx'), ['gateway/src/embedded.ts'], {
          cwd: root,
          env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', PORT: '0', DATA_DIR: join(scratch, 'pglite'), LOG_LEVEL: 'warn', ...env },
        });
        let output = '';
        let answer: { status: number; code: unknown } | undefined;
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const url = /Gateway:\s+(\S+)/.exec(output)?.[1];
          if (!url || answer) return;
          answer = { status: 0, code: undefined };
          fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
          })
            .then(async (r) => {
              const json = (await r.json()) as any;
              answer = { status: r.status, code: json.errors?.[0]?.extensions?.code ?? json.data?.__schema?.queryType?.name };
            })
            .finally(() => child.kill('SIGINT'));
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('exit', () => (answer ? resolve(answer) : reject(new Error(`npm start did not serve:\n${output}`))));
      });
    try {
      // One start (it seeds a fresh PGlite, which takes a while on a busy machine); `always` is the same setting read the same way.
      expect(await introspect({})).toEqual({ status: 403, code: 'FORBIDDEN' });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 300_000);
});
