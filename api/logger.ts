/**
 * Structured logging (pino). Secrets never go through here: log ids and names, not values.
 * JSON lines on stdout for log collectors; `time LEVEL msg key=value` lines (api/log-format.ts)
 * when stdout is a terminal. A request's lines carry its `reqId`: the HTTP server runs each
 * request in `logScope` (api/server.ts), and every line logged inside it, by whatever code,
 * gets the scope's fields.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';
import { prettyDestination } from './log-format.ts';

export type { Logger };

/** Fields added to every log line written inside `logScope.run(fields, …)` (one request's). */
export const logScope = new AsyncLocalStorage<{ reqId: string }>();

export interface LoggerOptions {
  /** Terminal lines instead of JSON; default: when stdout is a TTY. */
  pretty?: boolean;
}

export function createLogger(level: string, opts: LoggerOptions = {}): Logger {
  const pretty = opts.pretty ?? process.stdout.isTTY === true;
  const options = { level, base: { service: 'kaas' }, mixin: () => logScope.getStore() ?? {}, redact: { paths: ['token', '*.token', 'authorization', '*.authorization', 'kubeconfig', '*.kubeconfig'], censor: '[redacted]' } };
  return pretty ? pino(options, prettyDestination((text) => void process.stdout.write(text))) : pino(options);
}
