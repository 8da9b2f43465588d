/**
 * The contract of a cloud inventory the leak check asks: "which resources still carry this
 * cluster's tag?" One implementation per cloud (leaks/aws.ts, gcp.ts, azure.ts, sim.ts), each
 * searching the key of platform/cluster-tag.ts. An inventory throws when it cannot answer; it
 * never turns a failure into an empty list.
 */
export interface LeakInventory {
  /** Identifiers (ARNs, asset names, resource ids, sim document ids) of the cluster's tagged resources, sorted. */
  taggedResources(clusterId: string): Promise<string[]>;
}

/** What the leak check found, or why it could not look. */
export type LeakReport = { ran: true; leaks: string[] } | { ran: false; reason: string };
