/**
 * After a deletion, lists the cloud resources still tagged with the cluster id (the key of
 * platform/cluster-tag.ts), through the target cloud's inventory (api/worker/leaks/): the Resource
 * Groups Tagging API on AWS, Cloud Asset Inventory on GCP, Azure Resource Graph on Azure, the sim
 * cloud directory on sim. Region, project and subscription come from the target; credentials
 * from the worker's environment. When the check cannot run (no credentials, an API error) it
 * says so and why: it never reports "no leaks" without having looked.
 */
import os from 'node:os';
import type { Config } from '../config.ts';
import type { TargetRow } from '../db/schema.ts';
import { credentialSource } from '../targets/target-check.ts';
import { awsInventory } from './leaks/aws.ts';
import { azureInventory } from './leaks/azure.ts';
import { gcpInventory } from './leaks/gcp.ts';
import type { LeakInventory, LeakReport } from './leaks/inventory.ts';
import { simInventory } from './leaks/sim.ts';

export type { LeakInventory, LeakReport } from './leaks/inventory.ts';

/** The inventory of a target's cloud, scoped to its region / project / subscription. */
export function inventoryFor(config: Readonly<Config>, target: Pick<TargetRow, 'cloud' | 'region' | 'account'>): LeakInventory {
  switch (target.cloud) {
    case 'sim':
      return simInventory(config.simCloudDir);
    case 'aws':
      return awsInventory({ region: target.region });
    case 'gcp':
      return gcpInventory({ project: target.account });
    case 'azure':
      return azureInventory({ subscriptionId: target.account });
  }
}

export interface LeakCheckDeps {
  /** The worker's cloud credential variables (default: config.cloudCredentialEnv). */
  env?: Readonly<Record<string, string | undefined>>;
  homeDir?: string;
  /** The inventory to ask (default: `inventoryFor`). */
  inventory?: LeakInventory;
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
  return message.split('\n')[0]!.slice(0, 300);
}

/** Runs the leak check for one cluster on its target; never throws. */
export async function findLeaks(config: Readonly<Config>, target: TargetRow, clusterId: string, deps: LeakCheckDeps = {}): Promise<LeakReport> {
  if (target.cloud !== 'sim') {
    const source = credentialSource(target.cloud, deps.env ?? config.cloudCredentialEnv, deps.homeDir ?? os.homedir());
    if (!source) return { ran: false, reason: `no ${target.cloud} credentials discoverable in the worker's environment (instance metadata is not probed; \`kaas targets check ${target.name}\` names the fix)` };
  }
  try {
    const leaks = await (deps.inventory ?? inventoryFor(config, target)).taggedResources(clusterId);
    return { ran: true, leaks };
  } catch (err) {
    return { ran: false, reason: `${target.cloud} inventory query failed: ${firstLine(err)}` };
  }
}

/** How a leak report shows in a delete's outcome: the result fields, the note and the cluster's status line. */
export function leakOutcome(report: LeakReport): {
  result: { leaks: string[] | null; leakCheck: string };
  note?: string;
  statusReason?: string;
} {
  if (!report.ran) {
    const line = `leak check not run: ${report.reason}`;
    return { result: { leaks: null, leakCheck: line }, note: line, statusReason: `deleted; ${line}` };
  }
  if (report.leaks.length === 0) return { result: { leaks: [], leakCheck: 'clean' } };
  return {
    result: { leaks: report.leaks, leakCheck: `${report.leaks.length} leaked` },
    note: `deleted with leaks: ${report.leaks.length} cloud resource(s) still tagged with this cluster: ${report.leaks.join(', ')}`,
    statusReason: `deleted with leaks: ${report.leaks.join(', ')}`,
  };
}
