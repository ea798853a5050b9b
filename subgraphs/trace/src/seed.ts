import { stableId, type Database } from '@nguon/shared';
import { AREAS, DEFAULT_DEMO_LAYOUT, DEMO_RECALL, PRODUCTS, type DemoLayout } from '@nguon/demo/cantho';
import { between, seededRandom } from '@nguon/demo/random';
import { demoOperator, demoOrgId, demoPaths, demoProductId, demoTree } from '@nguon/demo/ids';
import { lots } from './db/schema';
import { normalizeEvent } from './epcis/event';
import type { EventInput } from './generated/graphql';
import { appendToChain } from './services/capture';
import { recordOpenedRecall } from './services/recall';
import { lotsByIds } from './data/lots';

/** Mekong Delta rice seasons: winter–spring, summer–autumn, autumn–winter, with their harvest months. */
const SEASONS = [
  { code: 'DX', name: 'Đông Xuân', harvestMonth: 2 },
  { code: 'HT', name: 'Hè Thu', harvestMonth: 7 },
  { code: 'TD', name: 'Thu Đông', harvestMonth: 10 },
] as const;

const iso = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Lots for every demo product: seasonal crops one lot per season over the
 * last two years, other products a lot every couple of months. Mostly
 * published; a few drafts and one recalled lot.
 */
export async function seedTrace(db: Database, layout: DemoLayout = DEFAULT_DEMO_LAYOUT): Promise<void> {
  const random = seededRandom(20260301);
  const rows: (typeof lots.$inferInsert)[] = [];
  PRODUCTS.forEach((product, index) => {
    const owner = demoOrgId(demoPaths.operator(demoOperator(product.operator)));
    const productId = demoProductId(product);
    const count = product.seasonal ? 6 : between(random, 2, 5);
    for (let n = 0; n < count; n++) {
      let produced: Date;
      let season: string | null = null;
      let code: string;
      if (product.seasonal) {
        const s = SEASONS[n % 3]!;
        const year = 2024 + Math.floor(n / 3) + (s.code === 'DX' ? 1 : 0);
        produced = new Date(Date.UTC(year, s.harvestMonth - 1, between(random, 1, 28)));
        season = s.code === 'DX' ? `${s.name} ${year - 1}-${year}` : `${s.name} ${year}`;
        code = `${s.code}${String(year).slice(2)}-${String(index + 1).padStart(3, '0')}`;
      } else {
        produced = new Date(Date.UTC(2025, n * 2 + between(random, 0, 1), between(random, 1, 28)));
        code = `L${iso(produced).replace(/-/g, '').slice(2)}-${String(n + 1).padStart(2, '0')}`;
      }
      const expires = new Date(produced.getTime() + product.shelfLifeDays * 86_400_000);
      // The recalled lot is published here and recalled by a real recall record (seedRecall).
      const status = index % 9 === 8 ? 'DRAFT' : n === count - 1 && index % 7 === 3 ? 'DRAFT' : 'PUBLISHED';
      rows.push({
        id: stableId('lot', `${productId}/${code}`),
        lotCode: code,
        productId,
        ownerId: owner,
        season,
        quantity: String(product.unit === 'KGM' ? between(random, 200, 8000) : between(random, 100, 3000)),
        unit: product.unit === 'KGM' || product.unit === 'LTR' ? product.unit : 'H87',
        producedOn: iso(produced),
        expiresOn: iso(expires),
        status,
        productionAreaId: product.seasonal ? areaOf(product.operator) : null,
      });
    }
  });
  await db.insert(lots).values(rows);
  await seedEvents(db, rows);
  await seedRecall(db, rows, layout);
}

/**
 * The demo's recall (DEMO_RECALL), opened through the same write as
 * openRecall — recall row, holders net of shipments, `recalled` events,
 * notifications, the OPEN act — by the producer's district officer, at a
 * fixed time with stable ids, so the recalled lot's page gives the reason.
 */
