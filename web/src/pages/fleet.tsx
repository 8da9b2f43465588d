/**
 * Fleet (platform admins): the overview, the campaigns, planning a new campaign (its waves and
 * the skipped clusters with reasons, before anything starts) and one campaign's waves live
 * (`fleet.campaignProgress`) with approve, pause, resume and cancel.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { describeError, subscribe, trpc, type CampaignProgress, type Inputs } from '../api.ts';
import { ErrorBox, Loading, PageHeader, Status } from '../components/ui.tsx';
import { useLoad } from '../hooks.ts';
import { when } from '../lib/format.ts';
import { Link, navigate } from '../router.tsx';
import { clusterPath } from './clusters.tsx';
import { FleetOverview } from './fleet-overview.tsx';

export function FleetPage() {
  const campaigns = useLoad(() => trpc.fleet.list.query({}), []);
  return (
    <main id="main">
      <PageHeader title="Fleet" />
      <FleetOverview />
      <section aria-labelledby="campaigns-h">
        <h2 id="campaigns-h">Campaigns</h2>
        <ErrorBox error={campaigns.error} />
        {campaigns.data && (campaigns.data.items.length === 0 ? <p className="muted">No campaigns yet.</p> : (
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Campaigns">
            <table>
              <thead><tr><th scope="col">Campaign</th><th scope="col">Kind</th><th scope="col">Target</th><th scope="col">Status</th><th scope="col">Wave</th><th scope="col">Done / total</th><th scope="col">Created</th></tr></thead>
              <tbody>
                {campaigns.data.items.map((c) => {
                  const total = Object.values(c.counts).reduce((a, b) => a + b, 0);
                  return (
                    <tr key={c.id}>
                      <td><Link to={`/fleet/${encodeURIComponent(c.id)}`}>{c.name}</Link></td><td>{c.kind}</td><td>{c.target}</td>
                      <td><Status value={c.status} /></td><td>{c.currentWave ?? '—'}</td><td>{c.counts.succeeded} / {total}</td><td>{when(c.createdAt)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}
      </section>
      <PlanCampaign />
    </main>
  );
}

type StartInput = Inputs['fleet']['start'];

function PlanCampaign() {
  const [name, setName] = useState('');
  const [targetVersion, setTargetVersion] = useState('');
  const [template, setTemplate] = useState('');
  const [team, setTeam] = useState('');
  const [canary, setCanary] = useState('1');
  const [percentages, setPercentages] = useState('100');
  const [approval, setApproval] = useState(true);
  const [maxParallel, setMaxParallel] = useState('2');
  const [plan, setPlan] = useState<Awaited<ReturnType<typeof trpc.fleet.plan.query>> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const input = (): Omit<StartInput, 'name'> => ({
    kind: 'upgrade',
    targetVersion,
    selector: { ...(template ? { template } : {}), ...(team ? { team } : {}) },
    waves: { canary: Number(canary), percentages: percentages.split(',').map((p) => Number(p.trim())) },
    approvalBetweenWaves: approval,
    maxParallel: Number(maxParallel),
  });
  const issues = describeError(error).issues;
  const issueFor = (p: string) => issues.find((i) => i.path === p || i.path.startsWith(`${p}.`));
  async function doPlan(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      setPlan(await trpc.fleet.plan.query(input()));
    } catch (err) {
      setPlan(null);
      setError(err);
    }
  }
  async function start() {
    setError(null);
    try {
      const res = await trpc.fleet.start.mutate({ ...input(), name } as StartInput);
      navigate(`/fleet/${encodeURIComponent(res.campaign.id)}`);
    } catch (err) {
      setError(err);
    }
  }
  const field = (id: string, label: string, value: string, set: (v: string) => void, path: string, help?: string) => {
    const issue = issueFor(path);
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input id={id} value={value} onChange={(e) => { set(e.target.value); setPlan(null); }} aria-invalid={issue ? true : undefined} aria-describedby={issue ? `${id}-err` : undefined} />
        {help && <p className="help">{help}</p>}
        {issue && <p className="field-error" id={`${id}-err`}>{issue.message}</p>}
      </div>
    );
  };
  return (
    <section aria-labelledby="plan-h">
      <h2 id="plan-h">Plan an upgrade campaign</h2>
      <form className="panel" aria-label="Plan campaign" onSubmit={doPlan} noValidate>
        {field('cmp-name', 'Campaign name', name, setName, 'name')}
        {field('cmp-version', 'Target Kubernetes version', targetVersion, setTargetVersion, 'targetVersion', 'MAJOR.MINOR, one minor above the clusters')}
        {field('cmp-template', 'Only clusters of template (optional)', template, setTemplate, 'selector.template')}
        {field('cmp-team', 'Only clusters of team (optional)', team, setTeam, 'selector.team')}
        {field('cmp-canary', 'Canary clusters', canary, setCanary, 'waves')}
        {field('cmp-waves', 'Then waves of (% of the rest, comma-separated)', percentages, setPercentages, 'waves.percentages')}
        {field('cmp-parallel', 'At most in parallel', maxParallel, setMaxParallel, 'maxParallel')}
        <div className="field checkbox">
          <input id="cmp-approval" type="checkbox" checked={approval} onChange={(e) => setApproval(e.target.checked)} />
          <label htmlFor="cmp-approval">Wait for approval between waves</label>
        </div>
        <ErrorBox error={error} shownPaths={issues.filter((i) => ['name', 'targetVersion', 'selector', 'waves', 'maxParallel'].some((p) => i.path === p || i.path.startsWith(`${p}.`))).map((i) => i.path)} />
        <div className="button-row">
          <button type="submit">Plan</button>
          <button type="button" onClick={() => void start()} disabled={!plan || !name}>Start campaign</button>
        </div>
      </form>
      {plan && (
        <div className="plan" role="status" aria-label="Campaign plan">
          <h3>{plan.total} cluster(s) to {plan.target} in {plan.waves.length} wave(s)</h3>
          {plan.waves.map((w) => (
            <div key={w.name} className="wave">
              <h4>{w.name} ({w.clusters.length})</h4>
              <ul>{w.clusters.map((c) => <li key={c.id}>{c.team}/{c.name} <span className="muted">{c.version}</span></li>)}</ul>
            </div>
          ))}
          {plan.skipped.length > 0 && (
            <div className="wave">
              <h4>Skipped ({plan.skipped.length})</h4>
              <ul>{plan.skipped.map((c) => <li key={c.id}>{c.team}/{c.name}: {c.reason}</li>)}</ul>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

export function CampaignPage({ id }: { id: string }) {
  const initial = useLoad(() => trpc.fleet.status.query({ id }), [id]);
  const [live, setLive] = useState<CampaignProgress | null>(null);
  const [streaming, setStreaming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const campaignId = initial.data?.campaign.id;
  useEffect(() => {
    if (!campaignId) return;
    setStreaming(true);
    return subscribe('fleet.campaignProgress', { campaignId }, { onData: (p) => setLive(p), onError: (e) => { setStreaming(false); setError(e); }, onComplete: () => setStreaming(false) });
  }, [campaignId]);
  const data = live ?? initial.data;
  if (!data) return <main id="main">{initial.error ? <ErrorBox error={initial.error} /> : <Loading what="campaign" />}</main>;
  const { campaign, clusters } = data;
  async function control(action: 'approve' | 'pause' | 'resume' | 'cancel') {
    setError(null);
    try {
      const res = await trpc.fleet[action].mutate({ id: campaign.id });
      setLive((l) => ({ campaign: res.campaign, clusters: (l ?? data!).clusters }));
    } catch (err) {
      setError(err);
    }
  }
  const ended = ['cancelled', 'completed'].includes(campaign.status);
  return (
    <main id="main" data-campaign-status={campaign.status}>
      <PageHeader title={<>Campaign {campaign.name} <Status value={campaign.status} /></>}>
        {streaming && <span className="badge live">live</span>}
      </PageHeader>
      <p>{campaign.kind} to {campaign.target}; wave {campaign.currentWave ?? '—'}; at most {campaign.maxParallel} at once{campaign.approvalBetweenWaves ? '; approval between waves' : ''}.</p>
      {campaign.statusReason && <p className="notice">{campaign.statusReason}</p>}
      <div className="button-row">
        {campaign.status === 'awaiting_approval' && <button type="button" onClick={() => void control('approve')}>Approve next wave</button>}
        {campaign.status === 'running' && <button type="button" onClick={() => void control('pause')}>Pause</button>}
        {(campaign.status === 'paused' || campaign.status === 'halted') && <button type="button" onClick={() => void control('resume')}>Resume</button>}
        {!ended && <button type="button" className="danger" onClick={() => void control('cancel')}>Cancel campaign</button>}
      </div>
      <ErrorBox error={error} />
      {campaign.waves.map((w) => {
        const members = clusters.filter((c) => c.wave === w);
        return (
          <section key={w} className="wave" aria-label={`wave ${w}`} data-wave={w}>
            <h2>{w} {w === campaign.currentWave && !ended && <span className="badge">current</span>}</h2>
            <div className="table-scroll" tabIndex={0} role="region" aria-label={`clusters of wave ${w}`}>
              <table>
                <thead><tr><th scope="col">Cluster</th><th scope="col">State</th><th scope="col">Kubernetes</th><th scope="col">Reason</th><th scope="col">Finished</th></tr></thead>
                <tbody>{members.map((c) => <tr key={c.clusterId} data-cluster={c.name}><td><Link to={clusterPath(c)}>{c.team}/{c.name}</Link></td><td><Status value={c.status} /></td><td>{c.kubernetesVersion}</td><td>{c.reason ?? ''}</td><td>{when(c.finishedAt)}</td></tr>)}</tbody>
              </table>
            </div>
          </section>
        );
      })}
      {clusters.some((c) => c.wave === null) && (
        <section className="wave" aria-label="skipped">
          <h2>Skipped</h2>
          <ul>{clusters.filter((c) => c.wave === null).map((c) => <li key={c.clusterId}>{c.team}/{c.name}: {c.reason}</li>)}</ul>
        </section>
      )}
    </main>
  );
}
