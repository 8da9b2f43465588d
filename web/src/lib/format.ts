/** Display helpers: ages and dates, short and stable. */

/** "3m", "2h", "5d" since `iso` (at `now`). */
export function age(iso: string, now: number = Date.now()): string {
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** `2026-12-02 04:22:06Z` */
export function when(iso: string | null | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—';
}

/** The drift findings of a cluster's `drift` record ({ checkedAt, drifted, resources: [{ resource, resourceType, op, fields }] }), one row per resource and field. */
export function driftFindings(drift: unknown): { resource: string; type: string; field: string; op: string }[] {
  if (!drift || typeof drift !== 'object') return [];
  const resources = (drift as { resources?: unknown }).resources;
  if (!Array.isArray(resources)) return [];
  return resources.flatMap((r: unknown) => {
    const o = (r ?? {}) as { resource?: unknown; resourceType?: unknown; op?: unknown; fields?: unknown };
    const base = { resource: String(o.resource ?? '?'), type: String(o.resourceType ?? ''), op: String(o.op ?? '') };
    const fields = Array.isArray(o.fields) && o.fields.length ? o.fields.map(String) : ['—'];
    return fields.map((field) => ({ ...base, field }));
  });
}

/** "drifted (3)" / "in sync" / "not checked" for the clusters table. */
export function driftSummary(drift: unknown): string {
  if (drift === null || drift === undefined) return 'not checked';
  const resources = (drift as { resources?: unknown[] }).resources;
  if ((drift as { drifted?: boolean }).drifted) return `drifted (${Array.isArray(resources) ? resources.length : '?'})`;
  return 'in sync';
}
