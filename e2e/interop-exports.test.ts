import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasValidCheckDigit } from '@nguon/gs1';
import { AREAS, PRODUCTS } from '@nguon/demo/cantho';
import { demoAreaGln, demoGtin, demoOperator, demoOperatorGln, demoOrgId, demoPaths } from '@nguon/demo/ids';
import { demoEmail, startTestStack, type TestStack } from './helpers';

let stack: TestStack;
let base: string;
let officer: string;
const millPath = demoPaths.operator(demoOperator('ct_luong_thuc_thot_not'));

beforeAll(async () => {
  stack = await startTestStack();
  base = stack.gateway.url.replace(/\/graphql$/, '');
  officer = await stack.tokenFor(demoEmail('OFFICER', 'ct'));
});
afterAll(() => stack?.stop());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** RFC 4180 with quoted cells; enough for our own output. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  return rows;
}

async function lotByCode(code: string): Promise<{ id: string; product: { id: string; gtin: string } }> {
  const owner = demoOrgId(millPath);
  const result = await stack.gql(
    `query($o: ID!) { lots(ownerId: $o, first: 100) { nodes { id lotCode product { id gtin } } } }`,
    { o: owner },
    { token: officer },
  );
  return result.data.lots.nodes.find((l: any) => l.lotCode === code);
}

describe('FSMA 204 electronic sortable spreadsheet', () => {
  it('the FSMA 204 spreadsheet for a seeded shipment has every required key data element filled and sorts by lot code and date', async () => {
    const pack = await lotByCode('GOI-DX26-A');
    const res = await fetch(`${base}/exports/fsma204.csv?gtin=${pack.product.gtin}&from=2026-03-01&to=2026-03-31`, { headers: bearer(officer) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(bytes.subarray(3).toString('utf8'));
    const records = rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])) as Record<string, string>);
    const { FSMA_REQUIRED } = await import('@nguon/interop/fsma204');

    // The chain of the seeded shipment: milled, packed, shipped to a store and received there.
    const a = records.filter((r) => r['Traceability Lot Code'] === 'GOI-DX26-A');
    expect(a.map((r) => r['Critical Tracking Event'])).toEqual(['Transformation', 'Shipping', 'Receiving']);
    const shipping = a[1]!;
    expect(shipping).toMatchObject({
      Quantity: '500',
      'Unit of Measure': 'KGM',
      Date: '2026-03-21',
      'Reference Document Type': 'Despatch Advice (ASN)',
      'Reference Document Number': 'HD-2026-101',
    });
    expect(shipping['Ship-From Location Description']).toMatch(/Thốt Nốt/);
    // Every party and place is named by its GLN: each demo organization has one (issue 19).
    expect(shipping['Ship-From Location Identifier']).toBe(`GLN ${demoOperatorGln(demoOperator('ct_luong_thuc_thot_not'))}`);
    const placeColumns = ['Traceability Lot Code Source Reference', 'Location Identifier', 'Ship-From Location Identifier', 'Ship-To Location Identifier'];
    for (const r of records) for (const c of placeColumns) if (r[c]) expect(r[c], `${r['EPCIS Event ID']} ${c}`).toMatch(/^GLN 893\d{10}$/);
    expect(shipping['Ship-To Location Description']).not.toBe(shipping['Ship-From Location Description']);
    expect(a[0]!['Input Traceability Lot Codes']).toBe('XAT-DX26-01');
    expect(records.some((r) => r['Traceability Lot Code'] === 'XAT-DX26-01' && (r['Input Traceability Lot Codes'] ?? '').split('; ').length === 2)).toBe(true);

    for (const r of records)
      for (const column of FSMA_REQUIRED[r['Critical Tracking Event'] as keyof typeof FSMA_REQUIRED])
        expect(r[column], `${r['EPCIS Event ID']} ${column}`).not.toBe('');
    const keys = records.map((r) => `${r['Traceability Lot Code']}|${r.Date}T${r.Time}`);
    expect(keys).toEqual([...keys].sort((x, y) => x.split('|')[0]!.localeCompare(y.split('|')[0]!) || x.localeCompare(y)));
    expect(records.every((r) => r.Date! >= '2026-03-01' && r.Date! <= '2026-03-31')).toBe(true);
  });

  it('names the field a lot was harvested on, by its name and GLN, in the harvesting rows', async () => {
    const farm = 'htx_lua_thoi_thuan';
    const product = PRODUCTS.find((p) => p.operator === farm && p.seasonal)!;
    const area = AREAS.find((a) => a.operator === farm)!;
    const res = await fetch(`${base}/exports/fsma204.csv?gtin=${demoGtin(product)}`, { headers: bearer(officer) });
    expect(res.status).toBe(200);
    const [header, ...rows] = parseCsv((await res.text()).replace(/^\uFEFF/, ''));
    const harvests = rows
      .map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])) as Record<string, string>)
      .filter((r) => r['Critical Tracking Event'] === 'Harvesting');
    expect(harvests.length).toBeGreaterThan(0);
    for (const r of harvests) {
      expect(r['Location Identifier']).toBe(`GLN ${demoAreaGln(area)}`);
      expect(r['Location Description']).toContain(area.nameVi);
      expect(r['Traceability Lot Code Source Reference']).toBe(`GLN ${demoOperatorGln(demoOperator(farm))}`);
    }
  });

  it('the FSMA 204 spreadsheet needs a signed-in caller who may read the events in full', async () => {
    const pack = await lotByCode('GOI-DX26-A');
    expect((await fetch(`${base}/exports/fsma204.csv?gtin=${pack.product.gtin}`)).status).toBe(401);
    expect((await fetch(`${base}/exports/fsma204.csv?gtin=${pack.product.gtin}&from=March`, { headers: bearer(officer) })).status).toBe(400);
    // The mill's own staff get the mill's steps; the stores' receipts are theirs to report.
    const staff = await stack.tokenFor(demoEmail('STAFF', millPath));
    const res = await fetch(`${base}/exports/fsma204.csv?productId=${pack.product.id}&from=2026-03-21&to=2026-03-21`, { headers: bearer(staff) });
    expect(res.status).toBe(200);
    const ctes = parseCsv((await res.text()).replace(/^\uFEFF/, ''))
      .slice(1)
      .map((r) => r[0]);
    expect(ctes).toEqual(['Shipping', 'Shipping']);
    expect(res.headers.get('x-omitted-events')).toBe('2');
  });
});

