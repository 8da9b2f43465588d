/**
 * The version calendar the API and worker use, and its rules on today's date. The calendar is
 * the shipped `DEFAULT_VERSION_POLICY` (platform/version-policy.ts); what changes day to day is
 * only the date it is read on, so a minor leaves the supported list on its end-of-support date
 * without a code change.
 */
import { DEFAULT_VERSION_POLICY, versionRulesOn, type VersionPolicy, type VersionRules } from '../../platform/version-policy.ts';

/** The calendar in force. */
export const VERSION_CALENDAR: VersionPolicy = DEFAULT_VERSION_POLICY;

/** `now` as a UTC calendar date, YYYY-MM-DD. */
export function utcDate(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The version rules (supported minors, default, skew) on `now`'s date. */
export function currentVersionRules(now: Date = new Date()): VersionRules {
  return versionRulesOn(VERSION_CALENDAR, utcDate(now));
}
