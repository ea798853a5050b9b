import { runSubgraphProcess } from '@nguon/shared';
import { analyticsSubgraph } from './server';

runSubgraphProcess('analytics', 4104, () => analyticsSubgraph());
