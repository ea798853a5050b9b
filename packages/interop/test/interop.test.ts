import { describe, expect, it } from 'vitest';
import { compareFsmaRows, cteOf, FSMA_COLUMNS, FSMA_REQUIRED, fsmaRows } from '../src/fsma204';
import { locationCode, vnCompleteness, vnLotCompleteness, vnMinimumRecord, VN_ITEMS } from '../src/vnMinimum';

const org = (name: string, gln: string | null, path: string) => ({ name: { text: name }, address: 'Cần Thơ', gln, path });
const lotOf = (id: string, code: string) => ({
  lotId: id,
  quantity: 500,
  unit: 'KGM',
  lot: { lotCode: code, product: { id: 'p', gtin: '08930000000014', name: { text: 'Gạo' } }, owner: org('HTX', null, 'ct.agri.x') },
});

describe('FSMA 204', () => {
  it('reads CBV steps as critical tracking events, and other steps as none', () => {
    expect(cteOf({ type: 'OBJECT_EVENT', bizStep: 'shipping' })).toBe('Shipping');
    expect(cteOf({ type: 'OBJECT_EVENT', bizStep: 'packing' })).toBe('Initial Packing');
    expect(cteOf({ type: 'TRANSFORMATION_EVENT', bizStep: 'packing' })).toBe('Transformation');
    expect(cteOf({ type: 'OBJECT_EVENT', bizStep: 'inspecting' })).toBeNull();
  });

  it('makes one row per wanted lot of a shipment, every required column filled', () => {
    const event = {
      eventID: 'ni:///sha-256;abc?ver=CBV2.0',
      type: 'OBJECT_EVENT',
      bizStep: 'shipping',
      localEventTime: '2026-03-02T08:00:00+07:00',
      readPoint: null,
      bizLocation: '8930000000017',
      organization: org('Nhà máy', '8930000000017', 'ct.agri.mill'),
      quantities: [lotOf('a', 'GOI-A'), lotOf('b', 'GOI-B')],
      inputs: [],
      outputs: [],
      sourceParties: [{ type: 'owning_party', organization: org('Nhà máy', '8930000000017', 'ct.agri.mill') }],
      destinationParties: [{ type: 'owning_party', organization: org('Cửa hàng', null, 'ct.trade.store') }],
      bizTransactions: [{ type: 'desadv', id: 'urn:epcglobal:cbv:bt:8930000000017:ASN-1' }],
    };
    const rows = fsmaRows(event, new Set(['a']));
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(Object.keys(row)).toEqual([...FSMA_COLUMNS]);
    for (const column of FSMA_REQUIRED.Shipping) expect(row[column], column).not.toBe('');
    expect(row['Ship-To Location Identifier']).toBe('Nguồn ct.trade.store');
    expect(row['Location Identifier']).toBe('GLN 8930000000017');
    expect(row['Reference Document Type']).toBe('Despatch Advice (ASN)');
  });

  it('names the harvested field by its name and GLN, and an event’s own SGLN as recorded', () => {
    const harvest = {
      eventID: 'urn:uuid:h',
      type: 'OBJECT_EVENT',
      bizStep: 'harvesting',
      localEventTime: '2026-03-02T07:00:00+07:00',
      readPoint: null,
      bizLocation: null,
      organization: org('HTX', '8930000000017', 'ct.agri.x'),
      quantities: [
        {
          ...lotOf('a', 'DX26'),
          lot: { ...lotOf('a', 'DX26').lot, productionArea: { name: { text: 'Cánh đồng lớn' }, gln: '8936041331013', glnExtension: null } },
        },
      ],
      inputs: [],
      outputs: [],
      sourceParties: [],
      destinationParties: [],
      bizTransactions: [],
    };
    const [row] = fsmaRows(harvest, new Set(['a']));
    expect(row!['Location Identifier']).toBe('GLN 8936041331013');
    expect(row!['Location Description']).toBe('HTX, Cần Thơ, Cánh đồng lớn');
    const [atPlace] = fsmaRows({ ...harvest, bizLocation: 'urn:epc:id:sgln:893000000.001.kho-2' }, new Set(['a']));
    expect(atPlace!['Location Identifier']).toBe('urn:epc:id:sgln:893000000.001.kho-2');
  });

  it('orders rows by lot, time, then the CTEs’ own order', () => {
    const row = (lot: string, cte: string) =>
      ({
        ...Object.fromEntries(FSMA_COLUMNS.map((c) => [c, ''])),
        'Traceability Lot Code': lot,
        Date: '2026-03-02',
        Time: '08:00',
        'Critical Tracking Event': cte,
      }) as never;
    const sorted = [row('B', 'Shipping'), row('A', 'Receiving'), row('A', 'Transformation')].sort(compareFsmaRows);
    expect(sorted.map((r: Record<string, string>) => `${r['Traceability Lot Code']} ${r['Critical Tracking Event']}`)).toEqual([
      'A Transformation',
      'A Receiving',
      'B Shipping',
    ]);
  });
});

