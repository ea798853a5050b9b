import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCheckDigit } from '@nguon/gs1';
import { compressDigitalLink } from '@nguon/gs1/digitallink/compression';
import { demoEmail, startTestStack, type TestStack } from './helpers';

let stack: TestStack;
let base: string;
let published: { id: string; lotCode: string; gtin: string; ownerPath: string };
let draft: { lotCode: string; gtin: string };

beforeAll(async () => {
  stack = await startTestStack();
  base = stack.gateway.url.replace(/\/graphql$/, '');
  const officer = await stack.tokenFor(demoEmail('OFFICER', 'ct'));
  const lots = await stack.gql('{ lots(first: 100) { nodes { id lotCode status product { gtin status } owner { path } } } }', {}, { token: officer });
  const nodes = lots.data.lots.nodes as any[];
  const ok = nodes.find((l) => l.status === 'PUBLISHED' && l.product?.status === 'PUBLISHED' && l.product.gtin && l.owner.path.startsWith('ct.agri'));
  const hidden = nodes.find((l) => l.status === 'DRAFT' && l.product?.status === 'PUBLISHED' && l.product.gtin);
  published = { id: ok.id, lotCode: ok.lotCode, gtin: ok.product.gtin, ownerPath: ok.owner.path };
  draft = { lotCode: hidden.lotCode, gtin: hidden.product.gtin };
});
afterAll(() => stack?.stop());

const dl = (gtin: string, lot: string, rest = '') => `${base}/01/${gtin}/10/${encodeURIComponent(lot)}${rest}`;

/** GS1's linkset schema (e2e/fixtures/resolver/README.md), compiled as GS1's resolver test suite compiles it. */
const validateLinkset = new Ajv({ strict: false }).compile(
  JSON.parse(readFileSync(new URL('./fixtures/resolver/gs1-linkset-schema.json', import.meta.url), 'utf8')),
);

