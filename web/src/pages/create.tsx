/**
 * Create: pick a template and a target, fill the template's parameters, review the plan
 * (`clusters.createPreview`: the resolved spec, the quota verdict, whether the name is free and
 * the resources the program would build — nothing is started), create, then watch the create
 * operation live until the cluster is ready (or failed).
 */
import { useState, type FormEvent } from 'react';
import { describeError, trpc, type Operation, type Outputs } from '../api.ts';
import { OperationLog } from '../components/operation-log.tsx';
import { ErrorBox, Loading, PageHeader, SimBadge, Status } from '../components/ui.tsx';
import { useLoad } from '../hooks.ts';
import { toYaml } from '../lib/yaml-text.ts';
import { Link } from '../router.tsx';
import { useSignedIn } from '../session.tsx';
import { clusterPath } from './clusters.tsx';
import { ParameterFields, setFlagsFor, type ParameterValues } from './parameter-fields.tsx';

export function CreatePage() {
  const session = useSignedIn();
  const admin = session.role === 'platform-admin';
  const templates = useLoad(() => trpc.templates.list.query({}), []);
  const targets = useLoad(() => trpc.targets.list.query({}), []);
  const [templateRef, setTemplateRef] = useState('');
  const [target, setTarget] = useState('');
  const [name, setName] = useState('');
  const [team, setTeam] = useState(session.teams[0] ?? '');
  const [values, setValues] = useState<ParameterValues>({});
  const [reviewing, setReviewing] = useState(false);
  const [plan, setPlan] = useState<Outputs['clusters']['createPreview'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<{ team: string; name: string; operation: Operation } | null>(null);
  const [final, setFinal] = useState<string | null>(null);
  const chosen = templates.data?.items.find((t) => t.ref === templateRef) ?? templates.data?.items.find((t) => !t.deprecated);
  const detail = useLoad(() => (chosen ? trpc.templates.get.query({ name: chosen.ref }) : Promise.resolve(null)), [chosen?.ref]);
  const def = detail.data?.definition;
  const usable = (targets.data?.items ?? []).filter((t) => !chosen || t.cloud === chosen.cloud);
  const issues = describeError(error).issues;
  const nameIssue = issues.find((i) => i.path === 'name');

  const request = () => ({ ...(admin ? { team } : {}), name, template: chosen!.ref, ...(target || usable[0] ? { target: target || usable[0]!.name } : {}), set: setFlagsFor(values), labels: {} });

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!reviewing) {
      // the plan first: the same resolution and checks as the create, and nothing is started
      try {
        setPlan(await trpc.clusters.createPreview.query(request()));
        setReviewing(true);
      } catch (err) {
        setPlan(null);
        setError(err);
      }
      return;
    }
    try {
      const res = await trpc.clusters.create.mutate(request());
      setCreated({ team: res.cluster.team, name: res.cluster.name, operation: res.operation });
    } catch (err) {
      setReviewing(false);
      setError(err);
    }
  }

  if (created) {
    return (
      <main id="main">
        <PageHeader title={<>Creating {created.name} {final && <Status value={final === 'succeeded' ? 'ready' : final} />}</>} />
        {final === 'succeeded' && <p className="notice ok" role="status">Cluster {created.name} is ready. <Link to={clusterPath(created)}>Open it</Link>.</p>}
        {final && final !== 'succeeded' && <p className="error" role="alert">The create ended {final}. <Link to={clusterPath(created)}>See the cluster</Link> to retry.</p>}
        <OperationLog team={created.team} cluster={created.name} operation={created.operation} onEnd={setFinal} />
      </main>
    );
  }
  if (!templates.data || !targets.data) return <main id="main">{templates.error || targets.error ? <ErrorBox error={templates.error ?? targets.error} /> : <Loading what="templates" />}</main>;
  return (
    <main id="main">
      <PageHeader title="Create a cluster" />
      <form className="panel" aria-label="Create cluster" onSubmit={create} noValidate>
        <div className="field">
          <label htmlFor="create-template">Template</label>
          <select id="create-template" value={chosen?.ref ?? ''} onChange={(e) => { setTemplateRef(e.target.value); setValues({}); setTarget(''); setReviewing(false); }}>
            {templates.data.items.map((t) => <option key={t.ref} value={t.ref} disabled={t.deprecated}>{t.ref} — {t.cloud}{t.simulated ? ' (simulated)' : ''}{t.deprecated ? ' (deprecated)' : ''}</option>)}
          </select>
          {chosen && <p className="help">{chosen.description} <SimBadge simulated={chosen.simulated} /></p>}
        </div>
        <div className="field">
          <label htmlFor="create-name">Name</label>
          <input id="create-name" value={name} onChange={(e) => { setName(e.target.value); setReviewing(false); }} required aria-invalid={nameIssue ? true : undefined} aria-describedby={nameIssue ? 'create-name-err' : undefined} />
          {nameIssue && <p className="field-error" id="create-name-err">{nameIssue.message}</p>}
        </div>
        {admin && (
          <div className="field">
            <label htmlFor="create-team">Team</label>
            <input id="create-team" value={team} onChange={(e) => { setTeam(e.target.value); setReviewing(false); }} required />
          </div>
        )}
        <div className="field">
          <label htmlFor="create-target">Target</label>
          <select id="create-target" value={target || usable[0]?.name || ''} onChange={(e) => { setTarget(e.target.value); setReviewing(false); }}>
            {usable.map((t) => <option key={t.name} value={t.name}>{t.name} ({t.cloud}, {t.region}){t.simulated ? ' — simulated' : ''}</option>)}
          </select>
          {usable.length === 0 && <p className="field-error">No target open to your team runs {chosen?.cloud}.</p>}
        </div>
        {def && <ParameterFields parameters={def.parameters} values={values} onChange={(v) => { setValues(v); setReviewing(false); }} issues={issues} />}
        <ErrorBox error={error} shownPaths={['name', ...Object.keys(def?.parameters ?? {})]} />
        {reviewing && plan && <CreatePlan plan={plan} />}
        <div className="button-row">
          <button type="submit" disabled={!chosen || !name || (reviewing && plan !== null && !plan.wouldCreate)}>{reviewing ? 'Create cluster' : 'Review plan'}</button>
        </div>
      </form>
    </main>
  );
}

