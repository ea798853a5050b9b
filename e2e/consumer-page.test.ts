import { existsSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectNoSidewaysScroll, launchBrowser, openPhone as openPhoneIn, PHONE } from './browser';
import { demoOperator, demoOrgId, demoPaths } from '@nguon/demo/ids';
import { demoEmail, startTestStack, type TestStack } from './helpers';

/**
 * The consumer page in a real browser (Debian chromium driven by
 * playwright-core) at a phone's viewport. Requests beyond loopback are
 * aborted, so a product image hosted elsewhere is never fetched in tests.
 *
 * Issue 15: the page a Vietnamese shopper trusts — the origin upstream by
 * public names, the trace code as the GS1 Digital Link, expiry warnings, the
 * counterfeit warning for an unissued serial, local demo images, and no
 * sideways scrolling on 320–430 px phones.
 */
const screenshots = new URL('../docs/screenshots/', import.meta.url);

let stack: TestStack;
let browser: Browser;
let base: string;
let pack: { id: string; url: string; lotCode: string; gtin: string };
/** Anything that reads like a node of the city's tree (ct.agri.thot_not…): never on a public page. */
const INTERNAL_PATH = /\bct\.[a-z_]+\./;
const local = (url: string) => url.replace(/^https?:\/\/[^/]+/, base);

