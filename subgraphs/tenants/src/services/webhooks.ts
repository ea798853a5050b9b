import { randomBytes } from 'node:crypto';
import { actorIdOf, badInput, canAdminister, forbidden, inTransaction, isUuid, unauthenticated } from '@nguon/shared';
import type { MutationSetOrganizationWebhookArgs } from '../generated/graphql';
import type { Context } from '../context';
import { recordChange } from '../data/organizations';
import { upsertWebhook, type WebhookModel } from '../data/webhooks';
import type { OrganizationModel } from '../models';
import { loadVisibleOrganization } from '../resolvers/Organization';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const MAX_URL = 2000;

/**
 * Where a webhook may point (the trace notification worker checks the same
 * rule before every POST): HTTPS anywhere, plain HTTP only to the loopback
 * address (tests, a receiver on the same machine). Anything else would send
 * recall details in clear text or let the worker be aimed at internal hosts.
 */
export function checkWebhookUrl(raw: string, field: string): string {
  const text = raw.trim();
  if (text.length > MAX_URL) throw badInput(`A webhook URL has at most ${MAX_URL} characters.`, field);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badInput('Not a URL.', field);
  }
  if (url.username || url.password) throw badInput('Put no credentials in the webhook URL; deliveries are signed instead.', field);
  if (url.protocol === 'https:') return url.toString();
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return url.toString();
  throw badInput('A webhook URL is https, or http only to the loopback address.', field);
}

/** The organization's ADMIN, or an ADMIN above it: whoever administers the node. */
export function mayManageWebhook(ctx: Context, org: OrganizationModel): boolean {
  return canAdminister(ctx.viewer, org.path);
}

const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/**
 * Sets the organization's notification webhook and returns its signing secret
 * — once: reads show only url, enabled and updatedAt. Setting it again
 * rotates the secret. The change is recorded in the organization's history
 * (url and enabled; never the secret).
 */
export async function setOrganizationWebhook(
  ctx: Context,
  input: MutationSetOrganizationWebhookArgs['input'],
): Promise<{ webhook: WebhookModel; secret: string }> {
  if (ctx.viewer.kind === 'anonymous') throw unauthenticated();
  const org = isUuid(input.organizationId) ? await loadVisibleOrganization(ctx, input.organizationId.toLowerCase()) : null;
  if (!org) throw badInput('The organization was not found.', 'input.organizationId');
  if (!mayManageWebhook(ctx, org)) throw forbidden(`Only an ADMIN of ${org.path} or above may set its webhook.`);
  const url = checkWebhookUrl(input.url, 'input.url');
  const enabled = input.enabled ?? true;
  const secret = newSecret();
  const actorId = actorIdOf(ctx.viewer);
  const webhook = await inTransaction(ctx.db, async (tx) => {
    const saved = await upsertWebhook(tx, { organizationId: org.id, url, secret, enabled, updatedBy: actorId });
    await recordChange(tx, org.id, 'WEBHOOK_SET', null, { url, enabled }, actorId);
    return saved;
  });
  return { webhook, secret };
}
