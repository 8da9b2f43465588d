/**
 * One team-scope rule: wherever a member (or team admin) names a team, naming another team than
 * their token's is refused the same way, and naming their own team (or none) is allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { expectTrpcError } from './support/errors.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

let p: TestPlatform;
let admin: Actor;

beforeAll(async () => {
  p = await testPlatform();
  const a = await p.team('alpha');
  await p.team('beta');
  admin = await p.actor('ada', 'team-admin', a);
});
afterAll(async () => p?.close());

type Call = (caller: ReturnType<TestPlatform['caller']>, team: string | undefined) => Promise<unknown>;
const PATHS: Record<string, Call> = {
  'teams.get (visible team)': (c, team) => c.teams.get({ name: team ?? 'alpha' }),
  'clusters.list (list filter)': (c, team) => c.clusters.list({ ...(team ? { team } : {}) }),
  'teams.members (teamProcedure)': (c, team) => c.teams.members({ ...(team ? { team } : {}) }),
  'tokens.list (token access)': (c, team) => c.tokens.list({ ...(team ? { team } : {}) }),
};

describe('a member may only name their own team', () => {
  it.each(Object.keys(PATHS))('%s: another team is FORBIDDEN with the one message and hint', async (name) => {
    const err = await expectTrpcError(PATHS[name]!(p.caller(admin), 'beta'), 'FORBIDDEN');
    expect(err.message).toBe('your token belongs to team "alpha"; it cannot act for team "beta"');
    expect((err.cause as { hint?: string } | undefined)?.hint).toBe('drop --team, or use a token of that team');
  });

  it.each(Object.keys(PATHS))('%s: the own team, or none, is allowed', async (name) => {
    await expect(PATHS[name]!(p.caller(admin), 'alpha')).resolves.toBeDefined();
    await expect(PATHS[name]!(p.caller(admin), undefined)).resolves.toBeDefined();
  });
});
