import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { keepAliveFetcher, SHAREABLE_HEADER } from '../src/datasource';

let server: Server;
let url: string;
const seen: { body: string; headers: Record<string, unknown> }[] = [];
const agent = new Agent({ connections: 8 });
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ body, headers: req.headers });
      // Slow enough that concurrent callers overlap.
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { echo: body, n: seen.length } })), 50);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await agent.close();
  await new Promise((r) => server.close(r));
});

describe('subgraph fetcher', () => {
  it('sends identical shareable requests in flight once, and gives every caller its own parsed copy', async () => {
    const fetcher = keepAliveFetcher(agent, 5000);
    const call = (body: string, headers: Record<string, string>) =>
      fetcher(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    seen.length = 0;
    const shared = await Promise.all(Array.from({ length: 10 }, () => call('{"query":"{ a }"}', { [SHAREABLE_HEADER]: '1', 'accept-language': 'vi' })));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers[SHAREABLE_HEADER]).toBeUndefined();
    const parsed = await Promise.all(shared.map((r) => r.json()));
    expect(parsed[0]).toEqual(parsed[9]);
    expect(parsed[0]).not.toBe(parsed[9]);

    // Another language, another body, or a request not marked shareable (a signed-in viewer, a mutation) goes out on its own.
    seen.length = 0;
    await Promise.all([
      call('{"query":"{ a }"}', { [SHAREABLE_HEADER]: '1', 'accept-language': 'en' }),
      call('{"query":"{ b }"}', { [SHAREABLE_HEADER]: '1', 'accept-language': 'vi' }),
      call('{"query":"{ a }"}', { 'accept-language': 'vi' }),
      call('{"query":"{ a }"}', { 'accept-language': 'vi' }),
    ]);
    expect(seen).toHaveLength(4);

    // Once answered, the next identical request goes out again: nothing is cached here.
    seen.length = 0;
    await call('{"query":"{ a }"}', { [SHAREABLE_HEADER]: '1', 'accept-language': 'vi' });
    await call('{"query":"{ a }"}', { [SHAREABLE_HEADER]: '1', 'accept-language': 'vi' });
    expect(seen).toHaveLength(2);
  });
});
