/** Shared zod pieces for router inputs: strict objects only (unknown keys are errors). */
import { z } from 'zod';
import { CLUSTER_STATUSES } from '../../platform/cluster-lifecycle.ts';
import { labelMapSchema } from '../../platform/label-schemas.ts';
import { DNS_LABEL } from '../../platform/label-syntax.ts';

/** A DNS-label name: lowercase letters, digits and '-', starting with a letter. */
export const dnsName = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(DNS_LABEL, 'must be lowercase letters, digits and "-", start with a letter and end with a letter or digit');

export const teamName = dnsName(40);
/** `team` names the team a platform admin acts for; members may omit it. */
export const teamField = { team: teamName.optional() };
export const clusterName = dnsName(40);
export const setFlags = z.array(z.string().min(3).max(300)).max(50).default([]);
/** Cluster labels: Kubernetes label keys and values (fleet selectors match on them); the platform's one label rule. */
export const labelMap = labelMapSchema();
export const cursor = z.string().max(200).optional();
export const pageLimit = z.number().int().min(1).max(200).default(50);
/** A cluster status filter: one of the lifecycle's statuses (a misspelt one is an error, not an empty list). */
export const clusterStatus = z.enum(CLUSTER_STATUSES);
/**
 * A cluster name search: a case-insensitive prefix of the name (names are lowercase DNS labels,
 * so the search is lowercased; only name characters, so it never carries a LIKE wildcard).
 */
export const clusterSearch = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(40, 'must be at most 40 characters')
  .regex(/^[A-Za-z0-9-]+$/, 'must be letters, digits and "-" (the start of a cluster name)')
  .transform((s) => s.toLowerCase());