describe('Vietnam minimum data set (Circular 02/2024/TT-BKHCN)', () => {
  it('gives a published lot its ten items, standards only from valid certificates', async () => {
    const pack = await lotByCode('GOI-DX26-A');
    const res = await fetch(`${base}/exports/vn-minimum/lots/${pack.id}.json`);
    expect(res.status).toBe(200);
    const record = (await res.json()) as any;
    expect(record).toMatchObject({ recordId: pack.id, lot: { lotCode: 'GOI-DX26-A' }, productionTime: '2026-03-20', expiry: '2027-03-20' });
    expect(record.traceabilityCode).toContain(`/01/${pack.product.gtin}/10/GOI-DX26-A`);
    expect(record.producerName).toMatch(/Thốt Nốt/);
    expect(record.stages.map((s: any) => s.step)).toEqual(['packing', 'shipping', 'receiving']);
    for (const s of record.stages) expect(s.traceCode && s.locationCode && s.time).toBeTruthy();
    // The producer and each stage's place are named by GLN, not by a node of the city's tree (issue 19).
    expect(record.producerGln).toBe(demoOperatorGln(demoOperator('ct_luong_thuc_thot_not')));
    for (const s of record.stages) expect(s.locationCode).toMatch(/^893\d{10}$/);
    expect(record.completeness.items).toHaveLength(10);
    for (const s of record.standardsApplied) expect(s.validTo >= new Date().toISOString().slice(0, 10)).toBe(true);
    expect((await fetch(`${base}/exports/vn-minimum/lots/00000000-0000-7000-8000-000000000000.json`)).status).toBe(404);
  });

  it('reports per producer which items each lot misses: no image, expired certificates only', async () => {
    const products = await stack.gql(`{ products(first: 100) { nodes { id owner { id } images { url } certifications { status } } } }`, {}, { token: officer });
    const nodes = products.data.products.nodes as any[];
    const noImage = nodes.find((p) => p.images.length === 0);
    const expiredOnly = nodes.find((p) => p.certifications.length > 0 && p.certifications.every((c: any) => c.status !== 'VALID'));
    expect(noImage && expiredOnly).toBeTruthy();
    for (const [product, item] of [
      [noImage, 'productImage'],
      [expiredOnly, 'standardsApplied'],
    ] as const) {
      const res = await fetch(`${base}/exports/vn-minimum/producers/${product.owner.id}.json`, { headers: bearer(officer) });
      expect(res.status).toBe(200);
      const report = (await res.json()) as any;
      const lots = await stack.gql(`query($p: ID!) { lots(productId: $p, first: 100) { nodes { id } } }`, { p: product.id }, { token: officer });
      const ids = new Set(lots.data.lots.nodes.map((l: any) => l.id));
      const mine = report.lots.filter((l: any) => ids.has(l.lotId));
      expect(mine.length).toBeGreaterThan(0);
      for (const l of mine) expect(l.missing).toContain(item);
      expect(report.missingByItem[item]).toBeGreaterThanOrEqual(mine.length);
      expect(report.lotCount).toBe(report.lots.length);
    }
    expect((await fetch(`${base}/exports/vn-minimum/producers/${noImage.owner.id}.json`)).status).toBe(401);
  });
});

