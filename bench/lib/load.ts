/**
 * Child process: the load generator (autocannon), separate from every server
 * it measures. Reads a job from argv[2] (JSON), prints one JSON result line.
 * Each request draws its own variables, so no cache or deduplication hides work.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

interface Job {
  url: string;
  connections: number;
  seconds: number;
  /** Request bodies to draw from at random (pre-serialised). */
  bodies: string[];
  headers?: Record<string, string>;
}

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;
let graphqlErrors = 0;
// Deterministic per run: a fixed LCG, not Math.random.
let state = 0x9e3779b9;
const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) % job.bodies.length;

const result = await autocannon({
  url: job.url,
  connections: job.connections,
  duration: job.seconds,
  method: 'POST',
  headers: { 'content-type': 'application/json', ...job.headers },
  requests: [
    {
      setupRequest: (req) => ({ ...req, body: job.bodies[next()]! }),
      onResponse: (status, body) => {
        if (status === 200 && body.startsWith('{"errors"')) graphqlErrors++;
        else if (status === 200 && body.includes('"errors":[')) graphqlErrors++;
      },
    },
  ],
});
process.stdout.write(
  `${JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx + graphqlErrors,
    non2xx: result.non2xx,
    graphqlErrors,
  })}\n`,
);
