/**
 * Parsing of Linux `/proc/<pid>/stat` (see proc(5), "/proc/pid/stat"): `pid (comm) state ppid …`.
 * `comm` may contain spaces and ")", so the fields start after the last ")".
 *
 * Pure, with no captured variables: the sim dynamic provider (serialized by Pulumi) calls it too.
 */

/** Process state letter (`R`, `S`, `Z`, …) and parent pid, or undefined when `text` is not a stat line. */
export function parseProcStat(text: string): { state: string; ppid: number } | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const [state, ppid] = text.slice(close + 2).split(' ');
  const parent = Number(ppid);
  if (!state || !Number.isInteger(parent)) return undefined;
  return { state, ppid: parent };
}

/**
 * The process's start time (field 22, `starttime`, in clock ticks since boot), or undefined. With
 * the pid it names one process for the host's uptime: a pid reused later has another start time.
 */
export function parseProcStartTime(text: string): string | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const start = text.slice(close + 2).split(' ')[19];
  return start && /^\d+$/.test(start) ? start : undefined;
}
