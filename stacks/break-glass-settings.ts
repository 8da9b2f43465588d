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
}

/** The cluster's program, exactly as the worker builds it. */
export function breakGlassProgram(settings: BreakGlassSettings): () => Promise<unknown> {
  return programFor(settings.spec, { clusterId: settings.clusterId }, { simCloudDir: path.resolve(settings.simCloudDir), settings: settings.targetSettings ?? {} });
}

/** The ClusterSpec in a file: a spec, `{ spec }` or `{ cluster: { spec } }` (JSON or YAML). */
export function readSpecFile(file: string): ClusterSpec {
  let doc: unknown;
  try {
    doc = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`kaas:specFile ${file}: ${(err as Error).message}`);
  }
  const d = doc as { spec?: unknown; cluster?: { spec?: unknown } } | null;
  return parseClusterSpec(d?.cluster?.spec ?? d?.spec ?? doc);
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
  return { spec: readSpecFile(path.resolve(specFile)), clusterId, simCloudDir: path.resolve(config.get('simCloudDir') ?? '.kaas/sim-cloud'), targetSettings: config.getObject('targetSettings') ?? {} };
}
