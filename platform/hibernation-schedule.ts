/**
 * Hibernation schedules (issue 13, item 4): when a cluster sleeps (node pools scaled to zero) and
 * wakes (the recorded sizes restored), in local wall-clock time of a timezone:
 *
 * ```yaml
 * hibernate:
 *   schedule: [{ days: mon-fri, sleep: '20:00', wake: '07:00', timezone: Europe/Berlin }]
 * ```
 *
 * Each listed day sleeps from `sleep` to the next `wake` (the next day when wake <= sleep). Times
 * are compared in local wall-clock time, so DST needs no special case: on a spring-forward night a
 * sleep time that does not exist (02:30) is simply passed, and the cluster is asleep from 03:00.
 * Weekday names are the maintenance window's (platform/maintenance-window.ts).
 */
import { z } from 'zod';
import { WEEKDAYS, type Weekday } from './maintenance-window.ts';

/** One rule: on these days sleep at `sleep`, wake at `wake`, local time of `timezone`. */
export interface HibernationRule {
  days: Weekday[];
  sleep: string;
  wake: string;
  timezone: string;
}

export interface HibernationSchedule {
  schedule: HibernationRule[];
}

const hhmm = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be HH:MM local time, 00:00 to 23:59');

/** `mon-fri`, `sat,sun`, or a list of day names. */
export function parseDays(days: string | string[]): Weekday[] | undefined {
  const parts = Array.isArray(days) ? days : days.split(',').map((d) => d.trim());
  const out: Weekday[] = [];
  for (const part of parts) {
    const range = /^([a-z]{3})-([a-z]{3})$/.exec(part);
    const [from, to] = range ? [range[1]!, range[2]!] : [part, part];
    const a = WEEKDAYS.indexOf(from as Weekday);
    const b = WEEKDAYS.indexOf(to as Weekday);
    if (a < 0 || b < 0 || b < a) return undefined;
    for (let i = a; i <= b; i++) if (!out.includes(WEEKDAYS[i]!)) out.push(WEEKDAYS[i]!);
  }
  return out.length > 0 ? out : undefined;
}

function isTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const ruleSchema = z
  .strictObject({
    days: z.union([z.string(), z.array(z.string())]).transform((d, ctx) => {
      const days = parseDays(d);
      if (!days) ctx.addIssue({ code: 'custom', message: `must be days like mon-fri, sat,sun or [mon, tue] (${WEEKDAYS.join(', ')})` });
      return days ?? [];
    }),
    sleep: hhmm,
    wake: hhmm,
    timezone: z.string().refine(isTimezone, { message: 'must be an IANA timezone like Europe/Berlin or UTC' }),
  })
  .refine((r) => r.sleep !== r.wake, { message: 'sleep and wake must differ', path: ['wake'] });

/** The zod schema of a `hibernate` field (template or cluster). */
export const hibernationSchema = z.strictObject({ schedule: z.array(ruleSchema).min(1, 'must list at least one rule').max(14) });

const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

/** Local weekday index (Monday 0) and minute of day of `now` in `timezone`. */
export function localTime(now: Date, timezone: string): { day: number; minute: number } {
  let f = FORMATTERS.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    FORMATTERS.set(timezone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(now).map((p) => [p.type, p.value]));
  const day = WEEKDAYS.indexOf(String(parts['weekday']).toLowerCase().slice(0, 3) as Weekday);
  return { day, minute: Number(parts['hour']) * 60 + Number(parts['minute']) };
}

const toMinutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
const WEEK = 7 * 24 * 60;

/** Whether the schedule wants the cluster asleep at `now`. */
export function isAsleep(schedule: HibernationSchedule, now: Date): boolean {
  return schedule.schedule.some((rule) => {
    const { day, minute } = localTime(now, rule.timezone);
    const nowMinute = day * 1440 + minute;
    const sleep = toMinutes(rule.sleep);
    const wake = toMinutes(rule.wake);
    const length = wake > sleep ? wake - sleep : wake + 1440 - sleep;
    return rule.days.some((d) => {
      const start = WEEKDAYS.indexOf(d) * 1440 + sleep;
      return (((nowMinute - start) % WEEK) + WEEK) % WEEK < length;
    });
  });
}
