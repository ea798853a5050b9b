import type { Viewer } from '@nguon/shared/viewer';
import type { EdgeContext, GraphAnswer } from '../edge';
import { graphql } from '../generated';
import type { EpcisLotsOfGtinQuery } from '../generated/graphql';

const LOTS_OF_GTIN = graphql(`
  query EpcisLotsOfGtin($gtin: GTIN!, $after: String) {
    productByGtin(gtin: $gtin) {
      lots(first: 100, after: $after) {
        nodes {
          id
          lotCode
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);
/** GTIN + lot code → lot id, through the graph (catalog finds the product, trace its lots). */
export async function resolveLots(edge: EdgeContext, viewer: Viewer, lgtins: { gtin: string; lot: string }[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const gtins = [...new Set(lgtins.map((l) => l.gtin))];
  for (const gtin of gtins) {
    const wanted = new Set(lgtins.filter((l) => l.gtin === gtin).map((l) => l.lot));
    let after: string | null = null;
    for (;;) {
      const result: GraphAnswer<EpcisLotsOfGtinQuery> = await edge.execute(LOTS_OF_GTIN, { gtin, after }, viewer);
      const lots = result.data?.productByGtin?.lots;
      if (!lots) break;
      for (const l of lots.nodes) if (wanted.has(l.lotCode)) found.set(`${gtin}|${l.lotCode}`, l.id);
      if (!lots.pageInfo.hasNextPage || [...wanted].every((w) => found.has(`${gtin}|${w}`))) break;
      after = lots.pageInfo.endCursor;
    }
  }
  return found;
}
