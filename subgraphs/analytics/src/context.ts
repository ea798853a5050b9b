import type { BaseContext } from '@nguon/shared';
import type { RollupKeeper } from './data/rollups';
import type { Loaders } from './loaders';

export interface Context extends BaseContext {
  loaders: Loaders;
  /** The process's rollup freshness policy (one per subgraph instance, not per request). */
  rollups: RollupKeeper;
}
