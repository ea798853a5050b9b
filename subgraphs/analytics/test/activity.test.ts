import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { rowsOf, signViewer, sql, type Viewer } from '@nguon/shared';
import { startTestSubgraph, testDatabase, TEST_GATEWAY_SECRET, type TestDatabase } from '@nguon/shared/testing';
import { traceSubgraph } from '@nguon/trace';
import { demoOrgId } from '@nguon/demo/ids';
import { analyticsSubgraph, RollupKeeper } from '../src/server';

/**
 * Events, scans and recalls: seeded by trace's seed, then scans and a recall
 * made through trace's own mutations, so the figures come from the rows the
 * real flows write.
 */
const rollups = new RollupKeeper(60_000);
let db: TestDatabase;
let analytics: Awaited<ReturnType<typeof startTestSubgraph>>;
let trace: Awaited<ReturnType<typeof startTestSubgraph>>;

const user = (role: string, path: string): Viewer => ({
  kind: 'user',
  requestId: 't',
  userId: `u-${role}-${path}`,
  grants: [{ role: role as 'ANALYST', orgId: demoOrgId(path), path }],
});
const CITY = user('ANALYST', 'ct');
const THOT_NOT = user('ANALYST', 'ct.agri.thot_not');
const PHONG_DIEN = user('ANALYST', 'ct.agri.phong_dien');
const ADMIN = user('ADMIN', 'ct');
const ANONYMOUS: Viewer = { kind: 'anonymous', requestId: 't' };

const AGGREGATE = `query($input: AggregateInput!) { aggregate(input: $input) { rows { keys { dimension value } values { measure value unit } } pendingMeasures scope } }`;
const aggregate = async (input: Record<string, unknown>, viewer: Viewer = CITY) => {
  const { body } = await analytics.request(AGGREGATE, { input }, viewer);
  expect(body.errors).toBeUndefined();
  return body.data.aggregate as {
    rows: { keys: { dimension: string; value: string }[]; values: { measure: string; value: number | null; unit: string }[] }[];
    pendingMeasures: string[];
  };
};
const total = (rows: { values: { measure: string; value: number | null }[] }[], measure: string) =>
  rows.reduce((s, r) => s + (r.values.find((v) => v.measure === measure)?.value ?? 0), 0);
const query = async <T>(text: ReturnType<typeof sql>) => rowsOf<T>(await db.connection.drizzle().execute(text));

/** A published lot of an organization under `path`, with its owner's district. */
const lotUnder = async (path: string) =>
  (
    await query<{ id: string; district_code: string }>(sql`select l.id, o.district_code from trace.lots l join tenants.organization_scope o on o.id = l.owner_id
    where l.status = 'PUBLISHED' and (o.path = ${path} or o.path like ${`${path}.%`}) order by l.id limit 1`)
  )[0]!;

/** Events about at least one lot, recorded by organizations under `path`. */
const eventsUnder = async (path: string) =>
  Number(
    (
      await query<{ n: number }>(sql`select count(*)::int as n from trace.events e join tenants.organization_scope o on o.id = e.organization_id
    where (o.path = ${path} or o.path like ${`${path}.%`}) and exists (select 1 from trace.event_lots el where el.event_id = e.id)`)
    )[0]!.n,
  );

let thotNotLot: string;
let otherLot: string;
let recallId: string;

beforeAll(async () => {
  db = await testDatabase(inject('seededTemplate'));
  analytics = await startTestSubgraph(analyticsSubgraph({ rollups }), db.connection);
  trace = await startTestSubgraph(traceSubgraph(), db.connection);
  thotNotLot = (await lotUnder('ct.agri.thot_not')).id;
  otherLot = (await lotUnder('ct.agri.phong_dien')).id;
  // The demo seed opens a recall of its own (DEMO_RECALL); it is taken out of this copy so the figures are of the one recall made here.
  await query(sql`delete from trace.recall_lots`);
  await query(sql`delete from trace.recalls`);
  const scan = 'mutation($input: RecordScanInput!) { recordScan(input: $input) { recorded } }';
  for (const [lotId, times] of [
    [thotNotLot, 3],
    [otherLot, 2],
  ] as const) {
    for (let i = 0; i < times; i++) {
      const { body } = await trace.request(scan, { input: { lotId, lang: 'vi' } }, ANONYMOUS);
      expect(body.data.recordScan.recorded).toBe(true);
    }
  }
  const opened = await trace.request(
    'mutation($input: OpenRecallInput!) { openRecall(input: $input) { recall { id } } }',
    { input: { lotIds: [thotNotLot], reason: 'Test recall', severity: 'CLASS_II' } },
    ADMIN,
  );
  expect(opened.body.errors).toBeUndefined();
  recallId = opened.body.data.openRecall.recall.id;
  const [holding] = await query<{ lot_id: string; holder_id: string; quantity_held: string }>(
    sql`select lot_id, holder_id, quantity_held from trace.recall_lots where recall_id = ${recallId}::uuid and root`,
  );
  const recovered = await trace.request(
    'mutation($input: RecordRecallRecoveryInput!) { recordRecallRecovery(input: $input) { recall { id } } }',
    {
      input: { recallId, lotId: holding!.lot_id, holderId: holding!.holder_id, quantity: Number(holding!.quantity_held) / 4 },
    },
    ADMIN,
  );
  expect(recovered.body.errors).toBeUndefined();
  await rollups.refresh(db.connection.drizzle());
});
afterAll(async () => {
  await trace?.close();
  await analytics?.close();
  await db?.close();
});

