import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { inTransaction, rowsOf, sql, stableId, type Viewer } from '@nguon/shared';
import { startSeededSubgraph, type TestDatabase, type TestSubgraph } from '@nguon/shared/testing';
import { demoOperator, demoOrgId, demoPaths } from '@nguon/demo/ids';
import { analyticsSubgraph, RollupKeeper } from '../src/server';

/**
 * What stage-aware measures do with genealogy the demo rice chain does not
 * have (test/stages.test.ts works the chain itself out by hand): a step that
 * repeats along a chain, and a transformation declared erroneous. Each test
 * starts from the seeded demo data and changes trace's tables directly, as
 * trace's own writes would leave them.
 *
 * The chain: DX26-001 + DX26-004 (1 000 KGM paddy each) → XAT-DX26-01,
 * 1 200 KGM milled rice, by the mill's `transforming` event; 1 000 KGM of it
 * packed into GOI-DX26-A/B (`packing`). The milled-rice product also has
 * DX26-089, 7 367 KGM the mill registered with no recorded input (primary).
 */
const rollups = new RollupKeeper(60_000);
let db: TestDatabase;
let subgraph: TestSubgraph;
let stop = async () => {};

const CITY_OFFICER: Viewer = { kind: 'user', requestId: 't', userId: 'u-officer-ct', grants: [{ role: 'OFFICER', orgId: demoOrgId('ct'), path: 'ct' }] };
const MILL = demoOrgId(demoPaths.operator(demoOperator('ct_luong_thuc_thot_not')));
const WINDOW = { from: '2026-02-01', to: '2026-03-31' };

beforeEach(async () => {
  ({ db, subgraph, stop } = await startSeededSubgraph(analyticsSubgraph({ rollups }), inject('seededTemplate')));
});
afterEach(() => stop());

/** The mill's milled-rice lot and the transformation that made it. */
async function milling() {
  const [row] = rowsOf<{ lot_id: string; product_id: string; event_id: string; event_key: string }>(
    await db.connection.drizzle().execute(sql`
      select l.id::text as lot_id, l.product_id::text, e.id::text as event_id, e.event_id as event_key
      from trace.lots l join trace.lot_edges le on le.child_lot_id = l.id and le.kind = 'TRANSFORMATION' join trace.events e on e.id = le.event_id
      where l.lot_code = 'XAT-DX26-01' and l.owner_id = ${MILL}::uuid limit 1`),
  );
  expect(row).toBeDefined();
  return row!;
}

async function figures(productId: string) {
  await rollups.refresh(db.connection.drizzle());
  const { body } = await subgraph.request(
    `query($input: AggregateInput!) { aggregate(input: $input) { rows { values { measure value unit stage } } } }`,
    { input: { measures: ['PRODUCTION_VOLUME', 'PROCESSED_OUTPUT'], filter: { ...WINDOW, productIds: [productId] } } },
    CITY_OFFICER,
  );
  expect(body.errors).toBeUndefined();
  return (body.data.aggregate.rows as { values: { measure: string; value: number | null; unit: string; stage: string | null }[] }[])
    .flatMap((r) => r.values)
    .filter((v) => v.value !== null)
    .map((v) => [v.measure, v.stage, v.unit, v.value]);
}

