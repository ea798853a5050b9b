import { runSubgraphProcess } from '@nguon/shared';
import { catalogSubgraph } from './server';

runSubgraphProcess('catalog', 4102, () => catalogSubgraph());
