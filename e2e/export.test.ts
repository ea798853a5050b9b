import { signViewer } from '@nguon/shared/viewer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEmail, startTestStack, type TestStack } from './helpers';

let stack: TestStack;
let key: string;
let ministry: { id: string; organization: { id: string; path: string } };
beforeAll(async () => {
  stack = await startTestStack();
  const admin = await stack.tokenFor(demoEmail('ADMIN', 'ct'));
  const city = await stack.gql('{ organizationByPath(path: "ct") { id } }');
  const created = await stack.gql(
    'mutation($i: CreateApiClientInput!) { createApiClient(input: $i) { key client { id organization { id path } } } }',
    { i: { organizationId: city.data.organizationByPath.id, name: 'Bộ Nông nghiệp và Môi trường', scopes: ['AGGREGATES_READ'] } },
    { token: admin },
  );
  key = created.data.createApiClient.key;
  ministry = created.data.createApiClient.client;
});
afterAll(() => stack?.stop());

const exportUrl = (query: string) => stack.gateway.url.replace(/\/graphql$/, `/export/aggregate.csv?${query}`);

describe('CSV export for ministry systems at the gateway', () => {
  it('streams production volume by district and season to an API client with aggregates:read', async () => {
    const response = await fetch(exportUrl('measures=PRODUCTION_VOLUME&groupBy=DISTRICT,SEASON'), { headers: { authorization: `ApiKey ${key}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/Quận\/huyện/);
    expect(lines.length).toBeGreaterThan(2);
  });

  it('passes the analytics answer through unchanged: the same bytes and headers as the subgraph route', async () => {
    const query = 'measures=LOT_COUNT&groupBy=SECTOR&lang=en';
    const viaEdge = await fetch(exportUrl(query), { headers: { authorization: `ApiKey ${key}` } });
    expect(viaEdge.status).toBe(200);
    // The viewer the gateway signs for this key, signed here for the subgraph route itself.
    const viewer = {
      kind: 'client' as const,
      requestId: 'direct',
      clientId: ministry.id,
      orgId: ministry.organization.id,
      path: ministry.organization.path,
      scopes: ['aggregates:read' as const],
    };
    const direct = await fetch(`${stack.subgraphs.analytics.url.replace(/\/graphql$/, '')}/export/aggregate.csv?${query}`, {
      headers: { 'x-nguon-viewer': signViewer(viewer, stack.gatewaySecret) },
    });
    expect(direct.status).toBe(200);
    for (const header of ['content-type', 'content-disposition']) expect(viaEdge.headers.get(header)).toBe(direct.headers.get(header));
    expect(Buffer.from(await viaEdge.arrayBuffer())).toEqual(Buffer.from(await direct.arrayBuffer()));
  });

  it('refuses a user token without the scope, anonymous callers and a bad key', async () => {
    const analyst = await stack.tokenFor(demoEmail('ANALYST', 'ct'));
    expect((await fetch(exportUrl('measures=LOT_COUNT&groupBy=DISTRICT'), { headers: { authorization: `Bearer ${analyst}` } })).status).toBe(403);
    expect((await fetch(exportUrl('measures=LOT_COUNT&groupBy=DISTRICT'))).status).toBe(401);
    expect((await fetch(exportUrl('measures=LOT_COUNT&groupBy=DISTRICT'), { headers: { authorization: `ApiKey ngk_${'x'.repeat(43)}` } })).status).toBe(401);
  });

  it('leaves withheld volumes empty and names the reason, unless the client may read the lots', async () => {
    const admin = await stack.tokenFor(demoEmail('ADMIN', 'ct'));
    const city = await stack.gql('{ organizationByPath(path: "ct") { id } }');
    const created = await stack.gql(
      'mutation($i: CreateApiClientInput!) { createApiClient(input: $i) { key } }',
      { i: { organizationId: city.data.organizationByPath.id, name: 'Thanh tra', scopes: ['AGGREGATES_READ', 'INTERNAL_READ'] } },
      { token: admin },
    );
    const rows = async (apiKey: string) => {
      const response = await fetch(exportUrl('measures=PRODUCTION_VOLUME,LOT_COUNT&groupBy=DISTRICT,SEASON&lang=en'), {
        headers: { authorization: `ApiKey ${apiKey}` },
      });
      expect(response.status).toBe(200);
      const lines = (await response.text())
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n/);
      expect(lines[0]).toBe('District code,District,Season key,Season,Unit,Unit name,Production volume,Lots,Suppressed');
      return lines.slice(1).map((l) => l.split(','));
    };
    const ministry = await rows(key);
    const inspector = await rows(created.data.createApiClient.key);
    const withheld = ministry.filter((c) => c[6] === '');
    expect(withheld.length).toBeGreaterThan(0);
    for (const c of withheld) expect(c[8]).toMatch(/^PRODUCTION_VOLUME=(FEW_LOTS|FEW_PRODUCERS|SECONDARY)$/);
    for (const c of ministry.filter((c) => c[6] !== '')) expect(c[8]).toBe('');
    for (const c of ministry.filter((c) => Number(c[7]) < 3)) expect(c[6]).toBe('');
    // The same groups, every volume shown.
    expect(inspector.map((c) => c.slice(0, 6))).toEqual(ministry.map((c) => c.slice(0, 6)));
    expect(inspector.every((c) => c[6] !== '' && c[8] === '')).toBe(true);
  });

  it('gives a ministry API client the same aggregate in vi, en and zh with labelled units, seasons and sectors, codes unchanged', async () => {
    const file = async (lang: string | null, acceptLanguage?: string) => {
      const response = await fetch(exportUrl(`measures=PRODUCTION_VOLUME,LOT_COUNT&groupBy=SECTOR,SEASON${lang ? `&lang=${lang}` : ''}`), {
        headers: { authorization: `ApiKey ${key}`, ...(acceptLanguage ? { 'accept-language': acceptLanguage } : {}) },
      });
      expect(response.status).toBe(200);
      const lines = (await response.text())
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n/)
        .map((l) => l.split(','));
      return { language: response.headers.get('content-language'), header: lines[0]!, rows: lines.slice(1) };
    };
    const [vi, en, zh] = [await file('vi'), await file('en'), await file('zh')];
    expect([vi.language, en.language, zh.language]).toEqual(['vi', 'en', 'zh']);
    expect(vi.header.slice(4, 6)).toEqual(['Đơn vị', 'Tên đơn vị']);
    expect(en.header.slice(4, 6)).toEqual(['Unit', 'Unit name']);
    expect(zh.header.slice(4, 6)).toEqual(['单位', '单位名称']);
    // Codes and figures are identical; the label columns are in each file's language.
    const codes = (rows: string[][]) => rows.map((c) => [c[0], c[2], c[4], c[6], c[7], c[8]]);
    expect(codes(en.rows)).toEqual(codes(vi.rows));
    expect(codes(zh.rows)).toEqual(codes(vi.rows));
    const labels = (rows: string[][]) => rows.find((c) => c[0] === 'AGRICULTURE' && c[2] === '2025-DX' && c[4] === 'KGM')!;
    expect([1, 3, 5].map((i) => labels(vi.rows)[i])).toEqual(['Nông nghiệp và Môi trường', 'Đông Xuân 2024-2025', 'kilôgam (kg)']);
    expect([1, 3, 5].map((i) => labels(en.rows)[i])).toEqual(['Agriculture and Environment', 'Winter–Spring 2024–2025', 'kilograms (kg)']);
    expect([1, 3, 5].map((i) => labels(zh.rows)[i])).toEqual(['农业与环境', '2024–2025年冬春季', '千克 (kg)']);
    // The edge passes the client's Accept-Language on, as the graph does.
    expect((await file(null, 'zh-CN,zh;q=0.9')).header).toEqual(zh.header);
  });

  it('answers an unknown grouping with 400 and the field', async () => {
    const response = await fetch(exportUrl('measures=LOT_COUNT&groupBy=PLANET'), { headers: { authorization: `ApiKey ${key}` } });
    expect(response.status).toBe(400);
  });
});
