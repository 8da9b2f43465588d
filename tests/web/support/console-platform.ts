/**
 * The platform as its own process with the console built into dist/web, and a tRPC client with
 * the admin token for setting up teams and tokens the way the CLI would.
 */
import { fileURLToPath } from 'node:url';
import { createTRPCClient, httpLink, type TRPCClient } from '@trpc/client';
import type { AppRouter } from '../../../api/routers/app-router.ts';
import { buildWeb } from '../../../scripts/build-web.ts';
import { startPlatformProcess, type PlatformProcess } from '../../support/platform-process.ts';

export interface ConsolePlatform {
  platform: PlatformProcess;
  url: string;
  api(token: string): TRPCClient<AppRouter>;
  admin: TRPCClient<AppRouter>;
  /** A token for a new subject of `team` (the team is created on first use). */
  member(team: string, subject: string, role?: 'member' | 'team-admin'): Promise<{ id: string; token: string }>;
}

const root = fileURLToPath(new URL('../../../', import.meta.url));

export async function startConsolePlatform(): Promise<ConsolePlatform> {
  await buildWeb(root);
  const platform = await startPlatformProcess();
  const api = (token: string) => createTRPCClient<AppRouter>({ links: [httpLink({ url: `${platform.url}/trpc`, headers: { authorization: `Bearer ${token}` } })] });
  const admin = api(platform.adminToken);
  const teams = new Set<string>();
  return {
    platform,
    url: platform.url,
    api,
    admin,
    async member(team, subject, role = 'member') {
      if (!teams.has(team)) {
        await admin.teams.create.mutate({ name: team, quota: { maxClusters: 20, maxTotalNodes: 100 } });
        teams.add(team);
      }
      const t = await admin.tokens.create.mutate({ team, subject, role });
      return { id: t.id, token: t.token };
    },
  };
}

/** Waits until cluster `name` of `team` is `status` (read through the API). */
export async function waitForClusterStatus(api: TRPCClient<AppRouter>, team: string, name: string, status: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { cluster } = await api.clusters.get.query({ team, name });
    if (cluster.status === status) return;
    if (cluster.status === 'failed' && status !== 'failed') throw new Error(`cluster ${team}/${name} failed: ${cluster.statusReason}`);
    if (Date.now() > deadline) throw new Error(`cluster ${team}/${name} is ${cluster.status}, not ${status}, after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
