import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Credentials, tokens and push content are redacted wherever they could
 * appear; the code never logs them on purpose either (push tokens and texts are not logged).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'obmeet-cloud' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.token',
        '*.tokens',
        '*.clientSecret',
        '*.secret',
        '*.notification',
        '*.title',
        '*.body',
        '*.data',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
