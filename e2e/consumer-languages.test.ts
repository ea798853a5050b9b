import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers';

/**
 * The consumer page in the export-market languages (issue 16), server-rendered
 * through the whole stack: the resolver picks the language, the graph answers
 * the product's text and the trace labels in it, the page's chrome is its own.
 * (The browser checks of the page stay in consumer-page.test.ts.)
 */
let stack: TestStack;
let base: string;
let lot: { path: string; name: { vi: string; en: string | null } };

beforeAll(async () => {
  stack = await startTestStack();
  base = stack.gateway.url.replace(/\/graphql$/, '');
  // A published lot with a timeline: the first one the public can list.
  const page = await stack.gql(
    '{ lots(first: 50) { nodes { digitalLink timeline { bizStep } product { vi: name(lang: "vi") { text } en: name(lang: "en") { text lang } } } } }',
  );
  expect(page.errors).toBeUndefined();
  const found = (page.data.lots.nodes as any[]).find((l) => l.digitalLink && l.timeline.length > 0 && l.product.en.lang === 'en')!;
  lot = { path: new URL(found.digitalLink).pathname, name: { vi: found.product.vi.text, en: found.product.en.text } };
});
afterAll(() => stack?.stop());

const open = async (query: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${base}${lot.path}${query}`, { headers: { accept: 'text/html', ...headers } });
  expect(response.status).toBe(200);
  return response.text();
};

/** The words of the timeline's steps, as the page shows them. */
const steps = (html: string) => [...html.matchAll(/<li class="stage"><strong>([^<]*)<\/strong>/g)].map((m) => m[1]!);

describe('the consumer page in Chinese, Korean and Japanese', () => {
  const cases = [
    { lang: 'zh', accept: 'zh-CN,zh;q=0.9', heading: '产品流程', producer: '生产者', report: '⚑ 报告问题', share: '分享我的所在区域（可选）' },
    { lang: 'ko', accept: 'ko-KR,ko;q=0.9', heading: '제품 이동 경로', producer: '생산자', report: '⚑ 문제 신고', share: '내 지역 공유(선택)' },
    { lang: 'ja', accept: 'ja-JP,ja;q=0.9', heading: '製品の流れ', producer: '生産者', report: '⚑ 問題を報告', share: '地域を共有（任意）' },
  ] as const;

  for (const c of cases) {
    it(`serves the page in ${c.lang} by ?lang= and by Accept-Language, with its chrome, the trace labels and the report action in ${c.lang}`, async () => {
      const html = await open(`?lang=${c.lang}`);
      expect(html).toContain(`<html lang="${c.lang}">`);
      for (const word of [c.heading, `<dt>${c.producer}</dt>`, c.report, c.share]) expect(html).toContain(word);
      // The steps come from trace's labels in this language: none reads Vietnamese or English.
      const labels = steps(html);
      expect(labels.length).toBeGreaterThan(0);
      for (const label of labels) expect(label, label).not.toMatch(/[a-zA-Zà-ỹ]/);
      // Product text falls back field by field, English before Vietnamese, and says so.
      expect(html).toContain(`<h1 id="product-name" lang="en">${lot.name.en}</h1>`);
      // The same page for a phone set to the language.
      expect(steps(await open('', { 'accept-language': c.accept }))).toEqual(labels);
    });
  }

  it('keeps the Vietnamese and English pages as they were: each in its own language', async () => {
    const vi = await open('?lang=vi');
    const en = await open('?lang=en');
    expect(vi).toContain('<h1 id="product-name">');
    expect(vi).toContain('Hành trình sản phẩm');
    expect(en).toContain('Product journey');
    expect(en).toContain('⚑ Report a problem');
    for (const label of steps(en)) expect(label, label).toMatch(/^[A-Za-z ,]+$/);
  });
});
