import { describe, expect, it } from 'vitest';
import { AuthError, Authenticator, CredentialsUnavailable, LookUpRefused } from '../src/auth';

/**
 * The Authenticator's `beforeLookUp` hook (docs/sessions.md, "API keys"):
 * the gateway pays for a tenants look-up from the address's rate-limit
 * bucket, so the hook must run exactly when a look-up is about to start,
 * never for a cached key or a request joining a look-up in flight.
 */
const KNOWN = `ngk_${'k'.repeat(32)}`;
const CLIENT = { id: 'client-1', orgId: 'org-1', path: 'ct', scopes: ['AGGREGATES_READ'] };

/** An Authenticator whose tenants is a counted stub: KNOWN is a valid key, every other key unknown. */
function authenticator(answer: (key: string) => Response | Promise<Response> = defaultAnswer) {
  const calls: string[] = [];
  const auth = new Authenticator({
    tokenSecret: 'token-secret-token-secret-token-secret',
    gatewaySecret: 'gateway-secret',
    apiKeyVerifyUrl: 'http://tenants.invalid/internal/api-keys/verify',
    apiKeyCacheSeconds: 60,
    fetch: (async (_url: string, init: RequestInit) => {
      const { key } = JSON.parse(String(init.body)) as { key: string };
      calls.push(key);
      return answer(key);
    }) as typeof fetch,
  });
  return { auth, calls };
}

function defaultAnswer(key: string): Response {
  return key === KNOWN ? Response.json({ client: CLIENT }) : new Response('{}', { status: 404 });
}

const randomKey = () => `ngk_${crypto.randomUUID().replace(/-/g, '')}`;

describe('Authenticator beforeLookUp', () => {
  it('asks the hook once, before the look-up, and never again while the key is cached', async () => {
    const { auth, calls } = authenticator();
    const asked: string[] = [];
    const beforeLookUp = (kind: string) => {
      asked.push(kind);
      return true;
    };
    expect(await auth.authenticate({ authorization: `ApiKey ${KNOWN}` }, 'r1', { beforeLookUp })).toMatchObject({ kind: 'client', clientId: 'client-1' });
    expect(await auth.authenticate({ apiKey: KNOWN }, 'r2', { beforeLookUp })).toMatchObject({ kind: 'client', requestId: 'r2' });
    expect(asked).toEqual(['api-key']);
    expect(calls).toHaveLength(1);
    // An unknown key is cached too: the second attempt fails without the hook or tenants.
    const unknown = randomKey();
    for (let i = 0; i < 2; i++) await expect(auth.authenticate({ apiKey: unknown }, 'r3', { beforeLookUp })).rejects.toBeInstanceOf(AuthError);
    expect(asked).toEqual(['api-key', 'api-key']);
    expect(calls).toHaveLength(2);
  });

  it('neither asks the hook nor tenants for a malformed key, a bearer token, or nobody', async () => {
    const { auth, calls } = authenticator();
    let asked = 0;
    const beforeLookUp = () => void asked++;
    await expect(auth.authenticate({ apiKey: 'not-a-key' }, 'r', { beforeLookUp })).rejects.toBeInstanceOf(AuthError);
    await expect(auth.authenticate({ authorization: 'Bearer nonsense' }, 'r', { beforeLookUp })).rejects.toBeInstanceOf(AuthError);
    expect(await auth.authenticate({}, 'r', { beforeLookUp })).toEqual({ kind: 'anonymous', requestId: 'r' });
    expect(asked).toBe(0);
    expect(calls).toHaveLength(0);
  });

  it('rejects with LookUpRefused and asks tenants nothing when the hook refuses; a later allowed request looks up', async () => {
    const { auth, calls } = authenticator();
    await expect(auth.authenticate({ apiKey: KNOWN }, 'r1', { beforeLookUp: () => false })).rejects.toBeInstanceOf(LookUpRefused);
    expect(calls).toHaveLength(0);
    expect(await auth.authenticate({ apiKey: KNOWN }, 'r2', { beforeLookUp: () => true })).toMatchObject({ kind: 'client' });
    expect(calls).toHaveLength(1);
    // Cached now: even a refusing hook is not asked.
    expect(await auth.authenticate({ apiKey: KNOWN }, 'r3', { beforeLookUp: () => false })).toMatchObject({ kind: 'client' });
  });

  it('does not ask the hook of requests that join a look-up already in flight', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { auth, calls } = authenticator(async (key) => {
      await gate;
      return defaultAnswer(key);
    });
    let asked = 0;
    const beforeLookUp = () => {
      asked++;
      return true;
    };
    const pending = [1, 2, 3].map((i) => auth.authenticate({ apiKey: KNOWN }, `r${i}`, { beforeLookUp }));
    release();
    expect((await Promise.all(pending)).map((v) => v.kind)).toEqual(['client', 'client', 'client']);
    expect(asked).toBe(1);
    expect(calls).toHaveLength(1);
  });

  it('reports a failing or garbled tenants as CredentialsUnavailable (503), never as a verdict on the key', async () => {
    for (const answer of [
      () => new Response('oops', { status: 500 }),
      () => new Response('not json'),
      () => Response.json({ client: null }),
      () => Response.json({}),
    ]) {
      const { auth } = authenticator(answer);
      const error = await auth.authenticate({ apiKey: randomKey() }, 'r').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CredentialsUnavailable);
      expect(error).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    }
  });
});
