/**
 * Two revisions of the consumer page, measured in ONE run on a shared, noisy
 * machine: each checkout's whole stack is served side by side (serve.ts), and
 * one client alternates requests between them, so load from anything else
 * falls on both alike. Reports per-request latency (median and mean) and the
 * ratios, for the page of the lots made from other lots (uncached, through
 * the graph: each revision's own page query) and for the cached page.
 *
 *   npm run bench:consumer:compare -- --before /path/to/other/checkout [--requests 800]
 *
 * The other checkout needs its own `npm ci`; it may be any revision that
 * has gateway/src/stack.ts and PROVENANCE_PAGE_QUERY (issue 6 and later).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const BEFORE = arg('before');
if (!BEFORE) throw new Error('--before <path to the other checkout> is required');
const REQUESTS = Number(arg('requests') ?? 800);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Served {
  url: string;
  pageQuery: string;
  lots: { gtin: string; lot: string; path: string; madeFrom: boolean }[];
}

function serve(root: string, tag: string): { child: ChildProcess; file: string } {
  const file = join(tmpdir(), `nguon-compare-${process.pid}-${tag}.json`);
  rmSync(file, { force: true });
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./serve.ts', import.meta.url)), root, file], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { child, file };
}

async function ready(s: { child: ChildProcess; file: string }): Promise<Served> {
  while (!existsSync(s.file)) {
    if (s.child.exitCode !== null) throw new Error(`a server exited (${s.child.exitCode})`);
    await new Promise((r) => setTimeout(r, 250));
  }
  await new Promise((r) => setTimeout(r, 100));
  return JSON.parse(readFileSync(s.file, 'utf8')) as Served;
}

const servers = { after: serve(ROOT, 'after'), before: serve(BEFORE, 'before') };
try {
  const after = await ready(servers.after);
  const before = await ready(servers.before);
  const deep = (s: Served) => s.lots.filter((l) => l.madeFrom);
  if (!deep(after).length || !deep(before).length) throw new Error('no published lot made from other lots');

  const page = (s: Served, i: number, query = s.pageQuery) => {
    const lot = deep(s)[i % deep(s).length]!;
    return fetch(s.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables: { gtin: lot.gtin, lot: lot.lot, lang: 'vi' } }),
    }).then(async (r) => {
      const body = (await r.json()) as { errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
    });
  };
  const cachedPage = async (s: Served, i: number) => {
    const url = new URL(s.lots[i % s.lots.length]!.path, s.url).href;
    // As a phone's browser asks: anyone else is redirected to the page (GS1 resolver standard).
    const r = await fetch(url, { headers: { accept: 'text/html' } });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
  };
  const timed = async (run: () => Promise<void>, into: number[]) => {
    const t = performance.now();
    await run();
    into.push(performance.now() - t);
  };

  // Warm-up: plans, prepared statements, JIT.
  for (let i = 0; i < 100; i++) await Promise.all([page(after, i), page(before, i)]);
  const times = {
    pageAfter: [] as number[],
    pageBefore: [] as number[],
    oldQueryOnAfter: [] as number[],
    cachedAfter: [] as number[],
    cachedBefore: [] as number[],
  };
  for (let i = 0; i < REQUESTS; i++) {
    // Rotate which target goes first, so none always meets a warmer machine. The third target is the before
    // revision's page query run on the after revision: what the new page's extra fields cost on the same code.
    const runs = [
      () => timed(() => page(after, i), times.pageAfter),
      () => timed(() => page(before, i), times.pageBefore),
      () => timed(() => page(after, i, before.pageQuery), times.oldQueryOnAfter),
    ];
    for (let k = 0; k < runs.length; k++) await runs[(i + k) % runs.length]!();
  }
  // Cached: each pass fills both page caches (untimed) for 10 lots, then times one GET of each page,
  // alternating revisions, well within the caches' one-second lifetime.
  const cachedLots = Math.min(10, after.lots.length, before.lots.length);
  for (let done = 0; done < REQUESTS; done += cachedLots) {
    const offset = done % Math.min(after.lots.length, before.lots.length);
    for (let i = offset; i < offset + cachedLots; i++) await Promise.all([cachedPage(after, i), cachedPage(before, i)]);
    // Let the renders' after-work (beacons, collection) settle, so it falls on neither revision's timed GETs.
    await new Promise((r) => setTimeout(r, 150));
    for (let i = offset; i < offset + cachedLots; i++) {
      const pair = [() => timed(() => cachedPage(after, i), times.cachedAfter), () => timed(() => cachedPage(before, i), times.cachedBefore)];
      for (const run of i % 2 ? pair.reverse() : pair) await run();
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const row = (label: string, a: number[], b: number[]) =>
    `| ${label} | ${median(b).toFixed(2)} / ${mean(b).toFixed(2)} | ${median(a).toFixed(2)} / ${mean(a).toFixed(2)} | ${(median(a) / median(b)).toFixed(2)} / ${(mean(a) / mean(b)).toFixed(2)} |`;
  console.log(`${deep(after).length} page(s) made from other lots; ${REQUESTS} alternating requests per target`);
  console.log('| target | before ms (median / mean) | after ms (median / mean) | after ÷ before (median / mean) |');
  console.log('| --- | --- | --- | --- |');
  console.log(row('page of a lot made from others, uncached (each revision’s page query)', times.pageAfter, times.pageBefore));
  console.log(row('the same page, with the before revision’s page query, both on after', times.pageAfter, times.oldQueryOnAfter));
  console.log(row(`consumer page, cached (${cachedLots} lots)`, times.cachedAfter, times.cachedBefore));
} finally {
  for (const s of Object.values(servers)) s.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 2000));
}
