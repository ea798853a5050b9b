/**
 * Telling a lost database connection from a refused statement, with no
 * database driver imported: the gateway's error mapping uses it too.
 */

/** Error codes (postgres.js, Node sockets, SQLSTATE class 08 / 57P0x) meaning the connection, not the statement, failed. */
const CONNECTION_ERRORS = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown: the server is restarting
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: still starting up
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

/** The database could not be reached or dropped the connection (as opposed to refusing the statement). */
export function isConnectionError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_ERRORS.has(code)) return true;
    e = (e as { cause?: unknown; originalError?: unknown }).cause ?? (e as { originalError?: unknown }).originalError;
  }
  return false;
}
