import { writeFileSync } from 'node:fs';
import { renderWriteMatrix } from './write-policy';

const target = new URL('../../docs/write-matrix.md', import.meta.url);
writeFileSync(target, renderWriteMatrix());
console.log(`wrote ${target.pathname}`);
