/**
 * Log lines for a terminal: `HH:MM:SS.mmm LEVEL msg key=value …` from pino's JSON records, with
 * an error's stack indented below. The logger uses it when stdout is a TTY (api/logger.ts);
 * elsewhere the records stay JSON, one a line, for log collectors.
 */

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every record has that a terminal reader does not need on each line. */
const OMITTED = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service']);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}

/** One pino record as a terminal line (plus the stack of an `err` field, indented). */
export function formatPretty(record: Record<string, unknown>): string {
  const t = new Date(typeof record.time === 'number' ? record.time : Date.now());
  const time = `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}.${pad(t.getMilliseconds(), 3)}`;
  const level = (LEVELS[record.level as number] ?? String(record.level)).padEnd(5);
  const parts = [time, level, String(record.msg ?? '')];
  let stack: string | undefined;
  for (const [key, value] of Object.entries(record)) {
    if (OMITTED.has(key)) continue;
    if (key === 'err' && value && typeof value === 'object' && 'message' in value) {
      const err = value as { message: unknown; stack?: unknown };
      parts.push(`err=${JSON.stringify(String(err.message))}`);
      if (typeof err.stack === 'string') stack = err.stack.split('\n').map((l) => `    ${l}`).join('\n');
      continue;
    }
    parts.push(`${key}=${formatValue(value)}`);
  }
  const line = parts.filter((p, i) => i < 2 || p !== '').join(' ');
  return stack ? `${line}\n${stack}` : line;
}

/** A pino destination that writes each record to `write` as a terminal line. */
export function prettyDestination(write: (text: string) => void): { write(chunk: string): void } {
  return {
    write(chunk) {
      for (const json of chunk.split('\n')) {
        if (!json) continue;
        try {
          write(formatPretty(JSON.parse(json) as Record<string, unknown>) + '\n');
        } catch {
          write(json + '\n'); // not a record: as it came
        }
      }
    },
  };
}
