/** When a failed webhook delivery is tried again: exponential backoff, base × 2^(attempt−1), capped at an hour. */

export const MAX_BACKOFF_SECONDS = 3600;

/** Seconds to wait after failed attempt number `attempt` (1-based), or undefined when `maxAttempts` are spent. */
export function retryDelaySeconds(attempt: number, maxAttempts: number, baseSeconds: number): number | undefined {
  if (attempt >= maxAttempts) return undefined;
  return Math.min(MAX_BACKOFF_SECONDS, baseSeconds * 2 ** (attempt - 1));
}
