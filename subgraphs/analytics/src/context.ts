import type { BaseContext } from '@nguon/shared';
import type { RollupKeeper } from './data/rollups';
import type { Loaders } from './loaders';
import type { SuppressionRule } from './suppression';

export interface Context extends BaseContext {
  loaders: Loaders;
  /** The process's rollup freshness policy (one per subgraph instance, not per request). */
  rollups: RollupKeeper;
  /** Small-cell suppression thresholds of this process (AGGREGATE_MIN_CELL_LOTS / _PRODUCERS). */
  suppression: SuppressionRule;
}
