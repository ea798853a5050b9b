import { randomBytes } from 'node:crypto';
import { actorIdOf, badInput, canAdminister, forbidden, inTransaction, isUuid, unauthenticated, webhookUrlProblem } from '@nguon/shared';
import type { MutationSetOrganizationWebhookArgs } from '../generated/graphql';
import type { Context } from '../context';
import { recordChange } from '../data/organizations';
import { upsertWebhook, type WebhookModel } from '../data/webhooks';
import type { OrganizationModel } from '../models';
import { loadVisibleOrganization } from '../resolvers/Organization';

/**
 * Where a webhook may point (the trace notification worker checks the same
 * rule, and vets the addresses the host resolves to, before every POST):
 * https to a public address; plain http, loopback and private networks only
 * when the deployment allows them (WEBHOOK_ALLOW_PRIVATE, development and
 * tests). Anything else would send recall details in clear text or let the
 * worker be aimed at internal hosts (@nguon/shared webhooktarget.ts).
 */
export function checkWebhookUrl(raw: string, field: string, allowPrivate: boolean): string {
  const text = raw.trim();
  const problem = webhookUrlProblem(text, allowPrivate);
  if (problem === null) return new URL(text).toString();
  if (problem.startsWith('credentials')) throw badInput('Put no credentials in the webhook URL; deliveries are signed instead.', field);
  if (problem === 'not a URL') throw badInput('Not a URL.', field);
  throw badInput(
    allowPrivate ? `Not a usable webhook URL (${problem}).` : 'A webhook URL is https to a public address (not loopback or a private network).',
    field,
  );
}

/**
 * What the organization's history keeps of a webhook URL: scheme, host and
 * port. The path and query often carry a receiver's own token, and the
 * history is read by everyone who reads the organization's INTERNAL data.
 */
export const webhookOrigin = (url: string) => `${new URL(url).origin}/…`;

/** The organization's ADMIN, or an ADMIN above it: whoever administers the node. */
export function mayManageWebhook(ctx: Context, org: OrganizationModel): boolean {
  return canAdminister(ctx.viewer, org.path);
}

const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/**
 * Sets the organization's notification webhook and returns its signing secret
 * — once: reads show only url, enabled and updatedAt. Setting it again
 * rotates the secret. The change is recorded in the organization's history
 * (the URL's origin and enabled; never its path, query or the secret).
 */
export async function setOrganizationWebhook(
  ctx: Context,
  input: MutationSetOrganizationWebhookArgs['input'],
): Promise<{ webhook: WebhookModel; secret: string }> {
  if (ctx.viewer.kind === 'anonymous') throw unauthenticated();
  const org = isUuid(input.organizationId) ? await loadVisibleOrganization(ctx, input.organizationId.toLowerCase()) : null;
  if (!org) throw badInput('The organization was not found.', 'input.organizationId');
  if (!mayManageWebhook(ctx, org)) throw forbidden(`Only an ADMIN of ${org.path} or above may set its webhook.`);
  const url = checkWebhookUrl(input.url, 'input.url', ctx.webhookAllowPrivate);
  const enabled = input.enabled ?? true;
  const secret = newSecret();
  const actorId = actorIdOf(ctx.viewer);
  const webhook = await inTransaction(ctx.db, async (tx) => {
    const saved = await upsertWebhook(tx, { organizationId: org.id, url, secret, enabled, updatedBy: actorId });
    await recordChange(tx, org.id, 'WEBHOOK_SET', null, { url: webhookOrigin(url), enabled }, actorId);
    return saved;
  });
  return { webhook, secret };
}
