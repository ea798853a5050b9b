import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@nguon/shared/logger';
import { addressBucket, clientKeyFor, gatewayHmac } from '../src/clientKey';
import { DEFAULT_RATE_LIMITS, RateLimiter } from '../src/ratelimit';
import { formToken, formTokenValid, REPORT_FORM_TOKEN_MINUTES, reportRoutes } from '../src/routes/report';
import { startGateway, type RunningGateway } from '../src/server';
import { subgraphsOf, supergraphPath } from '../src/supergraph';

/*
 * The report form's defences at the edge (issue 15 security review), on a
 * real gateway over real HTTP. Every refusal here happens before the route
 * asks the graph anything, so the subgraphs are addresses nothing listens on;
 * a post that passes every check reaches the graph, fails to load its lot
 * there and is answered 404 — which is how these tests see it got through.
 */

const CLIENT_KEY_SECRET = 'k'.repeat(40);
const GATEWAY_SECRET = 'g'.repeat(40);
const DEADLINE_MS = 600;
const MAX_UPLOADS = 2;
const target = { gtin: '08936022220015', lot: 'DX25-001', serial: null };
const sign = (purpose: string, message: string) => gatewayHmac(CLIENT_KEY_SECRET, purpose, message);

let gateway: RunningGateway;
let base: string;
beforeAll(async () => {
  const supergraphSdl = readFileSync(supergraphPath, 'utf8');
  const nowhere = Object.fromEntries(subgraphsOf(supergraphSdl).map((s) => [s.name, 'http://127.0.0.1:9/graphql']));
  gateway = await startGateway({
    supergraphSdl,
    subgraphs: { ...nowhere, tenants: 'http://127.0.0.1:9/graphql', analytics: 'http://127.0.0.1:9/graphql' },
    gatewaySecret: GATEWAY_SECRET,
    tokenSecret: 't'.repeat(40),
    clientKeySecret: CLIENT_KEY_SECRET,
    subgraphTimeoutMs: 300,
    rateLimits: false,
    edgeRoutes: reportRoutes({ maxConcurrentUploads: MAX_UPLOADS, uploadDeadlineMs: DEADLINE_MS }),
    logger: createLogger('gateway', 'silent'),
  });
  base = gateway.url.replace(/\/graphql$/, '');
});
afterAll(() => gateway?.close());

const form = (extra: Record<string, string> = {}) =>
  new URLSearchParams({ gtin: target.gtin, lot: target.lot, lang: 'en', category: 'OTHER', description: 'Something is wrong with it.', ...extra });

