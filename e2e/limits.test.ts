import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, signViewer } from '@nguon/shared';
import { RateLimiter, type RateLimitConfig } from '@nguon/gateway/ratelimit';
import { startGateway } from '@nguon/gateway';
import { supergraphPath } from '@nguon/gateway/stack';
import { startTestStack, demoEmail, type TestStack } from './helpers';

let stack: TestStack;
beforeAll(async () => {
  // Rate limiting has its own test file; here every refusal must come from the query limits.
  stack = await startTestStack({ gateway: { rateLimits: false }, introspection: 'signed-in' });
});
afterAll(() => stack?.stop());

/** SQL statements and HTTP requests all subgraphs have seen so far (/metrics answers the gateway's signature only). */
async function downstreamActivity() {
  const statements = Object.values(stack.statements()).reduce((a, b) => a + b, 0);
  let requests = 0;
  const headers = { 'x-nguon-viewer': signViewer({ kind: 'anonymous', requestId: 'limits-test' }, stack.gatewaySecret) };
  for (const subgraph of Object.values(stack.subgraphs)) {
    const text = await (await fetch(`${new URL(subgraph.url).origin}/metrics`, { headers })).text();
    requests += Number(/nguon_http_requests_total\{[^}]*\} (\d+)/.exec(text)?.[1]);
  }
  return { statements, requests };
}

/** Runs `send` and asserts that no subgraph received a request and no SQL ran meanwhile. */
async function refusedUpstream<T>(send: () => Promise<T>): Promise<T> {
  const before = await downstreamActivity();
  const result = await send();
  expect(await downstreamActivity()).toEqual(before);
  return result;
}

const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(stack.gateway.url, { method: 'POST', headers, body });

const nested = (depth: number) => {
  let selection = 'id';
  for (let i = 0; i < depth; i++) selection = `parent { ${selection} }`;
  return `{ organizations(first: 1) { nodes { ${selection} } } }`;
};

describe('query limits at the gateway', () => {
  it('answers the landing page example query for an anonymous client', async () => {
    const result = await stack.gql(`{
      organizations(kind: PRODUCER, first: 3) {
        nodes { name { text } path products(first: 3) { nodes { gtin name { text lang } lots(first: 2) { nodes { lotCode status } } } } stats { productCount lotCount coverage } }
      }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.organizations.nodes).toHaveLength(3);
  });

  it('refuses an anonymous query nested deeper than the anonymous depth limit, before any subgraph is asked', async () => {
    const result = await refusedUpstream(() => stack.gql(nested(12)));
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'depth', max: 10 });
    expect(result.data).toBeUndefined();
  });

  it('lets a signed-in analyst ask deeper than an anonymous client may', async () => {
    const token = await stack.tokenFor(demoEmail('ANALYST', 'ct'));
    const result = await stack.gql(nested(12), {}, { token });
    expect(result.errors).toBeUndefined();
    const tooDeep = await refusedUpstream(() => stack.gql(nested(16), {}, { token }));
    expect(tooDeep.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'depth', max: 15 });
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: organization(id: "x") { id }`).join(' ');
    const result = await refusedUpstream(() => stack.gql(`{ ${aliases} }`));
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'aliases', max: 15, found: 16 });
  });

  it('refuses a token-heavy document', async () => {
    // 150 fragments: about 1060 tokens of a perfectly valid operation.
    const names = Array.from({ length: 150 }, (_, i) => `F${i}`);
    const query = `{ organizations(first: 1) { nodes { ${names.map((n) => `...${n}`).join(' ')} } } } ${names.map((n) => `fragment ${n} on Organization { id }`).join(' ')}`;
    const result = await refusedUpstream(() => stack.gql(query));
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'tokens', max: 1000 });
    const token = await stack.tokenFor(demoEmail('ANALYST', 'ct'));
    expect((await stack.gql(query, {}, { token })).errors).toBeUndefined();
  });

  it('stops parsing a document beyond the loosest token limit', async () => {
    const fields = Array.from({ length: 6000 }, () => '__typename').join(' ');
    const result = await refusedUpstream(() => stack.gql(`{ ${fields} }`));
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(result.errors?.[0]?.message).toMatch(/5000 tokens/);
  });

  it('refuses too many directives', async () => {
    const fields = Array.from({ length: 11 }, (_, i) => `t${i}: __typename @include(if: true)`).join(' ');
    const result = await refusedUpstream(() => stack.gql(`{ organizations(first: 1) { nodes { id ${fields} } } }`));
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'directives' });
  });

  it('refuses nested pages whose product exceeds the cost budget, with page sizes taken from variables', async () => {
    const query = `query($n: Int!) { organizations(first: $n) { nodes { products(first: $n) { nodes { lots(first: $n) { nodes { lotCode } } } } } } }`;
    const costly = await refusedUpstream(() => stack.gql(query, { n: 30 }));
    expect(costly.status).toBe(400);
    expect(costly.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost', max: 5000 });
    expect(costly.errors?.[0]?.extensions?.found).toBeGreaterThan(27_000);
    const cheap = await stack.gql(query, { n: 3 });
    expect(cheap.errors).toBeUndefined();
  });

  it('counts lists asked without `first` at the default page size', async () => {
    const query = `{ organizations { nodes { products { nodes { lots { nodes { lotCode status } } } } } } }`;
    const result = await refusedUpstream(() => stack.gql(query));
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost' });
  });

  it('refuses a page size above the cap on any list field, naming the field', async () => {
    const result = await refusedUpstream(() =>
      stack.gql(`query($n: Int) { organizations(first: 1) { nodes { products(first: $n) { totalCount } } } }`, { n: 101 }),
    );
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['organizations', 'nodes', 'products', 'first'] });
  });

  it('gives anonymous clients no field suggestions but gives them to signed-in users', async () => {
    const anonymous = await refusedUpstream(() => stack.gql(`{ organizations(first: 1) { nodes { nam } } }`));
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(anonymous.errors?.[0]?.message).toBe('Cannot query field "nam" on type "Organization".');
    const token = await stack.tokenFor(demoEmail('ANALYST', 'ct'));
    const signedIn = await stack.gql(`{ organizations(first: 1) { nodes { nam } } }`, {}, { token });
    expect(signedIn.errors?.[0]?.message).toMatch(/Did you mean "name"/);
  });
});

