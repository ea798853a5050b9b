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

  it("names a lot's whole origin, every stage's steps with their corrections, in one trace statement more than its timeline", async () => {
    // The lot whose origin has the most disclosed stages, whatever the demo holds.
    const listed = await stack.gql(`{ lots(first: 100) { nodes { lotCode product { gtin } origin { disclosed } } } }`);
    expect(listed.errors).toBeUndefined();
    const deepest = (listed.data.lots.nodes as { lotCode: string; product: { gtin: string }; origin: { disclosed: boolean }[] }[])
      .map((l) => ({ ...l, disclosed: l.origin.filter((s) => s.disclosed).length }))
      .sort((a, b) => b.disclosed - a.disclosed)[0]!;
    expect(deepest.disclosed).toBeGreaterThanOrEqual(2);
    const traceStatements = async (fields: string) => {
      const before = stack.statements();
      const result = await stack.gql(`query($gtin: GTIN!, $lot: String!) { productByGtin(gtin: $gtin) { lot(code: $lot) { ${fields} } } }`, {
        gtin: deepest.product.gtin,
        lot: deepest.lotCode,
      });
      expect(result.errors).toBeUndefined();
      return { count: stack.statements().trace! - before.trace!, lot: result.data.productByGtin.lot };
    };
    const timeline = await traceStatements('timeline { eventTime corrects correctedBy }');
    const withOrigin = await traceStatements(
      'timeline { eventTime corrects correctedBy } origin { disclosed steps { eventTime corrects correctedBy organizationId } } journeyOrganizations { id }',
    );
    // The lot, then its events with their corrections: no statement per event or per stage.
    expect(timeline.count).toBe(2);
    expect(withOrigin.count).toBe(timeline.count + 1);
    expect(withOrigin.lot.origin.filter((s: { steps: unknown[] }) => s.steps.length > 0).length).toBeGreaterThanOrEqual(2);
  });
});
