/**
 * `kaas targets check NAME [--template T [--set k=v]…]` (platform admins): could the worker run
 * clusters on this target now? The endpoint check covers the template given, else every current
 * template of the target's cloud with its defaults.
 */
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../../api/routers/app-router.ts';
import type { Api } from '../../client.ts';

export type TargetCheck = inferRouterOutputs<AppRouter>['targets']['check'];

export async function checkTarget(api: Api, opts: { name: string; template?: string | undefined; set?: string[] | undefined }): Promise<TargetCheck> {
  return api.trpc.targets.check.query({ name: opts.name, ...(opts.template !== undefined ? { template: opts.template } : {}), ...(opts.set?.length ? { set: opts.set } : {}) });
}

/** One line per check (`ok` / `FAIL`), with the fix under each failure. */
export function targetCheckText(c: TargetCheck): string {
  const lines = c.items.map((i) => `${i.ok ? 'ok  ' : 'FAIL'}  ${i.check.padEnd(11)}  ${i.detail}${!i.ok && i.fix ? `\n                   fix: ${i.fix}` : ''}`);
  lines.push(c.ok ? `target ${c.target} is ready for clusters` : `target ${c.target} is not ready: ${c.items.filter((i) => !i.ok).length} check(s) failed`);
  return lines.join('\n');
}
