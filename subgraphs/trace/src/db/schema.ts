import { date, index, numeric, pgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

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
  },
  (t) => [
    // A lot code identifies a lot within its product (GTIN + AI 10).
    uniqueIndex('lots_product_code_key').on(t.productId, t.lotCode),
    index('lots_owner_idx').on(t.ownerId, t.id),
    index('lots_product_idx').on(t.productId, t.id),
    index('lots_status_idx').on(t.status, t.id),
  ],
);
