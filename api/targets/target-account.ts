/**
 * Per-cloud shape of a target's account and region: an AWS account id is 12 digits, a GCP
 * project id 6–30 lowercase letters, digits and '-', an Azure subscription a GUID. `sim` takes
 * any short label. Only identifiers: a target never holds credentials (the worker's environment
 * does).
 */
import type { FieldIssue } from '../../platform/errors.ts';
import type { TargetRow } from '../db/schema.ts';

type Cloud = TargetRow['cloud'];

const ACCOUNT: Record<Cloud, { pattern: RegExp; expected: string }> = {
  aws: { pattern: /^[0-9]{12}$/, expected: 'an AWS account id of 12 digits, e.g. 123456789012' },
  gcp: { pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, expected: 'a GCP project id: 6-30 lowercase letters, digits and "-", starting with a letter, e.g. payments-prod-1' },
  azure: { pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, expected: 'an Azure subscription id (a GUID), e.g. 00000000-1111-2222-3333-444444444444' },
  sim: { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, expected: 'a label of letters, digits, ".", "_" and "-"' },
};

const REGION: Record<Cloud, { pattern: RegExp; expected: string }> = {
  aws: { pattern: /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$/, expected: 'an AWS region, e.g. eu-west-1' },
  gcp: { pattern: /^[a-z]+-[a-z]+[0-9]$/, expected: 'a GCP region, e.g. europe-west1' },
  azure: { pattern: /^[a-z][a-z0-9]{2,30}$/, expected: 'an Azure region name, e.g. westeurope' },
  sim: { pattern: /^[a-z0-9][a-z0-9-]{0,62}$/, expected: 'a label of lowercase letters, digits and "-"' },
};

/** The problems of `account` and `region` for `cloud` (empty when both fit). */
export function targetLocationIssues(cloud: Cloud, account: string, region: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!ACCOUNT[cloud].pattern.test(account)) issues.push({ path: 'account', message: `"${account}" is not valid for ${cloud}: expected ${ACCOUNT[cloud].expected}` });
  if (!REGION[cloud].pattern.test(region)) issues.push({ path: 'region', message: `"${region}" is not valid for ${cloud}: expected ${REGION[cloud].expected}` });
  return issues;
}
