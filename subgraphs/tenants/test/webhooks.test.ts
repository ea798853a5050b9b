import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql, type Viewer } from '@nguon/shared';
import { startSeededSubgraph, type TestDatabase, type TestSubgraph } from '@nguon/shared/testing';
import { demoOperator, demoOrgId, demoPaths } from '@nguon/demo/ids';
import { tenantsSubgraph } from '../src/server';
import { checkWebhookUrl, webhookOrigin } from '../src/services/webhooks';

/*
 * setOrganizationWebhook against internal targets (SSRF) and what the
 * organization's history keeps of the URL. The subgraph runs with the
 * production default: no http, no loopback or private addresses.
 */

let db: TestDatabase;
let subgraph: TestSubgraph;
let stop = async () => {};
beforeAll(async () => {
  ({ db, subgraph, stop } = await startSeededSubgraph(
    tenantsSubgraph({ secret: 'token-secret-for-tests-0123456789abcdef', ttlSeconds: 600 }),
    inject('seededTemplate'),
  ));
});
afterAll(() => stop());

const farm = demoPaths.operator(demoOperator('htx_lua_thoi_thuan'));
const admin: Viewer = { kind: 'user', requestId: 't', userId: randomUUID(), grants: [{ role: 'ADMIN', orgId: demoOrgId(farm), path: farm }] };
const SET = 'mutation($i: SetOrganizationWebhookInput!) { setOrganizationWebhook(input: $i) { secret webhook { url enabled } } }';
const set = (url: string) => subgraph.request(SET, { i: { organizationId: demoOrgId(farm), url } }, admin);

describe('setOrganizationWebhook', () => {
  it('refuses http and loopback, private, link-local and CGNAT targets unless the deployment allows them', async () => {
    for (const url of [
      'http://127.0.0.1:4103/internal',
      'http://hooks.example.vn/n',
      'https://127.0.0.1/x',
      'https://localhost:8443/x',
      'https://10.0.0.5/x',
      'https://192.168.1.10/x',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.1.1/x',
      'https://[::1]/x',
      'https://[fd00::1]/x',
      'https://[::ffff:127.0.0.1]/x',
    ]) {
      const { body } = await set(url);
      expect(body.errors?.[0]?.extensions?.code, url).toBe('BAD_USER_INPUT');
    }
    expect(checkWebhookUrl('http://127.0.0.1:9/hook', 'url', true)).toBe('http://127.0.0.1:9/hook');
    expect(() => checkWebhookUrl('ftp://127.0.0.1/hook', 'url', true)).toThrow();
  });

  it('accepts https to a public host, and records only its origin in the organization’s history', async () => {
    const url = `https://hooks.example.vn:8443/nguon/${randomUUID()}?token=receiver-secret`;
    const { body } = await set(url);
    expect(body.errors).toBeUndefined();
    expect(body.data.setOrganizationWebhook.webhook).toEqual({ url, enabled: true });
    const [change] = await db.connection.rows<{ after: unknown }>(
      sql`select after from tenants.organization_changes where organization_id = ${demoOrgId(farm)} and change = 'WEBHOOK_SET' order by id desc limit 1`,
    );
    const after = JSON.stringify(change!.after);
    expect(after).toContain('https://hooks.example.vn:8443');
    expect(after).not.toMatch(/nguon\/|token|receiver-secret/);
    expect(webhookOrigin(url)).toBe('https://hooks.example.vn:8443/…');
  });
});
