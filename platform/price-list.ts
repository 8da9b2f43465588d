/**
 * A price list: the on-demand hourly list prices of one cloud region, as kept in the versioned
 * files under pricing/<cloud>/<region>.yaml. Each names where its figures were taken from
 * (`source`) and when (`date`); the estimate repeats both so nobody mistakes it for a live price.
 * Pure: the files are read in api/pricing/, validated here.
 */
import { z } from 'zod';
import { CLOUDS, type Cloud } from './cluster-spec.ts';
import { DomainError } from './errors.ts';
import { zodIssuesToFieldIssues } from './zod-issues.ts';

/** One cloud region's prices, USD per hour. */
export interface PriceList {
  version: number;
  cloud: Cloud;
  region: string;
  currency: 'USD';
  /** When the prices were taken (YYYY-MM-DD). */
  date: string;
  /** Where they were taken from (a price page URL or API). */
  source: string;
  note?: string;
  /** Hourly price of one node of each machine type. Keys are the cloud's names. */
  machineTypes: Record<string, number>;
  /** Hourly fee of one managed control plane in standard and in extended support. */
  controlPlane: { standard: number; extended: number; source: string };
  /** Hourly price of one load balancer (what the ingress addon provisions). */
  loadBalancer: { kind: string; hourly: number; source: string };
}

const hourly = z.number({ error: 'must be a number (USD per hour)' }).nonnegative('must not be negative').max(1000, 'must be USD per hour (over 1000 looks like a monthly price)');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD (quote it in YAML)');

const priceListSchema = z.strictObject({
  version: z.int().min(1),
  cloud: z.enum(CLOUDS),
  region: z.string().min(1).max(63),
  currency: z.literal('USD'),
  date: isoDate,
  source: z.string().min(1, 'must name the price page or API the prices come from'),
  note: z.string().optional(),
  // a Map-like record from file keys: built without a prototype below
  machineTypes: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a machine type name'), hourly).refine((m) => Object.keys(m).length > 0, 'must list at least one machine type'),
  controlPlane: z.strictObject({ standard: hourly, extended: hourly, source: z.string().min(1) }),
  loadBalancer: z.strictObject({ kind: z.string().min(1), hourly, source: z.string().min(1) }),
});

/**
 * Validates a parsed price file. `where` names it (`pricing/aws/us-east-1.yaml`) and must match
 * the file's cloud and region, so a copied file with a stale header is caught. Throws VALIDATION
 * naming the file and each bad field.
 */
export function parsePriceList(doc: unknown, where: { file: string; cloud: string; region: string }): PriceList {
  const result = priceListSchema.safeParse(doc);
  const issues = result.success ? [] : zodIssuesToFieldIssues(result.error.issues);
  if (result.success) {
    if (result.data.cloud !== where.cloud) issues.push({ path: 'cloud', message: `is "${result.data.cloud}" but the file is under pricing/${where.cloud}/` });
    if (result.data.region !== where.region) issues.push({ path: 'region', message: `is "${result.data.region}" but the file is named ${where.region}.yaml` });
  }
  if (!result.success || issues.length > 0) {
    throw new DomainError('VALIDATION', `price file ${where.file} is invalid: ${issues.map((i) => `${i.path || '(file)'}: ${i.message}`).join('; ')}`, {
      issues,
      hint: 'fix the file (see README "Cost estimates and budgets" for its fields)',
    });
  }
  const data = result.data!;
  const machineTypes: Record<string, number> = Object.create(null);
  for (const [k, v] of Object.entries(data.machineTypes)) machineTypes[k] = v;
  return { ...data, machineTypes } as PriceList;
}
