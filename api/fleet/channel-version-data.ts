/**
 * The version data channels resolve against, per cloud on a date: the calendar's supported minors
 * (api/versions/version-rules.ts) and the newest patch release known per minor. The shipped
 * calendar lists minors only, so no patch is known unless the caller (a test, or an operator's
 * feed) supplies one; `stable` works from the calendar alone.
 */
import type { Cloud } from '../../platform/cluster-spec.ts';
import type { ChannelVersionData } from '../../platform/upgrade-channel.ts';
import { versionRulesOn, type VersionPolicy } from '../../platform/version-policy.ts';
import { utcDate, VERSION_CALENDAR } from '../versions/version-rules.ts';

/** Version data of each cloud. */
export type ChannelVersions = (cloud: Cloud) => ChannelVersionData;

/** The data of `policy` (default: the calendar in force) read on `now`'s date, with optional patches per cloud. */
export function channelVersionsOn(now: Date, policy: VersionPolicy = VERSION_CALENDAR, patches: Partial<Record<Cloud, Record<string, string>>> = {}): ChannelVersions {
  const rules = versionRulesOn(policy, utcDate(now));
  return (cloud) => ({ supported: rules[cloud].supported, ...(patches[cloud] ? { patches: patches[cloud] } : {}) });
}
