/**
 * The `PoolDrainer` of a real cluster, through its Kubernetes API with the platform's credentials
 * (the same endpoint and token as kube-probe.ts), the way `kubectl drain` does it:
 *
 * - the pool's nodes: `GET /api/v1/nodes?labelSelector=` kaas's generation label, else the
 *   cloud's pool label (EKS `eks.amazonaws.com/nodegroup`, GKE `cloud.google.com/gke-nodepool`,
 *   AKS `kubernetes.azure.com/agentpool`);
 * - cordon / uncordon: `PATCH /api/v1/nodes/<name>` `{"spec":{"unschedulable":true|false}}` as a
 *   JSON merge patch;
 * - drain: every pod of those nodes (`GET /api/v1/pods?fieldSelector=spec.nodeName=<node>`) except
 *   DaemonSet pods and mirror pods is evicted with `POST …/pods/<name>/eviction` (policy/v1
 *   Eviction). The API server answers 429 while a PodDisruptionBudget allows no disruption
 *   (https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/); such evictions are
 *   retried until the timeout, then the PDBs of those pods' namespaces that allow no disruption
 *   are named; once every eviction is accepted, the drain waits until the pods are gone.
 */
import type { BlockingPdb } from '../../../platform/cluster-probe.ts';
import { PHYSICAL_POOL_LABEL } from '../../../platform/pool-generation.ts';
import type { DrainOutcome, PoolDrainer } from '../../../platform/pool-drainer.ts';
import { KubeApiError, kubeRequest, type KubeEndpoint } from './kube-probe.ts';

const POOL_SELECTORS = [PHYSICAL_POOL_LABEL, 'eks.amazonaws.com/nodegroup', 'cloud.google.com/gke-nodepool', 'kubernetes.azure.com/agentpool'];

/** The drainer of the cluster at `endpoint`; `retryMs` is the wait between eviction rounds. */
export function kubePoolDrainer(endpoint: KubeEndpoint, opts: { retryMs?: number } = {}): PoolDrainer {
  const retryMs = opts.retryMs ?? 5000;
  const nodesOf = async (pool: string): Promise<string[]> => {
    for (const label of POOL_SELECTORS) {
      const list = await kubeRequest(endpoint, 'GET', `/api/v1/nodes?labelSelector=${encodeURIComponent(`${label}=${pool}`)}`);
      const names = (list?.items ?? []).map((n: any) => String(n.metadata?.name));
      if (names.length > 0) return names;
    }
    return [];
  };
  const schedulable = async (pool: string, unschedulable: boolean) => {
    for (const node of await nodesOf(pool)) {
      await kubeRequest(endpoint, 'PATCH', `/api/v1/nodes/${encodeURIComponent(node)}`, { body: { spec: { unschedulable } }, contentType: 'application/merge-patch+json' });
    }
  };
  const evictable = async (node: string) => {
    const list = await kubeRequest(endpoint, 'GET', `/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${node}`)}`);
    return (list?.items ?? []).filter((p: any) => {
      const daemon = (p.metadata?.ownerReferences ?? []).some((o: any) => o.kind === 'DaemonSet');
      const mirror = p.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined;
      const done = p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
      return !daemon && !mirror && !done;
    }) as { metadata: { name: string; namespace: string } }[];
  };

  return {
    cordon: (pool) => schedulable(pool, true),
    uncordon: (pool) => schedulable(pool, false),
    async drain(pool, { timeoutMs, signal }): Promise<DrainOutcome> {
      const start = Date.now();
      const nodes = await nodesOf(pool);
      let evicted = 0;
      const errors: string[] = [];
      let refused: { name: string; namespace: string }[] = [];
      for (;;) {
        refused = [];
        for (const node of nodes) {
          for (const pod of await evictable(node)) {
            const { name, namespace } = pod.metadata;
            try {
              await kubeRequest(endpoint, 'POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/eviction`, {
                body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } },
              });
              evicted += 1;
            } catch (err) {
              if (err instanceof KubeApiError && err.status === 429) refused.push({ name, namespace });
              else if (!(err instanceof KubeApiError && err.status === 404)) errors.push(err instanceof Error ? err.message : String(err));
            }
          }
        }
        if (refused.length === 0 || errors.length > 0) break;
        if (signal?.aborted || Date.now() - start + retryMs > timeoutMs) break;
        await new Promise((resolve) => setTimeout(resolve, retryMs));
      }
      if (refused.length === 0) {
        // like kubectl drain: done once the evicted pods are gone (graceful termination finished)
        while (errors.length === 0) {
          const left = (await Promise.all(nodes.map(evictable))).flat();
          if (left.length === 0) break;
          if (signal?.aborted || Date.now() - start + retryMs > timeoutMs) {
            errors.push(`pods still terminating at the drain timeout: ${left.slice(0, 5).map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(', ')}`);
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, retryMs));
        }
        return { drained: errors.length === 0, evicted, blockedBy: [], errors };
      }
      const blockedBy: BlockingPdb[] = [];
      for (const namespace of new Set(refused.map((p) => p.namespace))) {
        const pdbs = await kubeRequest(endpoint, 'GET', `/apis/policy/v1/namespaces/${encodeURIComponent(namespace)}/poddisruptionbudgets`);
        for (const pdb of pdbs?.items ?? []) {
          const allowed = Number(pdb.status?.disruptionsAllowed ?? 0);
          if (allowed === 0) blockedBy.push({ namespace, name: String(pdb.metadata?.name), disruptionsAllowed: allowed });
        }
      }
      if (blockedBy.length === 0) errors.push(`evictions of ${refused.map((p) => `${p.namespace}/${p.name}`).join(', ')} were refused until the ${Math.round(timeoutMs / 60_000)}-minute drain timeout`);
      return { drained: false, evicted, blockedBy, errors };
    },
  };
}
