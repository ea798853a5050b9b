import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildSchema, unclassifiedFields } from '@nguon/shared';
import { startSeededSubgraph, type TestSubgraph } from '@nguon/shared/testing';
import { demoOrgId } from '@nguon/demo/ids';
import { fieldClasses } from '../src/permissions';
import { analyticsSubgraph } from '../src/server';

const definition = analyticsSubgraph();
let subgraph: TestSubgraph;
let stop = async () => {};
beforeAll(async () => {
  ({ subgraph, stop } = await startSeededSubgraph(definition, inject('seededTemplate')));
});
afterAll(() => stop());

const STATS = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { stats { productCount lotCount coverage } } } }';
const rep = (path: string) => ({ __typename: 'Organization', id: demoOrgId(path) });

describe('analytics subgraph', () => {
  it('publishes its SDL to the gateway', async () => {
    const { body } = await subgraph.request('{ _service { sdl } }');
    expect(body.data._service.sdl).toContain('OrganizationStats');
  });

  it('classifies every field of every type', () => {
    expect(unclassifiedFields(buildSchema(definition), fieldClasses)).toEqual([]);
  });

  it('adds up a department as the sum of its districts', async () => {
    const districts = ['thot_not', 'phong_dien', 'co_do', 'vinh_thanh', 'thoi_lai', 'o_mon', 'binh_thuy', 'cai_rang', 'ninh_kieu'].map((d) =>
      rep(`ct.agri.${d}`),
    );
    const { body } = await subgraph.request(STATS, { r: [rep('ct.agri'), ...districts] });
    const [department, ...parts] = body.data._entities.map((e: any) => e.stats);
    expect(department.productCount).toBe(parts.reduce((sum: number, p: any) => sum + p.productCount, 0));
    expect(department.lotCount).toBe(parts.reduce((sum: number, p: any) => sum + p.lotCount, 0));
    expect(department.productCount).toBeGreaterThan(0);
  });

  it('counts drafts only for viewers with aggregate rights over the subtree', async () => {
    const anonymous = await subgraph.request(STATS, { r: [rep('ct')] });
    const analyst = await subgraph.request(
      STATS,
      { r: [rep('ct')] },
      { kind: 'user', requestId: 't', userId: 'u', grants: [{ role: 'ANALYST', orgId: 'o', path: 'ct' }] },
    );
    const elsewhere = await subgraph.request(
      STATS,
      { r: [rep('ct')] },
      { kind: 'user', requestId: 't', userId: 'u', grants: [{ role: 'ANALYST', orgId: 'o', path: 'ct.health' }] },
    );
    expect(anonymous.body.data._entities[0].stats.coverage).toBe('PUBLISHED_ONLY');
    expect(analyst.body.data._entities[0].stats.coverage).toBe('ALL');
    expect(analyst.body.data._entities[0].stats.productCount).toBeGreaterThan(anonymous.body.data._entities[0].stats.productCount);
    expect(elsewhere.body.data._entities[0].stats).toEqual(anonymous.body.data._entities[0].stats);
  });
});
