/** The slice of autocannon 8's programmatic API the load generator uses (the package ships no types). */
declare module 'autocannon' {
  interface Options {
    url: string;
    connections: number;
    duration: number;
    method?: string;
    headers: Record<string, string>;
    /** Requests per second across all connections (a fixed-rate load). */
    overallRate?: number;
    requests: { setupRequest?: (req: Record<string, unknown>) => Record<string, unknown>; onResponse?: (status: number, body: string) => void }[];
  }
  interface Histogram {
    average: number;
    total: number;
    p50: number;
    p99: number;
  }
  interface Result {
    requests: Histogram;
    latency: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
  }
  /** The running load: awaitable for its result, and an emitter of each response. */
  interface Instance extends Promise<Result> {
    on(event: 'response', listener: (client: unknown, status: number, bytes: number, latencyMs: number) => void): Instance;
  }
  export default function autocannon(options: Options): Instance;
}
