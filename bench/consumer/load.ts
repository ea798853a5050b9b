/**
 * Child process: autocannon GETs of consumer pages, separate from the servers
 * it measures. Job from argv[2] (JSON); one JSON result line on stdout.
 * Each request draws a path at random, so the cold run is really cold.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

interface Job {
  origin: string;
  paths: string[];
  connections: number;
  seconds: number;
  method: 'GET' | 'POST';
  /** For POST jobs: bodies drawn alongside the paths. */
  bodies?: string[];
  headers?: Record<string, string>;
}

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;
let state = 0x2545f491;
const next = (n: number) => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) % n;
let badBodies = 0;

const result = await autocannon({
  url: job.origin,
  connections: job.connections,
  duration: job.seconds,
  headers: job.headers ?? {},
  requests: [
    {
      setupRequest: (req) => {
        const i = next(job.paths.length);
        return { ...req, method: job.method, path: job.paths[i]!, ...(job.bodies ? { body: job.bodies[i % job.bodies.length]! } : {}) };
      },
      onResponse: (status, body) => {
        if (status === 200 && job.method === 'POST' && body.includes('"errors":[')) badBodies++;
      },
    },
  ],
});
process.stdout.write(
  `${JSON.stringify({ requests: result.requests.total, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts + result.non2xx + badBodies })}\n`,
);