describe('event, scan and recall measures', () => {
  it('counts every captured event once, for the organization that recorded it', async () => {
    const city = await aggregate({ measures: ['EVENT_COUNT'] });
    expect(city.pendingMeasures).toEqual([]);
    expect(city.rows[0]!.values[0]).toEqual({ measure: 'EVENT_COUNT', value: await eventsUnder('ct'), unit: 'count' });
    const byProduct = await aggregate({ measures: ['EVENT_COUNT'], groupBy: ['PRODUCT', 'MONTH'] });
    expect(total(byProduct.rows, 'EVENT_COUNT')).toBe(city.rows[0]!.values[0]!.value);
  });

  it('never shows a district analyst the events or scans of another district', async () => {
    const own = await aggregate({ measures: ['EVENT_COUNT', 'SCAN_COUNT'], groupBy: ['DISTRICT'] }, THOT_NOT);
    expect(own.rows.map((r) => r.keys[0]!.value)).toEqual(['923']);
    expect(own.rows[0]!.values).toEqual([
      { measure: 'EVENT_COUNT', value: await eventsUnder('ct.agri.thot_not'), unit: 'count' },
      { measure: 'SCAN_COUNT', value: 3, unit: 'count' },
    ]);
    const wide = await aggregate({ measures: ['SCAN_COUNT'], under: 'ct' }, THOT_NOT);
    expect(wide.rows[0]!.values[0]!.value).toBe(3);
    const other = await aggregate({ measures: ['SCAN_COUNT'] }, PHONG_DIEN);
    expect(other.rows[0]!.values[0]!.value).toBe(2);
  });

  it('counts scans per lot owner and product in the month they happened', async () => {
    const city = await aggregate({ measures: ['SCAN_COUNT'], groupBy: ['MONTH'] });
    const month = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7);
    expect(city.rows.filter((r) => r.values[0]!.value! > 0).map((r) => [r.keys[0]!.value, r.values[0]!.value])).toEqual([[month, 5]]);
  });

  it('joins production and event figures of the same groups', async () => {
    const { rows } = await aggregate({ measures: ['LOT_COUNT', 'EVENT_COUNT'], groupBy: ['PRODUCER'] });
    const lotsOnly = await aggregate({ measures: ['LOT_COUNT'], groupBy: ['PRODUCER'] });
    const eventsOnly = await aggregate({ measures: ['EVENT_COUNT'], groupBy: ['PRODUCER'] });
    expect(total(rows, 'LOT_COUNT')).toBe(total(lotsOnly.rows, 'LOT_COUNT'));
    expect(total(rows, 'EVENT_COUNT')).toBe(total(eventsOnly.rows, 'EVENT_COUNT'));
    // The mill records receiving and packing events: it has events as well as lots.
    expect(rows.every((r) => r.values.every((v) => typeof v.value === 'number'))).toBe(true);
  });

  it('orders groups by event count', async () => {
    const { rows } = await aggregate({ measures: ['EVENT_COUNT'], groupBy: ['PRODUCER'], orderBy: { measure: 'EVENT_COUNT', direction: 'DESC' }, first: 5 });
    const counts = rows.map((r) => r.values[0]!.value!);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('counts a recall, the hours to record its affected lots as recalled, and the share recovered', async () => {
    const [expected] = await query<{ held: string; recovered: string; hours: number }>(sql`
      select sum(rl.quantity_held)::text as held, sum(rl.quantity_recovered)::text as recovered,
        (select extract(epoch from max(e.record_time) - r.opened_at)::float8 / 3600 from trace.events e join trace.event_lots el on el.event_id = e.id
          where e.disposition = 'recalled' and el.lot_id in (select lot_id from trace.recall_lots where recall_id = r.id)) as hours
      from trace.recalls r join trace.recall_lots rl on rl.recall_id = r.id where r.id = ${recallId}::uuid group by r.id, r.opened_at`);
    // The city ADMIN may read the recall's INTERNAL records: exact figures.
    const { rows } = await aggregate({ measures: ['RECALL_COUNT', 'RECALL_HOURS_TO_IDENTIFY', 'RECALL_RECOVERED_SHARE'] }, ADMIN);
    const [count, hours, share] = rows[0]!.values;
    expect(count).toEqual({ measure: 'RECALL_COUNT', value: 1, unit: 'count' });
    expect(hours!.unit).toBe('hours');
    expect(hours!.value).toBeCloseTo(expected!.hours, 6);
    // Opening computes the affected lots and records their events in one transaction: minutes at most.
    expect(hours!.value).toBeGreaterThanOrEqual(-0.01);
    expect(hours!.value).toBeLessThan(0.1);
    expect(share).toEqual({ measure: 'RECALL_RECOVERED_SHARE', value: expect.any(Number), unit: 'ratio' });
    expect(share!.value).toBeCloseTo(Number(expected!.recovered) / Number(expected!.held), 9);
    expect(share!.value).toBeGreaterThan(0);
    // One recalled lot of one producer: an analyst gets the count, not the figures read off its records.
    const analyst = await analytics.request(
      `{ aggregate(input: { measures: [RECALL_COUNT, RECALL_HOURS_TO_IDENTIFY, RECALL_RECOVERED_SHARE] }) { rows { values { measure value suppressed suppressionReason } } } }`,
      {},
      CITY,
    );
    expect(analyst.body.data.aggregate.rows[0].values).toEqual([
      { measure: 'RECALL_COUNT', value: 1, suppressed: false, suppressionReason: null },
      { measure: 'RECALL_HOURS_TO_IDENTIFY', value: null, suppressed: true, suppressionReason: 'FEW_LOTS' },
      { measure: 'RECALL_RECOVERED_SHARE', value: null, suppressed: true, suppressionReason: 'FEW_LOTS' },
    ]);
  });

  it('shows a recall only to analysts over an affected lot’s owner', async () => {
    const own = await aggregate({ measures: ['RECALL_COUNT'] }, THOT_NOT);
    const other = await aggregate({ measures: ['RECALL_COUNT', 'RECALL_HOURS_TO_IDENTIFY', 'RECALL_RECOVERED_SHARE'] }, PHONG_DIEN);
    expect(own.rows[0]!.values[0]!.value).toBe(1);
    expect(other.rows[0]!.values.map((v) => v.value)).toEqual([0, null, null]);
  });

  it('groups recalls by the district and product of the affected lots, each recall once per group', async () => {
    const { rows } = await aggregate({ measures: ['RECALL_COUNT'], groupBy: ['DISTRICT', 'PRODUCT'] });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.values[0]!.value === 1)).toBe(true);
    const bySeason = await aggregate({ measures: ['RECALL_COUNT'], groupBy: ['SEASON'] });
    expect(bySeason.rows.map((r) => r.values[0]!.value)).toEqual([1]);
  });

  it('exports event counts beside production volume on a unit-less row per group, adding up to the query', async () => {
    const ministry: Viewer = { kind: 'client', requestId: 't', clientId: 'c', orgId: demoOrgId('ct'), path: 'ct', scopes: ['aggregates:read'] };
    const url = new URL('/export/aggregate.csv?measures=PRODUCTION_VOLUME,EVENT_COUNT&groupBy=DISTRICT&lang=en', analytics.url);
    const response = await fetch(url, { headers: { 'x-nguon-viewer': signViewer(ministry, TEST_GATEWAY_SECRET) } });
    expect(response.status).toBe(200);
    const lines = (await response.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('District code,District,Unit,Unit name,Production volume,Traceability events,Suppressed');
    const events = lines.slice(1).reduce((s, l) => s + Number(l.split(',').at(-2) || 0), 0);
    expect(events).toBe(await eventsUnder('ct'));
    expect(lines.slice(1).some((l) => l.split(',')[2] === '' && Number(l.split(',').at(-2)) > 0)).toBe(true);
  });
});
