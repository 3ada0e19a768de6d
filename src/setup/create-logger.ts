/** The process logger (pino): JSON lines, or human-readable with `logging.format: pretty`. */
import { pino, type Logger } from 'pino';

export function createLogger(level: string, format: 'json' | 'pretty', name = 'axon'): Logger {
  return pino({
    name,
    level,
    // Never log credentials, even if a request object is logged whole.
    redact: ['req.headers.authorization', '*.access_token', '*.password', '*.refresh_token'],
    ...(format === 'pretty' ? { transport: { target: 'pino-pretty', options: { colorize: false } } } : {}),
  });
}
