/** The wall clock health gates wait on in production (tests give `runHealthGate` their own): `sleep` ends early when the operation is aborted. */
import type { GateClock } from '../../../platform/health-gate.ts';

export const realGateClock: GateClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    }),
};
