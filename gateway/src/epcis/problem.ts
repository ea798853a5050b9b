import type { ServerResponse } from 'node:http';

/** EPCIS 2.0 exception types (GS1 EPCIS 2.0 OpenAPI, `epcisException:` prefix). */
export type EpcisException =
  | 'ValidationException'
  | 'ImplementationException'
  | 'QueryParameterException'
  | 'NoSuchResourceException'
  | 'SecurityException'
  | 'CaptureLimitExceededException'
  | 'ResourceAlreadyExistsException'
  | 'UnsupportedMediaTypeException'
  | 'NotAcceptableException'
  | 'MethodNotAllowedException';

const TITLES: Record<EpcisException, string> = {
  ValidationException: 'The document or event is not valid EPCIS 2.0.',
  ImplementationException: 'The repository could not process the request.',
  QueryParameterException: 'A query parameter is not valid.',
  NoSuchResourceException: 'No such resource.',
  SecurityException: 'Not allowed.',
  CaptureLimitExceededException: 'The capture is over the advertised limits.',
  ResourceAlreadyExistsException: 'The event already exists.',
  UnsupportedMediaTypeException: 'Unsupported media type.',
  NotAcceptableException: 'Not acceptable.',
  MethodNotAllowedException: 'Method not allowed.',
};

/** A failure the REST bindings answer as RFC 7807 problem+json. */
export class EpcisProblem extends Error {
  constructor(
    readonly status: number,
    readonly exception: EpcisException,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export function sendProblem(res: ServerResponse, problem: EpcisProblem, instance: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({
    type: `epcisException:${problem.exception}`,
    title: TITLES[problem.exception],
    status: problem.status,
    detail: problem.message,
    instance,
    ...problem.extra,
  });
  res.writeHead(problem.status, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export const invalid = (detail: string, pointer?: string) => new EpcisProblem(400, 'ValidationException', detail, pointer ? { pointer } : {});

/** Maps graph errors to EPCIS exceptions by their stable code. */
export function fromGraphErrors(errors: { message: string; extensions?: Record<string, unknown> }[]): EpcisProblem {
  const first = errors[0]!;
  const code = first.extensions?.code;
  const field = Array.isArray(first.extensions?.field) ? (first.extensions!.field as string[]).join('.') : undefined;
  const extra = field ? { field } : {};
  switch (code) {
    case 'BAD_USER_INPUT':
      return new EpcisProblem(400, 'ValidationException', first.message, extra);
    case 'UNAUTHENTICATED':
      return new EpcisProblem(401, 'SecurityException', first.message);
    case 'FORBIDDEN':
      return new EpcisProblem(403, 'SecurityException', first.message);
    case 'NOT_FOUND':
      return new EpcisProblem(404, 'NoSuchResourceException', first.message);
    case 'CONFLICT':
      return new EpcisProblem(409, 'ResourceAlreadyExistsException', first.message, extra);
    default:
      return new EpcisProblem(500, 'ImplementationException', first.message);
  }
}
