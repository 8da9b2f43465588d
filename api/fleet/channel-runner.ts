/**
 * The channel check's loop in each worker process: `runChannelCheck` every `intervalMs` (default
 * `KAAS_CHANNEL_CHECK_SECONDS`; 0 turns channels off). The check's advisory lock makes one pass
 * run at a time across processes.
 */
import type { Services } from '../context.ts';
import { runChannelCheck } from './channel-check.ts';

export interface ChannelRunnerOptions {
  intervalMs?: number;
  /** The clock checks read (tests inject one). */
  clock?: () => Date;
}

/** Starts the loop; returns a stop function that resolves after the pass in progress. */
export function startChannelRunner(services: Services, opts: ChannelRunnerOptions = {}): () => Promise<void> {
  const intervalMs = opts.intervalMs ?? services.config.channelCheckSeconds * 1000;
  if (intervalMs <= 0) return async () => {};
  const clock = opts.clock ?? (() => new Date());
  const stopping = new AbortController();
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      try {
        await runChannelCheck(services, clock());
      } catch (err) {
        services.logger.error({ err }, 'channel check failed');
      }
      // stop() may have come during the check: its abort event has fired already, do not wait the interval
      if (stopping.signal.aborted) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, intervalMs);
        stopping.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  })();
  return async () => {
    stopping.abort();
    await loop;
  };
}
