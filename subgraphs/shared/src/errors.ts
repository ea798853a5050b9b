import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isConnectionError } from './connection';
import { uuidv7 } from './ids';

/** The stable `extensions.code` values clients may branch on (docs/architecture.md §9). */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  RATE_LIMITED: 'RATE_LIMITED',
  /** A dependency (a subgraph, the database) is unreachable for now; retrying later may succeed. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** The operation is deeper, wider or costlier than this viewer may ask. */
  QUERY_LIMIT_EXCEEDED: 'QUERY_LIMIT_EXCEEDED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** Write authority (docs/write-authority.md): the referenced product, area, lot or event belongs to another organization. */
  NOT_OWNER: 'NOT_OWNER',
  /** Write authority: the capturing organization neither owns nor holds the lot. */
  NOT_CUSTODIAN: 'NOT_CUSTODIAN',
  /** A lot's quantity does not fit its production area's season norm (alone or summed with its siblings). */
  NORM_EXCEEDED: 'NORM_EXCEEDED',
  /** The item cannot be published yet: its product is not published, or the lot is under review or rejected. */
  NOT_PUBLISHABLE: 'NOT_PUBLISHABLE',
  /** The item's status does not allow this change (a complaint moved backwards, or from a final status). */
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  /** A captured event names a party by a GLN no organization has, and the capture asked for strict parties. */
  UNKNOWN_PARTY: 'UNKNOWN_PARTY',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes produced by GraphQL itself (parse/validation) that are safe to show. */
const PASS_THROUGH = new Set<string>([
  ...Object.values(ErrorCode).filter((c) => c !== 'INTERNAL_SERVER_ERROR'),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Extensions that may carry internal detail (a subgraph's URL and raw body, a stack). */
const INTERNAL_EXTENSIONS = ['stacktrace', 'exception', 'response', 'serviceName'];

export function badInput(message: string, field?: string | readonly string[]): GraphQLError {
  const path = field === undefined ? undefined : typeof field === 'string' ? field.split('.') : [...field];
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...(path ? { field: path } : {}) } });
}
export const forbidden = (message = 'You are not allowed to do this.') => new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });
export const notFound = (what = 'The item') => new GraphQLError(`${what} was not found.`, { extensions: { code: ErrorCode.NOT_FOUND } });
export const conflict = (message: string, field?: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.CONFLICT, ...(field ? { field: field.split('.') } : {}) } });
/** A refusal under the write-authority model with its own stable code (docs/write-authority.md). */
export function refused(
  code: 'NOT_OWNER' | 'NOT_CUSTODIAN' | 'NORM_EXCEEDED' | 'NOT_PUBLISHABLE',
  message: string,
  field?: string,
  extra: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode[code], ...(field ? { field: field.split('.') } : {}), ...extra } });
}
export const unauthenticated = (message = 'Sign in first.') => new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED } });

export function isExpectedError(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError && PASS_THROUGH.has(String(error.extensions?.code));
}

export interface MaskLogger {
  error(obj: object, msg: string): void;
}

/**
 * Apollo `formatError`: expected errors keep their code and message; anything
 * else (a database error, a bug) is logged with a reference and answered as
 * INTERNAL_SERVER_ERROR, so no SQL, stack or internal URL reaches a client.
 */
export function maskError(logger: MaskLogger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = String(formatted.extensions?.code ?? '');
    if (PASS_THROUGH.has(code)) {
      const extensions = { ...(formatted.extensions ?? {}) } as Record<string, unknown>;
      for (const key of INTERNAL_EXTENSIONS) delete extensions[key];
      return { ...formatted, extensions };
    }
    const given = formatted.extensions?.reference;
    if (code === ErrorCode.INTERNAL_SERVER_ERROR && formatted.extensions?.serviceName && typeof given === 'string' && /^[0-9a-f-]{36}$/.test(given)) {
      // Already masked (and logged) by the subgraph: keep its reference so the two logs meet.
      return { ...formatted, message: `Internal server error (reference ${given}).`, extensions: { code, reference: given } };
    }
    const reference = uuidv7();
    const original = (error as { originalError?: unknown })?.originalError ?? error;
    if (isConnectionError(original)) {
      // Reads were already retried; a write's transaction rolled back or never began.
      logger.error({ err: original, reference, path: formatted.path }, 'database unavailable');
      return {
        message: `The service is unavailable right now (reference ${reference}); try again shortly.`,
        ...(formatted.path ? { path: formatted.path } : {}),
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, reference },
      };
    }
    logger.error({ err: original, reference, path: formatted.path }, 'unexpected error');
    return {
      message: `Internal server error (reference ${reference}).`,
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, reference },
    };
  };
}
