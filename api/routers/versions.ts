/**
 * The versions router: `list` shows, per cloud and minor, the support phase today (standard /
 * extended / end-of-support), the calendar dates, the default, and the data's source and asOf
 * date. With `target`, the cloud's live list for that target (falling back to the calendar).
 */
import { z } from 'zod';
import { CLOUDS } from '../../platform/cluster-spec.ts';
import { DomainError } from '../../platform/errors.ts';
import { targetVisibleTo, viewerTeamName } from '../targets/target-view.ts';
import { authedProcedure, router } from '../trpc.ts';
import { liveCloudVersions, staticVersions, type CloudVersions } from '../versions/version-list.ts';
import { utcDate, VERSION_CALENDAR } from '../versions/version-rules.ts';
import { dnsName } from './inputs.ts';

export const versionsRouter = router({
  list: authedProcedure
    .input(z.strictObject({ cloud: z.enum(CLOUDS).optional(), target: dnsName(63).optional() }).default({}))
    .query(({ ctx, input }) =>
      (async (): Promise<{ on: string; clouds: CloudVersions[] }> => {
        const on = utcDate();
        if (input.target === undefined) return { on, clouds: staticVersions(VERSION_CALENDAR, on, input.cloud) };
        const db = ctx.services.db;
        const team = await viewerTeamName(db, ctx.actor);
        const row = await db.selectFrom('targets').selectAll().where('name', '=', input.target).executeTakeFirst();
        if (!row || !targetVisibleTo(row, team)) {
          throw new DomainError('NOT_FOUND', `target "${input.target}" does not exist or is not open to your team`, { hint: 'list targets with `kaas targets list`' });
        }
        if (input.cloud !== undefined && input.cloud !== row.cloud) {
          throw new DomainError('VALIDATION', `cloud: target "${row.name}" is a ${row.cloud} target, not ${input.cloud}`, { issues: [{ path: 'cloud', message: `must be ${row.cloud} (or left out) for this target` }] });
        }
        const [calendar] = staticVersions(VERSION_CALENDAR, on, row.cloud);
        if (row.cloud === 'sim') return { on, clouds: [{ ...calendar!, target: row.name }] };
        const source = ctx.services.versionSource;
        if (!source) return { on, clouds: [{ ...calendar!, target: row.name, list: 'static-fallback', liveError: 'this API process has no live version source configured' }] };
        const live = await liveCloudVersions(VERSION_CALENDAR, { name: row.name, cloud: row.cloud, region: row.region, account: row.account }, on, source);
        return { on, clouds: [live] };
      })(),
    ),
});
