import type { IncomingMessage } from 'node:http';
import type { Viewer } from '@nguon/shared/viewer';
import { Problem } from './http/problem';
import { addressBucket } from './clientKey';

/** A token bucket: `perMinute` requests on average, up to `burst` at once. */
export interface BucketConfig {
  perMinute: number;
  burst: number;
}

export interface RateLimitConfig {
  /** Per client address: consumers, scan pages, anything without credentials. */
  anonymous: BucketConfig;
  /** Per signed-in user. */
  user: BucketConfig;
  /** Per API key (machine client). */
  client: BucketConfig;
  /** Proxies in front of the gateway whose X-Forwarded-For entries are trusted (0: use the socket address). */
  trustProxyHops: number;
  /** Most buckets kept; beyond it the least recently used are dropped (bounded memory). */
  maxBuckets: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  anonymous: { perMinute: 600, burst: 100 },
  user: { perMinute: 3000, burst: 500 },
  client: { perMinute: 1200, burst: 200 },
  trustProxyHops: 0,
  maxBuckets: 100_000,
};

export type RateDecision = { allowed: true; key: string } | { allowed: false; key: string; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updated: number;
}

/**
 * In-memory token buckets keyed by who is asking. A Map keeps insertion
 * order, so re-inserting on every use makes it an LRU: when full, the
 * oldest-used bucket goes. A bucket idle long enough to have refilled is
 * indistinguishable from a new one, so dropping it loses nothing.
 * One gateway replica counts its own traffic; N replicas allow N× the rate.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly config: RateLimitConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** The client address, honouring only as many X-Forwarded-For hops as are configured as trusted. */
  clientAddress(req: IncomingMessage): string {
    const socket = req.socket.remoteAddress ?? 'unknown';
    const hops = this.config.trustProxyHops;
    if (hops <= 0) return socket;
    const forwarded = String(req.headers['x-forwarded-for'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    // Each trusted proxy appends the address it saw; the one `hops` from the right was added by the outermost trusted proxy.
    return forwarded[forwarded.length - hops] ?? forwarded[0] ?? socket;
  }

  /** Which bucket a request draws from: the user, the API key, or (anonymous) the client address. */
  keyFor(req: IncomingMessage, viewer?: Viewer): { key: string; bucket: BucketConfig } {
    if (viewer?.kind === 'user') return { key: `u:${viewer.userId}`, bucket: this.config.user };
    if (viewer?.kind === 'client') return { key: `k:${viewer.clientId}`, bucket: this.config.client };
    // One subscriber, one budget: an IPv6 caller can pick any address of its /64 (clientKey.ts addressBucket).
    return { key: `a:${addressBucket(this.clientAddress(req))}`, bucket: this.config.anonymous };
  }

  take(key: string, bucket: BucketConfig, cost = 1): RateDecision {
    const now = this.now();
    const ratePerMs = bucket.perMinute / 60_000;
    const existing = this.buckets.get(key);
    const state: Bucket = existing
      ? { tokens: Math.min(bucket.burst, existing.tokens + (now - existing.updated) * ratePerMs), updated: now }
      : { tokens: bucket.burst, updated: now };
    this.buckets.delete(key);
    if (state.tokens >= cost) {
      state.tokens -= cost;
      this.store(key, state);
      return { allowed: true, key };
    }
    this.store(key, state);
    const retryAfterSeconds = ratePerMs > 0 ? Math.max(1, Math.ceil((cost - state.tokens) / ratePerMs / 1000)) : 60;
    return { allowed: false, key, retryAfterSeconds };
  }

  /** Draws one request for this viewer (or, before authentication, for the client address). */
  check(req: IncomingMessage, viewer?: Viewer): RateDecision {
    const { key, bucket } = this.keyFor(req, viewer);
    return this.take(key, bucket);
  }

  /**
   * Gives back one request drawn with `check(req)` before a credential
   * look-up (the API key turned out valid, and the request draws on its own
   * bucket instead). Never above the burst.
   */
  refund(req: IncomingMessage): void {
    const { key, bucket } = this.keyFor(req);
    const state = this.buckets.get(key);
    if (state) state.tokens = Math.min(bucket.burst, state.tokens + 1);
  }

  get size(): number {
    return this.buckets.size;
  }

  private store(key: string, state: Bucket) {
    this.buckets.set(key, state);
    while (this.buckets.size > this.config.maxBuckets) this.buckets.delete(this.buckets.keys().next().value!);
  }
}

/** The 429 for a caller over budget, with Retry-After. */
export function rateLimited(decision: Extract<RateDecision, { allowed: false }>): Problem {
  return new Problem('RATE_LIMITED', `Too many requests; retry in ${decision.retryAfterSeconds} s.`, {
    headers: { 'retry-after': String(decision.retryAfterSeconds) },
  });
}
