/**
 * Teams: each visible team's quota usage as bars (clusters, nodes); for team admins (their team)
 * and platform admins, the members and the tokens, with create (shown once) and revoke. Members
 * and team admins also see their team's overview (`fleet.overview`, scoped to the team by the API).
 */
import { useState } from 'react';
import { trpc } from '../api.ts';
import { UsageBar } from '../components/charts.tsx';
import { ErrorBox, Loading, PageHeader, Status } from '../components/ui.tsx';
import { useLoad } from '../hooks.ts';
import { when } from '../lib/format.ts';
import { Link } from '../router.tsx';
import { useSignedIn } from '../session.tsx';
import { FleetOverview } from './fleet-overview.tsx';
import { TokenCreate } from './token-create.tsx';

export function TeamsPage() {
  const session = useSignedIn();
  const teams = useLoad(() => trpc.teams.list.query({}), []);
  const [open, setOpen] = useState<string | null>(null);
  const manages = session.role === 'platform-admin' || session.role === 'team-admin';
  if (!teams.data) return <main id="main">{teams.error ? <ErrorBox error={teams.error} /> : <Loading what="teams" />}</main>;
  const shown = open ?? (teams.data.items.length === 1 ? teams.data.items[0]!.name : null);
  return (
    <main id="main">
      <PageHeader title="Teams" />
      <div className="cards">
        {teams.data.items.map((t) => (
          <section key={t.name} className="card" aria-labelledby={`team-${t.name}`}>
            <h2 id={`team-${t.name}`}><Link to={`/clusters?team=${encodeURIComponent(t.name)}`}>{t.name}</Link></h2>
            <UsageBar label="Clusters" used={t.usage.clusters} limit={t.quota.maxClusters} />
            <UsageBar label="Nodes" used={t.usage.nodes} limit={t.quota.maxTotalNodes} />
            <p className="help">Targets: {t.quota.allowedTargets === '*' ? 'any' : t.quota.allowedTargets.join(', ')}; templates: {t.quota.allowedTemplates === '*' ? 'any' : t.quota.allowedTemplates.join(', ')}</p>
            {manages && <button type="button" aria-expanded={shown === t.name} onClick={() => setOpen(shown === t.name ? '' : t.name)}>Members and tokens</button>}
          </section>
        ))}
      </div>
      {session.role !== 'platform-admin' && <FleetOverview />}
      {manages && shown && <TeamAdmin key={shown} team={shown} />}
    </main>
  );
}

function TeamAdmin({ team }: { team: string }) {
  const members = useLoad(() => trpc.teams.members.query({ team }), [team]);
  const tokens = useLoad(() => trpc.tokens.list.query({ team, includeInactive: false, limit: 200 }), [team]);
  const [error, setError] = useState<unknown>(null);
  async function revoke(id: string) {
    setError(null);
    try {
      await trpc.tokens.revoke.mutate({ id });
      tokens.reload();
      members.reload();
    } catch (err) {
      setError(err);
    }
  }
  return (
    <section aria-labelledby="admin-h">
      <h2 id="admin-h">{team}: members and tokens</h2>
      <ErrorBox error={members.error ?? tokens.error ?? error} />
      {members.data && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Members">
          <table>
            <caption>Members</caption>
            <thead><tr><th scope="col">Subject</th><th scope="col">Roles</th><th scope="col">Live tokens</th><th scope="col">Clusters</th><th scope="col">Nodes</th><th scope="col">Expires</th></tr></thead>
            <tbody>{members.data.members.map((m) => <tr key={m.subject}><td>{m.subject}</td><td>{m.roles.join(', ')}</td><td>{m.liveTokens}</td><td>{m.usage.clusters}</td><td>{m.usage.nodes}</td><td>{when(m.expiresAt)}</td></tr>)}</tbody>
          </table>
        </div>
      )}
      {tokens.data && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Tokens">
          <table>
            <caption>Active tokens</caption>
            <thead><tr><th scope="col">Token</th><th scope="col">Subject</th><th scope="col">Role</th><th scope="col">State</th><th scope="col">Expires</th><th scope="col">Revoke</th></tr></thead>
            <tbody>
              {tokens.data.items.map((t) => (
                <tr key={t.id}>
                  <td><code>{t.id}</code></td><td>{t.subject}</td><td>{t.role}</td><td><Status value={t.status} /></td><td>{when(t.expiresAt)}</td>
                  <td><button type="button" className="danger" onClick={() => void revoke(t.id)} aria-label={`Revoke token ${t.id} of ${t.subject}`}>Revoke</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <TokenCreate team={team} onIssued={() => { tokens.reload(); members.reload(); }} />
      <p className="help">Or from a terminal: <code>kaas tokens create --team {team}</code>.</p>
    </section>
  );
}
