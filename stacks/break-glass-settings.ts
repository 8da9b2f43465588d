/**
 * How the break-glass program (stacks/break-glass.ts) builds one cluster's stack: the worker's own
 * `programFor` (stacks/program-for.ts), with the spec, cluster id and sim cloud directory
 * taken from the stack's config (see stacks/break-glass.ts) or passed in (bench/plain-cli).
 */
import fs from 'node:fs';
import path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { parse as parseYaml } from 'yaml';
import { programFor } from './program-for.ts';
import type { ClusterSpec } from '../platform/cluster-spec.ts';
import { parseClusterSpec } from '../platform/cluster-spec-schema.ts';

/** What one cluster's stack is built from. */
export interface BreakGlassSettings {
  spec: ClusterSpec;
  clusterId: string;
  /** Sim cloud directory (sim clusters only). */
  simCloudDir: string;
  /** The target's settings (`kaas targets get NAME -o json` → `settings`); needed off sim. */
  targetSettings?: unknown;
  /** The cluster is hibernated: its pools stay fixed at 0, as the worker runs it (stacks/program-for.ts). */
  hibernated?: boolean;
}

/** The cluster's program, exactly as the worker builds it. */
export function breakGlassProgram(settings: BreakGlassSettings): () => Promise<unknown> {
  return programFor(settings.spec, { clusterId: settings.clusterId }, { simCloudDir: path.resolve(settings.simCloudDir), settings: settings.targetSettings ?? {}, hibernated: settings.hibernated === true });
}

function readDoc(file: string): unknown {
  try {
    return parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`kaas:specFile ${file}: ${(err as Error).message}`);
  }
}

/** The ClusterSpec in a file: a spec, `{ spec }` or `{ cluster: { spec } }` (JSON or YAML). */
export function readSpecFile(file: string): ClusterSpec {
  const doc = readDoc(file);
  const d = doc as { spec?: unknown; cluster?: { spec?: unknown } } | null;
  return parseClusterSpec(d?.cluster?.spec ?? d?.spec ?? doc);
}

/** Whether `kaas clusters get --output json` in the file says the cluster is hibernated (undefined: the file does not say). */
export function readHibernatedFlag(file: string): boolean | undefined {
  const h = (readDoc(file) as { cluster?: { hibernated?: unknown } } | null)?.cluster?.hibernated;
  return typeof h === 'boolean' ? h : undefined;
}

/** The cluster id of a stack named `kaas-<id>`, or undefined. */
export function clusterIdOfStack(stack: string): string | undefined {
  const match = /^kaas-(.+)$/.exec(stack);
  return match?.[1];
}

/** The settings of the current stack, from its config. */
export function settingsFromStackConfig(config: pulumi.Config, stack: string): BreakGlassSettings {
  const clusterId = config.get('clusterId') ?? clusterIdOfStack(stack);
  if (!clusterId) throw new Error(`stack "${stack}" is not named kaas-<cluster id>: select the cluster's stack, or set kaas:clusterId`);
  const specFile = config.require('specFile');
  const file = path.resolve(specFile);
  // as the worker runs it: a hibernated cluster's pools stay at 0 (kaas:hibernated overrides the file)
  const hibernated = config.getBoolean('hibernated') ?? readHibernatedFlag(file) ?? false;
  return { spec: readSpecFile(file), clusterId, simCloudDir: path.resolve(config.get('simCloudDir') ?? '.kaas/sim-cloud'), targetSettings: config.getObject('targetSettings') ?? {}, hibernated };
}
