/** The shell: skip link, navigation by role, the signed-in user with sign-out, and the routes. */
import type { ReactNode } from 'react';
import { SignIn } from './sign-in.tsx';
import { Link, matchPath, useLocation } from './router.tsx';
import { useSession } from './session.tsx';
import { AuditPage } from './pages/audit.tsx';
import { ClusterPage } from './pages/cluster.tsx';
import { ClustersPage } from './pages/clusters.tsx';
import { CreatePage } from './pages/create.tsx';
import { CampaignPage, FleetPage } from './pages/fleet.tsx';
import { TeamsPage } from './pages/teams.tsx';
import { TemplatesPage } from './pages/templates.tsx';
import { Loading } from './components/ui.tsx';

function route(path: string, admin: boolean): ReactNode {
  if (path === '/' || path === '/clusters') return <ClustersPage />;
  let m = matchPath('/clusters/:team/:name', path);
  if (m) return <ClusterPage key={`${m.team}/${m.name}`} team={m.team!} name={m.name!} />;
  if (path === '/create') return <CreatePage />;
  if (path === '/templates') return <TemplatesPage />;
  if (path === '/teams') return <TeamsPage />;
  if (admin && path === '/fleet') return <FleetPage />;
  m = matchPath('/fleet/:id', path);
  if (admin && m) return <CampaignPage key={m.id} id={m.id!} />;
  if (admin && path === '/audit') return <AuditPage />;
  return (
    <main id="main">
      <h1>Not found</h1>
      <p>There is no page at <code>{path}</code>{!admin && (path.startsWith('/fleet') || path.startsWith('/audit')) ? ' for your role (platform admins only)' : ''}. <Link to="/clusters">Go to clusters</Link>.</p>
    </main>
  );
}

export function App() {
  const { session, loading, signOut } = useSession();
  const { path } = useLocation();
  if (loading) return <Loading what="session" />;
  if (!session) return <SignIn />;
  const admin = session.role === 'platform-admin';
  return (
    <>
      <a className="skip" href="#main">Skip to content</a>
      <header className="top">
        <Link to="/clusters" className="brand">kaas</Link>
        <nav aria-label="Main">
          <ul>
            <li><Link to="/clusters">Clusters</Link></li>
            <li><Link to="/create">Create</Link></li>
            <li><Link to="/templates">Templates</Link></li>
            {admin && <li><Link to="/fleet">Fleet</Link></li>}
            <li><Link to="/teams">Teams</Link></li>
            {admin && <li><Link to="/audit">Audit</Link></li>}
          </ul>
        </nav>
        <div className="who">
          <span data-testid="who">{session.user.subject} · {session.role}{session.teams.length ? ` · ${session.teams.join(', ')}` : ''}</span>
          <button type="button" onClick={() => void signOut()}>Sign out</button>
        </div>
      </header>
      {route(path, admin)}
    </>
  );
}
