import { describe, expect, it } from 'vitest';
import { isDomainError } from './errors.ts';
import { assertOwnTeam } from './team-scope.ts';

describe('assertOwnTeam', () => {
  it('allows the own team and no team', () => {
    expect(() => assertOwnTeam('alpha', 'alpha')).not.toThrow();
    expect(() => assertOwnTeam('alpha', undefined)).not.toThrow();
  });
  it('refuses another team with FORBIDDEN, naming both teams and the fix', () => {
    let caught: unknown;
    try {
      assertOwnTeam('alpha', 'beta');
    } catch (err) {
      caught = err;
    }
    expect(isDomainError(caught) && { code: caught.code, message: caught.message, hint: caught.hint }).toEqual({
      code: 'FORBIDDEN',
      message: 'your token belongs to team "alpha"; it cannot act for team "beta"',
      hint: 'drop --team, or use a token of that team',
    });
  });
});
