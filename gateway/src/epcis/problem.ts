import type { ServerResponse } from 'node:http';
import { HttpError } from '@nguon/shared/http';

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

/**
 * The EPCIS problem an error thrown while serving an EPCIS route stands for,
 * if any: a problem as is, and the gateway's own refusal of a request's input
 * (HttpError 400, e.g. variables nested past QUERY_VARIABLES_DEPTH) as a
 * ValidationException. Anything else is not the client's to fix: undefined.
 */
export function problemOf(error: unknown): EpcisProblem | undefined {
  if (error instanceof EpcisProblem) return error;
  if (error instanceof HttpError && error.status === 400) return invalid(error.message);
  return undefined;
}

/**
 * The EPCIS answer for a stable graph error code. Write-authority refusals
 * (docs/write-authority.md) are SecurityException 403s like FORBIDDEN; the
 * problem then also carries `code` (NOT_OWNER, NOT_CUSTODIAN, FORBIDDEN) so a
 * client can tell "not your lot" from "not your organization".
 */
export function exceptionOfCode(code: unknown): { status: number; exception: EpcisException } {
  switch (code) {
    case 'BAD_USER_INPUT':
      return { status: 400, exception: 'ValidationException' };
    case 'UNAUTHENTICATED':
      return { status: 401, exception: 'SecurityException' };
    case 'FORBIDDEN':
    case 'NOT_OWNER':
    case 'NOT_CUSTODIAN':
      return { status: 403, exception: 'SecurityException' };
    case 'NOT_FOUND':
      return { status: 404, exception: 'NoSuchResourceException' };
    case 'CONFLICT':
      return { status: 409, exception: 'ResourceAlreadyExistsException' };
    default:
      return { status: 500, exception: 'ImplementationException' };
  }
}

/** Codes whose problem names the refused field (the others keep their historical shape). */
const WITH_FIELD = new Set(['BAD_USER_INPUT', 'CONFLICT', 'FORBIDDEN', 'NOT_OWNER', 'NOT_CUSTODIAN']);
/** Write-authority refusal codes, which a problem (or a capture job's error) names as `code`. */
export const WITH_CODE: ReadonlySet<string> = new Set(['FORBIDDEN', 'NOT_OWNER', 'NOT_CUSTODIAN']);

/** Maps graph errors to EPCIS exceptions by their stable code. */
export function fromGraphErrors(errors: { message: string; extensions?: Record<string, unknown> }[]): EpcisProblem {
  const first = errors[0]!;
  const code = first.extensions?.code;
  const field = Array.isArray(first.extensions?.field) ? (first.extensions!.field as string[]).join('.') : undefined;
  const { status, exception } = exceptionOfCode(code);
  const extra = {
    ...(WITH_CODE.has(String(code)) ? { code } : {}),
    ...(field && WITH_FIELD.has(String(code)) ? { field } : {}),
  };
  return new EpcisProblem(status, exception, first.message, extra);
}
