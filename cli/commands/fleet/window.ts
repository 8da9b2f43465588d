/**
 * `kaas fleet window CLUSTER --team TEAM (--days sat,sun --start 02:00 --duration 240 | --clear)`:
 * the weekly window (UTC) in which campaigns may touch a cluster; `--clear` lets them at any time.
 */
import type { MaintenanceWindowResult } from '../../api-types.ts';
import type { Api } from '../../client.ts';
import { usageError } from '../../errors.ts';
import type { MaintenanceWindow, Weekday } from '../../../platform/maintenance-window.ts';

export interface WindowFlags {
  team?: string | undefined;
  days?: string | undefined;
  start?: string | undefined;
  duration?: string | undefined;
  clear?: boolean | undefined;
}

const EXAMPLE = 'example: --days sat,sun --start 02:00 --duration 240 (minutes, UTC), or --clear';

/** The window the flags describe (null for `--clear`); the API checks days, time and range. */
export function windowFromFlags(f: WindowFlags): MaintenanceWindow | null {
  const given = (['days', 'start', 'duration'] as const).filter((k) => f[k] !== undefined);
  if (f.clear) {
    if (given.length > 0) throw usageError(`--clear cannot be combined with ${given.map((k) => `--${k}`).join(', ')}`, EXAMPLE);
    return null;
  }
  const missing = (['days', 'start', 'duration'] as const).filter((k) => f[k] === undefined);
  if (missing.length > 0) throw usageError(`a maintenance window needs ${missing.map((k) => `--${k}`).join(', ')}`, EXAMPLE);
  if (!/^\d+$/.test(f.duration!.trim())) throw usageError(`--duration "${f.duration}" must be a whole number of minutes`, EXAMPLE);
  const days = f.days!.split(',').map((d) => d.trim().toLowerCase()).filter(Boolean) as Weekday[];
  return { days, startUtc: f.start!.trim(), durationMinutes: Number(f.duration!.trim()) };
}

export async function setMaintenanceWindow(api: Api, opts: { team: string; name: string; window: MaintenanceWindow | null }): Promise<MaintenanceWindowResult> {
  return api.trpc.fleet.setMaintenanceWindow.mutate({ team: opts.team, name: opts.name, window: opts.window });
}
