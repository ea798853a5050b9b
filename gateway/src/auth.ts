import { createHash } from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';
import { HttpError } from '@nguon/shared/http';
import { ACCESS_TOKEN, ROLES, SCOPES, signViewer, type Grant, type Scope, type Viewer } from '@nguon/shared/viewer';

export class AuthError extends Error {
  readonly code = 'UNAUTHENTICATED';
}

/** Tenants could not answer a credential look-up (unreachable, failing, timed out, garbled): 503, never a guess. */
export class CredentialsUnavailable extends HttpError {
  constructor() {
    super(503, 'SERVICE_UNAVAILABLE', 'Credentials cannot be checked right now; retry shortly.');
  }
}

/** Thrown by `authenticate` when its `beforeLookUp` hook refused a look-up at tenants (the caller is over budget). */
export class LookUpRefused extends Error {
  constructor() {
    super('The credential look-up was refused before it started.');
  }
}

export interface AuthenticateOptions {
  /**
   * Called right before this request would start a look-up at tenants: an
   * API key that is in neither cache and whose look-up is not already in
   * flight. A cached key (known or unknown) and a request that joins another's
   * look-up never call it; a bearer token's session look-up does not either
   * (the token is verified locally first, so it cannot be guessed cheaply).
   * Returning false refuses the look-up: `authenticate` then rejects with
   * LookUpRefused and tenants is not asked.
   */
  beforeLookUp?: (kind: 'api-key') => boolean | void;
}

/** Default of GRANTS_CACHE_SECONDS: how long a user's current grants are reused before tenants is asked again. */
export const DEFAULT_GRANTS_CACHE_SECONDS = 2;

export interface AuthenticatorOptions {
  tokenSecret: string;
  gatewaySecret: string;
  /** Where the tenants service answers API-key look-ups. */
  apiKeyVerifyUrl: string;
  apiKeyCacheSeconds: number;
  /** Where tenants answers a token's current grants; default: `/internal/sessions/verify` beside apiKeyVerifyUrl. */
  sessionVerifyUrl?: string;
  /**
   * How long a user's current grants (or the news that their token no longer
   * holds) are reused. Default: DEFAULT_GRANTS_CACHE_SECONDS. Never longer
   * than apiKeyCacheSeconds: a caller who set API keys to 0 wants every
   * credential checked on every request.
   */
  grantsCacheSeconds?: number;
  /** Timeout of one look-up at tenants. */
  lookUpTimeoutMs?: number;
  fetch?: typeof fetch;
}

type ClientViewer = Omit<Extract<Viewer, { kind: 'client' }>, 'requestId'>;

const MAX_CACHED_KEYS = 10_000;
const MAX_CACHED_SESSIONS = 10_000;

/**
 * A small time-bounded cache with a size bound (oldest entry out first) that
 * also merges concurrent misses of one key into a single load, so a burst of
 * identical credentials costs one look-up even with a TTL of 0.
 */
class ShortCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  private readonly loading = new Map<string, Promise<V>>();

  constructor(private readonly maxEntries: number) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires > Date.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: V, ttlMs: number): void {
    this.entries.delete(key);
    if (ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expires: Date.now() + ttlMs });
  }

  /**
   * The in-flight load of this key, or a new one started by `load`;
   * `beforeLoad` runs only when a new load is about to start (it may throw
   * to prevent it).
   */
  shared(key: string, load: () => Promise<V>, beforeLoad?: () => void): Promise<V> {
    let pending = this.loading.get(key);
    if (!pending) {
      beforeLoad?.();
      pending = load().finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Turns a request's credentials into a Viewer: a bearer access token
 * (verified here with jose: signature, expiry, issuer, audience; then its
 * user's CURRENT grants asked of tenants, cached a few seconds), an API key
 * (`Authorization: ApiKey …` or `X-Api-Key`, looked up at the tenants service
 * and cached for a few seconds, unknown keys included), or nobody. Bad
 * credentials are an error, never a silent downgrade to anonymous; when
 * tenants cannot answer, the request gets 503, never a guess.
 */
export class Authenticator {
  private readonly key: Uint8Array;
  /** Known keys and unknown ones apart: a flood of random keys cannot push live clients out of the cache. */
  private readonly knownKeys = new ShortCache<ClientViewer | null>(MAX_CACHED_KEYS);
  private readonly unknownKeys = new ShortCache<ClientViewer | null>(MAX_CACHED_KEYS);
  /** Current grants per user and token generation; null = the token no longer holds. */
  private readonly sessions = new ShortCache<Grant[] | null>(MAX_CACHED_SESSIONS);
  private readonly sessionVerifyUrl: string;
  private readonly grantsCacheMs: number;

  constructor(private readonly options: AuthenticatorOptions) {
    this.key = new TextEncoder().encode(options.tokenSecret);
    this.sessionVerifyUrl = options.sessionVerifyUrl ?? new URL('/internal/sessions/verify', options.apiKeyVerifyUrl).toString();
    this.grantsCacheMs = Math.min(options.grantsCacheSeconds ?? DEFAULT_GRANTS_CACHE_SECONDS, options.apiKeyCacheSeconds) * 1000;
  }

  async authenticate(
    headers: { authorization?: string | undefined; apiKey?: string | undefined },
    requestId: string,
    options: AuthenticateOptions = {},
  ): Promise<Viewer> {
    const authorization = headers.authorization?.trim();
    if (authorization) {
      const space = authorization.indexOf(' ');
      const scheme = (space > 0 ? authorization.slice(0, space) : authorization).toLowerCase();
      const credential = space > 0 ? authorization.slice(space + 1).trim() : '';
      if (scheme === 'bearer') return this.fromToken(credential, requestId);
      if (scheme === 'apikey') return this.fromApiKey(credential, requestId, options);
      throw new AuthError('Use `Authorization: Bearer <token>` or `Authorization: ApiKey <key>`.');
    }
    if (headers.apiKey) return this.fromApiKey(headers.apiKey.trim(), requestId, options);
    return { kind: 'anonymous', requestId };
  }

  /** Entries held now (known keys, unknown keys, sessions): for tests and metrics. */
  cacheSizes(): { knownKeys: number; unknownKeys: number; sessions: number } {
    return { knownKeys: this.knownKeys.size, unknownKeys: this.unknownKeys.size, sessions: this.sessions.size };
  }

  private async fromToken(token: string, requestId: string): Promise<Viewer> {
    let userId: string;
    let generation: number;
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ACCESS_TOKEN.issuer, audience: ACCESS_TOKEN.audience, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string') throw new AuthError('The access token has no subject.');
      userId = payload.sub;
      // Tokens issued before generations existed carry none: they belong to generation 0.
      generation = payload.gen === undefined ? 0 : Number(payload.gen);
      if (!Number.isSafeInteger(generation) || generation < 0) throw new AuthError('The access token is malformed or its signature is invalid.');
    } catch (error) {
      if (error instanceof AuthError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new AuthError('The access token has expired; sign in again.');
      if (error instanceof joseErrors.JWTClaimValidationFailed) throw new AuthError('The access token is not meant for this graph.');
      throw new AuthError('The access token is malformed or its signature is invalid.');
    }
    // The grants inside the token are a snapshot from sign-in: a role revoked,
    // an organization deactivated or moved since must count now, so they come
    // from tenants (cached a few seconds), never from the token.
    const cacheKey = `${userId}:${generation}`;
    let grants = this.sessions.get(cacheKey);
    if (grants === undefined) {
      grants = await this.sessions.shared(cacheKey, async () => {
        const fresh = await this.lookUpSession(userId, generation, requestId);
        this.sessions.set(cacheKey, fresh, this.grantsCacheMs);
        return fresh;
      });
    }
    if (grants === null) throw new AuthError('This session has ended (password changed, signed out everywhere or account disabled); sign in again.');
    return { kind: 'user', requestId, userId, grants };
  }

  private async fromApiKey(key: string, requestId: string, { beforeLookUp }: AuthenticateOptions): Promise<Viewer> {
    if (!/^ngk_[A-Za-z0-9_-]{20,100}$/.test(key)) throw new AuthError('Unknown or revoked API key.');
    const hash = createHash('sha256').update(key).digest('hex');
    let viewer = this.knownKeys.get(hash) ?? this.unknownKeys.get(hash);
    if (viewer === undefined) {
      viewer = await this.knownKeys.shared(
        hash,
        async () => {
          const fresh = await this.lookUpKey(key, requestId);
          (fresh ? this.knownKeys : this.unknownKeys).set(hash, fresh, this.options.apiKeyCacheSeconds * 1000);
          return fresh;
        },
        () => {
          if (beforeLookUp?.('api-key') === false) throw new LookUpRefused();
        },
      );
    }
    if (!viewer) throw new AuthError('Unknown or revoked API key.');
    return { ...viewer, requestId };
  }

  /** POSTs to a tenants internal route with the gateway's signature; an unreachable or failing tenants is CredentialsUnavailable (503). */
  private async callTenants(url: string, body: unknown, requestId: string): Promise<Response> {
    const doFetch = this.options.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-nguon-viewer': signViewer({ kind: 'anonymous', requestId }, this.options.gatewaySecret),
          'x-request-id': requestId,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.lookUpTimeoutMs ?? 5000),
      });
    } catch {
      throw unavailable();
    }
    if (response.status !== 404 && !response.ok) {
      await response.body?.cancel();
      throw unavailable();
    }
    return response;
  }

  private async lookUpKey(key: string, requestId: string): Promise<ClientViewer | null> {
    const response = await this.callTenants(this.options.apiKeyVerifyUrl, { key }, requestId);
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    const { client } = ((await readJson(response)) ?? {}) as { client?: { id: string; orgId: string; path: string; scopes: string[] } };
    // An answer of another shape is tenants failing, not a verdict on the key.
    if (typeof client?.id !== 'string' || typeof client.orgId !== 'string' || typeof client.path !== 'string' || !Array.isArray(client.scopes)) {
      throw unavailable();
    }
    return {
      kind: 'client',
      clientId: client.id,
      orgId: client.orgId,
      path: client.path,
      scopes: client.scopes.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)),
    };
  }

  private async lookUpSession(userId: string, generation: number, requestId: string): Promise<Grant[] | null> {
    const response = await this.callTenants(this.sessionVerifyUrl, { userId, generation }, requestId);
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    const { grants } = (await readJson(response)) as { grants: unknown };
    return parseGrants(grants);
  }
}

const unavailable = () => new CredentialsUnavailable();

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    throw unavailable();
  }
}

function parseGrants(value: unknown): Grant[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (g): g is Grant =>
      typeof g === 'object' && g !== null && (ROLES as readonly string[]).includes(g.role) && typeof g.path === 'string' && typeof g.orgId === 'string',
  );
}
