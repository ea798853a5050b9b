import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectNoSidewaysScroll, launchBrowser, openPhone as openPhoneIn } from './browser';
import { sql } from '@nguon/shared';
import { demoEmail, startTestStack, type GraphQLResult, type TestStack } from './helpers';

/**
 * Issue 15, from outside: a shopper reports a problem from the consumer page
 * in a real browser (Debian chromium via playwright-core, a phone's
 * viewport); the report reaches the producer's and its district officer's
 * inbox; the producer acknowledges it, the officer escalates it to a recall,
 * and the shopper's status page shows it escalated. Every organization the
 * facts concern is told exactly once through the notification outbox.
 */
const screenshots = new URL('../docs/screenshots/', import.meta.url);

/** A 1×1 PNG: a real image file for the form's photo input. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let stack: TestStack;
let browser: Browser;
let base: string;
let target: { id: string; url: string; lotCode: string; ownerId: string; ownerPath: string };
const local = (url: string) => url.replace(/^https?:\/\/[^/]+/, base);

beforeAll(async () => {
  stack = await startTestStack();
  base = stack.gateway.url.replace(/\/graphql$/, '');
  // A published demo lot of a Thốt Nốt producer (the district has demo officers), read as the city's ADMIN.
  const admin = await stack.tokenFor(demoEmail('ADMIN', 'ct'));
  type Row = { id: string; lotCode: string; status: string; digitalLink: string | null; owner: { id: string; path: string } };
  let found: Row | undefined;
  for (let after: string | null = null; !found;) {
    const page: GraphQLResult = await stack.gql(
      'query($after: String) { lots(first: 100, after: $after) { nodes { id lotCode status digitalLink owner { id path } } pageInfo { hasNextPage endCursor } } }',
      { after },
      { token: admin },
    );
    expect(page.errors).toBeUndefined();
    found = (page.data.lots.nodes as Row[]).find((l) => l.status === 'PUBLISHED' && l.digitalLink && l.owner.path.startsWith('ct.agri.thot_not.'));
    if (!page.data.lots.pageInfo.hasNextPage) break;
    after = page.data.lots.pageInfo.endCursor;
  }
  expect(found).toBeTruthy();
  target = { id: found!.id, url: found!.digitalLink!, lotCode: found!.lotCode, ownerId: found!.owner.id, ownerPath: found!.owner.path };
  // The public sees it: the consumer page answers.
  const pageStatus = (await fetch(local(target.url), { headers: { accept: 'text/html' } })).status;
  expect(pageStatus, local(target.url)).toBe(200);
  browser = await launchBrowser();
  if (!existsSync(screenshots)) mkdirSync(screenshots, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const openPhone = (url: string, locale: string) => openPhoneIn(browser, url, locale);

const INBOX = `query($filter: ComplaintFilter) {
  complaints(filter: $filter) {
    totalCount
    nodes { id receipt status category description hasPhoto photo responseSeconds lot { id } actions { action } }
    groups { lot { id } count openCount }
  }
}`;

describe('a shopper reports a problem and it becomes a recall', () => {
  let receipt = '';
  let complaintId = '';

  it('files the report from the consumer page in the browser and gets a receipt', async () => {
    const page = await openPhone(local(target.url), 'vi-VN');
    const link = page.locator('#report-problem');
    expect((await link.textContent())?.trim()).toContain('Báo cáo sự cố');
    await Promise.all([page.waitForURL(/\/report\?/), link.click()]);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(await page.textContent('h1')).toContain('Báo cáo sự cố');
    await expectNoSidewaysScroll(page);

    await page.check('input[name=category][value=SAFETY]');
    await page.fill('#description', 'Gạo có mùi mốc lạ, ăn xong bị đau bụng.');
    await page.fill('#contact', '0901 234 567');
    await page.setInputFiles('#photo', { name: 'goi-gao.png', mimeType: 'image/png', buffer: PNG });
    await page.screenshot({ path: new URL('report-vi.png', screenshots).pathname, fullPage: true });

    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/report') && r.request().method() === 'POST'),
      page.click('#send-report'),
    ]);
    expect(response.status()).toBe(201);
    await page.waitForSelector('#receipt');
    receipt = (await page.textContent('#receipt'))!.trim();
    expect(receipt).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: new URL('report-receipt-vi.png', screenshots).pathname, fullPage: true });

    // The follow-up link shows it as received.
    await Promise.all([page.waitForURL(/\/report\/status\?/), page.click('#follow-up')]);
    expect(await page.getAttribute('#complaint-status', 'data-status')).toBe('NEW');
    await page.context().close();
  });

  it('re-shows the form with a clear message for bad input, storing nothing', async () => {
    const before = await stack.db.connection.rows<{ n: number }>(sql`select count(*)::int as n from trace.complaints`);
    const page = await openPhone(
      `${base}/report?gtin=${encodeURIComponent(new URL(target.url).pathname.split('/')[2]!)}&lot=${encodeURIComponent(target.lotCode)}&lang=vi`,
      'vi-VN',
    );
    await page.check('input[name=category][value=QUALITY]');
    // Past the browser's own minlength check: the server's check is the one that counts.
    await page.evaluate(() => (globalThis as any).document.querySelector('#description').removeAttribute('minlength'));
    await page.fill('#description', 'ngắn');
    await page.setInputFiles('#photo', { name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('GIF89a not a png at all') });
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/report') && r.request().method() === 'POST'),
      page.click('#send-report'),
    ]);
    expect(response.status()).toBe(400);
    expect(await page.textContent('#report-error')).toContain('10–2000 ký tự');
    expect(await page.inputValue('#description')).toBe('ngắn');
    const after = await stack.db.connection.rows<{ n: number }>(sql`select count(*)::int as n from trace.complaints`);
    expect(after).toEqual(before);
    await page.context().close();
  });

  it("reaches the producer's and the district officer's inbox, and the producer acknowledges it", async () => {
    const staff = await stack.tokenFor(demoEmail('STAFF', target.ownerPath));
    const districtPath = target.ownerPath.split('.').slice(0, -1).join('.');
    const officer = await stack.tokenFor(demoEmail('OFFICER', districtPath));
    for (const token of [staff, officer]) {
      const inbox = await stack.gql(INBOX, { filter: { lotId: target.id, status: ['NEW'] } }, { token });
      expect(inbox.errors).toBeUndefined();
      const mine = inbox.data.complaints.nodes.find((c: { receipt: string }) => c.receipt === receipt);
      expect(mine).toMatchObject({ status: 'NEW', category: 'SAFETY', hasPhoto: true, lot: { id: target.id } });
      expect(mine.photo).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
      expect(mine.responseSeconds).toBeGreaterThanOrEqual(0);
      expect(inbox.data.complaints.groups).toContainEqual({ lot: { id: target.id }, count: 1, openCount: 1 });
      complaintId = mine.id;
    }
    // Someone else's inbox does not have it.
    const stranger = await stack.tokenFor(demoEmail('OFFICER', 'ct.health'));
    const theirs = await stack.gql(INBOX, { filter: { lotId: target.id } }, { token: stranger });
    expect(theirs.data?.complaints.totalCount ?? 0).toBe(0);

    const ack = await stack.gql(
      'mutation($input: UpdateComplaintInput!) { updateComplaint(input: $input) { complaint { status firstResponseAt } } }',
      { input: { id: complaintId, status: 'ACKNOWLEDGED', note: 'Đã nhận, đang kiểm tra lô.' } },
      { token: staff },
    );
    expect(ack.errors).toBeUndefined();
    expect(ack.data.updateComplaint.complaint.status).toBe('ACKNOWLEDGED');
    expect(ack.data.updateComplaint.complaint.firstResponseAt).not.toBeNull();
  });

  it('is escalated by the officer to a recall with the complaint linked; the shopper sees ESCALATED', async () => {
    const districtPath = target.ownerPath.split('.').slice(0, -1).join('.');
    const officer = await stack.tokenFor(demoEmail('OFFICER', districtPath));
    const escalated = await stack.gql(
      `mutation($input: EscalateComplaintInput!) {
        escalateComplaint(input: $input) { complaint { id status recall { id } actions { action } } recall { id status severity rootLots { id } } }
      }`,
      { input: { id: complaintId, reason: 'Nghi nhiễm nấm mốc theo phản ánh của người tiêu dùng', severity: 'CLASS_II' } },
      { token: officer },
    );
    expect(escalated.errors).toBeUndefined();
    const { complaint, recall } = escalated.data.escalateComplaint;
    expect(complaint).toMatchObject({ id: complaintId, status: 'ESCALATED', recall: { id: recall.id } });
    expect(complaint.actions.map((a: { action: string }) => a.action)).toEqual(['FILED', 'ACKNOWLEDGED', 'ESCALATED']);
    expect(recall.rootLots).toEqual([{ id: target.id }]);

    // Told once each: the owner and its supervising nodes of the complaint, every holder of the recall.
    const filed = await stack.db.connection.rows<{ organization_id: string; n: number }>(
      sql`select organization_id, count(*)::int as n from trace.notifications where subject_id = ${complaintId} and kind = 'COMPLAINT_FILED' group by organization_id`,
    );
    expect(filed.map((r) => r.organization_id)).toContain(target.ownerId);
    expect(filed.length).toBeGreaterThanOrEqual(3);
    expect(filed.every((r) => r.n === 1)).toBe(true);
    const told = await stack.db.connection.rows<{ organization_id: string; n: number }>(
      sql`select organization_id, count(*)::int as n from trace.notifications where subject_id = ${recall.id} group by organization_id`,
    );
    const holders = await stack.db.connection.rows<{ holder_id: string }>(
      sql`select distinct holder_id from trace.recall_lots where recall_id = ${recall.id} and (quantity_held is null or quantity_held > 0)`,
    );
    expect(told.every((r) => r.n === 1)).toBe(true);
    expect(told.map((r) => r.organization_id)).toEqual(expect.arrayContaining(holders.map((h) => h.holder_id)));

    // The consumer page now warns, and the shopper's status page says escalated.
    const page = await openPhone(`${base}/report/status?receipt=${encodeURIComponent(receipt)}&lang=vi`, 'vi-VN');
    expect(await page.getAttribute('#complaint-status', 'data-status')).toBe('ESCALATED');
    expect(await page.isVisible('#recalled')).toBe(true);
    await expectNoSidewaysScroll(page);
    await page.context().close();
    const lot = await stack.gql('query($id: ID!) { lot(id: $id) { status activeRecall { id } } }', { id: target.id });
    expect(lot.data.lot).toEqual({ status: 'RECALLED', activeRecall: { id: recall.id } });
  });
});

describe('the report route at the edge', () => {
  const count = async () => (await stack.db.connection.rows<{ n: number }>(sql`select count(*)::int as n from trace.complaints`))[0]!.n;
  const gtinOf = () => new URL(target.url).pathname.split('/')[2]!;

  it('refuses a body declared larger than its cap with 413 before reading it, storing nothing', async () => {
    const before = await count();
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
    expect(await count()).toBe(before);
  });

  /** The hidden token of a freshly served form, as a browser would send it back. */
  const formTokenOf = async () => {
    const html = await (await fetch(`${base}/report?gtin=${encodeURIComponent(gtinOf())}&lot=${encodeURIComponent(target.lotCode)}&lang=en`)).text();
    return /name="token" value="([^"]+)"/.exec(html)![1]!;
  };

  it('serves the form unframeable, and refuses a post without its token, storing nothing', async () => {
    const page = await fetch(`${base}/report?gtin=${encodeURIComponent(gtinOf())}&lot=${encodeURIComponent(target.lotCode)}&lang=en`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(await page.text()).toMatch(/<input type="hidden" name="token" value="[0-9a-z]+\.[A-Za-z0-9_-]{43}">/);
    const before = await count();
    const answer = await fetch(`${base}/report`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
      body: new URLSearchParams({ gtin: gtinOf(), lot: target.lotCode, lang: 'en', category: 'OTHER', description: 'A report without the form token' }),
    });
    expect(answer.status).toBe(403);
    expect(await answer.text()).toContain('Open the form again');
    expect(await count()).toBe(before);
  });

  it("refuses a report another site's page makes the browser send, storing nothing", async () => {
    // The forging page: served from another origin, it auto-submits a copy of the form (fields only it can know; no token) to the gateway.
    const forger: Server = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><form id="f" method="post" action="${base}/report" enctype="multipart/form-data">
<input name="gtin" value="${gtinOf()}"><input name="lot" value="${target.lotCode}"><input name="lang" value="en">
<input name="category" value="COUNTERFEIT"><textarea name="description">Forged report sent from another site</textarea></form>
<script>document.getElementById('f').submit()</script>`);
    });
    await new Promise<void>((resolve) => forger.listen(0, '127.0.0.1', resolve));
    try {
      const before = await count();
      const context = await browser.newContext({ locale: 'en-US' });
      const page = await context.newPage();
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/report') && r.request().method() === 'POST'),
        page.goto(`http://127.0.0.1:${(forger.address() as AddressInfo).port}/`),
      ]);
      expect(response.status()).toBe(403);
      expect(await response.text()).toContain('not sent from a Nguồn page');
      expect(await count()).toBe(before);
      await context.close();
    } finally {
      await new Promise((resolve) => forger.close(resolve));
    }
  });

  it("keys reports by the gateway's hash of the address, never the address, and limits them per address", async () => {
    const rows = await stack.db.connection.rows<{ client_key: string }>(sql`select distinct client_key from trace.complaints`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.client_key).toMatch(/^addr:[A-Za-z0-9_-]{40,}$/);
    expect(rows[0]!.client_key).not.toContain('127.0.0.1');
    // Not keyed with GATEWAY_SECRET, which every subgraph holds: hashing all IPv4 addresses under it would read the address back.
    const underSharedSecret = createHmac('sha256', stack.gatewaySecret).update('nguon.client-address:127.0.0.1').digest('base64url');
    expect(rows[0]!.client_key).not.toBe(`addr:${underSharedSecret}`);
    // A plain urlencoded form (with the token of a served form) works too; the address's sixth report within the hour is refused (default 5), nothing stored.
    const post = async (description: string) =>
      fetch(`${base}/report`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
        body: new URLSearchParams({ gtin: gtinOf(), lot: target.lotCode, lang: 'en', category: 'OTHER', description, token: await formTokenOf() }),
      });
    for (let i = await count(); i < 5; i++) expect((await post(`Report number ${i + 1} from one address`)).status).toBe(201);
    const before = await count();
    const refused = await post('One report too many from this address');
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain('too many reports');
    expect(await count()).toBe(before);
  });
});
