import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, numeric, pgSchema, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The analytics service owns this Postgres schema. It reads the other
 * services' data only through the views declared here — the one explicit read
 * contract (docs/architecture.md §8) — so a change to another service's tables breaks
 * here, in a migration, not silently in a query.
 */
export const analytics = pgSchema('analytics');

/**
 * Lot statuses that never reach a statistic or forecast: an over-norm lot
 * waiting for an officer (UNDER_REVIEW) and one an officer rejected
 * (REJECTED). Trace owns the statuses; this contract only names the two
 * values, so every view that reads trace.lots filters them out here, once,
 * and every rollup, aggregate, export, stats field and forecast follows.
 */
const APPROVED_LOTS = sql`status not in ('UNDER_REVIEW', 'REJECTED')`;

export const organizations = analytics
  .view('organizations', {
    id: uuid().notNull(),
    path: text().notNull(),
    kind: text().notNull(),
    sector: text(),
    districtCode: text('district_code'),
  })
  .as(sql`select id, path, kind, sector, district_code from tenants.organization_scope`);

export const products = analytics
  .view('products', {
    id: uuid().notNull(),
    ownerId: uuid('owner_id').notNull(),
    category: text().notNull(),
    status: text().notNull(),
  })
  .as(sql`select id, owner_id, category, status from catalog.products`);

export const lots = analytics
  .view('lots', {
    id: uuid().notNull(),
    productId: uuid('product_id').notNull(),
    ownerId: uuid('owner_id').notNull(),
    status: text().notNull(),
    quantity: numeric().notNull(),
    unit: text().notNull(),
    season: text(),
  })
  .as(sql`select id, product_id, owner_id, status, quantity, unit, season from trace.lots where ${APPROVED_LOTS}`);

/**
 * Public labels for grouping keys: organization names are PUBLIC data
 * (tenants classifies them so); contact and people never enter this schema.
 */
export const organizationLabels = analytics
  .view('organization_labels', {
    id: uuid().notNull(),
    kind: text().notNull(),
    districtCode: text('district_code'),
    name: jsonb().$type<Record<string, string>>().notNull(),
    active: boolean().notNull(),
    level: text().notNull(),
  })
  .as(sql`select id, kind, district_code, name, active, level from tenants.organizations`);

/** Administrative levels of the tree (tenants.levels): codes an aggregate may group by, and their names. */
export const levels = analytics
  .view('levels', {
    code: text().notNull(),
    rank: integer().notNull(),
    name: jsonb().$type<Record<string, string>>().notNull(),
  })
  .as(sql`select code, rank, name from tenants.levels`);

/**
 * Each organization with each of its ancestors (itself included) and the
 * ancestor's level: how statistics group by any level (AREA) from the tree
 * as it is now. The prefixes of a path are its ancestors' paths, so this is
 * an equality join on the path index, a few rows per organization.
 */
export const organizationAncestors = analytics
  .view('organization_ancestors', {
    id: uuid().notNull(),
    ancestorId: uuid('ancestor_id').notNull(),
    level: text().notNull(),
  })
  .as(
    sql`select o.id, a.id as ancestor_id, a.level from tenants.organizations o cross join lateral generate_series(1, array_length(string_to_array(o.path, '.'), 1)) as n(i) join tenants.organizations a on a.path = array_to_string((string_to_array(o.path, '.'))[1:n.i], '.')`,
  );

/** Product names and status: the resolver shows a name only when the product is published. */
export const productLabels = analytics
  .view('product_labels', {
    id: uuid().notNull(),
    name: jsonb().$type<Record<string, string>>().notNull(),
    status: text().notNull(),
  })
  .as(sql`select id, name, status from catalog.products`);

/**
 * Production facts: one row per produced quantity. Today the source is the
 * lots register (quantity, unit, produced date); when trace records
 * commissioning/harvest EPCIS events, this one view switches to them and the
 * rollups, aggregates, forecasts and exports follow unchanged.
 * Not switched yet (issue 7 follow-up): trace writes the commissioning or
 * harvesting event with the lot's own quantity and produced date, so events
 * would give the same figures, while lots made by transformation have no such
 * event and error declarations would have to be subtracted — the lots register
 * stays the one source until events carry something the lot does not.
 */
