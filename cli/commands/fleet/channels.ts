/**
 * `kaas fleet channels list|set|clear`, `kaas fleet exclusions list|add|remove`, `kaas fleet
 * proposals list|start|dismiss` and `kaas fleet retry`: auto-upgrade channels (platform admins).
 */
import type { Api } from '../../client.ts';
import { usageError } from '../../errors.ts';

export type Scope = { scope: 'team' | 'template'; name: string };

/** `--team T` or `--template N`, exactly one. */
export function scopeFromFlags(f: { team?: string | undefined; template?: string | undefined }): Scope {
  if ((f.team === undefined) === (f.template === undefined)) throw usageError('give exactly one of --team TEAM or --template NAME', 'example: kaas fleet channels set stable --team payments');
  return f.team !== undefined ? { scope: 'team', name: f.team } : { scope: 'template', name: f.template! };
}

export const listChannels = (api: Api) => api.trpc.fleet.channels.query();

export function setChannel(api: Api, opts: Scope & { channel: 'patch' | 'stable' | 'pinned'; autoStart: boolean; startDelayMinutes?: string | undefined }) {
  const delay = opts.startDelayMinutes;
  if (delay !== undefined && !/^\d+$/.test(delay.trim())) throw usageError(`--start-delay "${delay}" must be a whole number of minutes`);
  return api.trpc.fleet.setChannel.mutate({ scope: opts.scope, name: opts.name, channel: opts.channel, autoStart: opts.autoStart, ...(delay !== undefined ? { startDelayMinutes: Number(delay) } : {}) });
}

export const clearChannel = (api: Api, s: Scope) => api.trpc.fleet.clearChannel.mutate(s);
export const listExclusions = (api: Api) => api.trpc.fleet.exclusions.query();

export function addExclusion(api: Api, opts: Scope & { kind: 'no_upgrades' | 'no_minor_upgrades'; from: string; until: string; reason?: string | undefined }) {
  return api.trpc.fleet.addExclusion.mutate({ scope: opts.scope, name: opts.name, kind: opts.kind, startsAt: opts.from, endsAt: opts.until, ...(opts.reason !== undefined ? { reason: opts.reason } : {}) });
}

export const removeExclusion = (api: Api, id: string) => api.trpc.fleet.removeExclusion.mutate({ id });
export const listProposals = (api: Api, status?: 'proposed' | 'started' | 'dismissed') => api.trpc.fleet.proposals.query({ ...(status ? { status } : {}) });
export const startProposal = (api: Api, id: string) => api.trpc.fleet.startProposal.mutate({ id });
export const dismissProposal = (api: Api, id: string) => api.trpc.fleet.dismissProposal.mutate({ id });
export const retryBlocked = (api: Api, id: string, cluster?: string) => api.trpc.fleet.retry.mutate({ id, ...(cluster !== undefined ? { cluster } : {}) });
