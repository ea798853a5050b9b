import { sql } from 'drizzle-orm';
import { idempotencyTable } from '@nguon/shared/idempotency';
import {
  bigint,
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** Raw bytes (a complaint's photo). */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/** The trace service owns this Postgres schema; no other service writes it. */
export const trace = pgSchema('trace');

export const lots = trace.table(
  'lots',
  {
    id: uuid().primaryKey(),
    /** GS1 AI (10): at most 20 characters of the AI-82 set; never changes once assigned. */
    lotCode: text('lot_code').notNull(),
    productId: uuid('product_id').notNull(),
    ownerId: uuid('owner_id').notNull(),
    /** Season label, e.g. "Đông Xuân 2025-2026". */
    season: text(),
    quantity: numeric().notNull(),
    /** UN/ECE Recommendation 20 unit code. */
    unit: text().notNull(),
    producedOn: date('produced_on'),
    expiresOn: date('expires_on'),
    status: text().notNull().default('DRAFT'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Catalog's production area ("vùng nguyên liệu"); catalog owns the row, we keep the id only. */
    productionAreaId: uuid('production_area_id'),
    /**
     * The last plausibility check against the area's season norm (capacity,
     * claimed total, tolerance), kept so an officer reviewing an UNDER_REVIEW
     * lot sees what was checked (docs/write-authority.md).
     */
    normCheck: jsonb('norm_check'),
    /** The producer asked for publication: an approved review publishes the lot at once. */
    publishOnApproval: boolean('publish_on_approval').notNull().default(false),
    /** Who decided the review (user id), when, and the reason they gave. */
    reviewedBy: text('reviewed_by'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewNote: text('review_note'),
  },
  (t) => [
    // A lot code identifies a lot within its product (GTIN + AI 10).
    uniqueIndex('lots_product_code_key').on(t.productId, t.lotCode),
    index('lots_owner_idx').on(t.ownerId, t.id),
    index('lots_product_idx').on(t.productId, t.id),
    index('lots_status_idx').on(t.status, t.id),
  ],
);

/**
 * EPCIS 2.0 events, append-only (a trigger refuses UPDATE and DELETE). The
 * full event is kept as captured in `body`; the columns beside it are copies
 * for queries and indexes. Each organization's events form a hash chain:
 * `chain_hash = sha256(prev_hash | event_hash)` in `seq` order.
 */
export const events = trace.table(
  'events',
  {
    id: uuid().primaryKey(),
    /** EPCIS eventID: urn:uuid:… or ni:///sha-256;… as the capturer sent it (or our hash id). */
    eventId: text('event_id').notNull(),
    /** Canonical content hash, ni:///sha-256;<hex>?ver=CBV2.0 — the idempotency key. */
    eventHash: text('event_hash').notNull(),
    organizationId: uuid('organization_id').notNull(),
    seq: bigint({ mode: 'number' }).notNull(),
    prevHash: text('prev_hash').notNull(),
    chainHash: text('chain_hash').notNull(),
    type: text().notNull(),
    action: text(),
    bizStep: text('biz_step'),
    disposition: text(),
    eventTime: timestamp('event_time', { withTimezone: true, precision: 3 }).notNull(),
    /** The offset the event was captured with (+07:00), so it is given back exactly. */
    eventTimeZoneOffset: text('event_time_zone_offset').notNull(),
    recordTime: timestamp('record_time', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** eventID of the event this one declares erroneous (errorDeclaration), if any. */
    correctsEventId: text('corrects_event_id'),
    body: jsonb().notNull(),
  },
  (t) => [
    uniqueIndex('events_event_id_key').on(t.eventId),
    uniqueIndex('events_hash_key').on(t.eventHash),
    uniqueIndex('events_org_seq_key').on(t.organizationId, t.seq),
    index('events_corrects_idx')
      .on(t.correctsEventId)
      .where(sql`${t.correctsEventId} is not null`),
    // EPCIS queries: time windows (GE/LT_eventTime) page in (event_time, id) order.
    index('events_time_idx').on(t.eventTime, t.id),
    index('events_biz_step_idx').on(t.bizStep, t.eventTime),
  ],
);

/** Which lots an event is about, in which role, with how much. */
export const eventLots = trace.table(
  'event_lots',
  {
    eventId: uuid('event_id').notNull(),
    lotId: uuid('lot_id').notNull(),
    /** QUANTITY (object/transaction/association/aggregation child), INPUT, OUTPUT or PARENT. */
    role: text().notNull(),
    ordinal: integer().notNull(),
    quantity: numeric(),
    unit: text(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.role, t.ordinal] }), index('event_lots_lot_idx').on(t.lotId, t.eventId)],
);

/**
 * Genealogy: `parent_lot_id` is the upstream lot (an input, or a content of
 * an aggregate), `child_lot_id` the downstream lot made from it. Indexed both
 * ways so upstream and downstream traces are index range scans.
 */
export const lotEdges = trace.table(
  'lot_edges',
  {
    parentLotId: uuid('parent_lot_id').notNull(),
    childLotId: uuid('child_lot_id').notNull(),
    eventId: uuid('event_id').notNull(),
    /** TRANSFORMATION or AGGREGATION. */
    kind: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.parentLotId, t.childLotId, t.eventId] }), index('lot_edges_child_idx').on(t.childLotId, t.parentLotId)],
);

