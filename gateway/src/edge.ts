import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Viewer } from '@nguon/shared/viewer';

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
  /** Runs one operation through the gateway (query planning, subgraphs, masking) as `viewer`. */
  execute<T = any>(
    query: string,
    variables: Record<string, unknown>,
    viewer: Viewer,
    options?: { acceptLanguage?: string },
  ): Promise<{ data?: T | null; errors?: { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[] }>;
  /** The public base URL clients reach this gateway at (Digital Link URIs are built on it). */
  publicBaseUrl: string;
  /** Refuses with 429 when the caller is over budget; returns false then. */
  allow(viewer: Viewer): boolean;
}

/** Handles the request and returns true, or returns false to let the next route try. */
export type EdgeRoute = (req: IncomingMessage, res: ServerResponse, edge: EdgeContext) => Promise<boolean>;
