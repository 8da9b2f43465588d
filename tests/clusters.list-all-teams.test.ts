/** `clusters.list` with `allTeams` (`kaas clusters list -A`): platform admins only, never combined with `team`. */
import { describe, expect, it } from 'vitest';
import { expectTrpcError } from './support/errors.ts';
import { testPlatform } from './support/services.ts';

describe('clusters.list allTeams', () => {
  it('is refused to a team token (not silently narrowed), refused with team, and lists every team for an admin', async () => {
    const p = await testPlatform();
    try {
      const team = await p.team('alpha');
      const member = await p.actor('mia', 'member', team);
      const lead = await p.actor('lea', 'team-admin', team);
      const admin = await p.actor('root', 'platform-admin', null);
      for (const actor of [member, lead]) {
        const err = await expectTrpcError(p.caller(actor).clusters.list({ allTeams: true }), 'FORBIDDEN', /all teams is for platform admins/);
        expect(JSON.stringify(err.cause ?? err)).toMatch(/hint|drop -A/);
      }
      await expectTrpcError(p.caller(admin).clusters.list({ allTeams: true, team: 'alpha' }), 'BAD_REQUEST', /allTeams .* or team/);
      await expect(p.caller(admin).clusters.list({ allTeams: true })).resolves.toMatchObject({ items: [] });
      await expect(p.caller(member).clusters.list({})).resolves.toMatchObject({ items: [] });
    } finally {
      await p.close();
    }
  });
});
