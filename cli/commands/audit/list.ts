/** `kaas audit [--team] [--actor] [--action] [--result] [--since] [--until] [--limit] [--cursor]`: the audit log, newest first. */
import type { AuditPage } from '../../api-types.ts';
import type { Api } from '../../client.ts';
import { usageError } from '../../errors.ts';


export interface AuditFilters {
  team?: string | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  result?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  cursor?: string | undefined;
  limit?: string | undefined;
}

/** `2h`, `30m`, `7d` before now, or an ISO date, as an ISO timestamp. */
export function parseTime(flag: string, value: string, now = Date.now()): string {
  const rel = /^(\d+)([smhd])$/.exec(value);
  if (rel) return new Date(now - Number(rel[1]) * { s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[rel[2] as 's' | 'm' | 'h' | 'd']).toISOString();
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw usageError(`${flag} "${value}" is neither a date nor a duration`, 'examples: 2h, 7d, 2025-01-31, 2025-01-31T12:00:00Z');
  return date.toISOString();
}

const RESULTS = ['ok', 'denied', 'failed'] as const;

export async function listAudit(api: Api, f: AuditFilters): Promise<AuditPage> {
  if (f.limit !== undefined && !/^\d+$/.test(f.limit)) throw usageError(`--limit "${f.limit}" must be a whole number`);
  if (f.result !== undefined && !(RESULTS as readonly string[]).includes(f.result)) throw usageError(`--result "${f.result}" is not one of ${RESULTS.join(', ')}`);
  const input = {
    ...(f.team ? { team: f.team } : {}),
    ...(f.actor ? { actor: f.actor } : {}),
    ...(f.action ? { action: f.action } : {}),
    ...(f.result ? { result: f.result as (typeof RESULTS)[number] } : {}),
    ...(f.since ? { since: parseTime('--since', f.since) } : {}),
    ...(f.until ? { until: parseTime('--until', f.until) } : {}),
    ...(f.cursor ? { cursor: f.cursor } : {}),
    ...(f.limit ? { limit: Number(f.limit) } : {}),
  };
  return api.trpc.audit.list.query(input);
}
