/** `targets.check`: settings, credentials and plugins, each failure naming its fix; no cloud is called. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTarget, type InstalledPlugin } from '../../api/targets/target-check.ts';
import type { TargetRow } from '../../api/db/schema.ts';

const ROLE = 'arn:aws:iam::123456789012:role/kaas-platform-admin';
const emptyHome = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-check-'));

function row(cloud: TargetRow['cloud'], settings: Record<string, unknown>): TargetRow {
  return { id: 'g1', name: `${cloud}-t`, cloud, region: 'r', account: 'a', dns_zones: [], allowed_teams: null, settings, approval_policy: null, created_at: new Date() };
}
const version = (pkg: string) => JSON.parse(fs.readFileSync(path.join('node_modules', pkg, 'package.json'), 'utf8')).version as string;

describe('checkTarget', () => {
  it('with no credentials and no plugins says exactly that, with the fixes', async () => {
    const result = await checkTarget(row('aws', {}), { env: {}, homeDir: emptyHome, workerEgressCidrs: undefined, listPlugins: async () => [] });
    expect(result.ok).toBe(false);
    const byCheck = (c: string) => result.items.filter((i) => i.check === c);
    expect(byCheck('settings')[0]).toMatchObject({ ok: false, detail: expect.stringMatching(/settings\.platformAdminRoleArn/) });
    expect(byCheck('credentials')[0]).toMatchObject({ ok: false, detail: expect.stringMatching(/no aws credentials/), fix: expect.stringMatching(/IAM role/) });
    expect(byCheck('plugins').map((i) => i.detail)).toEqual([
      `resource plugin aws ${version('@pulumi/aws')} (pinned by @pulumi/aws) is not installed`,
      `resource plugin kubernetes ${version('@pulumi/kubernetes')} (pinned by @pulumi/kubernetes) is not installed`,
    ]);
    expect(byCheck('plugins')[0]!.fix).toBe(`pulumi plugin install resource aws ${version('@pulumi/aws')} (with PULUMI_HOME set to the platform's <home>/pulumi)`);
  });

  it('passes when settings, credentials and the pinned plugins are all there', async () => {
    const plugins: InstalledPlugin[] = [
      { name: 'azure-native', kind: 'resource', version: version('@pulumi/azure-native') },
      { name: 'kubernetes', kind: 'resource', version: version('@pulumi/kubernetes') },
    ];
    const env = { AZURE_CLIENT_ID: 'c', AZURE_TENANT_ID: 't', AZURE_FEDERATED_TOKEN_FILE: '/var/run/token' };
    const result = await checkTarget(row('azure', { adminGroupObjectIds: ['3f2504e0-4f89-41d3-9a0c-0305e82c3301'] }), { env, homeDir: emptyHome, workerEgressCidrs: undefined, listPlugins: async () => plugins });
    expect(result.items.filter((i) => !i.ok)).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('names an installed plugin at the wrong version, and a missing Pulumi CLI', async () => {
    const old = await checkTarget(row('aws', { platformAdminRoleArn: ROLE }), { env: { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' }, homeDir: emptyHome, workerEgressCidrs: undefined, listPlugins: async () => [{ name: 'aws', kind: 'resource', version: '6.0.0' }] });
    expect(old.items.find((i) => i.check === 'plugins')!.detail).toMatch(/installed: 6\.0\.0$/);
    const noCli = await checkTarget(row('gcp', {}), { env: {}, homeDir: emptyHome, workerEgressCidrs: undefined, listPlugins: async () => { throw new Error('the Pulumi CLI is not installed'); } });
    expect(noCli.items.find((i) => i.check === 'plugins')).toMatchObject({ ok: false, detail: 'cannot list Pulumi plugins: the Pulumi CLI is not installed' });
    expect(noCli.items.find((i) => i.check === 'settings')!.ok).toBe(true); // gcp has defaults only
  });
});