/** The review step: what the create would do, from `clusters.createPreview`. */
function CreatePlan({ plan }: { plan: Outputs['clusters']['createPreview'] }) {
  const q = plan.quota;
  return (
    <section className="plan" aria-labelledby="review-h">
      <h2 id="review-h">Plan</h2>
      <p>
        {plan.spec.name} from <code>{plan.template}</code> on {plan.target} <SimBadge simulated={plan.simulated} />, Kubernetes {plan.spec.kubernetesVersion}. Nothing has started yet.
      </p>
      <ul className="plan-checks">
        <li data-check="name">{plan.nameAvailable ? <>Name: <Status value="ok" /> free in the team</> : <>Name: <Status value="failed" /> a live cluster of this name exists</>}</li>
        <li data-check="quota">
          Quota: <Status value={q.ok ? 'ok' : 'denied'} /> {q.usage.clusters} of {q.limits.maxClusters} clusters and {q.usage.nodes} of {q.limits.maxTotalNodes} nodes in use
          {q.refusal && <span className="field-error"> — {q.refusal.message}{q.refusal.hint ? ` (${q.refusal.hint})` : ''}</span>}
        </li>
      </ul>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Resources to create">
        <table>
          <caption>{plan.resources.exact ? 'Resources the program will create' : 'Components the program will create (each with its own cloud resources)'}</caption>
          <thead><tr><th scope="col">Resource</th><th scope="col">Type</th><th scope="col">What</th></tr></thead>
          <tbody>{plan.resources.resources.map((r) => <tr key={`${r.type} ${r.name}`} data-resource={r.name}><td>+ {r.name}</td><td><code>{r.type}</code></td><td>{r.description}</td></tr>)}</tbody>
        </table>
      </div>
      <details>
        <summary>Resolved spec</summary>
        <pre className="code" tabIndex={0} aria-label="resolved spec">{toYaml(plan.spec)}</pre>
      </details>
    </section>
  );
}
