import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { REQUEST_ID_HEADER, signViewer, VIEWER_HEADER, type Viewer } from '@nguon/shared/viewer';

/** Response headers a subgraph route may set that reach the caller; everything else stays behind the edge. */
const PASSED_HEADERS = ['content-type', 'content-language', 'content-disposition', 'cache-control', 'x-nguon-as-of', 'allow'];

/**
 * Streams a subgraph's HTTP route to the caller: the edge has authenticated
 * the caller; the subgraph gets the viewer signed as for GraphQL, decides
 * everything else (scopes, input, the body) and its answer — status, CSV or
 * JSON error — passes through unchanged and unbuffered. This is how the edge
 * serves a file a subgraph owns (docs/architecture.md §7).
 */
export async function forwardToSubgraph(
  req: IncomingMessage,
  res: ServerResponse,
  options: { subgraphUrl: string; path: string; viewer: Viewer; gatewaySecret: string; requestId: string },
): Promise<void> {
  const incoming = new URL(req.url ?? '/', 'http://localhost');
  const upstream = await fetch(new URL(`${options.path}${incoming.search}`, options.subgraphUrl), {
    method: req.method === 'HEAD' ? 'HEAD' : 'GET',
    headers: {
      [VIEWER_HEADER]: signViewer(options.viewer, options.gatewaySecret),
      [REQUEST_ID_HEADER]: options.requestId,
      // The caller's languages, as the graph gets them: a route may answer in them (an export's labels).
      ...(typeof req.headers['accept-language'] === 'string' ? { 'accept-language': req.headers['accept-language'].slice(0, 256) } : {}),
    },
  });
  const headers: Record<string, string> = {};
  for (const name of PASSED_HEADERS) {
    const value = upstream.headers.get(name);
    if (value) headers[name] = value;
  }
  res.writeHead(upstream.status, headers);
  if (!upstream.body) return void res.end();
  for await (const chunk of upstream.body as unknown as AsyncIterable<Uint8Array>) {
    if (!res.write(chunk)) await once(res, 'drain');
  }
  res.end();
}