export const productionFacts = analytics
  .view('production_facts', {
    productId: uuid('product_id').notNull(),
    ownerId: uuid('owner_id').notNull(),
    factDate: date('fact_date').notNull(),
    quantity: numeric().notNull(),
    unit: text().notNull(),
    lotStatus: text('lot_status').notNull(),
  })
  .as(
    sql`select product_id, owner_id, coalesce(produced_on, (created_at at time zone 'Asia/Ho_Chi_Minh')::date) as fact_date, quantity, unit, status as lot_status, id as lot_id from trace.lots where ${APPROVED_LOTS}`,
  );

/**
 * Genealogy: which lot was made from which, by which event. A child made by
 * a TRANSFORMATION is processed output; a child made by AGGREGATION holds
 * its contents' kilograms again (a pallet of bags). The rollup reads this to
 * say which stage each lot's quantity belongs to (docs/statistics.md).
 * Edges recorded by an event declared erroneous (EPCIS errorDeclaration), or
 * by the declaration itself, are left out: a mistaken transformation or
 * aggregation made nothing, and must not move a harvest out of primary
 * production or count in a yield.
 */
export const lotEdges = analytics
  .view('lot_edges', {
    parentLotId: uuid('parent_lot_id').notNull(),
    childLotId: uuid('child_lot_id').notNull(),
    eventId: uuid('event_id').notNull(),
    kind: text().notNull(),
  })
  .as(
    sql`select le.parent_lot_id, le.child_lot_id, le.event_id, le.kind
      from trace.lot_edges le join trace.events e on e.id = le.event_id
      where e.corrects_event_id is null and not exists (select 1 from trace.events d where d.corrects_event_id = e.event_id)`,
  );

/**
 * Quantities moved by shipping and retail_selling object events, one row
 * per lot line. An event declared erroneous (EPCIS errorDeclaration) and the
 * declaration itself carry the same quantities; both are left out so a
 * corrected shipment is not counted, nor counted twice.
 */
export const movements = analytics
  .view('movements', {
    eventId: uuid('event_id').notNull(),
    organizationId: uuid('organization_id').notNull(),
    bizStep: text('biz_step').notNull(),
    eventTime: timestamp('event_time', { withTimezone: true }).notNull(),
    lotId: uuid('lot_id').notNull(),
    quantity: numeric(),
    unit: text(),
  })
  .as(
    sql`select e.id as event_id, e.organization_id, e.biz_step, e.event_time, el.lot_id, el.quantity, el.unit
      from trace.events e join trace.event_lots el on el.event_id = e.id and el.role = 'QUANTITY'
      where e.type = 'OBJECT_EVENT' and e.biz_step in ('shipping', 'retail_selling') and e.corrects_event_id is null
        and not exists (select 1 from trace.events d where d.corrects_event_id = e.event_id)`,
  );

/**
 * The rollup every aggregate reads: production per (month, producer,
 * product, canonical unit), with the grouping dimensions copied
 * in so a query needs no join. Rebuilt as a whole by `refreshRollups`
 * (src/data/rollups.ts); `rollup_state` says when.
 */
export const productionMonthly = analytics.table(
  'production_monthly',
  {
    month: date().notNull(),
    /** Crop season of the month, e.g. 2025-DX (see src/seasons.ts). */
    season: text().notNull(),
    ownerId: uuid('owner_id').notNull(),
    productId: uuid('product_id').notNull(),
    /** Canonical unit after conversion (GRM→KGM, TNE→KGM, MLT→LTR); other codes as given. */
    unit: text().notNull(),
    path: text().notNull(),
    districtCode: text('district_code'),
    sector: text(),
    category: text().notNull(),
    lotCount: integer('lot_count').notNull(),
    /** Lots of the cell whose status is RECALLED now. */
    recalledLotCount: integer('recalled_lot_count').notNull(),
    quantity: numeric().notNull(),
    /**
     * How the cell's lots came to be: PRIMARY (no upstream lot: a harvest or
     * first registration), PROCESSED (output of a transformation) or
     * AGGREGATED (made only by aggregating other lots, whose kilograms it
     * holds again). Only PRIMARY adds up to primary production.
     */
    origin: text().notNull().default('PRIMARY'),
    /** For PROCESSED: the bizStep of the transformation that made the lots (transforming, packing…); '' otherwise. */
    stage: text().notNull().default(''),
    /**
     * For PROCESSED lots whose transformation's inputs and outputs all have
     * this canonical unit: their share of the inputs (the event's inputs
     * apportioned by output quantity) and their quantity as the event
     * recorded it. Yield = yield_output / yield_input; null when no lot of
     * the cell has a comparable transformation.
     */
    yieldInput: numeric('yield_input'),
    yieldOutput: numeric('yield_output'),
  },
  (t) => [
    primaryKey({ columns: [t.month, t.ownerId, t.productId, t.unit, t.origin, t.stage] }),
    index('production_monthly_path_idx').using('btree', t.path.op('text_pattern_ops')),
    index('production_monthly_product_idx').on(t.productId, t.month),
  ],
);

