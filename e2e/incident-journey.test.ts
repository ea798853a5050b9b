import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPhone as openPhoneIn } from './browser';
import { DEMO_PASSWORD, demoEmail, startTestStack, type GraphQLResult, type TestStack } from './helpers';

/**
 * Issue 15 as one journey, from outside, on the seeded demo stack: "A
 * complaint filed from the page in a real browser reaches the producer's and
 * the officer's inbox, is escalated to a recall, and every holder's receiver
 * gets exactly one notification even when it fails twice first."
 *
 * Nothing names a demo organization: the lot is the published one whose
 * goods went furthest downstream (trace DOWNSTREAM and its custody hops), and
 * every organization that trace reaches gets a webhook receiver on 127.0.0.1
 * before anything happens, plus one organization the lot never reached as a
 * control. Each receiver answers 500 to the first two attempts of every
 * delivery id and 200 afterwards, and checks the HMAC signature with the
 * secret setOrganizationWebhook returned once.
 */
/** A 1×1 PNG: a real image file for the form's photo input. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const REASON = 'Nghi nhiễm nấm mốc theo phản ánh của người tiêu dùng';

interface Org {
  id: string;
  path: string;
}
interface Delivery {
  id: string;
  kind: string;
  answered: number;
  signed: boolean;
  body: string;
}
/** One organization's webhook receiver: 500, 500, then 200 for each delivery id. */
interface Receiver {
  org: Org;
  url: string;
  secret: string;
  deliveries: Delivery[];
  close: () => Promise<void>;
}

let stack: TestStack;
let browser: Browser;
let base: string;
let admin: string;
/** The lot complained about, and its owner. */
let target: { id: string; url: string; lotCode: string; owner: Org };
/** Every organization the lot's downstream trace reaches, by id. */
let reached: Map<string, Org>;
/** An organization the lot never reached: its receiver must hear nothing. */
let control: Org;
const receivers = new Map<string, Receiver>();
const local = (url: string) => url.replace(/^https?:\/\/[^/]+/, base);

const saved: Record<string, string | undefined> = {};
const NOTIFY = { NOTIFY_INTERVAL_MS: '20', NOTIFY_BACKOFF_MS: '20', NOTIFY_BACKOFF_MAX_MS: '100', NOTIFY_MAX_ATTEMPTS: '6' };

