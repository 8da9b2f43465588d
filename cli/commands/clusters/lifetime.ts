/** `kaas clusters extend|hibernate|wake NAME`: a cluster's time-to-live and hibernation. */
import type { Operation } from '../../api-types.ts';
import type { Api } from '../../client.ts';

const teamOf = (team: string | undefined) => (team ? { team } : {});

export async function extendCluster(api: Api, opts: { team?: string | undefined; name: string; by?: string | undefined; until?: string | undefined }): Promise<{ expiresAt: string; previous: string | null }> {
  return api.trpc.clusters.extend.mutate({ ...teamOf(opts.team), name: opts.name, ...(opts.by !== undefined ? { by: opts.by } : {}), ...(opts.until !== undefined ? { until: opts.until } : {}) });
}

export interface HibernationStarted {
  operation: Operation;
  sizes: Record<string, { desiredSize: number; minSize: number }>;
  cloudNote: string;
}

export async function hibernateCluster(api: Api, opts: { team?: string | undefined; name: string }): Promise<HibernationStarted> {
  return api.trpc.clusters.hibernate.mutate({ ...teamOf(opts.team), name: opts.name });
}

export async function wakeCluster(api: Api, opts: { team?: string | undefined; name: string }): Promise<HibernationStarted> {
  return api.trpc.clusters.wake.mutate({ ...teamOf(opts.team), name: opts.name });
}

/** One schedule rule as the CLI flags give it. */
export interface ScheduleFlags {
  days: string;
  sleep: string;
  wake: string;
  timezone: string;
}

/** Sets the cluster's own hibernation schedule (one rule), or with `null` clears it (back to the template's). */
export async function setHibernationSchedule(api: Api, opts: { team?: string | undefined; name: string; rule: ScheduleFlags | null }): Promise<{ hibernation: unknown }> {
  return api.trpc.clusters.setHibernation.mutate({ ...teamOf(opts.team), name: opts.name, hibernate: opts.rule === null ? null : { schedule: [opts.rule] } });
}