describe('demo GLNs', () => {
  it("gives every demo production area a GLN of its producer's company prefix with a valid check digit, shown as its SGLN", async () => {
    const glns = new Set<string>();
    for (const a of AREAS) {
      const r = await stack.gql('query($c: String!) { productionAreaByCode(code: $c) { gln glnExtension sgln { epcUrn digitalLink } } }', { c: a.code });
      const area = r.data.productionAreaByCode;
      expect(area.gln, a.code).toBe(demoAreaGln(a));
      expect(area.gln.startsWith(demoOperator(a.operator).companyPrefix) && hasValidCheckDigit(area.gln), a.code).toBe(true);
      expect(area.sgln).toEqual({
        epcUrn: `urn:epc:id:sgln:${area.gln.slice(0, 9)}.${area.gln.slice(9, 12)}.0`,
        digitalLink: `https://id.gs1.org/414/${area.gln}`,
      });
      glns.add(area.gln);
    }
    expect(glns.size).toBe(AREAS.length);
  });
});

describe('full-trace EPCIS export', () => {
  it('exports every event upstream and downstream of the milled lot: both farms harvest and both store receipts', async () => {
    const rice = await lotByCode('XAT-DX26-01');
    const res = await fetch(`${base}/epcis/export/lots/${rice.id}`, { headers: bearer(officer) });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as any;
    expect(doc).toMatchObject({ type: 'EPCISDocument', schemaVersion: '2.0' });
    const events = doc.epcisBody.eventList as any[];
    const steps = (s: string) => events.filter((e) => e.bizStep === `https://ref.gs1.org/cbv/BizStep-${s}`);
    expect(steps('harvesting').length).toBe(2);
    expect(steps('receiving').length).toBe(4);
    expect(steps('shipping').length).toBe(4);
    expect(events.filter((e) => e.type === 'TransformationEvent').length).toBe(2);
    expect(new Set(events.map((e) => e.eventID)).size).toBe(events.length);
    const receipts = steps('receiving').flatMap((e) => e.quantityList.map((q: any) => q.epcClass as string));
    // Sources and destinations are the organizations' PGLNs, never internal ids (issue 19).
    const parties = events.flatMap((e) => [...(e.sourceList ?? []).map((p: any) => p.source), ...(e.destinationList ?? []).map((p: any) => p.destination)]);
    expect(parties.length).toBeGreaterThanOrEqual(8);
    for (const p of parties) expect(p).toMatch(/^urn:epc:id:pgln:893\d{6}\.\d{3}$/);
    const mill = `urn:epc:id:pgln:${demoOperatorGln(demoOperator('ct_luong_thuc_thot_not')).slice(0, 9)}.${demoOperatorGln(demoOperator('ct_luong_thuc_thot_not')).slice(9, 12)}`;
    expect(steps('shipping').some((e) => e.sourceList?.some((p: any) => p.source === mill))).toBe(true);
    expect(receipts.filter((c) => /GOI-DX26-[AB]$/.test(c))).toHaveLength(2);
    expect((await fetch(`${base}/epcis/export/lots/${rice.id}`)).status).toBe(401);
  });
});
