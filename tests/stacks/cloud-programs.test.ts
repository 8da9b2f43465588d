import { beforeEach, describe, expect, it } from 'vitest';
import * as pulumi from '@pulumi/pulumi';
import { installMocks } from './mock-harness.ts';
import { identity, standardSpec } from './fixtures.ts';
import { cloudProgramFor } from '../../stacks/cloud-programs.ts';
import { ADDON_MODULES, installAddons, installOrder } from '../../stacks/addons/install.ts';
import type { AddonContext, AddonModule } from '../../stacks/addons/contract.ts';
import { ADDON_IDS, type AddonId } from '../../platform/cluster-spec.ts';
import { DomainError } from '../../platform/errors.ts';

const mocks = installMocks();

describe('cloudProgramFor', () => {
  beforeEach(() => mocks.reset());

  it('dispatches aws / gcp / azure and refuses sim', () => {
    for (const cloud of ['aws', 'gcp', 'azure'] as const) {
      expect(typeof cloudProgramFor(standardSpec(cloud), identity, { aws: { platformAdminRoleArn: 'arn:aws:iam::1:role/a' }, azure: { adminGroupObjectIds: ['g'] } })).toBe('function');
    }
    const sim = { ...standardSpec('aws'), target: { ...standardSpec('aws').target, cloud: 'sim' as const } };
    expect(() => cloudProgramFor(sim, identity)).toThrow(DomainError);
  });

  it('refuses an unsupported version on every cloud before any resource is registered', async () => {
    for (const cloud of ['aws', 'gcp', 'azure'] as const) {
      let err: unknown;
      try {
        cloudProgramFor({ ...standardSpec(cloud), kubernetesVersion: '1.27' }, identity);
      } catch (e) {
        err = e;
      }
      expect(err, cloud).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe('UNSUPPORTED');
      expect((err as DomainError).message).toBe(`Kubernetes 1.27 is not supported on ${cloud}`);
    }
    // a node pool on an unsupported version is refused too
    const spec = standardSpec('gcp');
    spec.nodePools[1]!.kubernetesVersion = '1.28';
    expect(() => cloudProgramFor(spec, identity)).toThrow(/1\.28/);
    await new Promise((r) => setTimeout(r, 20));
    expect(mocks.resources).toHaveLength(0);
  });
});

describe('addon ordering', () => {
  it('installs every dependency before the addon that declares it', () => {
    const order = installOrder(ADDON_IDS, ADDON_MODULES);
    expect([...order].sort()).toEqual([...ADDON_IDS].sort());
    for (const id of ADDON_IDS) {
      for (const dep of ADDON_MODULES[id].dependsOn) expect(order.indexOf(dep), `${id} → ${dep}`).toBeLessThan(order.indexOf(id));
    }
    // workloads that create Services / Ingresses come after the controllers that own LBs and DNS
    expect(ADDON_MODULES.prometheus.dependsOn).toEqual(expect.arrayContaining(['external-dns', 'ingress']));
  });

  it('creates each addon after the node pools and the addons it depends on', () => {
    const seen: Record<string, pulumi.Input<pulumi.Resource>[]> = {};
    const fake = (id: AddonId, dependsOn: AddonId[], builtIn = false): AddonModule => ({
      id,
      dependsOn,
      create: (_ctx, opts) => {
        seen[id] = opts.dependsOn as pulumi.Input<pulumi.Resource>[];
        return builtIn ? undefined : ({ id } as unknown as pulumi.ComponentResource);
      },
    });
    const modules = {
      calico: fake('calico', []),
      'external-dns': fake('external-dns', ['calico']),
      ingress: fake('ingress', ['calico'], true), // built in: creates nothing
      fluentd: fake('fluentd', ['calico']),
      prometheus: fake('prometheus', ['calico', 'external-dns', 'ingress']),
    };
    const pool = { pool: 1 } as unknown as pulumi.Resource;
    const ctx = { spec: standardSpec('gcp') } as AddonContext;
    installAddons(ctx, [pool], {} as pulumi.Resource, modules);
    const ids = (id: string) => seen[id]!.map((r) => (r === pool ? 'pool' : (r as any).id));
    expect(ids('calico')).toEqual(['pool']);
    expect(ids('external-dns')).toEqual(['pool', 'calico']);
    expect(ids('prometheus')).toEqual(['pool', 'calico', 'external-dns']);
  });
});
