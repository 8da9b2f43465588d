/** `kaas whoami`: who the token belongs to, and where the CLI is connected. */
import type { Api } from '../../client.ts';

export interface WhoamiResult {
  url: string;
  subject: string;
  role: string;
  team: string | null;
  /** The identity provider's groups of an SSO sign-in (approval rules may name them); empty for API tokens. */
  groups: string[];
}

export async function whoami(api: Api): Promise<WhoamiResult> {
  const me = await api.trpc.whoami.query();
  return { url: api.url, subject: me.subject, role: me.role, team: me.team, groups: me.groups };
}
