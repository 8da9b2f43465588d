import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import { groupsOf, ssoAccess, type SsoRule } from './sso-access.ts';

const at = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, n));
const rules: SsoRule[] = [
  { group: 'devs', role: 'member', teamId: 't-pay', createdAt: at(1) },
  { group: 'leads', role: 'team-admin', teamId: 't-pay', createdAt: at(3) },
  { group: 'leads-web', role: 'team-admin', teamId: 't-web', createdAt: at(2) },
  { group: 'root', role: 'platform-admin', teamId: null, createdAt: at(4) },
];

describe('ssoAccess', () => {
  it('gives the strongest role any group grants', () => {
    expect(ssoAccess('a', ['devs', 'leads'], rules, 'groups')).toEqual({ role: 'team-admin', teamId: 't-pay', group: 'leads' });
    expect(ssoAccess('a', ['devs', 'root', 'leads'], rules, 'groups')).toEqual({ role: 'platform-admin', teamId: null, group: 'root' });
    expect(ssoAccess('a', ['devs'], rules, 'groups')).toEqual({ role: 'member', teamId: 't-pay', group: 'devs' });
  });

  it('lets the oldest rule of that role name the team', () => {
    expect(ssoAccess('a', ['leads', 'leads-web'], rules, 'groups').teamId).toBe('t-web');
  });

  it('refuses a person with no mapped group, naming their groups and the fix', () => {
    const refuse = () => ssoAccess('ann@example.test', ['sales', 'everyone'], rules, 'groups');
    expect(refuse).toThrow(DomainError);
    expect(refuse).toThrow('ann@example.test signed in, but none of their groups is mapped to a kaas role (groups in the token\'s "groups" claim: "sales", "everyone")');
    try {
      refuse();
    } catch (err) {
      expect((err as DomainError).code).toBe('FORBIDDEN');
      expect((err as DomainError).hint).toContain('kaas sso-rules add --group GROUP');
    }
  });

  it('says when the token carried no groups at all, naming the claim', () => {
    expect(() => ssoAccess('ann', [], rules, 'roles')).toThrow('(groups in the token\'s "roles" claim: none)');
  });
});

describe('groupsOf', () => {
  it('reads an array of strings or one string, and nothing else', () => {
    expect(groupsOf(['a', 1, 'b', null])).toEqual(['a', 'b']);
    expect(groupsOf('a')).toEqual(['a']);
    expect(groupsOf({ a: 1 })).toEqual([]);
    expect(groupsOf(undefined)).toEqual([]);
  });
});