describe('Vietnam minimum data set', () => {
  const lot = {
    id: 'l1',
    lotCode: 'GOI-DX26-A',
    status: 'PUBLISHED',
    producedOn: '2026-03-01',
    expiresOn: null,
    season: 'Đông Xuân 2025-2026',
    digitalLink: 'https://id.example/01/08930000000014/10/GOI-DX26-A',
    product: {
      gtin: '08930000000014',
      brand: '',
      name: { text: 'Gạo ST25', lang: 'vi' },
      images: [],
      certifications: [
        { schemeName: 'VietGAP', issuer: 'Sở NN', number: 'VG-1', validFrom: '2025-01-01', validTo: '2027-01-01', status: 'VALID' },
        { schemeName: 'GlobalGAP', issuer: 'X', number: 'GG-1', validFrom: '2020-01-01', validTo: '2021-01-01', status: 'EXPIRED' },
      ],
    },
    owner: { name: { text: 'HTX Thới Thuận' }, address: 'Thốt Nốt', gln: null, path: 'ct.agri.thot_not.htx' },
    timeline: [
      {
        eventID: 'e1',
        bizStep: 'packing',
        bizStepLabel: 'Đóng gói',
        localEventTime: '2026-03-01T08:00:00+07:00',
        organization: { name: { text: 'HTX' }, gln: null, path: 'ct.agri.x' },
      },
    ],
  };

  it('names the missing required items, and claims only valid certificates', () => {
    const record = vnMinimumRecord(lot, '2026-12-03T00:00:00Z');
    expect(record.completeness.missing).toEqual(['productImage']);
    expect(record.standardsApplied.map((s: { scheme: string }) => s.scheme)).toEqual(['VietGAP']);
    expect(record.completeness.items).toHaveLength(VN_ITEMS.length);
    expect(record.completeness.items.find((i: { key: string }) => i.key === 'expiry').status).toBe('NOT_APPLICABLE');
    expect(record.stages[0].locationCode).toBe('ct.agri.x');
  });

  it('counts a producer’s lots by the items they lack', () => {
    const line = vnLotCompleteness(lot, vnMinimumRecord(lot));
    const report = vnCompleteness('org', [line, { ...line, lotId: 'l2', complete: true, missing: [] }]);
    expect(report).toMatchObject({ lotCount: 2, completeLotCount: 1, missingByItem: { productImage: 1, productName: 0 } });
  });

  it('locates an event by its own place, else its organization’s GLN, else its tree node', () => {
    expect(locationCode({ bizLocation: 'urn:epc:id:sgln:893.1.0', organization: { gln: '8930000000017', path: 'ct' } })).toBe('urn:epc:id:sgln:893.1.0');
    expect(locationCode({ organization: { gln: '8930000000017', path: 'ct' } })).toBe('8930000000017');
    expect(locationCode({ organization: { gln: null, path: 'ct.agri' } })).toBe('ct.agri');
  });
});