describe('GS1 Digital Link resolver', () => {
  it('serves a published lot as an HTML page with CORS, ETag, Last-Modified and a short public max-age', async () => {
    const response = await fetch(dl(published.gtin, published.lotCode), { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('etag')).toMatch(/^W\/"/);
    expect(Date.parse(response.headers.get('last-modified')!)).toBeGreaterThan(0);
    expect(response.headers.get('cache-control')).toBe('public, max-age=1, must-revalidate');
    const html = await response.text();
    expect(html).toContain(published.lotCode);
    expect(html).toContain('<html lang="vi"');
  });

  it('answers HEAD with the same headers and no body, and OPTIONS as a CORS preflight', async () => {
    const head = await fetch(dl(published.gtin, published.lotCode), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBeTruthy();
    expect(await head.text()).toBe('');
    const options = await fetch(dl(published.gtin, published.lotCode), { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('access-control-allow-methods')).toContain('HEAD');
  });

  it('refuses a wrong check digit and a lot code with illegal characters with 400 and a clear message', async () => {
    const wrong = `${published.gtin.slice(0, 13)}${(Number(published.gtin[13]) + 1) % 10}`;
    const bad = await fetch(dl(wrong, published.lotCode));
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
    expect(((await bad.json()) as any).detail).toMatch(/check digit/);
    const illegal = await fetch(`${base}/01/${published.gtin}/10/L%C3%94%2001`);
    expect(illegal.status).toBe(400);
    expect(((await illegal.json()) as any).detail).toMatch(/AI-82/);
  });

  // Was a 404 for both: the standard walks up to the GTIN, so both resolve to the product, still alike.
  it('resolves an unknown lot and an unpublished one alike, to their product (walking up to the GTIN)', async () => {
    const html = { headers: { accept: 'text/html' } };
    const unknown = await fetch(dl(draft.gtin, 'NO-SUCH-LOT'), html);
    const unpublished = await fetch(dl(draft.gtin, draft.lotCode), html);
    expect(unknown.status).toBe(200);
    expect(unpublished.status).toBe(200);
    const page = await unpublished.text();
    expect(page).toBe(await unknown.text());
    expect(page).not.toContain(draft.lotCode);
    const redirect = await fetch(dl(draft.gtin, draft.lotCode), { redirect: 'manual' });
    expect(redirect.status).toBe(307);
    expect(redirect.headers.get('location')).toBe(`${base}/page/01/${draft.gtin}`);
  });

  it('handles a trailing slash and a GTIN-13 as the same item', async () => {
    const canonical = await fetch(dl(published.gtin, published.lotCode));
    const slash = await fetch(dl(published.gtin, published.lotCode, '/'));
    const short = await fetch(dl(published.gtin.slice(1), published.lotCode));
    expect(slash.status).toBe(200);
    expect(short.status).toBe(200);
    expect(slash.headers.get('etag')).toBe(canonical.headers.get('etag'));
    expect(short.headers.get('link')).toBe(canonical.headers.get('link'));
  });

  it('serves the compressed form of a Digital Link as its uncompressed form, with owl:sameAs to it, and refuses a malformed one', async () => {
    const canonical = await fetch(dl(published.gtin, published.lotCode));
    const segment = compressDigitalLink({ '01': published.gtin, '10': published.lotCode, '17': '991231' }, { optimise: true });
    const compressed = await fetch(`${base}/${segment}`);
    expect(compressed.status).toBe(200);
    expect(compressed.headers.get('etag')).toBe(canonical.headers.get('etag'));
    const uncompressed = `${base}/01/${published.gtin}/10/${encodeURIComponent(published.lotCode)}`;
    for (const answer of [
      await fetch(`${base}/${segment}`, { redirect: 'manual' }),
      await fetch(`${base}/${segment}`, { headers: { accept: 'text/html' } }),
      await fetch(`${base}/${segment}?linkType=linkset`),
    ]) {
      expect(answer.headers.get('link')).toContain(`<${uncompressed}?17=991231>; rel="owl:sameAs"`);
      expect(answer.headers.get('link')).toContain(`<${uncompressed}?linkType=linkset>; rel="linkset"; type="application/linkset+json"`);
    }
    // The redirect passes the compressed data attributes on; the linkset's subject is the uncompressed URI.
    const redirect = await fetch(`${base}/${segment}`, { redirect: 'manual' });
    expect(redirect.headers.get('location')).toBe(`${base}/page${uncompressed.slice(base.length)}?17=991231`);
    const set = (await (await fetch(`${base}/${segment}?linkType=linkset`)).json()) as any;
    expect(set.linkset[0].anchor).toBe(uncompressed);
    // Decompresses to a GTIN, but its check digit is wrong: the resolver's 400.
    const wrong = `${published.gtin.slice(0, 13)}${(Number(published.gtin[13]) + 1) % 10}`;
    const bad = await fetch(`${base}/${compressDigitalLink({ '01': wrong, '10': published.lotCode })}`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).detail).toMatch(/check digit/);
    // Not a compressed GTIN link at all: not the resolver's.
    const other = await fetch(`${base}/AQnYUc1gmiCNV4`);
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toBe('application/problem+json');
  });

  it("returns an RFC 9264 linkset when asked by Accept or by linkType=linkset, valid against GS1's schema, one default link per level", async () => {
    const byAccept = await fetch(dl(published.gtin, published.lotCode), { headers: { accept: 'application/linkset+json' } });
    expect(byAccept.status).toBe(200);
    expect(byAccept.headers.get('content-type')).toBe('application/linkset+json');
    expect(byAccept.headers.get('link')).toContain('rel="http://www.w3.org/ns/json-ld#context"');
    const set = (await byAccept.json()) as any;
    expect(validateLinkset(set), JSON.stringify(validateLinkset.errors)).toBe(true);
    expect(set.linkset.map((e: any) => e.anchor)).toEqual([
      `${base}/01/${published.gtin}/10/${encodeURIComponent(published.lotCode)}`,
      `${base}/01/${published.gtin}`,
    ]);
    for (const entry of set.linkset) {
      expect(entry.itemDescription).toBeTruthy();
      expect(entry['https://gs1.org/voc/defaultLink']).toHaveLength(1);
      expect(Object.keys(entry['https://gs1.org/voc/defaultLink'][0]).sort()).toEqual(['href', 'title']);
    }
    expect(set.linkset[0]['https://gs1.org/voc/traceability'][0]).toMatchObject({ type: 'text/html', hreflang: ['vi'] });
    expect(set.linkset[1]['https://gs1.org/voc/pip'][0]).toMatchObject({
      href: `${base}/page/01/${published.gtin}?lang=vi`,
      type: 'text/html',
      hreflang: ['vi'],
    });
    expect(await (await fetch(dl(published.gtin, published.lotCode, '?linkType=linkset'))).json()).toEqual(set);
    expect(await (await fetch(dl(published.gtin, published.lotCode, '?linkType=all'))).json()).toEqual(set);
  });

  it('redirects a linkType with 307 to the matching link', async () => {
    const response = await fetch(dl(published.gtin, published.lotCode, '?linkType=gs1:certificationInfo&lang=en'), { redirect: 'manual' });
    expect(response.status).toBe(307);
    // The target is the page's own address, no longer the resolver's URI (which now redirects non-browsers).
    expect(response.headers.get('location')).toBe(`${base}/page/01/${published.gtin}/10/${published.lotCode}?lang=en#certifications`);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await fetch(dl(published.gtin, published.lotCode), { headers: { accept: 'text/html' } });
    const again = await fetch(dl(published.gtin, published.lotCode), { headers: { accept: 'text/html', 'if-none-match': first.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('describes itself at /.well-known/gs1resolver', async () => {
    const response = await fetch(`${base}/.well-known/gs1resolver`);
    expect(await response.json()).toMatchObject({ resolverRoot: base, supportedPrimaryKeys: ['01'], linkTypeDefaultCanBeLinkset: true });
  });

  it('shows a recall within a second of its commit, with a new ETag', async () => {
    const before = await fetch(dl(published.gtin, published.lotCode));
    const officer = await stack.tokenFor(demoEmail('OFFICER', 'ct.agri'));
    const recall = await stack.gql(
      'mutation($i: OpenRecallInput!) { openRecall(input: $i) { recall { id } } }',
      { i: { lotIds: [published.id], reason: 'Dư lượng thuốc bảo vệ thực vật vượt ngưỡng', severity: 'CLASS_I' } },
      { token: officer },
    );
    expect(recall.errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 1100));
    const after = await fetch(dl(published.gtin, published.lotCode));
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    expect(await after.text()).toContain('SẢN PHẨM ĐANG BỊ THU HỒI');
  });
});

/**
 * The GS1-Conformant Resolver Standard 1.2's conformance statements (e2e/fixtures/resolver/conformance-1.2.txt),
 * checked as GS1's resolver test suite checks them (GS1DigitalLinkResolverTestSuite.js): a request as curl makes
 * it (Accept: *\/*), no redirect followed.
 */
describe('GS1-Conformant Resolver Standard conformance', () => {
  const plain = (url: string, headers: Record<string, string> = {}) => fetch(url, { redirect: 'manual', headers: { accept: '*/*', ...headers } });
  const lotUri = () => dl(published.gtin, published.lotCode);
  const linksetOf = async (url: string) => (await (await fetch(url, { headers: { accept: 'application/linkset+json' } })).json()) as any;

  it('redirects to the default link with 307, passing the query string on, with a Link header to the linkset', async () => {
    const set = await linksetOf(lotUri());
    const answer = await plain(lotUri());
    expect(answer.status).toBe(307);
    expect(answer.headers.get('location')).toBe(set.linkset[0]['https://gs1.org/voc/defaultLink'][0].href);
    expect(answer.headers.get('link')).toContain(`<${lotUri()}?linkType=linkset>; rel="linkset"; type="application/linkset+json"`);
    expect(answer.headers.get('link')).not.toContain('rel="gs1:');
    const withQuery = await plain(`${lotUri()}?foo=bar&17=271231`);
    expect(withQuery.headers.get('location')).toBe(`${base}/page/01/${published.gtin}/10/${encodeURIComponent(published.lotCode)}?foo=bar&17=271231`);
  });

  it('redirects every link type of the linkset, at the most specific level that has it, to its target in the language asked for', async () => {
    const set = await linksetOf(lotUri());
    const seen = new Set<string>();
    for (const entry of set.linkset) {
      for (const [type, links] of Object.entries(entry) as [string, any][]) {
        if (type === 'anchor' || type === 'itemDescription' || seen.has(type)) continue;
        seen.add(type);
        const linkType = type.replace('https://gs1.org/voc/', 'gs1:');
        for (const link of links) {
          const answer = await plain(
            `${lotUri()}?linkType=${encodeURIComponent(linkType)}`,
            link.hreflang ? { accept: 'text/html', 'accept-language': link.hreflang[0] } : {},
          );
          expect(answer.status, linkType).toBe(307);
          expect(answer.headers.get('location'), `${linkType} ${link.hreflang ?? ''}`).toBe(link.href);
        }
      }
    }
    expect([...seen].sort()).toEqual(['certificationInfo', 'defaultLink', 'pip', 'recallStatus', 'traceability'].map((t) => `https://gs1.org/voc/${t}`));
  }, 180_000); // one uncached read per language and link type: slow on a loaded machine

  it('gives a GTIN alone its default link, the product page, and a GTIN with a lot not known here the same', async () => {
    const gtinOnly = `${base}/01/${published.gtin}`;
    const answer = await plain(gtinOnly);
    expect(answer.status).toBe(307);
    expect(answer.headers.get('location')).toBe(`${base}/page/01/${published.gtin}`);
    expect((await plain(`${gtinOnly}/10/KL8G`)).headers.get('location')).toBe(`${base}/page/01/${published.gtin}`);
    const page = await fetch(`${base}/page/01/${published.gtin}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('link')).toContain('rel="linkset"');
    expect(await page.text()).toContain('id="product-name"');
    const browser = await fetch(gtinOnly, { headers: { accept: 'text/html' } });
    expect(browser.status).toBe(200);
    const set = await linksetOf(gtinOnly);
    expect(validateLinkset(set)).toBe(true);
    expect(set.linkset).toHaveLength(1);
    expect(set.linkset[0].anchor).toBe(gtinOnly);
  });

  it('answers a serial with its own level above the lot and the GTIN, each with one default link', async () => {
    const set = await linksetOf(dl(published.gtin, published.lotCode, '/21/77'));
    expect(validateLinkset(set)).toBe(true);
    expect(set.linkset.map((e: any) => e.anchor)).toEqual([dl(published.gtin, published.lotCode, '/21/77'), lotUri(), `${base}/01/${published.gtin}`]);
    expect((await plain(dl(published.gtin, published.lotCode, '/21/77'))).headers.get('location')).toBe(`${base}/page${lotUri().slice(base.length)}/21/77`);
  });

  it('answers an unknown link type with 404 and no redirect, and any link type on an unknown item with the same 404 as without', async () => {
    const unknownType = await plain(`${lotUri()}?linkType=gs1:nosuchlt&foo=bar`);
    expect(unknownType.status).toBe(404);
    expect(unknownType.headers.get('location')).toBeNull();
    expect(unknownType.headers.get('content-type')).toBe('application/problem+json');
    expect(unknownType.headers.get('link')).toContain('rel="linkset"');
    const nowhere = `${base}/01/${withCheckDigit('0899999999999')}`;
    const bodies = new Set<string>();
    for (const query of ['', '?linkType=gs1:pip', '?linkType=linkset', '?linkType=gs1:nosuchlt&lang=en', '?linkType=all&17=271231']) {
      const answer = await plain(`${nowhere}${query}`);
      expect(answer.status, query).toBe(404);
      expect(answer.headers.get('location')).toBeNull();
      expect(answer.headers.get('link')).toBeNull();
      bodies.add(await answer.text());
    }
    expect(bodies.size).toBe(1);
    expect(JSON.parse([...bodies][0]!)).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('refuses malformed URIs and AIs, in the path or the query string, with 400 problem+json naming the AI', async () => {
    for (const [url, ai] of [
      [`${lotUri()}/foo`, undefined],
      [`${lotUri()}?17=271331`, '17'],
      [`${lotUri()}?4321=2`, '4321'],
      [`${lotUri()}?10=X`, '10'],
      [`${lotUri()}?3103=12`, '3103'],
      [`${base}/01/${published.gtin}/21/1/10/A`, '10'],
      [`${base}/414/0123456789123`, '414'],
    ] as const) {
      const answer = await plain(url);
      expect(answer.status, url).toBe(400);
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      const problem = (await answer.json()) as any;
      expect(problem).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
      expect(problem.ai, url).toBe(ai);
    }
  });

  it("answers another GS1 primary key with the resolver's own 404 problem, not a redirect", async () => {
    const answer = await plain(`${base}/414/0123456789128`);
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(await answer.json()).toMatchObject({ code: 'NOT_FOUND', detail: expect.stringMatching(/GTINs \(AI 01\) only/), ai: '414' });
  });

  it('answers alike with and without a trailing slash, supports CORS with GET, HEAD and OPTIONS, and links the linkset from the preflight', async () => {
    const [a, b] = [await plain(lotUri()), await plain(`${lotUri()}/`)];
    expect([b.status, b.headers.get('location')]).toEqual([a.status, a.headers.get('location')]);
    const options = await fetch(lotUri(), { method: 'OPTIONS', headers: { origin: 'https://ref.gs1.org', 'access-control-request-method': 'GET' } });
    expect(options.headers.get('access-control-allow-origin')).toBe('*');
    expect(options.headers.get('access-control-allow-methods')).toMatch(/GET.*HEAD.*OPTIONS/);
    expect(options.headers.get('link')).toContain('rel="linkset"');
  });
});

describe('QR codes and labels through the graph', () => {
  it('Lot.qr returns a PNG that decodes back to exactly the Lot.digitalLink URI', async () => {
    const result = await stack.gql('query($id: ID!) { lot(id: $id) { digitalLink qr(format: PNG, size: 320) { uri contentType data } } }', {
      id: published.id,
    });
    expect(result.errors).toBeUndefined();
    const { digitalLink, qr } = result.data.lot;
    expect(digitalLink).toMatch(new RegExp(`^${base}/01/${published.gtin}/10/`));
    expect(qr.uri).toBe(digitalLink);
    const png = PNG.sync.read(Buffer.from(qr.data, 'base64'));
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(digitalLink);
  });

  it('prints a PDF label sheet for a serial range to the owner staff, and refuses anonymous callers', async () => {
    const staff = await stack.tokenFor(demoEmail('STAFF', published.ownerPath));
    const pdf = await fetch(`${base}/labels/lots/${published.id}.pdf?from=1&to=30&columns=3&rows=8`, { headers: { authorization: `Bearer ${staff}` } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = Buffer.from(await pdf.arrayBuffer()).toString('latin1');
    expect(text.match(/\/Type \/Page\b/g)).toHaveLength(2);
    expect((await fetch(`${base}/labels/lots/${published.id}.pdf`)).status).toBe(401);
  });

  it("refuses another producer's staff the labels of a published lot it does not own (no genuine labels for counterfeits)", async () => {
    const owners = await stack.gql('{ lots(first: 100) { nodes { owner { path } } } }', {}, { token: await stack.tokenFor(demoEmail('OFFICER', 'ct')) });
    const otherPath = (owners.data.lots.nodes as any[]).map((l) => l.owner.path as string).find((p) => p !== published.ownerPath)!;
    const other = await stack.tokenFor(demoEmail('STAFF', otherPath));
    const pdf = await fetch(`${base}/labels/lots/${published.id}.pdf?from=1&to=3`, { headers: { authorization: `Bearer ${other}` } });
    expect(pdf.status).toBe(403);
    expect(pdf.headers.get('content-type')).toBe('application/problem+json');
    expect(await pdf.json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });
});

describe('scans and anti-counterfeit', () => {
  const scansOf = async () => {
    const officer = await stack.tokenFor(demoEmail('OFFICER', 'ct'));
    const r = await stack.gql(
      'query($id: ID!) { lot(id: $id) { scans { count } suspiciousItems { serial reason } } }',
      { id: published.id },
      { token: officer },
    );
    return r.data.lot;
  };

  it('records every scan anonymously, with a coarse place only when given', async () => {
    const before = (await scansOf()).scans.count;
    const post = (body: unknown) => fetch(`${base}/scan`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ lotId: published.id, lang: 'vi' })).status).toBe(204);
    expect((await post({ lotId: published.id, lang: 'en', latitude: 10.0341, longitude: 105.788 })).status).toBe(204);
    expect((await scansOf()).scans.count).toBe(before + 2);
    const anonymous = await stack.gql('query($id: ID!) { lot(id: $id) { scans { count } } }', { id: published.id });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('verifies a hidden code once, then says when it was first verified; wrong codes are limited', async () => {
    const staff = await stack.tokenFor(demoEmail('STAFF', published.ownerPath));
    const issued = await stack.gql(
      'mutation($i: IssueSerialsInput!) { issueSerials(input: $i) { serials { serial verificationCode } } }',
      { i: { lotId: published.id, from: 1001, to: 1003 } },
      { token: staff },
    );
    expect(issued.errors).toBeUndefined();
    const [item] = issued.data.issueSerials.serials;
    expect(item.verificationCode).toMatch(/^[2-9A-Z]{10}$/);
    const url = dl(published.gtin, published.lotCode, `/21/${item.serial}`);
    const submit = (code: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `code=${code}` }).then((r) => r.text());
    expect(await submit(item.verificationCode)).toMatch(/Hàng thật/);
    expect(await submit(item.verificationCode.toLowerCase())).toMatch(/đã được kiểm tra lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} \(UTC\+07:00\)/);
    const other = issued.data.issueSerials.serials[1];
    const otherUrl = dl(published.gtin, published.lotCode, `/21/${other.serial}`);
    for (let i = 0; i < 5; i++) {
      const html = await fetch(otherUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'code=WRONGCODE1' }).then(
        (r) => r.text(),
      );
      expect(html).toMatch(/Mã không đúng/);
    }
    const locked = await fetch(otherUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `code=${other.verificationCode}`,
    }).then((r) => r.text());
    expect(locked).toMatch(/Quá nhiều lần nhập sai/);
    const again = await stack.gql(
      'mutation($i: IssueSerialsInput!) { issueSerials(input: $i) { serials { serial } } }',
      { i: { lotId: published.id, from: 1003, to: 1004 } },
      { token: staff },
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('flags a serialised item scanned in places too far apart to be one package, and a serial never issued', async () => {
    const post = (body: unknown) => fetch(`${base}/scan`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await post({ lotId: published.id, serial: '1003', lang: 'vi', latitude: 10.03, longitude: 105.78 }); // Cần Thơ
    await post({ lotId: published.id, serial: '1003', lang: 'vi', latitude: 21.03, longitude: 105.85 }); // Hà Nội, minutes later
    await post({ lotId: published.id, serial: '999999', lang: 'vi' });
    const flagged = (await scansOf()).suspiciousItems;
    expect(flagged).toEqual(
      expect.arrayContaining([
        { serial: '1003', reason: expect.stringMatching(/km apart/) },
        { serial: '999999', reason: 'serial never issued for this lot' },
      ]),
    );
    expect(flagged.find((f: { serial: string }) => f.serial === '1002')).toBeUndefined();
  });
});