async function seedRecall(db: Database, seeded: (typeof lots.$inferInsert)[], layout: DemoLayout) {
  const product = PRODUCTS.find((p) => p.operator === DEMO_RECALL.operator && p.itemRef === DEMO_RECALL.itemRef)!;
  const productId = demoProductId(product);
  const target = seeded.filter((l) => l.productId === productId)[DEMO_RECALL.lotIndex]!;
  const op = demoOperator(DEMO_RECALL.operator);
  const id = stableId('recall', `demo/${target.id}`);
  const opened = new Date(Date.parse(`${target.producedOn}T09:00:00+07:00`) + DEMO_RECALL.openedAfterDays * 86_400_000);
  const eventTime = `${new Date(opened.getTime() + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;
  await recordOpenedRecall(db, {
    id,
    reason: DEMO_RECALL.reasonVi,
    severity: DEMO_RECALL.severity,
    actorId: null,
    actorKind: null,
    // The supervising area of the layout: the district (2019) or the commune/ward (2025).
    authorityPath: demoTree(layout).areaOf(op),
    authority: 'SUPERVISOR',
    roots: await lotsByIds(db, [target.id!]),
    openedAt: { eventTime, eventId: (lotId) => `urn:uuid:${stableId('event', `recalled/${id}/${lotId}`)}`, actionId: stableId('recall-action', `${id}/open`) },
  });
}

/** Catalog names production areas by stableId('production-area', code); we keep the id only. */
const areaOf = (operator: string) => {
  const area = AREAS.find((a) => a.operator === operator);
  return area ? stableId('production-area', area.code) : null;
};

const orgOf = (slug: string) => demoOrgId(demoPaths.operator(demoOperator(slug)));
const at = (date: string, hour: number) => `${date}T${String(hour).padStart(2, '0')}:00:00+07:00`;

/**
 * Events for the demo: every visible lot is commissioned (harvested, for
 * seasonal crops) by its owner, and one full rice chain runs end to end —
 * paddy from two cooperatives milled by Thốt Nốt Food Grain, packed, shipped
 * to two stores and received there. Event ids are stable; each
 * organization's events join its hash chain.
 */
async function seedEvents(db: Database, seeded: (typeof lots.$inferInsert)[]) {
  const byOrg = new Map<string, EventInput[]>();
  const add = (orgId: string, key: string, event: Omit<EventInput, 'eventID'>) =>
    byOrg.set(orgId, [...(byOrg.get(orgId) ?? []), { ...event, eventID: `urn:uuid:${stableId('event', key)}` }]);
  for (const lot of seeded) {
    if (lot.status === 'DRAFT') continue;
    add(lot.ownerId, `commission/${lot.id}`, {
      type: 'OBJECT_EVENT',
      action: 'ADD',
      eventTime: at(lot.producedOn!, 7),
      bizStep: lot.season ? 'harvesting' : 'commissioning',
      disposition: 'active',
      quantities: [{ lotId: lot.id, quantity: Number(lot.quantity), unit: lot.unit }],
      ...(lot.season ? { ilmd: { season: lot.season } } : {}),
    });
  }

  // The rice chain: two farm lots of the 2025-2026 winter–spring crop.
  const farmLot = (slug: string) => seeded.find((l) => l.ownerId === orgOf(slug) && l.lotCode.startsWith('DX26'))!;
  const paddyA = farmLot('htx_lua_thoi_thuan');
  const paddyB = farmLot('htx_lua_tan_loc');
  const mill = orgOf('ct_luong_thuc_thot_not');
  const millProduct = demoProductId(PRODUCTS.find((p) => p.operator === 'ct_luong_thuc_thot_not')!);
  const stores = [orgOf('st_mekong_xanh_ninh_kieu'), orgOf('ch_nong_san_an_toan_thot_not')];
  const chainLot = (code: string, quantity: number, producedOn: string): typeof lots.$inferInsert => ({
    id: stableId('lot', `${millProduct}/${code}`),
    lotCode: code,
    productId: millProduct,
    ownerId: mill,
    season: 'Đông Xuân 2025-2026',
    quantity: String(quantity),
    unit: 'KGM',
    producedOn,
    expiresOn: '2027-03-20',
    status: 'PUBLISHED',
  });
  const rice = chainLot('XAT-DX26-01', 1200, '2026-03-18');
  const packs = [chainLot('GOI-DX26-A', 500, '2026-03-20'), chainLot('GOI-DX26-B', 500, '2026-03-20')];
  await db.insert(lots).values([rice, ...packs]);

  const move = (
    lotId: string,
    from: string,
    to: string,
    quantity: number,
    time: string,
    step: 'shipping' | 'receiving',
    doc: string,
  ): Omit<EventInput, 'eventID'> => ({
    type: 'OBJECT_EVENT',
    action: 'OBSERVE',
    eventTime: time,
    bizStep: step,
    disposition: step === 'shipping' ? 'in_transit' : 'sellable_accessible',
    quantities: [{ lotId, quantity, unit: 'KGM' }],
    sourceParties: [{ type: 'owning_party', organizationId: from }],
    destinationParties: [{ type: 'owning_party', organizationId: to }],
    bizTransactions: [{ type: 'desadv', id: doc }],
  });
  for (const [paddy, n] of [
    [paddyA, 1],
    [paddyB, 2],
  ] as const) {
    add(paddy.ownerId, `ship/${paddy.id}`, move(paddy.id, paddy.ownerId, mill, 1000, at('2026-03-15', 6 + n), 'shipping', `PXK-2026-03-0${n}`));
    add(mill, `receive/${paddy.id}`, move(paddy.id, paddy.ownerId, mill, 1000, at('2026-03-15', 14 + n), 'receiving', `PXK-2026-03-0${n}`));
  }
  add(mill, 'mill/XAT-DX26-01', {
    type: 'TRANSFORMATION_EVENT',
    eventTime: at('2026-03-18', 8),
    bizStep: 'transforming',
    disposition: 'active',
    inputs: [paddyA, paddyB].map((p) => ({ lotId: p.id, quantity: 1000, unit: 'KGM' })),
    outputs: [{ lotId: rice.id, quantity: 1200, unit: 'KGM' }],
    certificationInfo: ['HACCP-CT-2025-114'],
  });
  add(mill, 'pack/DX26', {
    type: 'TRANSFORMATION_EVENT',
    eventTime: at('2026-03-20', 9),
    bizStep: 'packing',
    disposition: 'active',
    inputs: [{ lotId: rice.id, quantity: 1000, unit: 'KGM' }],
    outputs: packs.map((p) => ({ lotId: p.id!, quantity: 500, unit: 'KGM' })),
  });
  packs.forEach((pack, i) => {
    add(mill, `ship/${pack.id}`, move(pack.id!, mill, stores[i]!, 500, at('2026-03-21', 7 + i), 'shipping', `HD-2026-${101 + i}`));
    add(stores[i]!, `receive/${pack.id}`, move(pack.id!, mill, stores[i]!, 500, at('2026-03-21', 15 + i), 'receiving', `HD-2026-${101 + i}`));
  });

  for (const [orgId, events] of [...byOrg.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    events.sort((a, b) => a.eventTime.localeCompare(b.eventTime));
    await appendToChain(
      db,
      orgId,
      events.map((e, i) => normalizeEvent(e, `seed.${orgId}.${i}`)),
    );
  }
}
