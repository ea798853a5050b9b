/**
 * Deterministic Can Tho-shaped data set for the benchmark suite, generated
 * inside PostgreSQL (rows never cross the wire) into the services' own
 * schemas after their migrations ran. Every "random" choice is
 * hashtext(seed || key): the same seed and scale give the same rows.
 *
 * Scale S: 1 000·S producers, 50·S processors (BUSINESS), 200·S stores,
 * 10 000·S products, 100 000·S lots, ~940 000·S events.
 *
 * Genealogy (lot index i of L = 100 000·S):
 *   farm lots        i < 0.4L            producer-owned, 9 object events each
 *   processing lots  0.4L ≤ i < 0.6L     one TRANSFORMATION from farm lots 2k, 2k+1
 *   packages         0.6L ≤ i < L        one TRANSFORMATION from processing lot 0.4L + (i−0.6L)/2,
 *                                        then shipped to a store (custody hop)
 * so a farm lot reaches 1 processing lot and 2 packages downstream.
 */
import type { Sql } from 'postgres';
import { DEPARTMENTS, DISTRICTS } from '@nguon/demo/cantho';
import { demoOrgId } from '@nguon/demo/ids';

export interface Shape {
  producers: number;
  processors: number;
  stores: number;
  products: number;
  lots: number;
  farm: number;
  processing: number;
}

export const shapeOf = (scale: number): Shape => {
  const lots = Math.round(100_000 * scale);
  return {
    producers: Math.round(1_000 * scale),
    processors: Math.max(1, Math.round(50 * scale)),
    stores: Math.max(1, Math.round(200 * scale)),
    products: Math.round(10_000 * scale),
    lots,
    farm: Math.floor(lots * 0.4),
    processing: Math.floor(lots * 0.2),
  };
};

const uuidSql = (prefix: string, n: string) => `('${prefix}-' || lpad(to_hex(${n}), 12, '0'))::uuid`;
export const producerIdSql = (n: string) => uuidSql('00000000-0000-7000-9000', n);
export const processorIdSql = (n: string) => uuidSql('00000000-0000-7000-9100', n);
export const storeIdSql = (n: string) => uuidSql('00000000-0000-7000-9200', n);
export const productIdSql = (n: string) => uuidSql('00000000-0000-7000-8000', n);
export const lotIdSql = (n: string) => uuidSql('10000000-0000-7000-8000', n);
export const eventIdSql = (n: string) => uuidSql('20000000-0000-7000-8000', n);
export const lotId = (i: number) => `10000000-0000-7000-8000-${i.toString(16).padStart(12, '0')}`;

const STEPS = ['commissioning', 'inspecting', 'storing', 'inspecting', 'loading', 'shipping', 'receiving', 'storing', 'retail_selling'];
const CHUNK = 1_000_000;

