import { eq } from 'drizzle-orm';
import { asDate, type Database } from '@nguon/shared';
import { organizationWebhooks } from '../db/schema';

/** An organization's webhook as read back: never the secret, which is shown once when set. */
export interface WebhookModel {
  organizationId: string;
  url: string;
  enabled: boolean;
  updatedAt: Date;
}

export async function webhookOf(db: Database, organizationId: string): Promise<WebhookModel | null> {
  const [row] = await db
    .select({
      organizationId: organizationWebhooks.organizationId,
      url: organizationWebhooks.url,
      enabled: organizationWebhooks.enabled,
      updatedAt: organizationWebhooks.updatedAt,
    })
    .from(organizationWebhooks)
    .where(eq(organizationWebhooks.organizationId, organizationId));
  return row ? { ...row, updatedAt: asDate(row.updatedAt) } : null;
}

/** Sets (or replaces) the webhook; a new secret every time, so re-setting rotates it. */
export async function upsertWebhook(
  db: Database,
  row: { organizationId: string; url: string; secret: string; enabled: boolean; updatedBy: string | null },
): Promise<WebhookModel> {
  const now = new Date();
  await db
    .insert(organizationWebhooks)
    .values({ ...row, updatedAt: now })
    .onConflictDoUpdate({
      target: organizationWebhooks.organizationId,
      set: { url: row.url, secret: row.secret, enabled: row.enabled, updatedBy: row.updatedBy, updatedAt: now },
    });
  return (await webhookOf(db, row.organizationId))!;
}
