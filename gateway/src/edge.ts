import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Viewer } from '@nguon/shared/viewer';
import type { TypedDocumentString } from './generated/graphql';

/**
 * Extension point for HTTP routes at the gateway's public edge (the GS1
 * Digital Link resolver, the consumer page, label sheets, the EPCIS REST
 * bindings). Routes hold no domain logic of their own: they read and write
 * through the graph with `execute`, under the caller's own viewer, so the
 * permission tree applies exactly as it does to GraphQL clients.
 */
export interface EdgeContext {
  requestId: string;
  /** The caller's credentials, checked as for /graphql; throws a 401 Problem on bad ones (see also `signedIn`, http/guard.ts). */
  authenticate(): Promise<Viewer>;
  /**
   * Runs one operation through the gateway (query planning, subgraphs, masking) as `viewer`.
   * Operations are `graphql(...)` documents, typed by `npm run codegen` against schema/api.graphql.
   */
  execute<R, V>(document: TypedDocumentString<R, V>, variables: V, viewer: Viewer, options?: { acceptLanguage?: string }): Promise<GraphAnswer<R>>;
  /** The public base URL clients reach this gateway at (Digital Link URIs are built on it). */
  publicBaseUrl: string;
  /**
   * HMAC-SHA256 of `message` under a key only this gateway holds
   * (CLIENT_KEY_SECRET), one domain per `purpose`: tokens a route hands out
   * and checks itself (the report form's), which no subgraph can mint.
   */
  sign(purpose: string, message: string): string;
  /** Refuses with 429 when the caller is over budget; returns false then. */
  allow(viewer: Viewer): boolean;
}

/** A GraphQL error as the graph reports it. */
export interface GraphError {
  message: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

/** What an operation answered: data (partial when some fields were refused) and errors. */
export interface GraphAnswer<R> {
  data?: R | null;
  errors?: GraphError[];
}

/**
 * Runs `document` through the graph as `viewer` and returns its data; when the
 * graph answers with errors, throws what `failure` makes of them (each route
 * words refusals its own way: RFC 7807, EPCIS exceptions).
 */
export async function graphData<R, V>(
  edge: EdgeContext,
  viewer: Viewer,
  document: TypedDocumentString<R, V>,
  variables: V,
  failure: (errors: GraphError[]) => Error,
  options?: { acceptLanguage?: string },
): Promise<R> {
  const result = await edge.execute(document, variables, viewer, options);
  if (result.errors?.length) throw failure(result.errors);
  return result.data as R;
}

/** Handles the request and returns true, or returns false to let the next route try. */
export type EdgeRoute = (req: IncomingMessage, res: ServerResponse, edge: EdgeContext) => Promise<boolean>;