async function ok<T = any>(token: string | undefined, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const result: GraphQLResult<T> = await stack.gql<T>(query, variables, token ? { token } : {});
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!;
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A receiver on 127.0.0.1 for `org`; the secret is filled in once the webhook is set. */
async function receiver(org: Org): Promise<Receiver> {
  const r: Receiver = { org, url: '', secret: '', deliveries: [], close: async () => {} };
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['x-nguon-delivery'] ?? '');
      const signed = req.headers['x-nguon-signature'] === `sha256=${createHmac('sha256', r.secret).update(body).digest('hex')}`;
      // Fails the first two attempts of each delivery; a badly signed one is never accepted.
      const answered = !signed ? 401 : r.deliveries.filter((d) => d.id === id).length < 2 ? 500 : 200;
      r.deliveries.push({ id, kind: String(req.headers['x-nguon-event'] ?? ''), answered, signed, body });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/nguon`;
  r.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return r;
}

/** Delivery ids the receiver accepted (2xx), by event kind. */
function accepted(r: Receiver): Map<string, string[]> {
  const byKind = new Map<string, string[]>();
  for (const d of r.deliveries.filter((x) => x.answered >= 200 && x.answered < 300)) {
    const ids = byKind.get(d.kind) ?? [];
    if (!ids.includes(d.id)) byKind.set(d.kind, [...ids, d.id]);
  }
  return byKind;
}

/** Signs in the first demo account of `role` found at `paths`, in order. */
async function firstAccount(role: string, paths: string[]): Promise<{ token: string; path: string }> {
  for (const path of paths) {
    const signIn = await stack.gql(`mutation($email: String!, $password: String!) { signIn(input: { email: $email, password: $password }) { accessToken } }`, {
      email: demoEmail(role, path),
      password: DEMO_PASSWORD,
    });
    if (signIn.data?.signIn?.accessToken) return { token: signIn.data.signIn.accessToken, path };
  }
  throw new Error(`no demo ${role} at any of ${paths.join(', ')}`);
}

/** Every node above a path, deepest first, the root left out (it oversees everything). */
const ancestors = (path: string) =>
  path
    .split('.')
    .map((_, i, parts) => parts.slice(0, i).join('.'))
    .filter((p) => p.includes('.'))
    .reverse();

type LotRow = { id: string; lotCode: string; status: string; digitalLink: string | null; owner: Org };
const TRACE = `query($id: ID!) { trace(lotId: $id, direction: DOWNSTREAM, maxDepth: 50) {
  lots { depth lot { id owner { id path } } }
  custody { lotId from { id path } to { id path } bizStep quantity }
} }`;

/**
 * The published lot whose goods went furthest: deepest downstream trace, then
 * the most organizations custody reached; it must reach at least two
 * organizations besides its owner, so its recall has several holders.
 */
async function pickLot(): Promise<{ lot: LotRow; orgs: Map<string, Org>; others: Org[] }> {
  const lots: LotRow[] = [];
  for (let after: string | null = null; ;) {
    const page: any = await ok(
      admin,
      'query($after: String) { lots(first: 100, after: $after) { nodes { id lotCode status digitalLink owner { id path } } pageInfo { hasNextPage endCursor } } }',
      {
        after,
      },
    );
    lots.push(...page.lots.nodes);
    if (!page.lots.pageInfo.hasNextPage) break;
    after = page.lots.pageInfo.endCursor;
  }
  let best: { lot: LotRow; orgs: Map<string, Org>; depth: number; destinations: number } | null = null;
  for (const lot of lots.filter((l) => l.status === 'PUBLISHED' && l.digitalLink)) {
    const { trace } = await ok(admin, TRACE, { id: lot.id });
    const orgs = new Map<string, Org>([[lot.owner.id, lot.owner]]);
    for (const t of trace.lots) if (t.lot?.owner) orgs.set(t.lot.owner.id, t.lot.owner);
    const destinations = new Set<string>();
    for (const hop of trace.custody) {
      for (const o of [hop.from, hop.to]) if (o) orgs.set(o.id, o);
      if (hop.to && hop.to.id !== lot.owner.id) destinations.add(hop.to.id);
    }
    const depth = Math.max(0, ...trace.lots.map((t: { depth: number }) => t.depth));
    if (destinations.size < 2) continue;
    if (!best || depth > best.depth || (depth === best.depth && destinations.size > best.destinations))
      best = { lot, orgs, depth, destinations: destinations.size };
  }
  expect(best, 'a published lot whose goods reached two or more other organizations').toBeTruthy();
  const others = lots.map((l) => l.owner).filter((o) => !best!.orgs.has(o.id));
  return { lot: best!.lot, orgs: best!.orgs, others };
}

beforeAll(async () => {
  // The trace subgraph's notification worker reads NOTIFY_* when the stack starts: fast polls and a short back-off.
  for (const [key, value] of Object.entries(NOTIFY)) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
  stack = await startTestStack();
  base = stack.gateway.url.replace(/\/graphql$/, '');
  admin = await stack.tokenFor(demoEmail('ADMIN', 'ct'));
  const picked = await pickLot();
  target = { id: picked.lot.id, url: picked.lot.digitalLink!, lotCode: picked.lot.lotCode, owner: picked.lot.owner };
  reached = picked.orgs;
  expect(picked.others.length, 'an organization the lot never reached').toBeGreaterThan(0);
  control = picked.others[0]!;

  // Before anything: a receiver and a webhook for every organization reached, and for the control.
  for (const org of [...reached.values(), control]) {
    const r = await receiver(org);
    const set = await ok(admin, `mutation($input: SetOrganizationWebhookInput!) { setOrganizationWebhook(input: $input) { secret webhook { url enabled } } }`, {
      input: { organizationId: org.id, url: r.url },
    });
    expect(set.setOrganizationWebhook.webhook).toEqual({ url: r.url, enabled: true });
    expect(set.setOrganizationWebhook.secret).toMatch(/^whsec_/);
    r.secret = set.setOrganizationWebhook.secret;
    receivers.set(org.id, r);
  }

  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await Promise.all([...receivers.values()].map((r) => r.close()));
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

const openPhone = (url: string) => openPhoneIn(browser, url, 'vi-VN');

const INBOX = `query($filter: ComplaintFilter) { complaints(filter: $filter) { nodes { id receipt status category hasPhoto lot { id } } } }`;

describe('a shopper’s report becomes a recall that reaches every holder exactly once', () => {
  let receipt = '';
  let complaintId = '';
  let recall: { id: string; rootLots: { id: string }[]; holders: Org[]; affectedLots: { lotId: string; holder: { id: string } }[] };
  let officer: { token: string; path: string };

  it('files the report from the lot’s consumer page in the browser and gets a receipt', async () => {
    const page = await openPhone(local(target.url));
    const link = page.locator('#report-problem');
    expect((await link.textContent())?.trim()).toContain('Báo cáo sự cố');
    await Promise.all([page.waitForURL(/\/report\?/), link.click()]);
    await page.check('input[name=category][value=SAFETY]');
    await page.fill('#description', 'Sản phẩm có mùi mốc lạ, ăn xong bị đau bụng.');
    await page.setInputFiles('#photo', { name: 'san-pham.png', mimeType: 'image/png', buffer: PNG });
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/report') && r.request().method() === 'POST'),
      page.click('#send-report'),
    ]);
    expect(response.status()).toBe(201);
    receipt = (await page.textContent('#receipt'))!.trim();
    expect(receipt).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await page.context().close();
  });

  it('is in the producer’s and a supervising officer’s inbox', async () => {
    const staff = await stack.tokenFor(demoEmail('STAFF', target.owner.path));
    // The deepest supervising node with a demo officer: the district, else the sector department.
    officer = await firstAccount('OFFICER', ancestors(target.owner.path));
    for (const token of [staff, officer.token]) {
      const inbox = await ok(token, INBOX, { filter: { lotId: target.id } });
      const mine = inbox.complaints.nodes.filter((c: { receipt: string }) => c.receipt === receipt);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ status: 'NEW', category: 'SAFETY', hasPhoto: true, lot: { id: target.id } });
      complaintId = mine[0].id;
    }
  });

  it('is escalated by the officer to a recall of the lot', async () => {
    const data = await ok(
      officer.token,
      `mutation($input: EscalateComplaintInput!) { escalateComplaint(input: $input) {
        complaint { id status recall { id } }
        recall { id status rootLots { id } holders { id path } affectedLots { lotId holder { id } } }
      } }`,
      { input: { id: complaintId, reason: REASON, severity: 'CLASS_II' } },
    );
    const { complaint } = data.escalateComplaint;
    recall = data.escalateComplaint.recall;
    expect(complaint).toEqual({ id: complaintId, status: 'ESCALATED', recall: { id: recall.id } });
    expect(recall.rootLots).toEqual([{ id: target.id }]);
    // Several holders, each one an organization the downstream trace reached, so each had a receiver before the recall.
    expect(recall.holders.length).toBeGreaterThanOrEqual(2);
    for (const h of recall.holders) expect(reached.has(h.id), `holder ${h.path} was reached by the trace`).toBe(true);
  });

  it('delivers exactly one accepted, signed RECALL_OPENED to every holder after two failures, and nothing to anyone else', async () => {
    const holders = new Set(recall.holders.map((h) => h.id));
    // Told of the recall: every holder and the root lot's owner. Told of the complaint: the owner (its supervisors have no receiver here).
    const expected = (orgId: string) =>
      [...(holders.has(orgId) || orgId === target.owner.id ? ['RECALL_OPENED'] : []), ...(orgId === target.owner.id ? ['COMPLAINT_FILED'] : [])].sort();
    const done = () => [...receivers.values()].every((r) => expected(r.org.id).every((kind) => accepted(r).get(kind)?.length === 1));
    await waitFor('every holder’s receiver to accept its delivery', done);
    // Let a stray retry or a late duplicate arrive before counting.
    await new Promise((r) => setTimeout(r, 500));

    for (const r of receivers.values()) {
      const name = r.org.path;
      expect([...accepted(r).keys()].sort(), name).toEqual(expected(r.org.id));
      // An organization told of nothing was not even tried.
      if (expected(r.org.id).length === 0) expect(r.deliveries, name).toEqual([]);
      for (const [kind, ids] of accepted(r)) {
        expect(ids, `${name} ${kind}`).toHaveLength(1);
        // Failed twice first, every attempt with the one delivery id, then accepted once.
        const attempts = r.deliveries.filter((d) => d.id === ids[0]);
        expect(
          attempts.map((d) => d.answered),
          `${name} ${kind}`,
        ).toEqual([500, 500, 200]);
        expect(attempts.length).toBeGreaterThanOrEqual(3);
      }
      expect(
        r.deliveries.every((d) => d.signed),
        `${name}: every request signed with its secret`,
      ).toBe(true);

      const opened = r.deliveries.find((d) => d.kind === 'RECALL_OPENED' && d.answered === 200);
      if (opened) {
        const body = JSON.parse(opened.body);
        expect(body).toMatchObject({
          kind: 'RECALL_OPENED',
          subjectId: recall.id,
          organizationId: r.org.id,
          payload: { recallId: recall.id, reason: REASON, severity: 'CLASS_II', rootLotIds: [target.id] },
        });
        // Its own lots, exactly those the recall lists at this holder.
        const own = recall.affectedLots.filter((l) => l.holder.id === r.org.id).map((l) => l.lotId);
        expect(body.payload.lots.map((l: { lotId: string }) => l.lotId).sort(), name).toEqual(holders.has(r.org.id) ? [...new Set(own)].sort() : []);
      }
      const filed = r.deliveries.find((d) => d.kind === 'COMPLAINT_FILED' && d.answered === 200);
      if (filed) expect(JSON.parse(filed.body)).toMatchObject({ subjectId: complaintId, payload: { complaintId, lotId: target.id } });
    }
    expect(receivers.get(control.id)!.deliveries).toEqual([]);

    // The graph agrees: one notification per holder, delivered on the third attempt.
    const seen = await ok(officer.token, `query($id: ID!) { recall(id: $id) { notifications { organization { id } status attempts } } }`, { id: recall.id });
    const byOrg = new Map<string, { status: string; attempts: number }[]>();
    for (const n of seen.recall.notifications) byOrg.set(n.organization.id, [...(byOrg.get(n.organization.id) ?? []), n]);
    for (const holder of holders) expect(byOrg.get(holder), holder).toEqual([{ organization: { id: holder }, status: 'DELIVERED', attempts: 3 }]);
  });

  it('shows the shopper the report as escalated on the status page', async () => {
    const page = await openPhone(`${base}/report/status?receipt=${encodeURIComponent(receipt)}&lang=vi`);
    expect(await page.getAttribute('#complaint-status', 'data-status')).toBe('ESCALATED');
    expect(await page.isVisible('#recalled')).toBe(true);
    await page.context().close();
  });
});
