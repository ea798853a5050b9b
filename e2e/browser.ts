import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * The real browser of the page tests: Debian chromium driven by
 * playwright-core at a phone's viewport. Requests beyond loopback are
 * aborted, so nothing a page links to elsewhere is ever fetched in tests.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PHONE = { width: 390, height: 844 };

/** Launches chromium, or says what to install when it is missing (rather than a launch stack trace). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `This test drives Debian chromium and found none at ${CHROMIUM}. Install it with: sudo apt-get install -y chromium ` +
        '(or set CHROMIUM_PATH to a chromium binary). README.md, "Prerequisites".',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

/** A new phone (390×844, touch) in `locale`, on `url`, which must answer 200. */
export async function openPhone(browser: Browser, url: string, locale: string): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale, extraHTTPHeaders: { 'accept-language': locale } });
  const page = await context.newPage();
  await page.route('**/*', (route) => (/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(route.request().url()) ? route.continue() : route.abort()));
  const response = await page.goto(url, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  return page;
}

/** No sideways scrolling on phones from 320 to 430 px wide; the viewport is put back afterwards. */
export async function expectNoSidewaysScroll(page: Page) {
  for (const width of [320, 390, 430]) {
    await page.setViewportSize({ width, height: PHONE.height });
    const { scroll, client } = await page.evaluate<{ scroll: number; client: number }>(
      '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
    );
    expect(scroll, `scrollWidth at ${width} px`).toBeLessThanOrEqual(client);
  }
  await page.setViewportSize(PHONE);
}
