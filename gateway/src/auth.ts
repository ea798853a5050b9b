import { createHash } from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';
import { ACCESS_TOKEN, ROLES, SCOPES, signViewer, type Grant, type Scope, type Viewer } from '@nguon/shared';

export class AuthError extends Error {
  readonly code = 'UNAUTHENTICATED';
}

export interface AuthenticatorOptions {
  tokenSecret: string;
  gatewaySecret: string;
  /** Where the tenants service answers API-key look-ups. */
  apiKeyVerifyUrl: string;
  apiKeyCacheSeconds: number;
  fetch?: typeof fetch;
}

interface CachedClient {
  viewer: Omit<Extract<Viewer, { kind: 'client' }>, 'requestId'> | null;
  expires: number;
}

const MAX_CACHED_KEYS = 10_000;

/**
 * Turns a request's credentials into a Viewer: a bearer access token
 * (verified here with jose: signature, expiry, issuer, audience), an API key
 * (`Authorization: ApiKey …` or `X-Api-Key`, looked up at the tenants service
 * and cached for a few seconds), or nobody. Bad credentials are an error,
 * never a silent downgrade to anonymous.
 */
export class Authenticator {
  private readonly key: Uint8Array;
  private readonly clients = new Map<string, CachedClient>();

  constructor(private readonly options: AuthenticatorOptions) {
    this.key = new TextEncoder().encode(options.tokenSecret);
  }

  async authenticate(headers: { authorization?: string | undefined; apiKey?: string | undefined }, requestId: string): Promise<Viewer> {
    const authorization = headers.authorization?.trim();
    if (authorization) {
      const space = authorization.indexOf(' ');
      const scheme = (space > 0 ? authorization.slice(0, space) : authorization).toLowerCase();
      const credential = space > 0 ? authorization.slice(space + 1).trim() : '';
      if (scheme === 'bearer') return this.fromToken(credential, requestId);
      if (scheme === 'apikey') return this.fromApiKey(credential, requestId);
      throw new AuthError('Use `Authorization: Bearer <token>` or `Authorization: ApiKey <key>`.');
    }
    if (headers.apiKey) return this.fromApiKey(headers.apiKey.trim(), requestId);
    return { kind: 'anonymous', requestId };
  }

  private async fromToken(token: string, requestId: string): Promise<Viewer> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ACCESS_TOKEN.issuer, audience: ACCESS_TOKEN.audience, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string') throw new AuthError('The access token has no subject.');
      return { kind: 'user', requestId, userId: payload.sub, grants: parseGrants(payload.grants) };
    } catch (error) {
      if (error instanceof AuthError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new AuthError('The access token has expired; sign in again.');
      if (error instanceof joseErrors.JWTClaimValidationFailed) throw new AuthError('The access token is not meant for this graph.');
      throw new AuthError('The access token is malformed or its signature is invalid.');
    }
  }

  private async fromApiKey(key: string, requestId: string): Promise<Viewer> {
    if (!/^ngk_[A-Za-z0-9_-]{20,100}$/.test(key)) throw new AuthError('Unknown or revoked API key.');
    const hash = createHash('sha256').update(key).digest('hex');
    const now = Date.now();
    let cached = this.clients.get(hash);
    if (!cached || cached.expires < now) {
      cached = { viewer: await this.lookUp(key, requestId), expires: now + this.options.apiKeyCacheSeconds * 1000 };
      if (this.clients.size >= MAX_CACHED_KEYS) this.clients.delete(this.clients.keys().next().value!);
      this.clients.set(hash, cached);
    }
    if (!cached.viewer) throw new AuthError('Unknown or revoked API key.');
    return { ...cached.viewer, requestId };
  }

  private async lookUp(key: string, requestId: string): Promise<CachedClient['viewer']> {
    const doFetch = this.options.fetch ?? fetch;
    const response = await doFetch(this.options.apiKeyVerifyUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-nguon-viewer': signViewer({ kind: 'anonymous', requestId }, this.options.gatewaySecret),
        'x-request-id': requestId,
      },
      body: JSON.stringify({ key }),
      signal: AbortSignal.timeout(5000),
    });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`API key look-up failed with HTTP ${response.status}`);
    const { client } = (await response.json()) as { client: { id: string; orgId: string; path: string; scopes: string[] } };
    return {
      kind: 'client',
      clientId: client.id,
      orgId: client.orgId,
      path: client.path,
      scopes: client.scopes.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)),
    };
  }
}

function parseGrants(value: unknown): Grant[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (g): g is Grant =>
      typeof g === 'object' && g !== null && (ROLES as readonly string[]).includes(g.role) && typeof g.path === 'string' && typeof g.orgId === 'string',
  );
}
