/**
 * The one place a cluster's Pulumi program is chosen: the sim program for `sim` targets, the
 * EKS / GKE / AKS programs for aws / gcp / azure with the target's settings as their options.
 * Everything that can be checked without a cloud (the target's settings, the spec against the
 * addon catalog, the AKS access rules) is checked here, synchronously, so a bad target or spec
 * fails before the engine starts. The cloud SDKs are large and load only when a cloud program runs.
 */
import type { PulumiFn } from '@pulumi/pulumi/automation/index.js';
import { CLOUD_HIBERNATION } from '../platform/cloud-hibernation.ts';
import type { ClusterIdentity, ClusterSpec } from '../platform/cluster-spec.ts';
import {
  parseTargetSettings,
  type AwsTargetSettings,
  type AzureTargetSettings,
  type GcpTargetSettings,
} from '../platform/target-settings.ts';
import { assertAksAccess } from './aks/access.ts';
import { assertDistinctPoolNames } from './aks/pool-name.ts';
import type { CloudProgramOptions } from './cloud-programs.ts';
import { assertProgramTarget } from './common/program-guard.ts';
import { simProgram } from './sim/program.ts';

export interface ProgramForOptions {
  /** Directory of the simulated cloud (sim targets only). */
  simCloudDir: string;
  /** The target's stored settings; validated here against its cloud's schema. */
  settings: unknown;
  /**
   * The cluster is hibernated (the worker: the cluster row's recorded sizes, the hibernate's and
   * the wake's own flag). Where hibernation scales the pools (EKS, GKE, sim) every pool is then
   * fixed at 0 (platform/pool-generation.ts `physicalPools`); on AKS the stopped cluster keeps its
   * pools and the flag changes nothing (platform/cloud-hibernation.ts). Not part of the spec:
   * no template, `--set` or update can set it.
   */
  hibernated?: boolean;
}

/** The per-cloud program options a target's settings stand for (throws DomainError if invalid). */
export function cloudProgramOptions(spec: ClusterSpec, settings: unknown): CloudProgramOptions {
  const cloud = spec.target.cloud;
  const parsed = parseTargetSettings(cloud, settings, 'target.settings');
  switch (cloud) {
    case 'aws': {
      const s = parsed as AwsTargetSettings;
      return { aws: { platformAdminRoleArn: s.platformAdminRoleArn } };
    }
    case 'gcp': {
      const s = parsed as GcpTargetSettings;
      return { gcp: { credentialsMode: s.credentialsMode } };
    }
    case 'azure': {
      const s = parsed as AzureTargetSettings;
      return { azure: { adminGroupObjectIds: s.adminGroupObjectIds, kubeloginMode: s.kubeloginMode, dnsResourceGroup: s.dnsResourceGroup } };
    }
    default:
      return {};
  }
}

/** The inline program of one cluster; throws DomainError (before any engine work) on a bad target or spec. */
export function programFor(spec: ClusterSpec, identity: ClusterIdentity, opts: ProgramForOptions): PulumiFn {
  if (spec.target.cloud === 'sim') {
    parseTargetSettings('sim', opts.settings, 'target.settings');
    return simProgram(spec, identity, { cloudDir: opts.simCloudDir, hibernated: opts.hibernated === true });
  }
  const settings = cloudProgramOptions(spec, opts.settings);
  // where hibernation stops the whole cluster (AKS) its pools keep their sizes
  const hibernated = opts.hibernated === true && !CLOUD_HIBERNATION[spec.target.cloud].controlPlaneStop;
  const options: CloudProgramOptions = hibernated
    ? { ...settings, ...(settings.aws ? { aws: { ...settings.aws, hibernated } } : {}), ...(settings.gcp ? { gcp: { ...settings.gcp, hibernated } } : {}) }
    : settings;
  assertProgramTarget(spec, spec.target.cloud, `${spec.target.cloud} program`);
  if (spec.target.cloud === 'azure') {
    assertAksAccess(options.azure ?? {});
    assertDistinctPoolNames(spec.nodePools.map((p) => p.name));
  }
  return async () => {
    const { cloudProgramFor } = await import('./cloud-programs.ts');
    return cloudProgramFor(spec, identity, options)();
  };
}
