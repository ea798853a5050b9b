import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Reads a request body, refusing more than `limit` bytes before buffering it. */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${limit} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${limit} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function headerMap(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] }, headers);
}

/** Reads and checks the HTTP side of a GraphQL request: JSON only, one operation, at most `bodyLimit` bytes. */
export async function readGraphQLRequest(req: IncomingMessage, bodyLimit: number): Promise<HTTPGraphQLRequest> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers = headerMap(req);
  let body: unknown;
  if (req.method === 'POST') {
    const text = await readBody(req, bodyLimit);
    const type = (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json' && type !== 'application/graphql-response+json') {
      throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the operation as JSON: `Content-Type: application/json`.');
    }
    try {
      body = text.length ? JSON.parse(text) : undefined;
    } catch {
      throw new HttpError(400, 'BAD_REQUEST', 'The request body is not valid JSON.');
    }
    // One operation per request: a batch would multiply every per-request limit.
    if (Array.isArray(body)) throw new HttpError(400, 'BATCH_NOT_SUPPORTED', 'Batched operations are not accepted; send one operation per request.');
  }
  return { method: req.method ?? 'GET', headers, search: url.search, body };
}

/** Apollo Server's answer, complete: a status, headers and one body string (or a stream for incremental delivery). */
export interface GraphQLAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | AsyncIterable<string>;
}

export async function executeGraphQL<C extends BaseContext>(
  server: ApolloServer<C>,
  request: HTTPGraphQLRequest,
  context: () => Promise<C>,
): Promise<GraphQLAnswer> {
  const response = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest: request, context });
  const headers: Record<string, string> = {};
  for (const [key, value] of response.headers) headers[key] = value;
  return { status: response.status ?? 200, headers, body: response.body.kind === 'complete' ? response.body.string : response.body.asyncIterator };
}

export async function writeGraphQLAnswer(res: ServerResponse, answer: GraphQLAnswer, extraHeaders: Record<string, string> = {}): Promise<void> {
  const headers = { ...answer.headers, ...extraHeaders };
  if (typeof answer.body === 'string') {
    headers['content-length'] = String(Buffer.byteLength(answer.body));
    res.writeHead(answer.status, headers);
    res.end(answer.body);
    return;
  }
  res.writeHead(answer.status, headers);
  for await (const chunk of answer.body) res.write(chunk);
  res.end();
}

/**
 * Hands one HTTP request to Apollo Server (its documented integration API),
 * without a web framework in between: the gateway and every subgraph use it.
 */
export async function handleGraphQL<C extends BaseContext>(
  server: ApolloServer<C>,
  req: IncomingMessage,
  res: ServerResponse,
  context: () => Promise<C>,
  bodyLimit: number,
): Promise<void> {
  await writeGraphQLAnswer(res, await executeGraphQL(server, await readGraphQLRequest(req, bodyLimit), context));
}

/** Idempotency keys (`@nguon/shared/idempotency`) travel in this header; the gateway forwards it with mutations only. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** 1–200 visible ASCII characters (a UUID is typical). */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * Graceful stop of a node:http server: stop accepting connections, close
 * idle keep-alive sockets, let in-flight requests finish (their responses
 * carry `Connection: close`), and after `graceMs` cut whatever is left.
 */
export async function drainServer(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // Sockets that finish a response from now on close instead of idling.
  const onIdle = setInterval(() => server.closeIdleConnections(), 50);
  const cut = setTimeout(() => server.closeAllConnections(), graceMs);
  try {
    await closed;
  } finally {
    clearInterval(onIdle);
    clearTimeout(cut);
  }
}
