import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildSchema, unclassifiedFields } from '@nguon/shared';
import { startSeededSubgraph, type TestSubgraph } from '@nguon/shared/testing';
import { fieldClasses } from '../src/permissions';
import { traceSubgraph } from '../src/server';

const definition = traceSubgraph();
let subgraph: TestSubgraph;
let stop = async () => {};
beforeAll(async () => {
  ({ subgraph, stop } = await startSeededSubgraph(definition, inject('seededTemplate')));
});
afterAll(() => stop());

describe('trace subgraph', () => {
  it('publishes its SDL to the gateway', async () => {
    const { body } = await subgraph.request('{ _service { sdl } }');
    expect(body.data._service.sdl).toMatch(/type Lot\s+@key\(fields: "id"\)/);
  });

  it('classifies every field of every type', () => {
    expect(unclassifiedFields(buildSchema(definition), fieldClasses)).toEqual([]);
  });

  it('shows a recalled lot to anonymous viewers but denies them its quantity', async () => {
    const { body } = await subgraph.request('{ lots(first: 100) { nodes { status } } }');
    const statuses = new Set(body.data.lots.nodes.map((l: { status: string }) => l.status));
    expect(statuses.has('DRAFT')).toBe(false);
    const quantity = await subgraph.request('{ lots(first: 1) { nodes { lotCode quantity } } }');
    expect(quantity.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('seeds a rice chain a consumer can trace from a store package back to both farms', async () => {
    const { body } = await subgraph.request(`{ lots(first: 100) { nodes { id lotCode } } }`);
    expect(body.errors).toBeUndefined();
    const all: { id: string; lotCode: string }[] = [];
    let after: string | null = null;
    do {
      const page: any = await subgraph.request(
        `query($after: String) { lots(first: 100, after: $after) { nodes { id lotCode } pageInfo { endCursor hasNextPage } } }`,
        { after },
      );
      all.push(...page.body.data.lots.nodes);
      after = page.body.data.lots.pageInfo.hasNextPage ? page.body.data.lots.pageInfo.endCursor : null;
    } while (after);
    const pack = all.find((l) => l.lotCode === 'GOI-DX26-A')!;
    const traced = await subgraph.request(
      `query($id: ID!) { trace(lotId: $id, direction: UPSTREAM) { lots { depth lot { lotCode } } } lot(id: $id) { timeline(lang: "vi") { bizStepLabel } } }`,
      { id: pack.id },
    );
    expect(traced.body.errors).toBeUndefined();
    expect(
      traced.body.data.trace.lots
        .filter((l: any) => l.depth === 2)
        .map((l: any) => l.lot.lotCode)
        .sort(),
    ).toEqual(['DX26-001', 'DX26-004']);
    expect(traced.body.data.lot.timeline.map((t: any) => t.bizStepLabel)).toEqual(['Đóng gói', 'Xuất hàng', 'Nhận hàng']);
  });

  it('gives the owner staff its own draft lots', async () => {
    const all = await subgraph.request(
      '{ lots(first: 100) { totalCount } }',
      {},
      { kind: 'user', requestId: 't', userId: 'u', grants: [{ role: 'OFFICER', orgId: 'o', path: 'ct' }] },
    );
    const anonymous = await subgraph.request('{ lots(first: 100) { totalCount } }');
    expect(all.body.data.lots.totalCount).toBeGreaterThan(anonymous.body.data.lots.totalCount);
  });
});