beforeAll(async () => {
  // Checked first, so a machine without the browser learns what to install instead of a launch stack trace.
  stack = await startTestStack();
  base = stack.gateway.url.replace(/\/graphql$/, '');
  // The seeded chain: paddy from two farms → mill → packed rice → two stores. The most processed
  // published lot is the one whose origin reaches furthest upstream, found as the public finds it.
  let best: any = null;
  for (let after: string | null = null; ;) {
    const page: any = await stack.gql(
      'query($after: String) { lots(first: 100, after: $after) { nodes { id lotCode digitalLink product { gtin } origin { depth } } pageInfo { hasNextPage endCursor } } }',
      { after },
    );
    expect(page.errors).toBeUndefined();
    for (const lot of page.data.lots.nodes as any[]) {
      const depth = Math.max(0, ...lot.origin.map((s: { depth: number }) => s.depth));
      if (lot.digitalLink && (!best || depth > best.depth || (depth === best.depth && lot.origin.length > best.lot.origin.length))) best = { lot, depth };
    }
    if (!page.data.lots.pageInfo.hasNextPage) break;
    after = page.data.lots.pageInfo.endCursor;
  }
  expect(best?.depth).toBeGreaterThanOrEqual(2);
  pack = { id: best.lot.id, url: best.lot.digitalLink, lotCode: best.lot.lotCode, gtin: best.lot.product.gtin };
  browser = await launchBrowser();
  if (!existsSync(screenshots)) mkdirSync(screenshots, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const openPhone = (url: string, locale: string) => openPhoneIn(browser, url, locale);

/** Nothing on the page, visible or not, reads like an internal tree path. */
async function expectNoInternalPath(page: Page) {
  expect((await page.content()).match(INTERNAL_PATH)?.[0] ?? null).toBeNull();
}

/** The trace code shown is the lot's GS1 Digital Link, not the URL of the host that served the page. */
async function expectTraceCode(page: Page, lotCode: string, gtin: string) {
  const code = (await page.textContent('#trace-code'))?.trim() ?? '';
  expect(code.startsWith(`https://id.gs1.org/01/${gtin}/10/${encodeURIComponent(lotCode)}`), code).toBe(true);
  expect(await page.evaluate<string>('document.body.innerText')).not.toContain(new URL(base).host);
}

/** Today in Vietnam plus `days`, yyyy-mm-dd. */
const vietnamDate = (days: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() + days * 86_400_000),
  );

/** The ten items of the Vietnam minimum data set (Circular 02/2024/TT-BKHCN) by their labels on the page. */
const MINIMUM = {
  vi: ['Nhà sản xuất', 'Địa chỉ', 'Mã truy xuất', 'Số lô', 'Nhãn hiệu', 'Ngày sản xuất', 'Hạn sử dụng', 'Tiêu chuẩn áp dụng', 'Hành trình sản phẩm'],
  en: ['Producer', 'Address', 'Trace code', 'Lot', 'Brand', 'Production date', 'Expiry date', 'Standards applied', 'Product journey'],
};

describe('the consumer page on a phone', () => {
  for (const lang of ['vi', 'en'] as const) {
    it(`shows every minimum-data item and the journey in ${lang === 'vi' ? 'Vietnamese' : 'English'}`, async () => {
      const scansBefore = await scanCount();
      const page = await openPhone(local(pack.url), lang === 'vi' ? 'vi-VN' : 'en-US');
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      expect((await page.textContent('#product-name'))?.trim().length).toBeGreaterThan(2);
      for (const label of MINIMUM[lang]) expect(await page.locator('dt, h2').filter({ hasText: label }).count(), label).toBeGreaterThan(0);
      // Values, not just labels: producer name and trace code are filled.
      const values = await page.locator('dd').allTextContents();
      expect(values.some((v) => v.includes('/01/'))).toBe(true);
      await expectTraceCode(page, pack.lotCode, pack.gtin);
      await expectNoInternalPath(page);
      await expectNoSidewaysScroll(page);

      // The origin names every upstream farm or producer and area the public may see, nearest first; the rest read "not disclosed".
      const graph = await stack.gql(
        `query($id: ID!) { lot(id: $id) { origin { depth disclosed producer { name(lang: "${lang}") { text } gln } productionArea { name(lang: "${lang}") { text } } } } }`,
        { id: pack.id },
      );
      const origin = graph.data.lot.origin as any[];
      const cards = page.locator('#origin li.origin-stage');
      expect(await cards.count()).toBe(origin.length);
      const depths = await cards.evaluateAll((els: any[]) => els.map((e) => Number(e.getAttribute('data-depth'))));
      expect(depths).toEqual([...depths].sort((a, b) => a - b));
      const text = (await page.textContent('#origin')) ?? '';
      const areas = origin.filter((s) => s.productionArea).map((s) => s.productionArea.name.text);
      expect(new Set(areas).size, 'two farms grew the paddy').toBeGreaterThanOrEqual(2);
      for (const stage of origin.filter((s) => s.disclosed)) {
        expect(stage.producer, 'a disclosed stage names its producer').toBeTruthy();
        expect(text).toContain(stage.producer.name.text);
        if (stage.producer?.gln) expect(text).toContain(stage.producer.gln);
      }
      for (const area of areas) expect(text).toContain(area);
      const hidden = origin.filter((s) => !s.disclosed).length;
      expect(await page.locator('#origin .not-disclosed').count()).toBe(hidden);
      if (hidden) expect(text).toContain(lang === 'vi' ? 'Chưa công bố' : 'Not disclosed');

      // The demo product's picture is a small local image, loaded from the gateway itself.
      const image = page.locator('#product-image');
      await image.scrollIntoViewIfNeeded();
      await page.waitForFunction("(() => { const img = document.querySelector('#product-image'); return img.complete && img.naturalWidth > 0; })()");
      expect(await image.evaluate((img: any) => img.currentSrc as string)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\/demo\/[a-z]+\.svg$/);
      if (lang === 'en') await page.locator('#origin').screenshot({ path: new URL('consumer-origin-en.png', screenshots).pathname });
      const stages = page.locator('#timeline li');
      expect(await stages.count()).toBeGreaterThan(1);
      const first = await stages.first().textContent();
      expect(first).toMatch(lang === 'vi' ? /Mã truy xuất/ : /Trace code/);
      expect(first).toMatch(/\(UTC[+-]\d{2}:\d{2}\)/);
      await page.screenshot({ path: new URL(`consumer-${lang}.png`, screenshots).pathname, fullPage: true });
      // The page's beacon records the scan, even though the page itself may come from a cache.
      await expect.poll(scanCount, { timeout: 5000 }).toBeGreaterThan(scansBefore);
      await page.context().close();
    });
  }

  it('warns of an expired lot and of one near expiry, and marks an erroneous entry beside its correction', async () => {
    // The mill's staff make two lots of a published product: one expired yesterday (Vietnam's calendar), one expiring in three days.
    const millPath = demoPaths.operator(demoOperator('ct_luong_thuc_thot_not'));
    const millId = demoOrgId(millPath);
    const staff = await stack.tokenFor(demoEmail('STAFF', millPath));
    const mine = await stack.gql('query($o: ID!) { lots(ownerId: $o, first: 20) { nodes { product { id status gtin } } } }', { o: millId }, { token: staff });
    const product = (mine.data.lots.nodes as any[]).find((l) => l.product.status === 'PUBLISHED')!.product;
    const made: Record<string, { id: string; url: string }> = {};
    for (const [name, days] of [
      ['expired', -1],
      ['near', 3],
    ] as const) {
      const input = {
        productId: product.id,
        ownerId: millId,
        lotCode: `HSD-${name.toUpperCase()}-${process.pid % 1000}`,
        quantity: 50,
        unit: 'KGM',
        producedOn: vietnamDate(-60),
        expiresOn: vietnamDate(days),
        publish: true,
      };
      const created = await stack.gql('mutation($input: CreateLotInput!) { createLot(input: $input) { lot { id digitalLink } } }', { input }, { token: staff });
      expect(created.errors).toBeUndefined();
      made[name] = { id: created.data.createLot.lot.id, url: created.data.createLot.lot.digitalLink };
    }
    // A draft lot milled into the expired one: upstream of a published lot, yet not public, so it is "not disclosed" and nothing of it shows.
    const draftCode = `NHAP-${process.pid % 1000}`;
    const draft = await stack.gql(
      'mutation($input: CreateLotInput!) { createLot(input: $input) { lot { id } } }',
      { input: { productId: product.id, ownerId: millId, lotCode: draftCode, quantity: 60, unit: 'KGM', producedOn: vietnamDate(-61), publish: false } },
      { token: staff },
    );
    expect(draft.errors).toBeUndefined();
    const milled = await stack.gql(
      'mutation($input: CaptureEventsInput!) { captureEvents(input: $input) { createdCount } }',
      {
        input: {
          organizationId: millId,
          events: [
            {
              type: 'TRANSFORMATION_EVENT',
              eventTime: `${vietnamDate(-60)}T08:00:00+07:00`,
              bizStep: 'transforming',
              inputs: [{ lotId: draft.data.createLot.lot.id, quantity: 60, unit: 'KGM' }],
              outputs: [{ lotId: made.expired!.id, quantity: 50, unit: 'KGM' }],
            },
          ],
        },
      },
      { token: staff },
    );
    expect(milled.errors).toBeUndefined();
    // An inspection recorded with the wrong time, then corrected: the original stays, marked, beside its correction.
    const wrong = `urn:uuid:${crypto.randomUUID()}`;
    const inspection = (eventTime: string) => ({
      type: 'OBJECT_EVENT',
      action: 'OBSERVE',
      eventTime,
      bizStep: 'inspecting',
      disposition: 'conformant',
      quantities: [{ lotId: made.expired!.id, quantity: 50, unit: 'KGM' }],
    });
    const capture = 'mutation($input: CaptureEventsInput!) { captureEvents(input: $input) { createdCount } }';
    const at = `${vietnamDate(-2)}T09:00:00+07:00`;
    expect(
      (await stack.gql(capture, { input: { organizationId: millId, events: [{ ...inspection(at), eventID: wrong }] } }, { token: staff })).errors,
    ).toBeUndefined();
    const corrected = await stack.gql(
      capture,
      {
        input: {
          organizationId: millId,
          events: [
            {
              ...inspection(`${vietnamDate(-2)}T10:00:00+07:00`),
              errorDeclaration: { declarationTime: `${vietnamDate(-1)}T08:00:00+07:00`, reason: 'incorrect_data', correctedEventID: wrong },
            },
          ],
        },
      },
      { token: staff },
    );
    expect(corrected.errors).toBeUndefined();

    for (const lang of ['vi', 'en'] as const) {
      const expired = await openPhone(
        `${local(made.expired!.url)}${made.expired!.url.includes('?') ? '&' : '?'}lang=${lang}`,
        lang === 'vi' ? 'vi-VN' : 'en-US',
      );
      const banner = expired.locator('#expiry');
      expect(await banner.getAttribute('data-expiry')).toBe('expired');
      expect(await banner.textContent()).toContain(lang === 'vi' ? 'ĐÃ HẾT HẠN SỬ DỤNG' : 'EXPIRED');
      const box = await banner.boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(PHONE.height);
      const entries = expired.locator('#timeline li.stage');
      const marked = await entries.evaluateAll((els: any[]) =>
        els.map((e) => ({ erroneous: !!e.querySelector('.erroneous'), correction: !!e.querySelector('.correction') })),
      );
      const original = marked.findIndex((m) => m.erroneous);
      const correction = marked.findIndex((m) => m.correction);
      expect(original).toBeGreaterThanOrEqual(0);
      expect(Math.abs(original - correction), 'the correction sits beside the original').toBe(1);
      const hidden = expired.locator('#origin li.origin-stage.undisclosed');
      expect(await hidden.count()).toBe(1);
      expect(await hidden.textContent()).toContain(lang === 'vi' ? 'Chưa công bố' : 'Not disclosed');
      expect(await expired.content()).not.toContain(draftCode);
      await expectNoInternalPath(expired);
      await expectNoSidewaysScroll(expired);
      await expired.context().close();

      const near = await openPhone(`${local(made.near!.url)}${made.near!.url.includes('?') ? '&' : '?'}lang=${lang}`, lang === 'vi' ? 'vi-VN' : 'en-US');
      expect(await near.locator('#expiry').getAttribute('data-expiry')).toBe('near');
      expect(await near.locator('#expiry').textContent()).toMatch(lang === 'vi' ? /Sắp hết hạn.*còn 3 ngày/ : /Near expiry.*3 days left/);
      await near.context().close();
    }
  });

  it('shows a counterfeit warning instead of the page for a serial its producer never issued', async () => {
    // The lot's owner serialises it (serials 1–3); any other serial on its package was never issued.
    const officer = await stack.tokenFor(demoEmail('OFFICER', 'ct'));
    const owner = await stack.gql('query($id: ID!) { lot(id: $id) { owner { path } } }', { id: pack.id }, { token: officer });
    const staff = await stack.tokenFor(demoEmail('STAFF', owner.data.lot.owner.path));
    const issued = await stack.gql(
      'mutation($i: IssueSerialsInput!) { issueSerials(input: $i) { serials { serial } } }',
      { i: { lotId: pack.id, from: 1, to: 3 } },
      { token: staff },
    );
    expect(issued.errors).toBeUndefined();
    const [path, query] = local(pack.url).split('?');
    const genuine = await openPhone(`${path}/21/1?${query ?? ''}`, 'vi-VN');
    expect(await genuine.locator('#counterfeit').count()).toBe(0);
    expect(await genuine.locator('#timeline').count()).toBe(1);
    await genuine.context().close();
    const forged = `${path}/21/999`;
    for (const lang of ['vi', 'en'] as const) {
      const page = await openPhone(`${forged}?lang=${lang}`, lang === 'vi' ? 'vi-VN' : 'en-US');
      const warning = page.locator('#counterfeit');
      expect(await warning.getAttribute('data-state')).toBe('NOT_ISSUED');
      expect(await warning.textContent()).toContain(lang === 'vi' ? 'CÓ THỂ LÀ HÀNG GIẢ' : 'POSSIBLY COUNTERFEIT');
      const box = await warning.boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(PHONE.height);
      // Nothing is shown as verified: no journey, origin, certificates or verification form.
      for (const selector of ['#timeline', '#origin', '#certifications', 'form', '#product-image'])
        expect(await page.locator(selector).count(), selector).toBe(0);
      await expectTraceCode(page, pack.lotCode, pack.gtin);
      await expectNoInternalPath(page);
      await expectNoSidewaysScroll(page);
      if (lang === 'vi') await page.screenshot({ path: new URL('consumer-counterfeit-vi.png', screenshots).pathname, fullPage: true });
      await page.context().close();
    }
  });

  it('shows the counterfeit warning for a serial its producer locked, and never calls it genuine', async () => {
    // Issued as usual, then locked through the graph by its producer's STAFF as stolen.
    const officer = await stack.tokenFor(demoEmail('OFFICER', 'ct'));
    const owner = await stack.gql('query($id: ID!) { lot(id: $id) { owner { path } } }', { id: pack.id }, { token: officer });
    const staff = await stack.tokenFor(demoEmail('STAFF', owner.data.lot.owner.path));
    const issued = await stack.gql(
      'mutation($i: IssueSerialsInput!) { issueSerials(input: $i) { serials { serial verificationCode } } }',
      { i: { lotId: pack.id, from: 501, to: 502 } },
      { token: staff },
    );
    expect(issued.errors).toBeUndefined();
    const [item] = issued.data.issueSerials.serials;
    const locked = await stack.gql(
      'mutation($i: LockSerialsInput!) { lockSerials(input: $i) { locked unknown } }',
      { i: { lotId: pack.id, serials: [item.serial], reason: 'STOLEN', note: 'Mất trên xe giao hàng' } },
      { token: staff },
    );
    expect(locked.errors).toBeUndefined();
    expect(locked.data.lockSerials).toEqual({ locked: 1, unknown: [] });
    const [path] = local(pack.url).split('?');
    const url = `${path}/21/${item.serial}`;
    for (const lang of ['vi', 'en'] as const) {
      const page = await openPhone(`${url}?lang=${lang}`, lang === 'vi' ? 'vi-VN' : 'en-US');
      const warning = page.locator('#counterfeit');
      expect(await warning.getAttribute('data-state')).toBe('LOCKED');
      const text = await warning.textContent();
      expect(text).toContain(lang === 'vi' ? 'CÓ THỂ LÀ HÀNG GIẢ' : 'POSSIBLY COUNTERFEIT');
      expect(text).toContain(
        lang === 'vi' ? 'Nhà sản xuất đã khoá số sê-ri này vì gói hàng bị mất cắp.' : 'The producer locked this serial number: the package was stolen.',
      );
      // The producer's own note is not for the public.
      expect(text).not.toContain('xe giao hàng');
      const box = await warning.boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(PHONE.height);
      for (const selector of ['#timeline', '#origin', '#certifications', 'form', '#product-image'])
        expect(await page.locator(selector).count(), selector).toBe(0);
      await expectNoInternalPath(page);
      await expectNoSidewaysScroll(page);
      await page.context().close();
      // Its right code, posted anyway, is answered as locked: never "genuine".
      const answer = await fetch(`${url}?lang=${lang}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `code=${item.verificationCode}`,
      }).then((r) => r.text());
      expect(answer).toContain(lang === 'vi' ? '✘ Sản phẩm này đã bị nhà sản xuất khoá (bị mất cắp).' : '✘ The producer has locked this item (stolen).');
      expect(answer).not.toMatch(/Hàng thật|Genuine/);
    }
  });

  it('puts the recall warning above the fold the moment a recall opens', async () => {
    const officer = await stack.tokenFor(demoEmail('OFFICER', 'ct'));
    const opened = await stack.gql(
      'mutation($i: OpenRecallInput!) { openRecall(input: $i) { recall { id } } }',
      { i: { lotIds: [pack.id], reason: 'Phát hiện nấm mốc trong lô hàng', severity: 'CLASS_II' } },
      { token: officer },
    );
    expect(opened.errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 1100));
    const page = await openPhone(local(pack.url), 'vi-VN');
    const warning = page.locator('#recall');
    expect(await warning.textContent()).toMatch(/THU HỒI/);
    const box = await warning.boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(PHONE.height);
    await expectNoSidewaysScroll(page);
    await expectNoInternalPath(page);
    await page.screenshot({ path: new URL('consumer-recalled.png', screenshots).pathname });
    await page.context().close();
  });
});

async function scanCount(): Promise<number> {
  const officer = await stack.tokenFor(demoEmail('OFFICER', 'ct'));
  const r = await stack.gql('query($id: ID!) { lot(id: $id) { scans { count } } }', { id: pack.id }, { token: officer });
  return r.data.lot.scans.count;
}
