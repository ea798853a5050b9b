import { Problem } from '../http/problem';
import { statusOf } from '../http/status';

/** EPCIS 2.0 exception types (GS1 EPCIS 2.0 OpenAPI, `epcisException:` prefix; MethodNotAllowedException is ours: the OpenAPI defines no 405). */
export type EpcisException =
  | 'ValidationException'
  | 'ImplementationException'
  | 'QueryParameterException'
  | 'QueryTooLargeException'
  | 'NoSuchResourceException'
  | 'NoSuchNameException'
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
  QueryTooLargeException: 'The query would return more events than allowed.',
  NoSuchResourceException: 'No such resource.',
  NoSuchNameException: 'No query of that name.',
  SecurityException: 'Not allowed.',
  CaptureLimitExceededException: 'The capture is over the advertised limits.',
  ResourceAlreadyExistsException: 'The resource already exists.',
  UnsupportedMediaTypeException: 'Unsupported media type.',
  NotAcceptableException: 'Not acceptable.',
  MethodNotAllowedException: 'Method not allowed.',
};

/** The exception EPCIS names a refusal of each status by, where it has one; any other failure is the repository's (500). */
const EXCEPTION_OF_STATUS: Readonly<Record<number, EpcisException>> = {
  400: 'ValidationException',
  401: 'SecurityException',
  403: 'SecurityException',
  404: 'NoSuchResourceException',
  409: 'ResourceAlreadyExistsException',
};

/** A problem the EPCIS REST bindings answer: RFC 7807 typed by its EPCIS exception. */
export class EpcisProblem extends Problem {
  constructor(
    code: string,
    readonly exception: EpcisException,
    detail: string,
    extensions: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(code, detail, { extensions, headers });
  }

  override get type(): string {
    return `epcisException:${this.exception}`;
  }

  override get title(): string {
    return TITLES[this.exception];
  }
}

export const invalid = (detail: string, pointer?: string) => new EpcisProblem('BAD_USER_INPUT', 'ValidationException', detail, pointer ? { pointer } : {});

/** The most schema errors one problem lists. */
const ERRORS_LISTED = 50;

/** What GS1's EPCIS 2.0 JSON schema rejects: every offending JSON pointer (`errors`, the first also as `pointer`). */
export function notValidEpcis(errors: { pointer: string; detail: string }[]): EpcisProblem {
  const listed = errors.slice(0, ERRORS_LISTED);
  const more = errors.length > listed.length ? `; and ${errors.length - listed.length} more` : '';
  return new EpcisProblem(
    'BAD_USER_INPUT',
    'ValidationException',
    `GS1's EPCIS 2.0 JSON schema rejects it: ${listed.map((e) => `${e.pointer || '/'} ${e.detail}`).join('; ')}${more}.`,
    { pointer: listed[0]?.pointer ?? '', errors: listed },
  );
}

/**
 * A valid EPCIS document this repository refuses by its own policy (README,
 * EPCIS_UNREGISTERED_LOTS): not an EPCIS exception, since the standard would
 * accept it, so it has a type of its own and names every offending lot.
 */
export class PolicyProblem extends Problem {
  override get type(): string {
    return 'https://nguon.example/problems/policy';
  }

  override get title(): string {
    return "The document is valid EPCIS 2.0 but this repository's policy refuses it.";
  }
}

/** Lots (LGTIN) not registered here, under EPCIS_UNREGISTERED_LOTS=refuse: 422, code UNREGISTERED_LOT, each lot with where it was named. */
export function unregisteredLots(lots: { epcClass: string; pointer: string }[]): PolicyProblem {
  return new PolicyProblem(
    'UNREGISTERED_LOT',
    `Lots must be registered here before events name them (or you may not see them): ${lots.map((l) => l.epcClass).join(', ')}.`,
    { status: 422, extensions: { lots } },
  );
}

/** The EPCIS answer for a stable error code: its status where EPCIS names an exception for it, else 500 ImplementationException. */
export function exceptionOfCode(code: unknown): { code: string; status: number; exception: EpcisException } {
  const exception = EXCEPTION_OF_STATUS[statusOf(code)];
  return exception
    ? { code: code as string, status: statusOf(code), exception }
    : { code: 'INTERNAL_SERVER_ERROR', status: 500, exception: 'ImplementationException' };
}

/**
 * The problem an error thrown while serving an EPCIS route stands for,
 * if any: an EPCIS or policy problem as is; the edge's own refusals (bad credentials,
 * variables nested past QUERY_VARIABLES_DEPTH) as the exception of their
 * code. Anything else is not the client's to fix: undefined.
 */
export function problemOf(error: unknown): Problem | undefined {
  if (error instanceof EpcisProblem || error instanceof PolicyProblem) return error;
  if (!(error instanceof Problem)) return undefined;
  const { code, exception } = exceptionOfCode(error.code);
  return new EpcisProblem(code, exception, error.message);
}

/** Codes whose problem names the refused field (the others keep their historical shape). */
const WITH_FIELD = new Set(['BAD_USER_INPUT', 'CONFLICT', 'FORBIDDEN', 'NOT_OWNER', 'NOT_CUSTODIAN']);
/** Write-authority refusal codes (docs/write-authority.md), which a capture job's error names as `code`. */
export const WITH_CODE: ReadonlySet<string> = new Set(['FORBIDDEN', 'NOT_OWNER', 'NOT_CUSTODIAN']);

/** Maps graph errors to EPCIS exceptions by their stable code; a write-authority refusal keeps its own code. */
export function fromGraphErrors(errors: { message: string; extensions?: Record<string, unknown> }[]): EpcisProblem {
  const first = errors[0]!;
  const field = Array.isArray(first.extensions?.field) ? (first.extensions!.field as string[]).join('.') : undefined;
  const { code, exception } = exceptionOfCode(first.extensions?.code);
  return new EpcisProblem(code, exception, first.message, field && WITH_FIELD.has(code) ? { field } : {});
}