describe('stages along a chain', () => {
  it('never adds a second pass of one step to the first: white rice milled from milled rice is `transforming #2`', async () => {
    const mill = await milling();
    // 1 200 KGM milled rice polished again into 1 000 KGM of the same product, by the same step.
    const white = stableId('lot', 'stage-chains-white');
    await inTransaction(db.connection.drizzle(), async (tx) => {
      await tx.execute(sql`insert into trace.lots (id, lot_code, product_id, owner_id, quantity, unit, produced_on, status)
        values (${white}::uuid, 'XAT-DX26-01-W', ${mill.product_id}::uuid, ${MILL}::uuid, '1000', 'KGM', '2026-03-19', 'PUBLISHED')`);
      await tx.execute(sql`insert into trace.lot_edges (parent_lot_id, child_lot_id, event_id, kind)
        values (${mill.lot_id}::uuid, ${white}::uuid, ${mill.event_id}::uuid, 'TRANSFORMATION')`);
    });
    expect(await figures(mill.product_id)).toEqual([
      ['PRODUCTION_VOLUME', null, 'KGM', 7367],
      ['PROCESSED_OUTPUT', 'packing', 'KGM', 1000],
      ['PROCESSED_OUTPUT', 'transforming', 'KGM', 1200],
      ['PROCESSED_OUTPUT', 'transforming #2', 'KGM', 1000],
    ]);
  });

  it('leaves a transformation declared erroneous out: what it made has no recorded input, so it is a first registration', async () => {
    const mill = await milling();
    expect(await figures(mill.product_id)).toEqual([
      ['PRODUCTION_VOLUME', null, 'KGM', 7367],
      ['PROCESSED_OUTPUT', 'packing', 'KGM', 1000],
      ['PROCESSED_OUTPUT', 'transforming', 'KGM', 1200],
    ]);
    // The mill declares its milling event erroneous (EPCIS errorDeclaration): a copy of it naming the event it corrects.
    await db.connection.drizzle().execute(sql`
      insert into trace.events (id, event_id, event_hash, organization_id, seq, prev_hash, chain_hash, type, action, biz_step, disposition,
        event_time, event_time_zone_offset, corrects_event_id, body)
      select ${stableId('event', 'stage-chains-declaration')}::uuid, 'urn:uuid:' || ${stableId('event-id', 'stage-chains-declaration')},
        'ni:///sha-256;stage-chains-declaration', e.organization_id, (select max(seq) + 1 from trace.events where organization_id = e.organization_id),
        e.chain_hash, e.chain_hash, e.type, e.action, e.biz_step, e.disposition, e.event_time, e.event_time_zone_offset, e.event_id, e.body
      from trace.events e where e.id = ${mill.event_id}::uuid`);
    // XAT-DX26-01's 1 200 KGM join primary production; the packs made from it by a valid event stay packing output.
    expect(await figures(mill.product_id)).toEqual([
      ['PRODUCTION_VOLUME', null, 'KGM', 7367 + 1200],
      ['PROCESSED_OUTPUT', 'packing', 'KGM', 1000],
    ]);
  });

  it("credits a lot shipped on by three organizations as one lot, so an analyst never sees that one lot's quantity", async () => {
    // DX26-001 (Thới Thuận's paddy) ships 1 000 KGM to the mill; two other organizations then ship the same lot on.
    const [shipping] = rowsOf<{ event_id: string; product_id: string; organization_id: string }>(
      await db.connection.drizzle().execute(sql`
        select e.id::text as event_id, l.product_id::text, e.organization_id::text from trace.events e
        join trace.event_lots el on el.event_id = e.id and el.role = 'QUANTITY' join trace.lots l on l.id = el.lot_id
        where l.lot_code = 'DX26-001' and e.biz_step = 'shipping' limit 1`),
    );
    expect(shipping).toBeDefined();
    const others = rowsOf<{ id: string }>(
      await db.connection.drizzle().execute(sql`
        select id::text from tenants.organizations where kind in ('BUSINESS', 'STORE') and id <> ${shipping!.organization_id}::uuid order by id limit 2`),
    );
    expect(others).toHaveLength(2);
    for (const [i, other] of others.entries()) {
      const id = stableId('event', `stage-chains-reship-${i}`);
      await inTransaction(db.connection.drizzle(), async (tx) => {
        await tx.execute(sql`
          insert into trace.events (id, event_id, event_hash, organization_id, seq, prev_hash, chain_hash, type, action, biz_step, disposition,
            event_time, event_time_zone_offset, body)
          select ${id}::uuid, 'urn:uuid:' || ${id}, 'ni:///sha-256;stage-chains-reship-' || ${String(i)}, ${other.id}::uuid,
            coalesce((select max(seq) + 1 from trace.events where organization_id = ${other.id}::uuid), 1),
            e.chain_hash, e.chain_hash, e.type, e.action, e.biz_step, e.disposition, e.event_time + interval '1 day', e.event_time_zone_offset, e.body
          from trace.events e where e.id = ${shipping!.event_id}::uuid`);
        await tx.execute(sql`
          insert into trace.event_lots (event_id, lot_id, role, ordinal, quantity, unit)
          select ${id}::uuid, lot_id, role, ordinal, quantity, unit from trace.event_lots where event_id = ${shipping!.event_id}::uuid`);
      });
    }
    await rollups.refresh(db.connection.drizzle());
    const ask = async (viewer: Viewer) => {
      const { body } = await subgraph.request(
        `query($input: AggregateInput!) { aggregate(input: $input) { rows { values { measure value stage suppressed suppressionReason } } } }`,
        { input: { measures: ['SHIPPED_QUANTITY'], filter: { ...WINDOW, productIds: [shipping!.product_id] } } },
        viewer,
      );
      expect(body.errors).toBeUndefined();
      return body.data.aggregate.rows.flatMap((r: { values: unknown[] }) => r.values);
    };
    // An officer reads the flow: three dispatches of the same 1 000 KGM.
    expect(await ask(CITY_OFFICER)).toEqual([{ measure: 'SHIPPED_QUANTITY', value: 3000, stage: 'PRIMARY', suppressed: false, suppressionReason: null }]);
    // Three organizations, but one lot: adding the cells' lot counts would pass the threshold of 3 lots and show it.
    const analyst: Viewer = { kind: 'user', requestId: 't', userId: 'u-analyst-ct', grants: [{ role: 'ANALYST', orgId: demoOrgId('ct'), path: 'ct' }] };
    expect(await ask(analyst)).toEqual([{ measure: 'SHIPPED_QUANTITY', value: null, stage: 'PRIMARY', suppressed: true, suppressionReason: 'FEW_LOTS' }]);
  });
});
