/** Sim inventory: the documents in the sim cloud directory that carry the cluster tag. */
import fs from 'node:fs';
import path from 'node:path';
import { clusterTagKey } from '../../../platform/cluster-tag.ts';
import type { LeakInventory } from './inventory.ts';

export function simInventory(cloudDir: string): LeakInventory {
  return {
    async taggedResources(clusterId) {
      const root = path.join(cloudDir, 'resources');
      if (!fs.existsSync(root)) return [];
      const key = clusterTagKey('sim');
      const found: string[] = [];
      for (const file of fs.readdirSync(root, { recursive: true, encoding: 'utf8' })) {
        if (!file.endsWith('.json')) continue;
        try {
          const doc = JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as { id?: string; tags?: Record<string, string> };
          if (doc.tags?.[key] === clusterId) found.push(doc.id ?? file);
        } catch {
          // a document being written: not a leak of this cluster
        }
      }
      return found.sort();
    },
  };
}
