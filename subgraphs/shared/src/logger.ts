import pino from 'pino';

export type Logger = pino.Logger;

/** Structured JSON logs; credentials and the signed viewer never reach them. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name: service,
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers["x-nguon-viewer"]', 'req.headers.cookie', '*.password', '*.token'],
      censor: '[redacted]',
    },
  });
}