export const rollupState = analytics.table('rollup_state', {
  name: text().primaryKey(),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
  sourceRows: integer('source_rows').notNull(),
  durationMs: integer('duration_ms').notNull(),
});

/** Category names for labels (catalog reference data, PUBLIC). */
export const categories = analytics
  .view('categories', {
    code: text().notNull(),
    name: jsonb().$type<Record<string, string>>().notNull(),
  })
  .as(sql`select code, name from catalog.categories`);

/** Certificate validity for the expiry dashboard; issuer documents and notes stay in catalog. */
export const certificates = analytics
  .view('certificates', {
    productId: uuid('product_id').notNull(),
    scheme: text().notNull(),
    number: text().notNull(),
    validTo: date('valid_to').notNull(),
  })
  .as(sql`select product_id, scheme, number, valid_to from catalog.certifications`);

/**
 * Captured EPCIS events, without their bodies: who recorded what kind of
 * event when. `organization_id` is the recording organization.
 */
export const events = analytics
  .view('events', {
    id: uuid().notNull(),
    organizationId: uuid('organization_id').notNull(),
    type: text().notNull(),
    bizStep: text('biz_step'),
    disposition: text(),
    eventTime: timestamp('event_time', { withTimezone: true }).notNull(),
    recordTime: timestamp('record_time', { withTimezone: true }).notNull(),
  })
  .as(sql`select id, organization_id, type, biz_step, disposition, event_time, record_time from trace.events`);

/** Which lots an event is about: QUANTITY, INPUT, OUTPUT or PARENT, with the quantity given. */
export const eventLots = analytics
  .view('event_lots', {
    eventId: uuid('event_id').notNull(),
    lotId: uuid('lot_id').notNull(),
    role: text().notNull(),
    ordinal: integer().notNull(),
    quantity: numeric(),
    unit: text(),
  })
  .as(sql`select event_id, lot_id, role, ordinal, quantity, unit from trace.event_lots`);

/** Consumer QR scans: which lot, when. Serial, language and place stay in trace. */
export const scans = analytics
  .view('scans', {
    lotId: uuid('lot_id').notNull(),
    scannedAt: timestamp('scanned_at', { withTimezone: true }).notNull(),
  })
  .as(sql`select lot_id, scanned_at from trace.scans`);

/** Recalls without reason or author: when they opened and where they stand. */
export const recalls = analytics
  .view('recalls', {
    id: uuid().notNull(),
    severity: text().notNull(),
    status: text().notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  })
  .as(sql`select id, severity, status, opened_at, closed_at from trace.recalls`);

/** Every affected lot of a recall per holder, with the quantity held and recovered. */
export const recallLots = analytics
  .view('recall_lots', {
    recallId: uuid('recall_id').notNull(),
    lotId: uuid('lot_id').notNull(),
    holderId: uuid('holder_id').notNull(),
    root: boolean().notNull(),
    quantityHeld: numeric('quantity_held'),
    quantityRecovered: numeric('quantity_recovered').notNull(),
    unit: text(),
  })
  .as(sql`select recall_id, lot_id, holder_id, root, quantity_held, quantity_recovered, unit from trace.recall_lots`);

/**
 * When each affected lot of a recall was recorded as recalled: the
 * record_time of the `recalled` disposition event trace appends per lot,
 * which names the recall as an `rma` business transaction
 * (urn:nguon:recall:<id>). Reached from recall_lots through the lot index of
 * event_lots, so it never scans all events.
 */