describe('malformed HTTP requests', () => {
  it('refuses a batched array of operations with BATCH_NOT_SUPPORTED', async () => {
    const response = await refusedUpstream(() => post(JSON.stringify([{ query: '{ __typename }' }, { query: '{ lots(first: 1) { nodes { id } } }' }])));
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('BATCH_NOT_SUPPORTED');
  });

  it('refuses malformed JSON with BAD_REQUEST', async () => {
    const response = await refusedUpstream(() => post('{"query": "{ lots { nodes { id } } }"'));
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('refuses a body that is not JSON with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/graphql']) {
      const response = await refusedUpstream(() => post('{ lots(first: 1) { nodes { id } } }', { 'content-type': type }));
      expect(response.status).toBe(415);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('refuses a body over the size limit with 413, huge variables included', async () => {
    const huge = 'x'.repeat(5 * 1024 * 1024);
    const response = await refusedUpstream(() => post(JSON.stringify({ query: 'query($s: String) { organization(id: $s) { id } }', variables: { s: huge } })));
    expect(response.status).toBe(413);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a JSON body that is not an operation with BAD_REQUEST', async () => {
    for (const body of ['"just a string"', '42', 'null', '{"query": 7}', '{"query": "{ __typename }", "variables": "nope"}']) {
      const response = await refusedUpstream(() => post(body));
      expect(response.status, body).toBe(400);
      expect(((await response.json()) as any).errors[0].extensions.code, body).toBe('BAD_REQUEST');
    }
  });

  it('refuses introspection from anonymous clients', async () => {
    const result = await refusedUpstream(() => stack.gql(`{ __schema { types { name } } }`));
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('rate limiting at the gateway', () => {
  const limits: RateLimitConfig = {
    anonymous: { perMinute: 60, burst: 3 },
    user: { perMinute: 60, burst: 6 },
    client: { perMinute: 60, burst: 2 },
    trustProxyHops: 0,
    maxBuckets: 1000,
  };

  async function limitedGateway() {
    return startGateway({
      supergraphSdl: readFileSync(supergraphPath, 'utf8'),
      subgraphs: {
        tenants: stack.subgraphs.tenants.url,
        catalog: stack.subgraphs.catalog.url,
        trace: stack.subgraphs.trace.url,
        analytics: stack.subgraphs.analytics.url,
      },
      gatewaySecret: stack.gatewaySecret,
      tokenSecret: stack.tokenSecret,
      rateLimits: limits,
      apiKeyCacheSeconds: 0,
      logger: createLogger('gateway', 'silent'),
    });
  }
  const askAt = (url: string, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: '{ organizations(first: 1) { nodes { path } } }' }),
    });

  it('answers an anonymous address over its budget with 429, Retry-After and RATE_LIMITED, before any subgraph is asked', async () => {
    const gateway = await limitedGateway();
    try {
      for (let i = 0; i < 3; i++) expect((await askAt(gateway.url)).status).toBe(200);
      const refused = await refusedUpstream(() => askAt(gateway.url));
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await refused.json()) as any).errors[0].extensions.code).toBe('RATE_LIMITED');
    } finally {
      await gateway.close();
    }
  });

  it('gives each signed-in user a budget of their own, looser than an address’s', async () => {
    const token = await stack.tokenFor(demoEmail('ANALYST', 'ct'));
    const gateway = await limitedGateway();
    try {
      for (let i = 0; i < 3; i++) await askAt(gateway.url);
      expect((await askAt(gateway.url)).status).toBe(429);
      const statuses = [];
      for (let i = 0; i < 7; i++) statuses.push((await askAt(gateway.url, { authorization: `Bearer ${token}` })).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
    } finally {
      await gateway.close();
    }
  });

  it('limits a machine client per API key', async () => {
    const admin = await stack.tokenFor(demoEmail('ADMIN', 'ct'));
    const city = await stack.gql(`{ organizations(kind: CITY, first: 1) { nodes { id } } }`);
    const created = await stack.gql(
      `mutation($input: CreateApiClientInput!) { createApiClient(input: $input) { key } }`,
      { input: { organizationId: city.data.organizations.nodes[0].id, name: 'rate-limit test', scopes: ['AGGREGATES_READ'] } },
      { token: admin },
    );
    const key = created.data.createApiClient.key as string;
    const gateway = await limitedGateway();
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await askAt(gateway.url, { authorization: `ApiKey ${key}` })).status);
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await gateway.close();
    }
  });

  it('refills a bucket over time and keeps no more buckets than configured', () => {
    let now = 0;
    const limiter = new RateLimiter({ ...limits, maxBuckets: 100 }, () => now);
    const bucket = { perMinute: 60, burst: 2 };
    expect(limiter.take('a', bucket).allowed).toBe(true);
    expect(limiter.take('a', bucket).allowed).toBe(true);
    expect(limiter.take('a', bucket)).toEqual({ allowed: false, key: 'a', retryAfterSeconds: 1 });
    now += 1000;
    expect(limiter.take('a', bucket).allowed).toBe(true);
    for (let i = 0; i < 1000; i++) limiter.take(`addr-${i}`, bucket);
    expect(limiter.size).toBe(100);
  });
});
