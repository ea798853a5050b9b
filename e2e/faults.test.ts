import { readFileSync } from 'node:fs';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@nguon/shared';
import { startGateway, type GatewayOptions, type RunningGateway } from '@nguon/gateway';
import { supergraphPath } from '@nguon/gateway/stack';
import { demoEmail, DEMO_PASSWORD, startTestStack, type TestStack } from './helpers';

/** Every log line the stack writes, parsed. */
const lines: Record<string, any>[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
    done();
  },
});

let stack: TestStack;
let hangServer: TcpServer;
const hungSockets = new Set<Socket>();
let hangUrl: string;
let deadUrl: string;

beforeAll(async () => {
  // No response cache: these tests ask the same anonymous query before and after breaking a subgraph.
  stack = await startTestStack({ logger: createLogger('nguon', 'info', sink), gateway: { rateLimits: false, responseCacheTtlMs: 0 } });
  // A "subgraph" that accepts connections and never answers.
  hangServer = createTcpServer((socket) => {
    hungSockets.add(socket);
    socket.on('close', () => hungSockets.delete(socket));
  });
  await new Promise<void>((resolve) => hangServer.listen(0, '127.0.0.1', resolve));
  hangUrl = `http://127.0.0.1:${(hangServer.address() as AddressInfo).port}/graphql`;
  // A port nobody listens on any more: connection refused.
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  deadUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/graphql`;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});
afterAll(async () => {
  for (const socket of hungSockets) socket.destroy();
  await new Promise<void>((resolve) => hangServer?.close(() => resolve()));
  await stack?.stop();
});

/** A second gateway over the same subgraphs, with some of them replaced. */
async function gatewayWith(replace: Record<string, string>, extra: Partial<GatewayOptions> = {}): Promise<RunningGateway> {
  const urls = Object.fromEntries(Object.entries(stack.subgraphs).map(([name, s]) => [name, s.url])) as unknown as GatewayOptions['subgraphs'];
  return startGateway({
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    subgraphs: { ...urls, ...replace },
    gatewaySecret: stack.gatewaySecret,
    tokenSecret: stack.tokenSecret,
    rateLimits: false,
    logger: createLogger('gateway', 'silent'),
    ...extra,
  });
}

async function ask(url: string, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  return { status: response.status, headers: response.headers, text: await response.clone().text(), body: (await response.json()) as any };
}

/** Nothing in a client's answer that points inside: no addresses, ports, stacks or library messages. */
function expectNothingInternal(text: string) {
  expect(text).not.toMatch(/127\.0\.0\.1|localhost|https?:\/\/|ECONN|stacktrace|\bat .*\.(ts|js):\d+|serviceName|Timeout/i);
}

const PROVENANCE_AND_STATS = `{ organizations(kind: PRODUCER, first: 2) { nodes { path name { text } stats { productCount } } } }`;

describe('a slow or dead subgraph', () => {
  it('answers within the timeout with partial data when the trace subgraph hangs', async () => {
    const gateway = await gatewayWith({ trace: hangUrl }, { subgraphTimeoutMs: 800 });
    try {
      const started = performance.now();
      const result = await ask(
        gateway.url,
        `{ organizations(kind: PRODUCER, first: 2) { nodes { path } } lot(id: "0190a0b0-0000-7000-8000-000000000000") { lotCode } }`,
        {
          'x-request-id': 'hung-trace-0001',
        },
      );
      expect(performance.now() - started).toBeLessThan(3000);
      expect(result.status).toBe(200);
      expect(result.body.data.organizations.nodes).toHaveLength(2);
      expect(result.body.data.lot).toBeNull();
      expect(result.body.errors).toEqual([
        {
          message: 'Part of this answer is unavailable right now (reference hung-trace-0001); try again shortly.',
          path: ['lot'],
          extensions: { code: 'SERVICE_UNAVAILABLE', service: 'trace', requestId: 'hung-trace-0001' },
        },
      ]);
      expectNothingInternal(result.text);
    } finally {
      await gateway.close();
    }
  });

  it('gives provenance with null stats and one error per affected path when analytics refuses connections', async () => {
    const gateway = await gatewayWith({ analytics: deadUrl });
    try {
      const result = await ask(gateway.url, PROVENANCE_AND_STATS);
      expect(result.status).toBe(200);
      const nodes = result.body.data.organizations.nodes;
      expect(nodes).toHaveLength(2);
      for (const node of nodes) {
        expect(node.path).toMatch(/^ct\./);
        expect(node.stats).toBeNull();
      }
      expect(result.body.errors.map((e: any) => [e.path, e.extensions.code])).toEqual([
        [['organizations', 'nodes', 0, 'stats'], 'SERVICE_UNAVAILABLE'],
        [['organizations', 'nodes', 1, 'stats'], 'SERVICE_UNAVAILABLE'],
      ]);
      expectNothingInternal(result.text);
    } finally {
      await gateway.close();
    }
  });

  it('masks a subgraph that answers with an HTTP error instead of GraphQL', async () => {
    // The tenants origin without the path: a 404 in JSON that is not a GraphQL response.
    const gateway = await gatewayWith({ analytics: stack.subgraphs.analytics.url.replace(/\/graphql$/, '/nowhere') });
    try {
      const result = await ask(gateway.url, PROVENANCE_AND_STATS);
      expect(result.body.data.organizations.nodes[0].stats).toBeNull();
      expect(result.body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
      expectNothingInternal(result.text);
    } finally {
      await gateway.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('lets an in-flight request finish, refuses new ones and closes', async () => {
    const gateway = await gatewayWith({ trace: hangUrl }, { subgraphTimeoutMs: 1000 });
    const inFlight = ask(gateway.url, `{ organizations(first: 1) { nodes { path } } lot(id: "x") { id } }`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closing = gateway.close();
    const late = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }).then(
      (response) => response.status,
      (error: Error) => error.name,
    );
    expect([503, 'TypeError']).toContain(late);
    const finished = await inFlight;
    expect(finished.status).toBe(200);
    expect(finished.body.data.organizations.nodes).toHaveLength(1);
    await closing;
    await expect(fetch(gateway.url.replace('/graphql', '/health'))).rejects.toThrow();
  });
});

describe('request ids and logs', () => {
  it('returns a client-supplied request id and carries it into the subgraphs’ log lines', async () => {
    const result = await stack.gql(
      `{ organizations(kind: PRODUCER, first: 1) { nodes { path stats { lotCount } } } }`,
      {},
      { headers: { 'x-request-id': 'client-req-42abc' } },
    );
    expect(result.errors).toBeUndefined();
    const response = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'client-req-42abc' },
      body: '{"query":"{ __typename }"}',
    });
    expect(response.headers.get('x-request-id')).toBe('client-req-42abc');
    const tagged = lines.filter((l) => l.requestId === 'client-req-42abc' && l.msg === 'request');
    expect(new Set(tagged.map((l) => l.service))).toEqual(new Set(['gateway', 'tenants', 'analytics']));
    for (const line of tagged) expect(line).toMatchObject({ method: 'POST', path: '/graphql', status: 200, viewer: 'anonymous' });
  });

  it('replaces a malformed request id with one of its own', async () => {
    const response = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'bad id\twith "quotes"' },
      body: '{"query":"{ __typename }"}',
    });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes no password, email, token or variables to the logs', async () => {
    const email = demoEmail('ANALYST', 'ct');
    const token = await stack.tokenFor(email);
    await stack.gql(`{ organizations(first: 1) { nodes { path } } }`, {}, { token });
    const text = lines.map((l) => JSON.stringify(l)).join('\n');
    expect(text).not.toContain(DEMO_PASSWORD);
    expect(text).not.toContain(email);
    expect(text).not.toContain(token.slice(-20));
    expect(lines.some((l) => l.viewer === 'user')).toBe(true);
  });
});

describe('a subgraph stopped mid-run', () => {
  it('keeps provenance answering with stats null and an error once analytics is stopped', async () => {
    const before = await stack.gql(PROVENANCE_AND_STATS);
    expect(before.errors).toBeUndefined();
    await stack.subgraphs.analytics.close();
    const after = await stack.gql(PROVENANCE_AND_STATS);
    expect(after.status).toBe(200);
    expect(after.data.organizations.nodes.map((n: any) => n.path)).toEqual(before.data.organizations.nodes.map((n: any) => n.path));
    expect(after.data.organizations.nodes.every((n: any) => n.stats === null)).toBe(true);
    expect(after.errors?.[0]).toMatchObject({ path: ['organizations', 'nodes', 0, 'stats'], extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expectNothingInternal(JSON.stringify(after));
  });
});