/** Custody hops from shipping/receiving events: a lot moving between organizations. */
export const custody = trace.table(
  'custody',
  {
    eventId: uuid('event_id').notNull(),
    lotId: uuid('lot_id').notNull(),
    fromOrgId: uuid('from_org_id'),
    toOrgId: uuid('to_org_id'),
    /** SHIPPING or RECEIVING. */
    kind: text().notNull(),
    quantity: numeric(),
    unit: text(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.lotId] }), index('custody_lot_idx').on(t.lotId), index('custody_to_idx').on(t.toOrgId)],
);

/** The head of each organization's hash chain; its row lock serializes captures of one organization. */
export const chainHeads = trace.table('chain_heads', {
  organizationId: uuid('organization_id').primaryKey(),
  seq: bigint({ mode: 'number' }).notNull(),
  headHash: text('head_hash').notNull(),
});

export const recalls = trace.table(
  'recalls',
  {
    id: uuid().primaryKey(),
    reason: text().notNull(),
    /** CLASS_I (serious health risk) … CLASS_III. */
    severity: text().notNull(),
    status: text().notNull().default('OPEN'),
    openedBy: text('opened_by'),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /**
     * The tree node whose authority opened the recall: the grant path of the
     * officer, or the owner's path for a recall the owner opened. Who may close
     * or write it off is decided against this level (docs/write-authority.md).
     */
    authorityPath: text('authority_path'),
    closedBy: text('closed_by'),
    closeReason: text('close_reason'),
    /** Closed with quantity still out, written off by an authorised closer. */
    writtenOff: boolean('written_off').notNull().default(false),
  },
  (t) => [index('recalls_status_idx').on(t.status, t.id)],
);

/** Every affected lot of a recall and every organization holding it, with recovery progress. */
export const recallLots = trace.table(
  'recall_lots',
  {
    recallId: uuid('recall_id').notNull(),
    lotId: uuid('lot_id').notNull(),
    holderId: uuid('holder_id').notNull(),
    /** A lot the recall was opened on (rather than reached downstream). */
    root: boolean().notNull().default(false),
    quantityHeld: numeric('quantity_held'),
    quantityRecovered: numeric('quantity_recovered').notNull().default('0'),
    unit: text(),
  },
  (t) => [primaryKey({ columns: [t.recallId, t.lotId, t.holderId] }), index('recall_lots_lot_idx').on(t.lotId)],
);

