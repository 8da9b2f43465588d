/** Structured logging (pino). Secrets never go through here: log ids and names, not values. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'kaas' }, redact: { paths: ['token', '*.token', 'authorization', '*.authorization', 'kubeconfig', '*.kubeconfig'], censor: '[redacted]' } });
}
