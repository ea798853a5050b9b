import { writeFileSync } from 'node:fs';
import { renderMatrix } from './policy';

const target = new URL('../../docs/access-matrix.md', import.meta.url);
writeFileSync(target, renderMatrix());
console.log(`wrote ${target.pathname}`);
