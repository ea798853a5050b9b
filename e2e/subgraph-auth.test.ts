import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signViewer } from '@nguon/shared';
import { startTestStack, type TestStack } from './helpers';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('subgraphs answer the gateway only', () => {
  it('refuses a direct call without the gateway signature, on every subgraph', async () => {
    for (const subgraph of Object.values(stack.subgraphs)) {
      const response = await post(subgraph.url, { query: '{ _service { sdl } }' });
      expect(response.status, subgraph.name).toBe(401);
      const body = (await response.json()) as any;
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(body.data).toBeUndefined();
    }
  });

  it('refuses a viewer header signed with another key', async () => {
    const forged = signViewer(
      { kind: 'user', requestId: 'x', userId: 'u', grants: [{ role: 'ADMIN', orgId: 'o', path: 'ct' }] },
      'not-the-gateway-secret-not-the-gateway-secret',
    );
    const response = await post(stack.subgraphs.tenants.url, { query: '{ viewer { kind } }' }, { 'x-nguon-viewer': forged });
    expect(response.status).toBe(401);
  });

  it('refuses a tampered payload under a real signature', async () => {
    const real = signViewer({ kind: 'anonymous', requestId: 'x' }, stack.gatewaySecret);
    const [, mac] = real.split('.');
    const payload = Buffer.from(JSON.stringify({ v: { kind: 'user', userId: 'u', grants: [{ role: 'ADMIN', orgId: 'o', path: 'ct' }] }, exp: 9e9 })).toString(
      'base64url',
    );
    const response = await post(stack.subgraphs.catalog.url, { query: '{ products(first: 1) { nodes { id } } }' }, { 'x-nguon-viewer': `${payload}.${mac}` });
    expect(response.status).toBe(401);
  });

  it('refuses `_entities` asking for private fields without the signature', async () => {
    const response = await post(stack.subgraphs.tenants.url, {
      query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { contact { email phone } } } }',
      variables: { r: [{ __typename: 'Organization', id: '00000000-0000-8000-8000-000000000000' }] },
    });
    expect(response.status).toBe(401);
  });

  it('denies private fields through `_entities` even with a valid anonymous signature', async () => {
    const orgs = await stack.gql('{ organizations(kind: PRODUCER, first: 1) { nodes { id } } }');
    const id = orgs.data.organizations.nodes[0].id;
    const response = await post(
      stack.subgraphs.tenants.url,
      {
        query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { path contact { email } } } }',
        variables: { r: [{ __typename: 'Organization', id }] },
      },
      { 'x-nguon-viewer': signViewer({ kind: 'anonymous', requestId: 'x' }, stack.gatewaySecret) },
    );
    const body = (await response.json()) as any;
    expect(body.data._entities[0]).toEqual({ path: expect.stringMatching(/^ct\./), contact: null });
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(body.errors[0].path).toEqual(['_entities', 0, 'contact']);
  });

  it('answers `_service { sdl }` to the gateway', async () => {
    const response = await post(
      stack.subgraphs.trace.url,
      { query: '{ _service { sdl } }' },
      { 'x-nguon-viewer': signViewer({ kind: 'anonymous', requestId: 'x' }, stack.gatewaySecret) },
    );
    const body = (await response.json()) as any;
    expect(body.data._service.sdl).toMatch(/type Lot\s+@key\(fields: "id"\)/);
  });

  it('ignores a viewer header a client sends to the gateway', async () => {
    const forged = signViewer({ kind: 'user', requestId: 'x', userId: 'u', grants: [{ role: 'ADMIN', orgId: 'o', path: 'ct' }] }, stack.gatewaySecret);
    const result = await stack.gql('{ viewer { kind roles { role } } }', {}, { headers: { 'x-nguon-viewer': forged } });
    expect(result.data.viewer).toEqual({ kind: 'ANONYMOUS', roles: [] });
  });
});
