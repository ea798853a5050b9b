/**
 * postinstall: guards postgres.js 3.4.9 against porsager/postgres#1154
 * (also #1066, #1208; unmerged fixes in #1168, #1176, #1209).
 *
 * Small writes are deferred with setImmediate. When the connection closes
 * first, `closed()` sets `socket = null`, and the deferred `nextWrite` then
 * calls `socket.write` on null. That TypeError comes from a timer, so no
 * caller can catch it: the whole service process dies. Our durability test
 * (gateway/test/capture-durability.test.ts, a PostgreSQL restart during
 * captures) hits it.
 *
 * The guard settles instead of crashing. The pending query is rejected with
 * CONNECTION_CLOSED, which the caller already handles (reads retry, writes
 * report SERVICE_UNAVAILABLE), and the deferred-write state is reset so the
 * connection can be reused. The patch is idempotent, and it says so when a
 * future postgres.js no longer matches (then check whether upstream fixed it).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const MARK = '/* nguon: guard porsager/postgres#1154 */';
const ORIGINAL = `function nextWrite(fn) {
    const x = socket.write(chunk, fn)`;
const GUARDED = `function nextWrite(fn) {
    ${MARK}
    if (!socket) {
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      ;(query || initial || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options))
      return false
    }
    const x = socket.write(chunk, fn)`;

/**
 * Teardown cancels the deferred write but leaves `nextWriteTimer` set, so
 * after a reconnect `write()` never schedules again and queries wait forever
 * (the same upstream report, LanternOps/breeze#3225). Reset it as well.
 */
const TEARDOWNS = [
  [
    `clearImmediate(nextWriteTimer)
    if (socket) {`,
    `clearImmediate(nextWriteTimer)
    nextWriteTimer = chunk = null
    if (socket) {`,
  ],
  [
    `clearImmediate(nextWriteTimer)
    socket.removeListener('data', data)`,
    `clearImmediate(nextWriteTimer)
    nextWriteTimer = chunk = null
    socket.removeListener('data', data)`,
  ],
];

let root;
try {
  // The exports map hides package.json; the CommonJS entry is <root>/cjs/src/index.js.
  root = join(dirname(createRequire(import.meta.url).resolve('postgres')), '..', '..');
} catch {
  process.exit(0); // postgres is not installed (yet): nothing to patch
}
for (const flavour of ['src', 'cjs/src', 'cf/src']) {
  const file = join(root, flavour, 'connection.js');
  if (!existsSync(file)) continue;
  const text = readFileSync(file, 'utf8');
  if (text.includes(MARK)) continue;
  if (!text.includes(ORIGINAL)) {
    console.warn(`nguon: ${file} no longer matches; check whether porsager/postgres#1154 is fixed upstream.`);
    continue;
  }
  let patched = text.replace(ORIGINAL, GUARDED);
  for (const [from, to] of TEARDOWNS) patched = patched.replace(from, to);
  writeFileSync(file, patched);
}
