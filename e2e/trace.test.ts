import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stableId } from '@nguon/shared';
import { PRODUCTS } from '@nguon/demo/cantho';
import { demoProductId } from '@nguon/demo/ids';
import { demoEmail, startTestStack, type TestStack } from './helpers';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const millProduct = demoProductId(PRODUCTS.find((p) => p.operator === 'ct_luong_thuc_thot_not')!);
const packA = stableId('lot', `${millProduct}/GOI-DX26-A`);
const packB = stableId('lot', `${millProduct}/GOI-DX26-B`);

describe('traceability through the gateway', () => {
  it('traces a store package back to both farms by name, across subgraphs', async () => {
    const result = await stack.gql(
      `query($id: ID!) { trace(lotId: $id, direction: UPSTREAM) { lots { depth lot { lotCode owner { name(lang: "en") { text } } } } } }`,
      { id: packA },
    );
    expect(result.errors).toBeUndefined();
    const farms = result.data.trace.lots
      .filter((l: any) => l.depth === 2)
      .map((l: any) => l.lot.owner.name.text)
      .sort();
    expect(farms).toEqual(['Tan Loc Clean Farming Cooperative', 'Thoi Thuan Agricultural Cooperative']);
  });

  it('shows every package of a recalled farm lot as recalled to consumers the moment an officer opens the recall', async () => {
    const token = await stack.tokenFor(demoEmail('OFFICER', 'ct'));
    const upstream = await stack.gql(`query($id: ID!) { trace(lotId: $id, direction: UPSTREAM) { lots { id depth } } }`, { id: packA });
    const farmLot = upstream.data.trace.lots.find((l: any) => l.depth === 2).id;
    const opened = await stack.gql(
      `mutation($input: OpenRecallInput!) { openRecall(input: $input) { recall { status affectedLotCount } } }`,
      { input: { lotIds: [farmLot], reason: 'Nấm mốc aflatoxin', severity: 'CLASS_I' } },
      { token },
    );
    expect(opened.errors).toBeUndefined();
    expect(opened.data.openRecall.recall).toEqual({ status: 'OPEN', affectedLotCount: 4 });
    const consumer = await stack.gql(`query($a: ID!, $b: ID!) { a: lot(id: $a) { status activeRecall { severity } } b: lot(id: $b) { status } }`, {
      a: packA,
      b: packB,
    });
    expect(consumer.data).toEqual({ a: { status: 'RECALLED', activeRecall: { severity: 'CLASS_I' } }, b: { status: 'RECALLED' } });
  });
});
