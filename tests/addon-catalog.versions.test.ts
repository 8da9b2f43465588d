/**
 * The programs' version guard vs the API's: a cluster already running a minor that has since
 * passed end of support can still be refreshed, updated and deleted by its program (the cloud
 * keeps it running or upgrades it itself), while the API refuses that minor for new clusters.
 */
import { describe, expect, it } from 'vitest';
import { assertAddonsSupported } from '../platform/addon-catalog.ts';
import { DEFAULT_VERSION_POLICY, versionRulesOn } from '../platform/version-policy.ts';
import { standardSpec } from './stacks/fixtures.ts';

function awsAt(version: string) {
  const spec = { ...standardSpec('aws'), kubernetesVersion: version };
  spec.addons = { ...spec.addons, calico: { enabled: false, values: {} } };
  return spec;
}

describe('assertAddonsSupported and end of support', () => {
  it('lets the program run for a cluster on a minor past end of support (EKS 1.31 ended 2026-11-26)', () => {
    expect(() => assertAddonsSupported(awsAt('1.31'))).not.toThrow();
  });

  it('refuses that minor with the API’s rules of the day, naming what new clusters may use', () => {
    expect(() => assertAddonsSupported(awsAt('1.31'), versionRulesOn(DEFAULT_VERSION_POLICY, '2026-12-02'))).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED', message: 'Kubernetes 1.31 is not supported on aws', hint: 'supported Kubernetes versions on aws: 1.32, 1.33, 1.34, 1.35, 1.36, 1.37' }),
    );
  });

  it('still refuses a minor the calendar does not list at all', () => {
    expect(() => assertAddonsSupported(awsAt('1.20'))).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
  });
});
