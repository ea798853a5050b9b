import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEmail, startTestStack, type TestStack } from './helpers';

let stack: TestStack;
let admin: string;
let area: { id: string; path: string };
beforeAll(async () => {
  stack = await startTestStack({ gateway: { rateLimits: false } });
  admin = await stack.tokenFor(demoEmail('ADMIN', 'ct'));
  const areas = await stack.gql(`{ organizations(kind: AREA, under: "ct.agri", first: 1) { nodes { id path } } }`, {}, { token: admin });
  area = areas.data.organizations.nodes[0];
});
afterAll(() => stack?.stop());

const CREATE = `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { organization { id path } } }`;
const producer = (slug: string) => ({ parentId: area.id, kind: 'PRODUCER', nameVi: `Hợp tác xã ${slug}`, slug });
const create = (slug: string, key?: string) => stack.gql(CREATE, { input: producer(slug) }, { token: admin, headers: key ? { 'idempotency-key': key } : {} });

async function countAt(path: string) {
  const result = await stack.gql(
    `query($under: String!) { organizations(under: $under, first: 100) { nodes { path } } }`,
    { under: area.path },
    { token: admin },
  );
  return result.data.organizations.nodes.filter((n: { path: string }) => n.path === path).length;
}

describe('idempotency keys on organization sign-up', () => {
  it('replays the first answer when a client retries with the same key and body', async () => {
    const key = randomUUID();
    const first = await create('idem_same', key);
    const retry = await create('idem_same', key);
    expect(first.errors).toBeUndefined();
    expect(retry.errors).toBeUndefined();
    expect(retry.data.createOrganization.organization).toEqual(first.data.createOrganization.organization);
    expect(await countAt(`${area.path}.idem_same`)).toBe(1);
  });

  it('refuses the same key with a different body and writes nothing', async () => {
    const key = randomUUID();
    expect((await create('idem_first', key)).errors).toBeUndefined();
    const reused = await create('idem_second', key);
    expect(reused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
    expect(reused.data).toBeNull();
    expect(await countAt(`${area.path}.idem_second`)).toBe(0);
  });

  it('without a key, a repeated sign-up is a plain conflict on the slug', async () => {
    expect((await create('idem_nokey')).errors).toBeUndefined();
    const again = await create('idem_nokey');
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: ['input', 'slug'] });
  });

  it('remembers nothing of a failed write, so the key can carry a corrected request', async () => {
    expect((await create('idem_taken')).errors).toBeUndefined();
    const key = randomUUID();
    const failed = await create('idem_taken', key);
    expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: ['input', 'slug'] });
    const corrected = await create('idem_corrected', key);
    expect(corrected.errors).toBeUndefined();
    expect(corrected.data.createOrganization.organization.path).toBe(`${area.path}.idem_corrected`);
  });

  it('creates exactly one organization when retries with one key arrive at once', async () => {
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 5 }, () => create('idem_race', key)));
    for (const result of results) expect(result.errors).toBeUndefined();
    expect(new Set(results.map((r) => r.data.createOrganization.organization.id)).size).toBe(1);
    expect(await countAt(`${area.path}.idem_race`)).toBe(1);
  });

  it('does not let one viewer replay another viewer’s answer', async () => {
    const key = randomUUID();
    expect((await create('idem_mine', key)).errors).toBeUndefined();
    const other = await stack.tokenFor(demoEmail('ADMIN', 'ct.agri'));
    const theirs = await stack.gql(CREATE, { input: producer('idem_mine') }, { token: other, headers: { 'idempotency-key': key } });
    // Their request runs for real, and meets the slug the first one took.
    expect(theirs.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: ['input', 'slug'] });
  });

  it('refuses a malformed Idempotency-Key at the gateway', async () => {
    const result = await create('idem_badkey', 'x'.repeat(201));
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await countAt(`${area.path}.idem_badkey`)).toBe(0);
  });
});

describe('idempotency keys on event capture and recall opening', () => {
  const STAFF_PATH = 'ct.agri.thot_not.htx_lua_thoi_thuan';
  const CAPTURE = `mutation($i: CaptureEventsInput!) { captureEvents(input: $i) { createdCount duplicateCount events { eventID } } }`;
  const RECALL = `mutation($i: OpenRecallInput!) { openRecall(input: $i) { recall { id affectedLotCount } } }`;
  let staff: string;
  let orgId: string;
  let lotId: string;
  beforeAll(async () => {
    staff = await stack.tokenFor(demoEmail('STAFF', STAFF_PATH));
    const org = await stack.gql(
      `query($p: String!) { organizationByPath(path: $p) { id lots(first: 1) { nodes { id } } } }`,
      { p: STAFF_PATH },
      { token: staff },
    );
    orgId = org.data.organizationByPath.id;
    lotId = org.data.organizationByPath.lots.nodes[0].id;
  });
  const batch = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      type: 'OBJECT_EVENT',
      action: 'OBSERVE',
      bizStep: 'inspecting',
      eventTime: `2026-01-0${i + 1}T08:00:00+07:00`,
      quantities: [{ lotId }],
    }));
  const capture = (events: unknown[], key: string) =>
    stack.gql(CAPTURE, { i: { organizationId: orgId, events } }, { token: staff, headers: { 'idempotency-key': key } });
  const eventCount = async () =>
    Number(
      (await stack.gql(`query($o: ID!) { verifyChain(organizationId: $o) { eventCount } }`, { o: orgId }, { token: staff })).data?.verifyChain?.eventCount ??
        NaN,
    );

  it('replays a retried capture exactly and refuses the key with another batch, writing nothing', async () => {
    const key = randomUUID();
    const events = batch(2);
    const first = await capture(events, key);
    expect(first.errors).toBeUndefined();
    const retry = await capture(events, key);
    expect(retry.data).toEqual(first.data);
    const before = await eventCount();
    const reused = await capture(batch(3), key);
    expect(reused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await eventCount()).toBe(before);
  });

  it('opens one recall when a client retries with the same key', async () => {
    const officer = await stack.tokenFor(demoEmail('OFFICER', 'ct.agri'));
    const key = randomUUID();
    const input = { i: { lotIds: [lotId], reason: 'Kiểm tra lại độ ẩm', severity: 'CLASS_III' } };
    const first = await stack.gql(RECALL, input, { token: officer, headers: { 'idempotency-key': key } });
    const retry = await stack.gql(RECALL, input, { token: officer, headers: { 'idempotency-key': key } });
    expect(first.errors).toBeUndefined();
    expect(retry.data.openRecall.recall.id).toBe(first.data.openRecall.recall.id);
  });
});