export const recallIdentifications = analytics
  .view('recall_identifications', {
    recallId: uuid('recall_id').notNull(),
    lotId: uuid('lot_id').notNull(),
    identifiedAt: timestamp('identified_at', { withTimezone: true }).notNull(),
  })
  .as(
    sql`select rl.recall_id, rl.lot_id, min(e.record_time) as identified_at
      from (select distinct recall_id, lot_id from trace.recall_lots) rl
      join trace.event_lots el on el.lot_id = rl.lot_id
      join trace.events e on e.id = el.event_id
      where e.disposition = 'recalled'
        and e.body -> 'bizTransactionList' @> jsonb_build_array(jsonb_build_object('type', 'rma', 'id', 'urn:nguon:recall:' || rl.recall_id::text))
      group by rl.recall_id, rl.lot_id`,
  );

/**
 * Activity rollup: captured events and consumer scans per (month, organization,
 * product). An event counts once, in the cell of the organization that
 * recorded it and the product of its primary lot (first OUTPUT, else first
 * QUANTITY, PARENT, INPUT), so cells add up to the number of events. A scan
 * counts in the cell of its lot's owner and product. Months are Vietnam time.
 * Rebuilt with production_monthly, in the same transaction.
 */
export const activityMonthly = analytics.table(
  'activity_monthly',
  {
    month: date().notNull(),
    season: text().notNull(),
    ownerId: uuid('owner_id').notNull(),
    productId: uuid('product_id').notNull(),
    path: text().notNull(),
    districtCode: text('district_code'),
    sector: text(),
    category: text().notNull(),
    eventCount: integer('event_count').notNull(),
    scanCount: integer('scan_count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.month, t.ownerId, t.productId] }), index('activity_monthly_path_idx').using('btree', t.path.op('text_pattern_ops'))],
);

/**
 * Recall rollup: one row per (recall, owner of affected lots, product), in
 * the month the recall opened. Quantities are in canonical units; a row's
 * `identified_at` is the latest recorded `recalled` event of its lots.
 */
export const recallFacts = analytics.table(
  'recall_facts',
  {
    recallId: uuid('recall_id').notNull(),
    month: date().notNull(),
    season: text().notNull(),
    ownerId: uuid('owner_id').notNull(),
    productId: uuid('product_id').notNull(),
    path: text().notNull(),
    districtCode: text('district_code'),
    sector: text(),
    category: text().notNull(),
    /** Distinct affected lots of this owner and product in the recall: the cell size small-cell suppression counts. */
    lotCount: integer('lot_count').notNull().default(0),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    identifiedAt: timestamp('identified_at', { withTimezone: true }),
    /** Sum of quantity held over holdings with a known quantity held. */
    quantityHeld: numeric('quantity_held'),
    /** Recovered quantity of those same holdings. */
    quantityRecovered: numeric('quantity_recovered'),
  },
  (t) => [primaryKey({ columns: [t.recallId, t.ownerId, t.productId] }), index('recall_facts_path_idx').using('btree', t.path.op('text_pattern_ops'))],
);

/**
 * Movement rollup: quantities shipped (bizStep shipping) and sold
 * (retail_selling) per (month of the event, recording organization, product
 * and stage of the lot moved, canonical unit). A dispatch counts once, for
 * the organization that recorded it; receipts are not counted, so a hop is
 * not counted at both ends.
 */
export const movementMonthly = analytics.table(
  'movement_monthly',
  {
    month: date().notNull(),
    season: text().notNull(),
    ownerId: uuid('owner_id').notNull(),
    productId: uuid('product_id').notNull(),
    /** shipping or retail_selling. */
    step: text().notNull(),
    /** Stage of the lots moved: PRIMARY, AGGREGATED, or the bizStep of the transformation that made them (as production_monthly.stage). */
    lotStage: text('lot_stage').notNull(),
    unit: text().notNull(),
    path: text().notNull(),
    districtCode: text('district_code'),
    sector: text(),
    category: text().notNull(),
    /** Distinct lots moved in the cell: the cell size small-cell suppression counts. */
    lotCount: integer('lot_count').notNull(),
    quantity: numeric().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.month, t.ownerId, t.productId, t.step, t.lotStage, t.unit] }),
    index('movement_monthly_path_idx').using('btree', t.path.op('text_pattern_ops')),
  ],
);
