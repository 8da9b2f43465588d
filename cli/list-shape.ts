/**
 * Shapes of the routers the CLI calls by path (teams, tokens, targets, templates, audit): declared
 * here from their documented inputs and read defensively, since their types are not imported.
 */

/** A list answer: a plain array, or `{ items, nextCursor? }`. */
export type ListAnswer<T> = T[] | { items: T[]; nextCursor?: string | null };

export function itemsOf<T>(answer: ListAnswer<T>): T[] {
  return Array.isArray(answer) ? answer : (answer.items ?? []);
}

export function nextCursorOf(answer: ListAnswer<unknown>): string | null {
  return Array.isArray(answer) ? null : (answer.nextCursor ?? null);
}

export interface Quota {
  maxClusters?: number;
  maxTotalNodes?: number;
  allowedTargets?: string[] | null;
  allowedTemplates?: string[] | null;
}

export interface Team {
  name: string;
  quota?: Quota;
  maxClusters?: number;
  maxTotalNodes?: number;
  allowedTargets?: string[] | null;
  allowedTemplates?: string[] | null;
  usage?: { clusters?: number; nodes?: number };
  createdAt?: string;
}

export interface Member {
  id?: string;
  subject: string;
  role: string;
  team?: string | null;
  expiresAt?: string;
  lastUsedAt?: string | null;
  revokedAt?: string | null;
}

export interface TokenInfo extends Member {
  id: string;
  createdBy?: string;
  createdAt?: string;
}

export interface Target {
  name: string;
  cloud: string;
  region: string;
  account: string;
  dnsZones?: string[];
  allowedTeams?: string[] | null;
  createdAt?: string;
}

export interface Template {
  name: string;
  version: number;
  ref?: string;
  cloud?: string;
  deprecated?: boolean;
  deprecationMessage?: string | null;
  description?: string;
  definition?: unknown;
  createdAt?: string;
}

export interface AuditEntry {
  id?: string;
  at: string;
  actor: string;
  team?: string | null;
  action: string;
  target?: string | null;
  result: string;
  requestId?: string;
  detail?: unknown;
}
