import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured logs. Secrets and message text are redacted wherever they could appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-auth-token"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.pass',
        '*.token',
        '*.authToken',
        '*.msg',
        '*.text',
      ],
      censor: '[redacted]',
    },
  });
}
