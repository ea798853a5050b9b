import { eq, sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { idempotencyTable } from '@nguon/shared/idempotency';

/** The tenants service owns this Postgres schema; no other service writes it. */
export const tenants = pgSchema('tenants');

export type TextMap = Record<string, string>;
export interface ContactData {
  person?: string | null;
  email?: string | null;
  phone?: string | null;
}

/**
 * Administrative levels (province/city, department, district, commune/ward,
 * operator) as data: each node names its level, so a province that removed
 * districts, or a district that adds communes, runs the same code. `rank`
 * orders them (smaller is higher); a tree may skip a rank. `kinds` are the
 * organization kinds that may sit on the level.
 */
export const levels = tenants.table('levels', {
  code: text().primaryKey(),
  rank: integer().notNull(),
  kinds: text().array().notNull(),
  name: jsonb().$type<TextMap>().notNull(),
});

export const organizations = tenants.table(
  'organizations',
  {
    id: uuid().primaryKey(),
    parentId: uuid('parent_id'),
    kind: text().notNull(),
    sector: text(),
    name: jsonb().$type<TextMap>().notNull(),
    slug: text().notNull(),
    path: text().notNull(),
    depth: integer().notNull(),
    /** Administrative level of the node (tenants.levels.code). */
    level: text()
      .notNull()
      .references(() => levels.code),
    gln: text(),
    address: text(),
    districtCode: text('district_code'),
    contact: jsonb().$type<ContactData>(),
    active: boolean().notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('organizations_path_key').on(t.path),
    // Subtree scans are `path LIKE 'ct.agri.%'`: a prefix search needs pattern ops.
    index('organizations_path_prefix_idx').using('btree', t.path.op('text_pattern_ops')),
    index('organizations_parent_idx').on(t.parentId),
    index('organizations_kind_idx').on(t.kind, t.path),
    index('organizations_level_idx').on(t.level),
    // A GLN names one party: captured documents that name a party by GLN are matched through it.
    uniqueIndex('organizations_gln_key')
      .on(t.gln)
      .where(sql`${t.gln} is not null`),
  ],
);

export const organizationChanges = tenants.table(
  'organization_changes',
  {
    id: uuid().primaryKey(),
    organizationId: uuid('organization_id').notNull(),
    change: text().notNull(),
    before: jsonb(),
    after: jsonb(),
    actorId: uuid('actor_id'),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('organization_changes_org_idx').on(t.organizationId, t.at)],
);

export const users = tenants.table(
  'users',
  {
    id: uuid().primaryKey(),
    organizationId: uuid('organization_id').notNull(),
    email: text().notNull(),
    name: text().notNull(),
    phone: text(),
    passwordHash: text('password_hash').notNull(),
    active: boolean().notNull().default(true),
    /**
     * Bumped by a password change, "sign out everywhere" and deactivation.
     * Access tokens carry the generation they were issued under (claim `gen`);
     * the gateway refuses a token whose generation is no longer current.
     */
    tokenGeneration: integer('token_generation').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`), index('users_org_idx').on(t.organizationId)],
);

export const roleGrants = tenants.table(
  'role_grants',
  {
    id: uuid().primaryKey(),
    userId: uuid('user_id').notNull(),
    organizationId: uuid('organization_id').notNull(),
    role: text().notNull(),
    grantedBy: uuid('granted_by'),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    index('role_grants_user_idx').on(t.userId),
    uniqueIndex('role_grants_active_key')
      .on(t.userId, t.organizationId, t.role)
      .where(sql`revoked_at is null`),
  ],
);

export const apiClients = tenants.table(
  'api_clients',
  {
    id: uuid().primaryKey(),
    organizationId: uuid('organization_id').notNull(),
    name: text().notNull(),
    keyPrefix: text('key_prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    scopes: text().array().notNull(),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_clients_key_hash_key').on(t.keyHash), index('api_clients_org_idx').on(t.organizationId)],
);

/**
 * The read contract tenants offers the other services: where each
 * organization sits in the tree. Catalog and trace join it to scope rows by
 * path; analytics builds its views on it. Columns here are a promise.
 */
export const organizationScope = tenants.view('organization_scope').as((qb) =>
  qb
    .select({
      id: organizations.id,
      path: organizations.path,
      kind: organizations.kind,
      sector: organizations.sector,
      districtCode: organizations.districtCode,
      active: organizations.active,
      /** GS1 GLN (13 digits) identifying the organization as a party (PGLN) and its main location (SGLN). */
      gln: organizations.gln,
    })
    .from(organizations),
);

/** Idempotency-Key records of retried writes (sign-up of organizations); see @nguon/shared idempotency.ts. */
export const idempotencyKeys = idempotencyTable(tenants);

/**
 * Where an organization wants its notifications (recalls it holds goods of,
 * complaints on its lots, flagged items): one HTTPS or loopback URL and the
 * secret its deliveries are signed with (HMAC-SHA256, docs/architecture.md §7).
 * Trace reads it through the `webhook_scope` view, never this table.
 */
export const organizationWebhooks = tenants.table('organization_webhooks', {
  organizationId: uuid('organization_id').primaryKey(),
  url: text().notNull(),
  secret: text().notNull(),
  enabled: boolean().notNull().default(true),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text('updated_by'),
});

/** The read contract for trace's notification worker: enabled webhooks only. */
export const webhookScope = tenants
  .view('webhook_scope')
  .as((qb) =>
    qb
      .select({ organizationId: organizationWebhooks.organizationId, url: organizationWebhooks.url, secret: organizationWebhooks.secret })
      .from(organizationWebhooks)
      .where(eq(organizationWebhooks.enabled, true)),
  );
