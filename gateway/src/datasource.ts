import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { Kind, parse, type DocumentNode, type GraphQLFormattedError, type SelectionSetNode } from 'graphql';
import type { Agent } from 'undici';
import { IDEMPOTENCY_KEY_HEADER } from '@nguon/shared/http';
import type { Logger } from '@nguon/shared/logger';
import { REQUEST_ID_HEADER, VIEWER_HEADER, signViewer, type Viewer } from '@nguon/shared/viewer';

type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

export interface GatewayContext {
  viewer: Viewer;
  requestId: string;
  acceptLanguage: string | undefined;
  /** The client's Idempotency-Key, forwarded with mutations only. */
  idempotencyKey?: string | undefined;
}

export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';

/**
 * Marks a subgraph request any anonymous asker may share (set by
 * SignedDataSource, removed by the fetcher before it goes out).
 */
export const SHAREABLE_HEADER = 'x-nguon-shareable';

interface FetchedAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * A fetcher on undici's request API over one keep-alive agent: no per-call
 * connection setup and none of fetch()'s stream plumbing on the hot path.
 * Each call gives up after `timeoutMs`, so a hung subgraph costs a bounded
 * wait and the gateway answers with partial data.
 *
 * Identical shareable requests in flight together (anonymous queries: the
 * same product or producer asked by many consumers scanning at once) go out
 * once; every caller gets its own response object and parses its own copy,
 * so no two operations share result objects.
 */
export function keepAliveFetcher(agent: Agent, timeoutMs: number): Fetcher {
  const inFlight = new Map<string, Promise<FetchedAnswer>>();
  const send = async (url: string, init: { method?: string; headers?: Record<string, string>; body?: string } | undefined): Promise<FetchedAnswer> => {
    const target = new URL(url);
    const response = await agent.request({
      origin: target.origin,
      path: target.pathname,
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
    return { status: response.statusCode, headers, text };
  };
  return (async (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => {
    let answer: FetchedAnswer;
    const headers = init?.headers;
    if (headers?.[SHAREABLE_HEADER] !== undefined) {
      const { [SHAREABLE_HEADER]: _, ...rest } = headers;
      const outgoing = { ...init, headers: rest };
      const key = `${url}\0${rest['accept-language'] ?? ''}\0${init?.body ?? ''}`;
      let flight = inFlight.get(key);
      if (!flight) {
        flight = send(url, outgoing).finally(() => inFlight.delete(key));
        inFlight.set(key, flight);
      }
      answer = await flight;
    } else {
      answer = await send(url, init);
    }
    const { status, headers: responseHeaders, text } = answer;
    const result = {
      ok: status >= 200 && status < 300,
      status,
      statusText: '',
      url,
      redirected: false,
      headers: responseHeaders,
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
  constructor(
    url: string,
    fetcher: Fetcher,
    private readonly secret: string,
    private readonly service = 'subgraph',
    private readonly logger?: Logger,
  ) {
    super({ url, fetcher, honorSubgraphCacheControlHeader: false });
  }

  /**
   * A subgraph that times out, refuses the connection or answers with
   * something other than GraphQL becomes errors on the fields it owed — with
   * the response paths they have in the client's operation — so the gateway
   * still answers everything else. The cause (and the subgraph's URL) goes to
   * the log only.
   */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    try {
      return await super.process(options);
    } catch (error) {
      // A GraphQL answer on a non-2xx status (an error with an HTTP status of its own) is still an answer.
      const body = (error as { extensions?: { response?: { body?: unknown } } }).extensions?.response?.body as GatewayGraphQLResponse | undefined;
      // (An execution result carries `data`; a bare HTTP error from a route does not, and is treated as an outage.)
      if (body && typeof body === 'object' && 'data' in body && Array.isArray(body.errors) && body.errors.length > 0)
        return { data: body.data ?? null, errors: body.errors };
      // A request error has no `data`: the subgraph refused a variable its own scalar rejects (a Date that is
      // not a real date), which the gateway cannot check because custom scalars are opaque to it. That is the
      // client's mistake, not an outage.
      if (isRequestError(error, body)) return { errors: body.errors };
      const ctx = options.context as Partial<GatewayContext>;
      const requestId = ctx.requestId ?? 'gateway';
      this.logger?.error({ err: error, service: this.service, requestId }, 'subgraph request failed');
      return { errors: unavailableErrors(options, this.service, requestId) };
    }
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http!.headers;
    const ctx = context as Partial<GatewayContext>;
    const viewer: Viewer = ctx.viewer ?? { kind: 'anonymous', requestId: 'gateway' };
    headers.set(VIEWER_HEADER, signViewer(viewer, this.secret));
    if (ctx.requestId) headers.set(REQUEST_ID_HEADER, ctx.requestId);
    if (ctx.acceptLanguage) headers.set('accept-language', ctx.acceptLanguage);
    const mutation = /^\s*mutation\b/.test(request.query ?? '');
    if (ctx.idempotencyKey && mutation) headers.set(IDEMPOTENCY_KEY_HEADER, ctx.idempotencyKey);
    // Anonymous reads are the same for every anonymous asker: identical ones in flight may share one call.
    if (viewer.kind === 'anonymous' && !mutation) headers.set(SHAREABLE_HEADER, '1');
  }
}

/** The response keys a subgraph operation selects at its top (inside `_entities`' type fragments for entity fetches). */
function topLevelKeys(document: DocumentNode | undefined, entities: boolean): string[] {
  const operation = document?.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return [];
  const keys = (set: SelectionSetNode): string[] =>
    set.selections.flatMap((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === '__typename' ? [] : [s.alias?.value ?? s.name.value];
      if (s.kind === Kind.INLINE_FRAGMENT) return keys(s.selectionSet);
      return [];
    });
  if (!entities) return keys(operation.selectionSet);
  const field = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD && s.name.value === '_entities');
  return field && field.kind === Kind.FIELD && field.selectionSet ? [...new Set(keys(field.selectionSet))] : [];
}

/**
 * One error per field the failed fetch owed. The gateway maps an
 * `_entities[i]` path onto the i-th entity's place in the client's response
 * and prefixes a root fetch's paths with nothing, so clients see real paths.
 */
function unavailableErrors(options: GraphQLDataSourceProcessOptions<GatewayContext>, service: string, requestId: string): GraphQLFormattedError[] {
  const representations = (options.request.variables as { representations?: unknown[] } | undefined)?.representations;
  const entities = Array.isArray(representations);
  let document = 'document' in options ? options.document : undefined;
  if (!document && options.request.query) {
    try {
      document = parse(options.request.query);
    } catch {
      // The gateway wrote this operation; if it does not parse, the error simply has no path.
    }
  }
  const keys = topLevelKeys(document, entities);
  const error = (path: (string | number)[] | undefined): GraphQLFormattedError => ({
    message: `Part of this answer is unavailable right now (reference ${requestId}); try again shortly.`,
    ...(path ? { path } : {}),
    extensions: { code: SERVICE_UNAVAILABLE, service, requestId },
  });
  if (!keys.length) return [error(undefined)];
  if (!entities) return keys.map((key) => error([key]));
  return representations!.flatMap((_r, i) => keys.map((key) => error(['_entities', i, key])));
}

/** A subgraph's 400 answer whose every error is the client's (a variable its scalar rejected). */
function isRequestError(error: unknown, body: unknown): body is { errors: GraphQLFormattedError[] } {
  const status = (error as { extensions?: { response?: { status?: number } } }).extensions?.response?.status;
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  return (
    status === 400 &&
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every((e) => ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED'].includes((e as GraphQLFormattedError).extensions?.code as string))
  );
}