async function post(body: URLSearchParams, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/report`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** A post that sends its headers and a first few bytes of a larger body, then nothing: an upload in progress. */
function hangingUpload(): { response: Promise<{ status: number; text: string }>; stop: () => void } {
  const req = request(`${base}/report`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '100000', 'accept-language': 'en' },
  });
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.on('response', (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
  });
  req.write('gtin=08936022220015&lot=DX');
  return { response, stop: () => req.destroy() };
}

describe('cross-site posts', () => {
  it.each([
    ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }],
    ["another site's Origin", { origin: 'https://evil.example' }],
    ['a null Origin', { origin: 'null' }],
  ])('refuses %s with 403 and a clear page, before reading the form', async (_, headers) => {
    const answer = await post(form({ token: formToken(sign, target) }), { ...headers, 'accept-language': 'en' });
    expect(answer.status).toBe(403);
    expect(answer.text).toContain('not sent from a Nguồn page');
    expect(answer.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    expect(answer.headers.get('x-frame-options')).toBe('DENY');
    const vi = await post(form({ token: formToken(sign, target) }), { ...headers, 'accept-language': 'vi' });
    expect(vi.text).toContain('không được gửi từ trang của Nguồn');
  });

  it("lets the gateway's own origin through to the token check (a token-less post is refused there)", async () => {
    const own = new URL(base).origin;
    const answer = await post(form(), { origin: own, 'sec-fetch-site': 'same-origin', 'accept-language': 'en' });
    expect(answer.status).toBe(403);
    expect(answer.text).toContain('has expired');
    // With a good token the post reaches the graph (which cannot find the lot here: 404).
    expect((await post(form({ token: formToken(sign, target) }), { origin: own })).status).toBe(404);
  });
});

describe("refusals in the shopper's language", () => {
  it("answers in Chinese, Korean or Japanese by the form's lang, ?lang= or Accept-Language, on a page in that language", async () => {
    const foreign = await post(form({ token: formToken(sign, target) }), { 'sec-fetch-site': 'cross-site', 'accept-language': 'ja-JP,ja;q=0.9,en;q=0.5' });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('content-language')).toBe('ja');
    expect(foreign.text).toContain('<html lang="ja">');
    expect(foreign.text).toContain('この報告は Nguồn のページから送信されていないため、受け付けられませんでした。');
    // The form's own lang field is read once the body is: a token-less post is refused in it.
    const expired = await post(form({ lang: 'zh' }), { 'accept-language': 'en' });
    expect(expired.status).toBe(403);
    expect(expired.headers.get('content-language')).toBe('zh');
    expect(expired.text).toContain('表单已过期（2 小时）或无效');
    expect(expired.text).toContain('>重新打开表单</a>');
    // ?lang= comes before the form's field; a language without strings (fr) falls through to the next.
    const answer = await fetch(`${base}/report?lang=ko`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'fr' },
      body: form({ lang: 'fr' }),
    });
    expect(answer.headers.get('content-language')).toBe('ko');
    expect(await answer.text()).toContain('양식이 만료되었거나(2시간) 유효하지 않아');
    // The language switcher offers every other language; text still goes through the page's escaping.
    expect(expired.text).toContain('hreflang="ko" lang="ko" title="한국어">KO</a>');
    expect(expired.text).toMatch(/href="\/report\?gtin=08936022220015&amp;lot=DX25-001&amp;lang=zh"/);
  });
});

describe("the form's token", () => {
  it('refuses a post without one, with a forged, an expired or another lot’s token', async () => {
    const minute = Math.floor(Date.now() / 60_000);
    const forged = formToken((p, m) => gatewayHmac(GATEWAY_SECRET, p, m), target);
    const expired = formToken(sign, target, minute - REPORT_FORM_TOKEN_MINUTES - 1);
    const otherLot = formToken(sign, { ...target, lot: 'OTHER-LOT' });
    const future = formToken(sign, target, minute + 5);
    for (const token of [undefined, '', 'garbage', forged, expired, otherLot, future]) {
      const answer = await post(form(token === undefined ? {} : { token }), { 'accept-language': 'en' });
      expect(answer.status, String(token)).toBe(403);
      expect(answer.text).toContain('Open the form again');
    }
    // Issued almost two hours ago, it still holds.
    expect((await post(form({ token: formToken(sign, target, minute - REPORT_FORM_TOKEN_MINUTES + 1) }))).status).toBe(404);
  });

  it('binds gtin, lot and serial and the minute it was issued', () => {
    const token = formToken(sign, target, 1000);
    expect(formTokenValid(sign, target, token, 1000 + REPORT_FORM_TOKEN_MINUTES)).toBe(true);
    expect(formTokenValid(sign, target, token, 1001 + REPORT_FORM_TOKEN_MINUTES)).toBe(false);
    expect(formTokenValid(sign, { ...target, serial: '7' }, token, 1000)).toBe(false);
    expect(formTokenValid(sign, { ...target, gtin: '08936022220022' }, token, 1000)).toBe(false);
  });
});

describe('uploads', () => {
  it('reads at most a few at once (503, retry-after, nothing read), ends a slow one at its deadline (408) and frees its slot', async () => {
    const hanging = Array.from({ length: MAX_UPLOADS }, hangingUpload);
    // Both are being read once their first bytes arrived.
    await new Promise((r) => setTimeout(r, 150));
    const busy = await post(form({ token: formToken(sign, target) }), { 'accept-language': 'en' });
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('5');
    expect(busy.text).toContain('Many reports are arriving at once');
    const slow = await Promise.all(hanging.map((h) => h.response));
    for (const answer of slow) {
      expect(answer.status).toBe(408);
      expect(answer.text).toContain('took too long');
    }
    hanging.forEach((h) => h.stop());
    // The slots are free again: the next post is read and checked.
    expect((await post(form({ token: formToken(sign, target) }))).status).toBe(404);
  });

  it('refuses a body declared larger than the cap with 413 before reading it', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/report`, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(8 * 1024 * 1024) },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(status).toBe(413);
  });
});

describe('the client key', () => {
  it('is keyed with the gateway-only secret, not GATEWAY_SECRET', () => {
    const old = createHmac('sha256', GATEWAY_SECRET).update('nguon.client-address:203.0.113.7').digest('base64url');
    expect(clientKeyFor(CLIENT_KEY_SECRET, '203.0.113.7')).not.toBe(old);
    expect(clientKeyFor(CLIENT_KEY_SECRET, '203.0.113.7')).not.toBe(clientKeyFor('x'.repeat(40), '203.0.113.7'));
  });

  it('counts an IPv6 address by its /64 and an IPv4-mapped address as IPv4', () => {
    expect(addressBucket('203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucket('2001:db8:0:1:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:0:1::/64');
    expect(addressBucket('2001:0DB8:0000:0001::1')).toBe('2001:db8:0:1::/64');
    expect(addressBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBucket('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressBucket('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
    expect(clientKeyFor(CLIENT_KEY_SECRET, '2001:db8:0:1::1')).toBe(clientKeyFor(CLIENT_KEY_SECRET, '2001:db8:0:1:ffff::9'));
    expect(clientKeyFor(CLIENT_KEY_SECRET, '2001:db8:0:1::1')).not.toBe(clientKeyFor(CLIENT_KEY_SECRET, '2001:db8:0:2::1'));
    // The gateway's own anonymous budget counts the same way: one /64, one bucket.
    const limiter = new RateLimiter(DEFAULT_RATE_LIMITS);
    const from = (remoteAddress: string) => ({ socket: { remoteAddress }, headers: {} }) as unknown as IncomingMessage;
    expect(limiter.keyFor(from('2001:db8:0:1::1')).key).toBe(limiter.keyFor(from('2001:db8:0:1:ffff::9')).key);
    expect(limiter.keyFor(from('2001:db8:0:1::1')).key).not.toBe(limiter.keyFor(from('2001:db8:0:2::1')).key);
  });
});
