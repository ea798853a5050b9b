import { STATUS_CODES, type ServerResponse } from 'node:http';
import { statusOf } from './status';

/**
 * A refusal with a stable code; its HTTP status is the code's (`statusOf`).
 * Routes throw it; the gateway writes it as RFC 7807 on a REST route and
 * GraphQL-shaped on /graphql (docs/architecture.md §7).
 */
export class Problem extends Error {
  readonly status: number;
  /** Members beyond RFC 7807's own that clients rely on (EPCIS `field`, `pointer`, `eventID`). */
  readonly extensions: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly code: string,
    detail: string,
    options: { extensions?: Record<string, unknown>; headers?: Record<string, string>; status?: number } = {},
  ) {
    super(detail);
    // `status` only for an error that arrives with its own (shared HttpError); otherwise the code decides.
    this.status = options.status ?? statusOf(code);
    this.extensions = options.extensions ?? {};
    // A 401 names the scheme to authenticate with (RFC 9110 §15.5.2).
    this.headers = this.status === 401 ? { 'www-authenticate': 'Bearer', ...options.headers } : (options.headers ?? {});
  }

  /** RFC 7807 `type`: what kind of problem this is. */
  get type(): string {
    return `https://nguon.example/problems/${this.status}`;
  }

  /** RFC 7807 `title`: the same for every problem of the type. */
  get title(): string {
    return STATUS_CODES[this.status] ?? 'Error';
  }
}

/** Answers `problem` as `application/problem+json` (RFC 7807), with the stable `code` as an extension member. */
export function sendProblem(res: ServerResponse, problem: Problem, instance: string | undefined, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({
    type: problem.type,
    title: problem.title,
    status: problem.status,
    detail: problem.message,
    instance,
    code: problem.code,
    ...problem.extensions,
  });
  res.writeHead(problem.status, {
    ...headers,
    ...problem.headers,
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
