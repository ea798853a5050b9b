/**
 * Child process: a fixed-rate mixed load for the soak, separate from the
 * server. Job from argv[2]; prints one JSON line per minute and a final one.
 * Each request draws its kind by weight and its variables at random.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

interface Kind {
  name: string;
  weight: number;
  bodies: string[];
  headers?: Record<string, string>;
}
interface Job {
  url: string;
  connections: number;
  seconds: number;
  /** Requests per second across all connections; 0 = as fast as possible (capacity probe). */
  rate: number;
  kinds: Kind[];
}

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;
let state = 0x1b873593;
const rand = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296;
const total = job.kinds.reduce((s, k) => s + k.weight, 0);
const counters = new Map<string, number>();
const pick = () => {
  let x = rand() * total;
  for (const k of job.kinds) if ((x -= k.weight) < 0) return k;
  return job.kinds.at(-1)!;
};
let gqlErrors = 0;

const instance = autocannon({
  url: job.url,
  connections: job.connections,
  duration: job.seconds,
  ...(job.rate > 0 ? { overallRate: job.rate } : {}),
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  requests: [
    {
      setupRequest: (req) => {
        const kind = pick();
        const n = counters.get(kind.name) ?? 0;
        counters.set(kind.name, n + 1);
        return { ...req, headers: { 'content-type': 'application/json', ...kind.headers }, body: kind.bodies[n % kind.bodies.length]! };
      },
      onResponse: (status, body) => {
        if (status === 200 && body.includes('"errors":[')) gqlErrors++;
      },
    },
  ],
});

// Per-minute latency windows, to see drift.
const windows: { minute: number; count: number; latencies: number[] }[] = [];
let current = { minute: 0, count: 0, latencies: [] as number[] };
const started = Date.now();
instance.on('response', (_client: unknown, _status: number, _bytes: number, latency: number) => {
  const minute = Math.floor((Date.now() - started) / 60_000);
  if (minute !== current.minute) {
    windows.push(current);
    current = { minute, count: 0, latencies: [] };
  }
  current.count++;
  current.latencies.push(latency);
});
const p = (xs: number[], q: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]! : 0);

const result = await instance;
windows.push(current);
process.stdout.write(
  `${JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx + gqlErrors,
    non2xx: result.non2xx,
    gqlErrors,
    perKind: Object.fromEntries(counters),
    perMinute: windows.filter((w) => w.count > 0).map((w) => ({ minute: w.minute, count: w.count, p50: p(w.latencies, 0.5), p99: p(w.latencies, 0.99) })),
  })}\n`,
);
