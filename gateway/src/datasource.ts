import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { Agent } from 'undici';
import { REQUEST_ID_HEADER, VIEWER_HEADER, signViewer, type Viewer } from '@nguon/shared';

export interface GatewayContext {
  viewer: Viewer;
  requestId: string;
  acceptLanguage: string | undefined;
}

/**
 * A fetcher on undici's request API over one keep-alive agent: no per-call
 * connection setup and none of fetch()'s stream plumbing on the hot path.
 * Each call gives up after `timeoutMs`, so a hung subgraph costs a bounded
 * wait and the gateway answers with partial data.
 */
export function keepAliveFetcher(agent: Agent, timeoutMs: number): Fetcher {
  return (async (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => {
    const response = await agent.request({
      origin: new URL(url).origin,
      path: new URL(url).pathname,
      method: (init?.method ?? 'POST') as 'POST',
      headers: init?.headers,
      body: init?.body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.body.text();
    const headers = new Headers();
    for (const [key, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const result = {
      ok: response.statusCode >= 200 && response.statusCode < 300,
      status: response.statusCode,
      statusText: '',
      url,
      redirected: false,
      headers,
      text: async () => text,
      json: async () => JSON.parse(text),
      clone: () => result,
    };
    return result as unknown as FetcherResponse;
  }) as unknown as Fetcher;
}

/**
 * Sends each subgraph the viewer the gateway authenticated, signed with the
 * secret only gateway and subgraphs share. Nothing of the client's headers is
 * forwarded except Accept-Language, so a client-sent viewer header never
 * travels on.
 */
export class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(url: string, fetcher: Fetcher, private readonly secret: string) {
    super({ url, fetcher, honorSubgraphCacheControlHeader: false });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http!.headers;
    const ctx = context as Partial<GatewayContext>;
    const viewer: Viewer = ctx.viewer ?? { kind: 'anonymous', requestId: 'gateway' };
    headers.set(VIEWER_HEADER, signViewer(viewer, this.secret));
    if (ctx.requestId) headers.set(REQUEST_ID_HEADER, ctx.requestId);
    if (ctx.acceptLanguage) headers.set('accept-language', ctx.acceptLanguage);
  }
}
