import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signViewer, stableId } from '@nguon/shared';
import { PRODUCTS } from '@nguon/demo/cantho';
import { demoProductId } from '@nguon/demo/ids';
import { AnonymousResponseCache } from '@nguon/gateway/responsecache';
import { demoEmail, startTestStack, type TestStack } from './helpers';

const TTL_MS = 1000;
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ gateway: { responseCacheTtlMs: TTL_MS } });
});
afterAll(() => stack?.stop());

const millProduct = demoProductId(PRODUCTS.find((p) => p.operator === 'ct_luong_thuc_thot_not')!);
const packA = stableId('lot', `${millProduct}/GOI-DX26-A`);
const PROVENANCE = `query($id: ID!) { lot(id: $id) { id status product { name(lang: "vi") { text } } owner { name(lang: "vi") { text } } } }`;

async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { response, json: (await response.json()) as any };
}

/** HTTP requests the subgraphs have answered so far (their /metrics counters). */
async function subgraphRequests(): Promise<number> {
  let total = 0;
  for (const s of Object.values(stack.subgraphs)) {
    const headers = { 'x-nguon-viewer': signViewer({ kind: 'anonymous', requestId: 'metrics' }, stack.gatewaySecret) };
    const text = await (await fetch(s.url.replace(/\/graphql$/, '/metrics'), { headers })).text();
    total += Number(/nguon_http_requests_total\{[^}]*\} (\d+)/.exec(text)?.[1] ?? 0);
  }
  return total;
}

describe('anonymous response cache at the gateway', () => {
  it('answers a repeated anonymous query from the cache, with CDN headers, and runs identical concurrent ones once', async () => {
    const body = { query: PROVENANCE, variables: { id: packA } };
    const first = await post(body);
    expect(first.json.errors).toBeUndefined();
    expect(first.response.headers.get('cache-control')).toBe('public, max-age=1');
    expect(first.response.headers.get('vary')).toBe('Accept-Language');
    const before = await subgraphRequests();
    const second = await post(body);
    expect(second.response.headers.get('x-nguon-cache')).toBe('hit');
    expect(second.response.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    expect(second.json).toEqual(first.json);
    expect(await subgraphRequests()).toBe(before);

    // Another language is another answer; twenty identical requests at once cost one plan's subgraph calls.
    await new Promise((r) => setTimeout(r, TTL_MS + 50));
    const start = await subgraphRequests();
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(body, { 'accept-language': 'en' })));
    for (const a of answers) expect(a.json).toEqual(first.json);
    const calls = (await subgraphRequests()) - start;
    const one = await (async () => {
      const s = await subgraphRequests();
      await post(body, { 'accept-language': 'de' });
      return (await subgraphRequests()) - s;
    })();
    expect(one).toBeGreaterThan(0);
    expect(calls).toBe(one);
  });

  it('never caches signed-in answers, mutations or answers with errors', async () => {
    const token = await stack.tokenFor(demoEmail('OFFICER', 'ct'));
    const signedIn = await post({ query: PROVENANCE, variables: { id: packA } }, { authorization: `Bearer ${token}` });
    expect(signedIn.response.headers.get('cache-control')).toBe('private, no-store');
    const again = await post({ query: PROVENANCE, variables: { id: packA } }, { authorization: `Bearer ${token}` });
    expect(again.response.headers.get('x-nguon-cache')).toBeNull();

    const bad = { query: `query($id: ID!) { lot(id: $id) { id nonsense } }`, variables: { id: packA } };
    await post(bad);
    expect((await post(bad)).response.headers.get('x-nguon-cache')).toBeNull();

    const cache = new AnonymousResponseCache({ ttlMs: 1000 });
    expect(cache.keyOf('POST', '', { query: 'mutation { signIn(input: {}) { accessToken } }' }, undefined)).toBeNull();
    expect(cache.keyOf('POST', '', { query: 'query A { a } mutation B { b }', operationName: 'B' }, undefined)).toBeNull();
    expect(cache.keyOf('POST', '', { query: 'query A { a } mutation B { b }', operationName: 'A' }, undefined)).not.toBeNull();
    expect(cache.keyOf('POST', '', { query: '{ a }', extensions: { persistedQuery: {} } }, undefined)).toBeNull();
    expect(cache.keyOf('GET', '?query=%7B%20a%20%7D', undefined, 'vi')).not.toBe(cache.keyOf('GET', '?query=%7B%20a%20%7D', undefined, 'en'));
  });

  it('shows a recall to anonymous askers within one TTL of its commit, though the old answer was cached', async () => {
    const token = await stack.tokenFor(demoEmail('OFFICER', 'ct'));
    const body = { query: `query($id: ID!) { lot(id: $id) { status } }`, variables: { id: packA } };
    expect((await post(body)).json.data.lot.status).toBe('PUBLISHED');
    const upstream = await stack.gql(`query($id: ID!) { trace(lotId: $id, direction: UPSTREAM) { lots { id depth } } }`, { id: packA }, { token });
    const farmLot = upstream.data.trace.lots.find((l: any) => l.depth === 2).id;
    const opened = await stack.gql(
      `mutation($input: OpenRecallInput!) { openRecall(input: $input) { recall { status } } }`,
      { input: { lotIds: [farmLot], reason: 'Kiểm tra bộ nhớ đệm', severity: 'CLASS_II' } },
      { token },
    );
    expect(opened.errors).toBeUndefined();
    const committedAt = Date.now();
    // Until then the cached answer may still be served; from one TTL after the commit, never.
    await new Promise((r) => setTimeout(r, TTL_MS - (Date.now() - committedAt)));
    const after = await post(body);
    expect(after.json.data.lot.status).toBe('RECALLED');
  });
});