export async function generate(raw: Sql, scale: number, seed: number, log: (msg: string) => void): Promise<Shape> {
  const s = shapeOf(scale);
  const rnd = (key: string) => `abs(hashtext('${seed}:' || ${key}))`;
  const t0 = performance.now();
  const step = (what: string) => log(`${what} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const nodes = DEPARTMENTS.flatMap((d) =>
    DISTRICTS.map((x) => ({ parent: demoOrgId(`ct.${d.slug}.${x.slug}`), path: `ct.${d.slug}.${x.slug}`, sector: d.sector, code: x.code })),
  );
  const orgs = async (kind: string, count: number, idSql: (n: string) => string, slug: string, label: string) =>
    raw.unsafe(
      `insert into tenants.organizations (id, parent_id, kind, sector, name, slug, path, depth, district_code, address)
       select ${idSql('i')}, (d->>'parent')::uuid, '${kind}', d->>'sector',
         jsonb_build_object('vi', '${label} ' || i, 'en', '${kind.toLowerCase()} ' || i), '${slug}' || i, (d->>'path') || '.${slug}' || i, 3, d->>'code',
         'Số ' || (1 + ${rnd(`'addr${slug}' || i`)} % 300) || ', TP. Cần Thơ'
       from generate_series(0, ${count - 1}) i, lateral (select ($1::text::jsonb) -> (${rnd(`'node${slug}' || i`)} % ${nodes.length})) x(d)`,
      [JSON.stringify(nodes)],
    );
  await orgs('PRODUCER', s.producers, producerIdSql, 'bp', 'Cơ sở sản xuất');
  await orgs('BUSINESS', s.processors, processorIdSql, 'bb', 'Nhà máy chế biến');
  await orgs('STORE', s.stores, storeIdSql, 'bs', 'Cửa hàng');
  step(`${s.producers + s.processors + s.stores} organizations`);

  // Re-read at write time: catalog's reference data (categories) comes from its own migrations.
  const categories = (await raw`select code from catalog.categories order by code`).map((r) => r.code as string);
  await raw.unsafe(
    `insert into catalog.products (id, owner_id, internal_code, gtin, category, name, unit, status, published_at, search_text)
     select ${productIdSql('p')}, ${producerIdSql(`p % ${s.producers}`)}, 'BENCH-' || p, null, ($1::text[])[1 + ${rnd(`'cat' || p`)} % array_length($1::text[], 1)],
       jsonb_build_object('vi', 'Sản phẩm ' || p, 'en', 'Product ' || p), case when p % 10 = 0 then 'H87' else 'KGM' end,
       'PUBLISHED', now(), 'san pham ' || p
     from generate_series(0, ${s.products - 1}) p`,
    [categories],
  );
  step(`${s.products} products`);

  // Lots: farm lots belong to their product's producer; processed lots and packages to a processor.
  const owner = `case when i < ${s.farm} then ${producerIdSql(`(i % ${s.products}) % ${s.producers}`)} else ${processorIdSql(`(${rnd(`'proc' || i`)}) % ${s.processors}`)} end`;
  await raw.unsafe(
    `insert into trace.lots (id, lot_code, product_id, owner_id, season, quantity, unit, produced_on, expires_on, status)
     select ${lotIdSql('i')}, 'L' || i, ${productIdSql(`i % ${s.products}`)}, ${owner},
       'Đông Xuân ' || (2021 + i % 5) || '-' || (2022 + i % 5), 20 + ${rnd(`'qty' || i`)} % 480, 'KGM',
       date '2021-01-01' + (${rnd(`'day' || i`)} % 1800), date '2021-01-01' + (${rnd(`'day' || i`)} % 1800) + 180,
       case when i % 997 = 0 then 'RECALLED' when i % 50 = 0 then 'DRAFT' else 'PUBLISHED' end
     from generate_series(0, ${s.lots - 1}) i`,
  );
  step(`${s.lots} lots`);

  // Object events: 9 per lot (commissioning … retail), event n = 9·lot + k, times one day apart.
  const objectEvents = s.lots * 9;
  for (let from = 0; from < objectEvents; from += CHUNK) {
    const to = Math.min(objectEvents, from + CHUNK) - 1;
    await raw.unsafe(
      `insert into trace.events (id, event_id, event_hash, organization_id, seq, prev_hash, chain_hash, type, action, biz_step, disposition, event_time, event_time_zone_offset, record_time, body)
       select ${eventIdSql('n')}, 'urn:uuid:' || ${eventIdSql('n')}, 'ni:///sha-256;' || md5('${seed}:e' || n) || '?ver=CBV2.0', l.owner_id, n + 1, '', '',
         'OBJECT_EVENT', case when k = 0 then 'ADD' else 'OBSERVE' end, st, 'active', t, '+07:00', t,
         jsonb_build_object('type', 'OBJECT_EVENT', 'action', case when k = 0 then 'ADD' else 'OBSERVE' end, 'eventTime', to_char(t at time zone '+07:00', 'YYYY-MM-DD"T"HH24:MI:SS.MS') || '+07:00',
           'eventTimeZoneOffset', '+07:00', 'bizStep', st, 'disposition', 'active', 'readPoint', 'urn:epc:id:sgln:8936040.' || lpad((n % 1000)::text, 5, '0') || '.0',
           'quantityList', jsonb_build_array(jsonb_build_object('lotId', l.id, 'quantity', 10, 'unit', 'KGM')))
       from generate_series(${from}::bigint, ${to}::bigint) n
       cross join lateral (select (n / 9)::int as i, (n % 9)::int as k) x
       join trace.lots l on l.id = ${lotIdSql('x.i')}
       cross join lateral (select (l.produced_on + k)::timestamp at time zone '+07:00' + interval '1 hour' * (8 + n % 9) as t, ($1::text[])[1 + k] as st) y`,
      [STEPS],
    );
    await raw.unsafe(
      `insert into trace.event_lots (event_id, lot_id, role, ordinal, quantity, unit)
       select ${eventIdSql('n')}, ${lotIdSql('(n / 9)')}, 'QUANTITY', 0, 10, 'KGM' from generate_series(${from}::bigint, ${to}::bigint) n`,
    );
    step(`${(to + 1).toLocaleString('en')} / ${objectEvents.toLocaleString('en')} object events`);
  }

  // Transformations: processing lot j ← farm lots 2k, 2k+1 (event objectEvents + k); package pair ← processing lot (event objectEvents + processing + k).
  const T1 = objectEvents;
  const T2 = objectEvents + s.processing;
  const packages = s.lots - s.farm - s.processing;
  const pairs = Math.min(s.processing, Math.ceil(packages / 2));
  const transform = async (base: number, count: number, inputs: string, outputs: string) =>
    raw.unsafe(
      `insert into trace.events (id, event_id, event_hash, organization_id, seq, prev_hash, chain_hash, type, biz_step, disposition, event_time, event_time_zone_offset, record_time, body)
       select ${eventIdSql(`${base} + k`)}, 'urn:uuid:' || ${eventIdSql(`${base} + k`)}, 'ni:///sha-256;' || md5('${seed}:e' || (${base} + k)) || '?ver=CBV2.0', o.owner_id, ${base} + k + 1, '', '',
         'TRANSFORMATION_EVENT', 'commissioning', 'active', t, '+07:00', t,
         jsonb_build_object('type', 'TRANSFORMATION_EVENT', 'eventTime', to_char(t at time zone '+07:00', 'YYYY-MM-DD"T"HH24:MI:SS.MS') || '+07:00', 'eventTimeZoneOffset', '+07:00',
           'bizStep', 'commissioning', 'disposition', 'active',
           'inputQuantityList', (select jsonb_agg(jsonb_build_object('lotId', ${lotIdSql('x')}, 'quantity', 10, 'unit', 'KGM')) from unnest(${inputs}) x),
           'outputQuantityList', (select jsonb_agg(jsonb_build_object('lotId', ${lotIdSql('x')}, 'quantity', 10, 'unit', 'KGM')) from unnest(${outputs}) x))
       from generate_series(0, ${count - 1}) k
       join trace.lots o on o.id = ${lotIdSql(`(${outputs})[1]`)}
       cross join lateral (select o.produced_on::timestamp at time zone '+07:00' + interval '7 hours' as t) y`,
    );
  const farmIn = `array[2 * k, 2 * k + 1]`;
  const procOut = `array[${s.farm} + k]`;
  const procIn = `array[${s.farm} + k]`;
  const packOut = `array(select p from unnest(array[${s.farm + s.processing} + 2 * k, ${s.farm + s.processing} + 2 * k + 1]) p where p < ${s.lots})`;
  await transform(T1, s.processing, farmIn, procOut);
  await transform(T2, pairs, procIn, packOut);
  for (const [base, count, inputs, outputs] of [
    [T1, s.processing, farmIn, procOut],
    [T2, pairs, procIn, packOut],
  ] as const) {
    await raw.unsafe(`
      insert into trace.event_lots (event_id, lot_id, role, ordinal, quantity, unit)
      select ${eventIdSql(`${base} + k`)}, ${lotIdSql('x')}, 'INPUT', (o - 1)::int, 10, 'KGM' from generate_series(0, ${count - 1}) k, unnest(${inputs}) with ordinality u(x, o)
      union all
      select ${eventIdSql(`${base} + k`)}, ${lotIdSql('x')}, 'OUTPUT', (o - 1)::int, 10, 'KGM' from generate_series(0, ${count - 1}) k, unnest(${outputs}) with ordinality u(x, o)`);
    await raw.unsafe(`
      insert into trace.lot_edges (parent_lot_id, child_lot_id, event_id, kind)
      select ${lotIdSql('a')}, ${lotIdSql('b')}, ${eventIdSql(`${base} + k`)}, 'TRANSFORMATION'
      from generate_series(0, ${count - 1}) k, unnest(${inputs}) a, unnest(${outputs}) b`);
  }
  // Packages go to stores: the shipping object event (k = 5) of each package is a custody hop.
  await raw.unsafe(`
    insert into trace.custody (event_id, lot_id, from_org_id, to_org_id, kind, quantity, unit)
    select ${eventIdSql('i * 9 + 5')}, ${lotIdSql('i')}, l.owner_id, ${storeIdSql(`${rnd(`'store' || i`)} % ${s.stores}`)}, 'SHIPPING', 10, 'KGM'
    from generate_series(${s.farm + s.processing}, ${s.lots - 1}) i join trace.lots l on l.id = ${lotIdSql('i')}`);
  await raw.unsafe(`
    insert into trace.chain_heads (organization_id, seq, head_hash)
    select organization_id, max(seq), '' from trace.events group by organization_id
    on conflict (organization_id) do update set seq = excluded.seq`);
  step(`${(T2 + pairs).toLocaleString('en')} events, genealogy and custody`);
  await raw.unsafe('analyze');
  step('analyzed');
  return s;
}
