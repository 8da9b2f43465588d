/**
 * Weekly maintenance windows (in UTC) during which fleet upgrades may touch a cluster:
 * `{ days: ['sat', 'sun'], startUtc: '02:00', durationMinutes: 240 }`. A window may run past
 * midnight (and past Sunday into Monday); it is at most one week long.
 */
import { z } from 'zod';
import { validationError } from './errors.ts';
import { zodIssuesToFieldIssues } from './zod-issues.ts';

/** Days of the week, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A weekly window: it opens on each listed day at `startUtc` and lasts `durationMinutes`. */
export interface MaintenanceWindow {
  days: Weekday[];
  startUtc: string;
  durationMinutes: number;
}

const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** The zod schema of a maintenance window. */
export const maintenanceWindowSchema = z.strictObject({
  days: z
    .array(z.enum(WEEKDAYS))
    .min(1, 'must list at least one day, otherwise the window never opens')
    .refine((d) => new Set(d).size === d.length, { message: 'must not repeat a day' }),
  startUtc: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be HH:MM in UTC, 00:00 to 23:59'),
  durationMinutes: z.int().min(1).max(MINUTES_PER_WEEK),
});

/** Validates a maintenance window; throws VALIDATION naming each bad field. */
export function parseMaintenanceWindow(input: unknown, path = 'maintenanceWindow'): MaintenanceWindow {
  const result = maintenanceWindowSchema.safeParse(input);
  if (!result.success) throw validationError(zodIssuesToFieldIssues(result.error.issues, path));
  return result.data;
}

/** Whether `now` falls inside the window (start inclusive, end exclusive). Validates the window. */
export function isInsideWindow(window: MaintenanceWindow, now: Date): boolean {
  const w = parseMaintenanceWindow(window);
  const [hours = 0, minutes = 0] = w.startUtc.split(':').map(Number);
  const nowMinute = ((now.getUTCDay() + 6) % 7) * MINUTES_PER_DAY + now.getUTCHours() * 60 + now.getUTCMinutes();
  return w.days.some((day) => {
    const start = WEEKDAYS.indexOf(day) * MINUTES_PER_DAY + hours * 60 + minutes;
    const since = (((nowMinute - start) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
    return since < w.durationMinutes;
  });
}
