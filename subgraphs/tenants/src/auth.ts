import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import { ACCESS_TOKEN, type Grant } from '@nguon/shared';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

// scrypt at N=2^15, r=8, p=1 (OWASP's minimum is 2^17 for r=8 with p=1 at
// ~64 MiB; we trade some of that for sign-in latency on 2-core machines and
// say so in docs). The parameters travel with the hash, so they can be raised.
const PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password.normalize('NFKC'), salt, 32, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scryptAsync(password.normalize('NFKC'), Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  });
  return timingSafeEqual(actual, expected);
}

/** A hash to compare against when the email is unknown, so both failures take the same time. */
export const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export interface TokenConfig {
  secret: string;
  ttlSeconds: number;
}

/**
 * An access token the gateway verifies (jose, HS256): who the user is and the
 * generation of their sessions it was issued under (`gen`). The grants ride
 * along for clients that display them; the gateway does not trust them and
 * asks tenants for the current ones (`/internal/sessions/verify`, docs/sessions.md).
 */
export async function issueAccessToken(config: TokenConfig, userId: string, grants: Grant[], generation: number): Promise<{ token: string; expiresAt: Date }> {
  const expiresAt = new Date(Date.now() + config.ttlSeconds * 1000);
  const token = await new SignJWT({ grants, gen: generation })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(ACCESS_TOKEN.issuer)
    .setAudience(ACCESS_TOKEN.audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(new TextEncoder().encode(config.secret));
  return { token, expiresAt };
}

/**
 * API keys are 32 random bytes: high entropy, so a fast SHA-256 is the right
 * hash (a slow KDF protects guessable secrets, not random ones) and the key
 * can be looked up by its hash.
 */
export function newApiKey(): { key: string; prefix: string; hash: string } {
  const key = `ngk_${randomBytes(32).toString('base64url')}`;
  return { key, prefix: key.slice(0, 12), hash: hashApiKey(key) };
}

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

export const SCOPE_NAMES = {
  AGGREGATES_READ: 'aggregates:read',
  INTERNAL_READ: 'internal:read',
  CATALOG_WRITE: 'catalog:write',
  TRACE_WRITE: 'trace:write',
} as const;
export type ApiScopeEnum = keyof typeof SCOPE_NAMES;
export const scopeEnumOf = (name: string): ApiScopeEnum | undefined => (Object.keys(SCOPE_NAMES) as ApiScopeEnum[]).find((k) => SCOPE_NAMES[k] === name);