/**
 * The audit trail of a lot's life outside its events: creation, publication,
 * quantity corrections (old and new value, reason), reviews against the
 * season norm. Append-only like events; one row per act.
 */
export const lotAudit = trace.table(
  'lot_audit',
  {
    id: uuid().primaryKey(),
    lotId: uuid('lot_id').notNull(),
    /** CREATED, PUBLISHED, CORRECTED, HELD_FOR_REVIEW, APPROVED, REJECTED. */
    action: text().notNull(),
    /** User id or API client id. */
    actorId: text('actor_id'),
    /** user or client. */
    actorKind: text('actor_kind'),
    at: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    reason: text(),
    /** What changed: { quantity: { from, to } }, the norm check, … */
    detail: jsonb()
      .notNull()
      .default(sql`'{}'::jsonb`),
  },
  (t) => [index('lot_audit_lot_idx').on(t.lotId, t.at)],
);

/**
 * Every act on a recall — open, extend, recovery, close, write-off — with who,
 * acting at which tree node, when and why. Append-only; visible to the
 * recall's supervisors (docs/write-authority.md).
 */
export const recallActions = trace.table(
  'recall_actions',
  {
    id: uuid().primaryKey(),
    recallId: uuid('recall_id').notNull(),
    /** OPEN, EXTEND, RECOVERY, CLOSE, WRITE_OFF. */
    action: text().notNull(),
    actorId: text('actor_id'),
    actorKind: text('actor_kind'),
    /** The grant (or API client) path the actor acted under. */
    actorPath: text('actor_path'),
    at: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    reason: text(),
    detail: jsonb()
      .notNull()
      .default(sql`'{}'::jsonb`),
  },
  (t) => [index('recall_actions_recall_idx').on(t.recallId, t.at)],
);

/**
 * Anonymous QR scans of published lots: when, in which language, and a
 * coarse place only if the phone shared one (rounded to ~10 km). No address,
 * no device id: enough for analytics and counterfeit signals, nothing more.
 */
export const scans = trace.table(
  'scans',
  {
    id: uuid().primaryKey(),
    lotId: uuid('lot_id').notNull(),
    serial: text(),
    scannedAt: timestamp('scanned_at', { withTimezone: true }).notNull().defaultNow(),
    lang: text().notNull(),
    /** Latitude/longitude rounded to 0.1° (about 11 km), when given. */
    lat: numeric({ precision: 4, scale: 1 }),
    lng: numeric({ precision: 4, scale: 1 }),
  },
  (t) => [index('scans_lot_time_idx').on(t.lotId, t.scannedAt), index('scans_serial_idx').on(t.lotId, t.serial, t.scannedAt)],
);

/**
 * Serialised items of a lot (GS1 AI 21). An item may carry a hidden
 * verification code (under a scratch layer); only an HMAC of it is stored.
 * The first successful verification is kept; items scanned in places or at a
 * rate that cannot be one package are flagged for the producer and officers.
 */
export const serialItems = trace.table(
  'serial_items',
  {
    lotId: uuid('lot_id').notNull(),
    serial: text().notNull(),
    codeHash: text('code_hash'),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
    firstVerifiedAt: timestamp('first_verified_at', { withTimezone: true }),
    firstVerifiedLat: numeric('first_verified_lat', { precision: 4, scale: 1 }),
    firstVerifiedLng: numeric('first_verified_lng', { precision: 4, scale: 1 }),
    verifications: integer().notNull().default(0),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lastFailedAt: timestamp('last_failed_at', { withTimezone: true }),
    flaggedAt: timestamp('flagged_at', { withTimezone: true }),
    flagReason: text('flag_reason'),
    /**
     * Set by the producer (lockSerials) for a package stolen, destroyed or
     * withdrawn: its page then shows the counterfeit warning. Cleared by
     * unlockSerials; a lock is not a flag, so the two never mix.
     */
    lockedAt: timestamp('locked_at', { withTimezone: true }),
    /** STOLEN, DESTROYED, WITHDRAWN or OTHER (the LockReason of the SDL), then ": " and the producer's note when one was given. */
    lockReason: text('lock_reason'),
    /** Who locked it: `user:<id>` or `client:<id>`. */
    lockedBy: text('locked_by'),
  },
  (t) => [
    primaryKey({ columns: [t.lotId, t.serial] }),
    index('serial_items_flagged_idx')
      .on(t.lotId)
      .where(sql`flagged_at is not null`),
  ],
);

