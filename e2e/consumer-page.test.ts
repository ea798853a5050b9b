import { existsSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { demoEmail, startTestStack, type TestStack } from './helpers';

/**
 * The consumer page in a real browser (Debian chromium driven by
 * playwright-core) at a phone's viewport. Requests beyond loopback are
 * aborted, so a product image hosted elsewhere is never fetched in tests.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshots = new URL('../docs/screenshots/', import.meta.url);
const PHONE = { width: 390, height: 844 };

let stack: TestStack;
let browser: Browser;
let base: string;
let pack: { id: string; url: string };

beforeAll(async () => {
  // Checked first, so a machine without the browser learns what to install instead of a launch stack trace.
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `This test drives Debian chromium and found none at ${CHROMIUM}. Install it with: sudo apt-get install -y chromium ` +
        '(or set CHROMIUM_PATH to a chromium binary). README.md, "Prerequisites".',
    );
  }
  stack = await startTestStack();
  base = stack.gateway.url.replace(/\/graphql$/, '');
  // The seeded chain: paddy from two farms → mill → packed rice → two stores.
  const lots = await stack.gql('{ lots(first: 100) { nodes { id lotCode digitalLink timeline { eventID } } } }');
  const withJourney = (lots.data.lots.nodes as any[]).filter((l) => l.digitalLink).sort((a, b) => b.timeline.length - a.timeline.length)[0];
  pack = { id: withJourney.id, url: withJourney.digitalLink };
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  if (!existsSync(screenshots)) mkdirSync(screenshots, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function openPhone(url: string, locale: string): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale, extraHTTPHeaders: { 'accept-language': locale } });
  const page = await context.newPage();
  await page.route('**/*', (route) => (/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(route.request().url()) ? route.continue() : route.abort()));
  const response = await page.goto(url, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  return page;
}

/** The ten items of the Vietnam minimum data set (Circular 02/2024/TT-BKHCN) by their labels on the page. */
const MINIMUM = {
  vi: ['Nhà sản xuất', 'Địa chỉ', 'Mã truy xuất', 'Số lô', 'Nhãn hiệu', 'Ngày sản xuất', 'Hạn sử dụng', 'Tiêu chuẩn áp dụng', 'Hành trình sản phẩm'],
  en: ['Producer', 'Address', 'Trace code', 'Lot', 'Brand', 'Production date', 'Expiry date', 'Standards applied', 'Product journey'],
};

describe('the consumer page on a phone', () => {
  for (const lang of ['vi', 'en'] as const) {
    it(`shows every minimum-data item and the journey in ${lang === 'vi' ? 'Vietnamese' : 'English'}`, async () => {
      const scansBefore = await scanCount();
      const page = await openPhone(pack.url.replace(/^https?:\/\/[^/]+/, base), lang === 'vi' ? 'vi-VN' : 'en-US');
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      expect((await page.textContent('#product-name'))?.trim().length).toBeGreaterThan(2);
      for (const label of MINIMUM[lang]) expect(await page.locator('dt, h2').filter({ hasText: label }).count(), label).toBeGreaterThan(0);
      // Values, not just labels: producer name and trace code are filled.
      const values = await page.locator('dd').allTextContents();
      expect(values.some((v) => v.includes('/01/'))).toBe(true);
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

  it('puts the recall warning above the fold the moment a recall opens', async () => {
    const officer = await stack.tokenFor(demoEmail('OFFICER', 'ct'));
    const opened = await stack.gql(
      'mutation($i: OpenRecallInput!) { openRecall(input: $i) { recall { id } } }',
      { i: { lotIds: [pack.id], reason: 'Phát hiện nấm mốc trong lô hàng', severity: 'CLASS_II' } },
      { token: officer },
    );
    expect(opened.errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 1100));
    const page = await openPhone(pack.url.replace(/^https?:\/\/[^/]+/, base), 'vi-VN');
    const warning = page.locator('#recall');
    expect(await warning.textContent()).toMatch(/THU HỒI/);
    const box = await warning.boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(PHONE.height);
    await page.screenshot({ path: new URL('consumer-recalled.png', screenshots).pathname });
    await page.context().close();
  });
});

async function scanCount(): Promise<number> {
  const officer = await stack.tokenFor(demoEmail('OFFICER', 'ct'));
  const r = await stack.gql('query($id: ID!) { lot(id: $id) { scans { count } } }', { id: pack.id }, { token: officer });
  return r.data.lot.scans.count;
}
