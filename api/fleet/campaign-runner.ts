/**
 * The campaign runner: a loop in each worker process calling `runCampaignTick` every `intervalMs`
 * (default 200 ms, so a finished operation is followed promptly by the next cluster or wave).
 * Several runners may share one database: the tick's row lock lets one step a campaign at a time.
 */
import type { Services } from '../context.ts';
import { runCampaignTick } from './campaign-tick.ts';

export interface CampaignRunnerOptions {
  intervalMs?: number;
  /** The clock ticks read (tests inject one to move through maintenance windows and soaks). */
  clock?: () => Date;
}

export interface CampaignRunner {
  /** Stops after the tick in progress; resolves when it has. */
  stop(): Promise<void>;
}

/** Starts the loop; errors of one tick are logged and the next tick tries again. */
export function startCampaignRunner(services: Services, opts: CampaignRunnerOptions = {}): CampaignRunner {
  const intervalMs = opts.intervalMs ?? 200;
  const clock = opts.clock ?? (() => new Date());
  const stopping = new AbortController();
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      try {
        await runCampaignTick(services, clock());
      } catch (err) {
        services.logger.error({ err }, 'campaign tick failed');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, intervalMs);
        stopping.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  })();
  return {
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}
