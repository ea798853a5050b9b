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

describe('the report-a-problem form in Chinese, Korean and Japanese', () => {
  /** The form the consumer page's report action links to, fetched as a phone would (the href's &amp; unescaped). */
  const reportForm = async (query: string, headers: Record<string, string> = {}) => {
    const href = /<a id="report-problem" class="button" href="([^"]+)"/.exec(await open(query, headers))![1]!.replaceAll('&amp;', '&');
    const response = await fetch(`${base}${href}`, { headers });
    expect(response.status).toBe(200);
    return { href, language: response.headers.get('content-language'), html: await response.text() };
  };
  const cases = [
    {
      lang: 'zh',
      accept: 'zh-CN,zh;q=0.9',
      words: ['<h1>报告问题</h1>', '<legend>问题类型</legend>', '提交报告', '质量（变质、异味、异物）', '疑似假冒', '<dt>批号</dt>'],
    },
    {
      lang: 'ko',
      accept: 'ko-KR,ko;q=0.9',
      words: ['<h1>문제 신고</h1>', '<legend>문제 유형</legend>', '신고 보내기', '품질(변질, 맛·냄새, 이물질)', '위조품 의심', '<dt>로트 번호</dt>'],
    },
    {
      lang: 'ja',
      accept: 'ja-JP,ja;q=0.9',
      words: ['<h1>問題を報告</h1>', '<legend>問題の種類</legend>', '報告を送信', '品質（変質・味・異物）', '偽造品の疑い', '<dt>ロット番号</dt>'],
    },
  ] as const;

  for (const c of cases) {
    it(`opens the form in ${c.lang} from the ${c.lang} consumer page, by ?lang= and by Accept-Language`, async () => {
      const byQuery = await reportForm(`?lang=${c.lang}`);
      expect(byQuery.href).toContain(`&lang=${c.lang}`);
      expect(byQuery.language).toBe(c.lang);
      expect(byQuery.html).toContain(`<html lang="${c.lang}">`);
      for (const word of c.words) expect(byQuery.html, word).toContain(word);
      expect(byQuery.html).toContain(`<input type="hidden" name="lang" value="${c.lang}">`);
      // The form's own words carry no English or Vietnamese: every label is in the language (the brand name Nguồn aside).
      const labels = [...byQuery.html.matchAll(/<(?:h1|legend|dt|label[^>]*|button[^>]*)>([^<]+)</g)].map((m) => m[1]!.trim()).filter(Boolean);
      for (const label of labels) expect(label, label).not.toMatch(/[a-zà-ỹ]{3,}/i);
      // The other languages stay one tap away, each in its own name.
      expect(byQuery.html).toContain('hreflang="vi" lang="vi" title="Tiếng Việt">VI</a>');
      expect(byQuery.html).not.toContain(`hreflang="${c.lang}"`);
      // A phone set to the language gets the same form without asking.
      const byHeader = await fetch(`${base}${byQuery.href.replace(/&lang=[a-z]+/, '')}`, { headers: { 'accept-language': c.accept } });
      const html = await byHeader.text();
      expect(html).toContain(`<html lang="${c.lang}">`);
      for (const word of c.words) expect(html, word).toContain(word);
    });
  }

  it('lets ?lang= win over Accept-Language, and reads Vietnamese for a language it lacks', async () => {
    const { href } = await reportForm('?lang=ja');
    const plain = href.replace(/&lang=[a-z]+/, '');
    const html = async (url: string, accept: string) => (await fetch(`${base}${url}`, { headers: { 'accept-language': accept } })).text();
    expect(await html(`${plain}&lang=ko`, 'ja-JP,ja')).toContain('<html lang="ko">');
    expect(await html(plain, 'ja')).toContain('<h1>問題を報告</h1>');
    expect(await html(plain, 'fr-FR,fr')).toContain('<html lang="vi">');
  });

  it('answers an unknown receipt on the status page in each language', async () => {
    for (const [lang, title, unknown] of [
      ['zh', '报告处理进度', '未找到此受理编号。'],
      ['ko', '신고 처리 상황', '이 접수 번호를 찾을 수 없습니다.'],
      ['ja', '報告の対応状況', 'この受付番号は見つかりません。'],
    ] as const) {
      const response = await fetch(`${base}/report/status?receipt=NOPE-0000&lang=${lang}`);
      const text = await response.text();
      expect(response.status).toBe(404);
      expect(text).toContain(`<html lang="${lang}">`);
      expect(text).toContain(`<h1>${title}</h1>`);
      expect(text).toContain(unknown);
    }
  });
});
