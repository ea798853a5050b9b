/**
 * Whole-answer cache for anonymous queries: the QR-scan hot path asks the
 * same provenance of the same lot many times a second, and every anonymous
 * asker gets the same answer. Answers live for `ttlMs` counted from when the
 * first asker's read *started*, so anything committed before a request starts
 * (a recall) is in every answer served more than `ttlMs` later. Identical
 * anonymous queries in flight together run once (single flight).
 *
 * Only anonymous queries (never mutations, never signed-in viewers) whose
 * answer is a 200 without errors are kept. The key is the operation as sent
 * (GET search string or POST body) plus Accept-Language, which chooses the
 * language of localized fields.
 */
import { createHash } from 'node:crypto';
import { OperationTypeNode, parse } from 'graphql';
import type { GraphQLAnswer } from '@nguon/shared/http';

export interface CachedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** When the read behind it started (ms since epoch). */
  readAt: number;
}

export interface ResponseCacheOptions {
  /** How long an answer is served after its read started; 0 turns the cache off. */
  ttlMs: number;
  /** Most answers kept at once (oldest dropped first). */
  maxEntries?: number;
  /** Larger answers are served but not kept. */
  maxBodyBytes?: number;
}

/** Headers of a fresh anonymous answer: shareable by CDNs for the same one second. */
export const FRESH_HEADERS = { 'cache-control': 'public, max-age=1', vary: 'Accept-Language' };
/** An answer already served from the cache may not be kept longer by anyone downstream. */
export const REPLAYED_HEADERS = { 'cache-control': 'public, max-age=0, must-revalidate', vary: 'Accept-Language' };

export class AnonymousResponseCache {
  readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly maxBodyBytes: number;
  private readonly entries = new Map<string, CachedAnswer>();
  private readonly inFlight = new Map<string, Promise<CachedAnswer | null>>();
  /** Operation type per (query text, operation name); parsing once per distinct text. */
  private readonly kinds = new Map<string, OperationTypeNode | null>();

  constructor(options: ResponseCacheOptions) {
    this.ttlMs = options.ttlMs;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
  }

  /**
   * The cache key of a request, or null when it must not be cached: not a
   * query, unparsable (Apollo Server will say why), or carrying extensions
   * such as persisted-query hashes the key does not cover.
   */
  keyOf(method: string, search: string, body: unknown, acceptLanguage: string | undefined): string | null {
    let query: unknown;
    let operationName: unknown;
    let variables: unknown;
    let extensions: unknown;
    if (method === 'GET') {
      const params = new URLSearchParams(search);
      query = params.get('query');
      operationName = params.get('operationName') ?? undefined;
      extensions = params.get('extensions') ?? undefined;
      variables = params.get('variables') ?? undefined;
    } else if (method === 'POST' && body && typeof body === 'object') {
      ({ query, operationName, variables, extensions } = body as Record<string, unknown>);
    } else return null;
    if (typeof query !== 'string' || extensions !== undefined) return null;
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return null;
    if (this.operationType(query, (operationName as string | null | undefined) ?? null) !== OperationTypeNode.QUERY) return null;
    const vars = typeof variables === 'string' ? variables : JSON.stringify(variables ?? null);
    return createHash('sha256')
      .update(query)
      .update('\0')
      .update(String(operationName ?? ''))
      .update('\0')
      .update(vars)
      .update('\0')
      .update(acceptLanguage ?? '')
      .digest('base64url');
  }

  private operationType(query: string, operationName: string | null): OperationTypeNode | null {
    const key = `${operationName ?? ''}\0${query}`;
    let kind = this.kinds.get(key);
    if (kind === undefined) {
      kind = null;
      try {
        const operations = parse(query, { maxTokens: 20_000 }).definitions.filter((d) => d.kind === 'OperationDefinition');
        const chosen = operationName === null ? (operations.length === 1 ? operations[0] : undefined) : operations.find((o) => o.name?.value === operationName);
        kind = chosen?.operation ?? null;
      } catch {
        kind = null;
      }
      if (this.kinds.size >= 1000) this.kinds.delete(this.kinds.keys().next().value!);
      this.kinds.set(key, kind);
    }
    return kind;
  }

  /** A fresh cached answer, or null. */
  get(key: string, now = Date.now()): CachedAnswer | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.readAt + this.ttlMs > now) return entry;
    this.entries.delete(key);
    return null;
  }

  /**
   * Serves `key` from the cache, from an identical request in flight, or by
   * running `execute` (and keeping its answer when it may be kept).
   * `fromCache` says whether the answer was someone else's.
   */
  async answer(key: string, execute: () => Promise<GraphQLAnswer>): Promise<{ answer: GraphQLAnswer; fromCache: boolean }> {
    const cached = this.get(key);
    if (cached) return { answer: cached, fromCache: true };
    const pending = this.inFlight.get(key);
    if (pending) {
      const shared = await pending;
      if (shared) return { answer: shared, fromCache: true };
    }
    const readAt = Date.now();
    let settle!: (value: CachedAnswer | null) => void;
    const flight = new Promise<CachedAnswer | null>((resolve) => (settle = resolve));
    if (!pending) this.inFlight.set(key, flight);
    try {
      const answer = await execute();
      const keep = cacheable(answer) && Buffer.byteLength(answer.body as string) <= this.maxBodyBytes;
      const entry = keep ? { status: answer.status, headers: answer.headers, body: answer.body as string, readAt } : null;
      if (entry) this.store(key, entry);
      settle(entry);
      return { answer, fromCache: false };
    } catch (error) {
      settle(null);
      throw error;
    } finally {
      if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
    }
  }

  private store(key: string, entry: CachedAnswer) {
    this.entries.delete(key);
    // Insertion order is expiry order (one TTL): drop expired ones from the front, then the oldest if full.
    const now = Date.now();
    for (const [k, e] of this.entries) {
      if (e.readAt + this.ttlMs > now && this.entries.size < this.maxEntries) break;
      this.entries.delete(k);
    }
    this.entries.set(key, entry);
  }

  get size() {
    return this.entries.size;
  }
}

/** A complete 200 answer with data and no errors. The literal `"errors":` can only be a key in JSON text (quotes inside strings are escaped). */
function cacheable(answer: GraphQLAnswer): boolean {
  return answer.status === 200 && typeof answer.body === 'string' && answer.body.startsWith('{"data":') && !answer.body.includes('"errors":');
}
