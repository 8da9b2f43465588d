/**
 * `kaas clusters upgrade --plan` prints the checks preflight could not read (a cloud quota without
 * permission) apart from its findings, as not blocking (cli/render/upgrade.ts).
 */
import { describe, expect, it } from 'vitest';
import { upgradePlanText } from '../cli/render/upgrade.ts';

describe('upgrade plan text', () => {
  it('shows preflight warnings once, as not blocking', () => {
    const warning = { check: 'surge-capacity', message: 'surge capacity of node pool(s) general was not checked: Service Quotas GetServiceQuota failed (AccessDeniedException: …); the worker\'s AWS identity needs servicequotas:GetServiceQuota' };
    const text = upgradePlanText({
      plan: { from: '1.32', to: '1.33', hops: ['1.33'], steps: [{ kind: 'control-plane', from: '1.32', to: '1.33' }, { kind: 'node-pool', pool: 'general', from: '1.32', to: '1.33' }] } as never,
      startAt: 0,
      operation: null,
      checks: {
        preflight: [
          { beforeStep: 0, nextMinor: '1.33', pools: ['general'], blockers: [], warnings: [warning] },
        ],
        preflightError: null,
        gates: { checks: ['api-server'], afterSteps: [0, 1], timeoutSeconds: 600 },
        notes: [],
      },
    });
    expect(text).toContain('preflight: no findings');
    expect(text).toContain(`preflight could not check (not blocking):\n  surge-capacity: ${warning.message}`);
  });
});
