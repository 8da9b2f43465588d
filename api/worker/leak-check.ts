/**
 * After a deletion, lists cloud resources still tagged with the cluster id. On `sim` that is the
 * documents left in the sim cloud directory; on real clouds it needs the cloud's tagging API
 * (Resource Groups Tagging API, Cloud Asset Inventory, Azure Resource Graph), which this
 * platform does not call yet, so it reports nothing there.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import type { TargetRow } from '../db/schema.ts';

export async function findLeaks(config: Readonly<Config>, target: TargetRow, clusterId: string): Promise<string[]> {
  if (target.cloud !== 'sim') return [];
  const root = path.join(config.simCloudDir, 'resources');
  if (!fs.existsSync(root)) return [];
  const leaks: string[] = [];
  for (const file of fs.readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.json')) continue;
    try {
      const doc = JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as { id?: string; tags?: Record<string, string> };
      if (doc.tags?.['kaas.io/cluster-id'] === clusterId) leaks.push(doc.id ?? file);
    } catch {
      // a document being written: not a leak of this cluster
    }
  }
  return leaks.sort();
}
