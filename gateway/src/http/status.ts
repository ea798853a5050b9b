/**
 * The HTTP status of every stable error code the gateway answers with, the
 * one map for /graphql and the REST routes alike (docs/architecture.md §7).
 * A code not listed is the gateway's own failure: 500.
 */
const STATUS: Readonly<Record<string, number>> = {
  BAD_REQUEST: 400,
  BAD_USER_INPUT: 400,
  BATCH_NOT_SUPPORTED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  // Write-authority refusals (docs/write-authority.md): FORBIDDEN, told apart by their code.
  NOT_OWNER: 403,
  NOT_CUSTODIAN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
  BAD_GATEWAY: 502,
  SERVICE_UNAVAILABLE: 503,
};

export const statusOf = (code: unknown): number => (typeof code === 'string' && Object.hasOwn(STATUS, code) ? STATUS[code]! : 500);
