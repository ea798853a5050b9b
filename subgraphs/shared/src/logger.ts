import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';

export type Logger = pino.Logger;

/** What a request id may look like when a client or the gateway supplies one (anything else is replaced). */
export const REQUEST_ID_FORMAT = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Structured JSON logs; credentials and the signed viewer never reach them.
 * `destination` lets tests (or a file sink) receive the lines.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name: service,
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        'req.headers["x-nguon-viewer"]',
        'req.headers["idempotency-key"]',
        'req.headers.cookie',
        '*.password',
        '*.token',
        '*.accessToken',
        '*.apiKey',
        '*.key',
        '*.email',
        '*.variables',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * The one line per request every service writes: method, path (never the
 * query string), status, duration, request id and the kind of viewer. No
 * headers, tokens, variables or personal data.
 */
export function logRequest(
  logger: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  fields: { path: string; requestId: string; viewer: string | undefined; started: number },
): void {
  const entry = {
    requestId: fields.requestId,
    method: req.method,
    path: fields.path,
    status: res.statusCode,
    durationMs: Math.round((performance.now() - fields.started) * 10) / 10,
    viewer: fields.viewer ?? 'none',
  };
  if (res.statusCode >= 500) logger.warn(entry, 'request');
  else logger.info(entry, 'request');
}
