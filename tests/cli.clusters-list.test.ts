/** `kaas clusters list --status` refuses a status that does not exist, before any request; so does the API. */
import { describe, expect, it } from 'vitest';
import { EXIT } from '../cli/exit-codes.ts';
import { run } from '../cli/program.ts';
import { CLUSTER_STATUSES } from '../platform/cluster-lifecycle.ts';
import { expectTrpcError } from './support/errors.ts';
import { testPlatform } from './support/services.ts';

async function runOffline(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: { KAAS_CONFIG: '/nonexistent/kaas.json', KAAS_URL: 'http://127.0.0.1:9' }, stdinIsTTY: false });
  return { code, stdout, stderr };
}

describe('clusters list --status', () => {
  it('refuses a misspelt status with exit 2 and lists the valid ones', async () => {
    const bad = await runOffline(['clusters', 'list', '--status', 'redy']);
    expect(bad.code).toBe(EXIT.USAGE);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/--status <status>' argument 'redy' is invalid/);
    for (const status of CLUSTER_STATUSES) expect(bad.stderr).toContain(status);
  });

  it('accepts every cluster status (the request then fails: nothing listens on port 9)', async () => {
    for (const status of CLUSTER_STATUSES) {
      const ok = await runOffline(['clusters', 'list', '--status', status]);
      expect(ok.code).not.toBe(EXIT.USAGE);
    }
  });
});

describe('clusters.list status input', () => {
  it('refuses a status that is not a lifecycle status, naming the field', async () => {
    const p = await testPlatform();
    try {
      const team = await p.team('alpha');
      const member = await p.actor('mia', 'member', team);
      await expectTrpcError(p.caller(member).clusters.list({ status: 'redy' as never }), 'BAD_REQUEST', /status/);
      await expect(p.caller(member).clusters.list({ status: 'ready' })).resolves.toMatchObject({ items: [] });
    } finally {
      await p.close();
    }
  });
});
