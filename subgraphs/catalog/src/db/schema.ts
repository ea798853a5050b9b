import { sql } from 'drizzle-orm';
import { index, integer, jsonb, numeric, pgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** The catalog service owns this Postgres schema; no other service writes it. */
export const catalog = pgSchema('catalog');

export type TextMap = Record<string, string>;

export const products = catalog.table(
  'products',
  {
    id: uuid().primaryKey(),
    ownerId: uuid('owner_id').notNull(),
    /** Normalised GTIN-14; null until a producer without a GS1 prefix gets one. */
    gtin: text(),
    /** Identifier for producers without a GS1 company prefix; stays valid after a GTIN is mapped. */
    internalCode: text('internal_code').notNull(),
    category: text().notNull(),
    name: jsonb().$type<TextMap>().notNull(),
    description: jsonb().$type<TextMap>().notNull().default({}),
    brand: text(),
    unit: text().notNull().default('H87'),
    netContent: numeric('net_content'),
    shelfLifeDays: integer('shelf_life_days'),
    status: text().notNull().default('DRAFT'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    /** Lower-case text without Vietnamese diacritics, so "gao thot not" finds "Gạo Thốt Nốt". */
    searchText: text('search_text').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('products_gtin_key').on(t.gtin).where(sql`gtin is not null`),
    uniqueIndex('products_internal_code_key').on(t.internalCode),
    index('products_owner_idx').on(t.ownerId, t.id),
    index('products_status_idx').on(t.status, t.id),
  ],
);
