import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const LOTS_WITH_OWNERS = `query($first: Int!) {
  lots(first: $first) { nodes { lotCode product { gtin name { text } owner { name { text } path } } owner { path } } }
}`;

/** SQL statements each subgraph runs for one operation. */
async function statementsFor(first: number) {
  const before = stack.statements();
  const result = await stack.gql(LOTS_WITH_OWNERS, { first });
  expect(result.errors).toBeUndefined();
  expect(result.data.lots.nodes).toHaveLength(first);
  const after = stack.statements();
  return Object.fromEntries(Object.keys(after).map((name) => [name, after[name]! - before[name]!]));
}

describe('batching across subgraphs', () => {
  it('lists 100 lots with product and owner in the same number of SQL statements as 10 lots', async () => {
    const ten = await statementsFor(10);
    const hundred = await statementsFor(100);
    expect(hundred).toEqual(ten);
    // One statement per subgraph fetch: trace lists, catalog resolves the
    // products, tenants the owners (both key sets arrive as one _entities call each).
    expect(hundred.trace).toBe(1);
    expect(hundred.catalog).toBe(1);
    expect(hundred.tenants).toBeLessThanOrEqual(2);
    expect(hundred.analytics).toBe(0);
  });

  it('pages nested lists of many parents with one statement per level', async () => {
    const before = stack.statements();
    const result = await stack.gql(`{
      organizations(kind: PRODUCER, first: 20) { nodes { products(first: 5) { nodes { lots(first: 3) { nodes { lotCode } } } } stats { lotCount } } }
    }`);
    expect(result.errors).toBeUndefined();
    const after = stack.statements();
    expect(after.tenants! - before.tenants!).toBe(1);
    expect(after.catalog! - before.catalog!).toBe(1);
    expect(after.trace! - before.trace!).toBe(1);
    expect(after.analytics! - before.analytics!).toBe(1);
  });
});