/**
 * Asynchronous EPCIS capture jobs (POST /epcis/capture). The job runs in the
 * trace process that accepted it, right after the 202; the document itself is
 * not kept, so a job still RUNNING when its process died cannot be resumed —
 * it is reported FAILED once it is older than the stale limit (see
 * services/captureJobs.ts). Nothing of a failed job is stored (one transaction).
 */
export const captureJobs = trace.table(
  'capture_jobs',
  {
    id: uuid().primaryKey(),
    organizationId: uuid('organization_id').notNull(),
    /** RUNNING, SUCCESS or FAILED. */
    status: text().notNull(),
    /** User id or API client id that submitted it. */
    createdBy: text('created_by'),
    eventCount: integer('event_count').notNull(),
    createdCount: integer('created_count').notNull().default(0),
    duplicateCount: integer('duplicate_count').notNull().default(0),
    errors: jsonb()
      .notNull()
      .default(sql`'[]'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('capture_jobs_org_idx').on(t.organizationId, t.createdAt)],
);

/**
 * Transactional outbox of records for the national traceability portal: a row
 * is written in the same transaction that publishes a lot, so a published lot
 * is never missed and nothing is queued for a publish that rolled back. The
 * row id is the record id the portal deduplicates on (Idempotency-Key).
 */
export const nationalOutbox = trace.table(
  'national_outbox',
  {
    id: uuid().primaryKey(),
    lotId: uuid('lot_id').notNull(),
    /** PENDING (to push), DELIVERED, or DEAD (gave up after the attempt cap). */
    status: text().notNull().default('PENDING'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** Why the last attempt failed. */
    lastError: text('last_error'),
    /** A worker's claim: another worker leaves the row alone until it lapses. */
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    // A lot is published once: one record per lot.
    uniqueIndex('national_outbox_lot_key').on(t.lotId),
    index('national_outbox_due_idx').on(t.status, t.nextAttemptAt),
  ],
);

/** Idempotency-Key records of retried writes (event capture, recall opening); see @nguon/shared idempotency.ts. */
export const idempotencyKeys = idempotencyTable(trace);

/**
 * Problems shoppers report from the consumer page (docs/architecture.md §7,
 * "Complaints"). Each belongs to the lot it was filed on and, through it, to
 * the producer and its supervising officers, who work it through
 * NEW → ACKNOWLEDGED → INVESTIGATING → RESOLVED, or ESCALATED to a recall.
 * The shopper holds the receipt code; `contact` is PERSONAL and `clientKey` is
 * a keyed hash of the caller's address, kept only to rate-limit.
 */
export const complaints = trace.table(
  'complaints',
  {
    id: uuid().primaryKey(),
    /** The code the shopper is given to look the complaint up (unguessable, unique). */
    receipt: text().notNull(),
    lotId: uuid('lot_id').notNull(),
    productId: uuid('product_id').notNull(),
    /** The lot's owner at filing: the producer whose inbox it lands in. */
    ownerId: uuid('owner_id').notNull(),
    /** The scan the complaint came from, when the page recorded one. */
    scanId: uuid('scan_id'),
    serial: text(),
    /** QUALITY, SAFETY, LABELLING, COUNTERFEIT or OTHER. */
    category: text().notNull(),
    description: text().notNull(),
    /** Optional phone or email the shopper left (PERSONAL). */
    contact: text(),
    photo: bytea('photo'),
    photoType: text('photo_type'),
    lang: text().notNull(),
    /** Keyed hash of the filing address; never the address itself. */
    clientKey: text('client_key').notNull(),
    /** NEW, ACKNOWLEDGED, INVESTIGATING, RESOLVED or ESCALATED. */
    status: text().notNull().default('NEW'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** When someone first acted on it: the response-time clock stops here. */
    firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    /** What was found or done, shown to the shopper with the status. */
    resolution: text(),
    /** The recall it was escalated to. */
    recallId: uuid('recall_id'),
  },
  (t) => [
    uniqueIndex('complaints_receipt_key').on(t.receipt),
    index('complaints_lot_idx').on(t.lotId, t.createdAt),
    index('complaints_owner_idx').on(t.ownerId, t.status, t.createdAt),
    index('complaints_product_idx').on(t.productId, t.createdAt),
    index('complaints_client_idx').on(t.clientKey, t.createdAt),
  ],
);

/** Every act on a complaint, oldest first. Append-only. */
export const complaintActions = trace.table(
  'complaint_actions',
  {
    id: uuid().primaryKey(),
    complaintId: uuid('complaint_id').notNull(),
    /** FILED, ACKNOWLEDGED, INVESTIGATING, RESOLVED, ESCALATED or NOTE. */
    action: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorId: text('actor_id'),
    actorKind: text('actor_kind'),
    actorPath: text('actor_path'),
    note: text(),
  },
  (t) => [index('complaint_actions_complaint_idx').on(t.complaintId, t.at)],
);

/**
 * Notification outbox (docs/architecture.md §7, "Notifications"): one row per
 * organization and fact, written in the transaction that makes the fact true,
 * delivered by the trace process to the organization's webhook with back-off;
 * rows that exhaust their attempts are DEAD and visible to officers. The
 * dedupe key makes one fact one notification per organization, however often
 * it is enqueued.
 */
export const notifications = trace.table(
  'notifications',
  {
    id: uuid().primaryKey(),
    organizationId: uuid('organization_id').notNull(),
    /** RECALL_OPENED, RECALL_EXTENDED, COMPLAINT_FILED or ITEM_FLAGGED. */
    kind: text().notNull(),
    /** The recall, complaint or lot the notification is about. */
    subjectId: uuid('subject_id').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    payload: jsonb().notNull(),
    /** PENDING, DELIVERED, DEAD, or NO_ENDPOINT (the organization has no webhook; kept for its inbox). */
    status: text().notNull().default('PENDING'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('notifications_dedupe_key').on(t.dedupeKey),
    index('notifications_due_idx').on(t.status, t.nextAttemptAt),
    index('notifications_org_idx').on(t.organizationId, t.createdAt),
  ],
);

/**
 * eventIDs a sender gave to an event whose content was already stored under
 * another eventID. Capture deduplicates by the CBV event hash, yet the sender's
 * eventID stays retrievable (GET /epcis/events/{eventID}, EQ_eventID).
 */
export const eventAliases = trace.table(
  'event_aliases',
  {
    eventId: text('event_id').primaryKey(),
    /** events.id of the stored event with the same content. */
    storedEventId: uuid('stored_event_id').notNull(),
    /** The organization whose capture sent this eventID. */
    organizationId: uuid('organization_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('event_aliases_stored_idx').on(t.storedEventId)],
);

/**
 * EPCIS 2.0 named queries (GET/POST /queries, GET /queries/{name}/events): a
 * saved SimpleEventQuery, per owner (a user id or an API client id), run with
 * the caller's own permissions each time.
 */
export const epcisQueries = trace.table(
  'epcis_queries',
  {
    owner: text().notNull(),
    name: text().notNull(),
    /** The query parameters as the standard's query schema names them. */
    query: jsonb().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.owner, t.name] })],
);
