import { runSubgraphProcess } from '@nguon/shared';
import { traceSubgraph } from './server';

runSubgraphProcess('trace', 4103, () => traceSubgraph());
