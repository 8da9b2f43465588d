/**
 * Create: pick a template and a target, fill the template's parameters, review, create, then
 * watch the create operation live until the cluster is ready (or failed).
 */
import { useState, type FormEvent } from 'react';
import { describeError, trpc, type Operation } from '../api.ts';
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
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<{ team: string; name: string; operation: Operation } | null>(null);
  const [final, setFinal] = useState<string | null>(null);
  const chosen = templates.data?.items.find((t) => t.ref === templateRef) ?? templates.data?.items.find((t) => !t.deprecated);
  const detail = useLoad(() => (chosen ? trpc.templates.get.query({ name: chosen.ref }) : Promise.resolve(null)), [chosen?.ref]);
  const def = detail.data?.definition;
  const usable = (targets.data?.items ?? []).filter((t) => !chosen || t.cloud === chosen.cloud);
  const issues = describeError(error).issues;
  const nameIssue = issues.find((i) => i.path === 'name');

  async function create(e: FormEvent) {
    e.preventDefault();
    if (!reviewing) return setReviewing(true);
    setError(null);
    try {
      const res = await trpc.clusters.create.mutate({ ...(admin ? { team } : {}), name, template: chosen!.ref, ...(target || usable[0] ? { target: target || usable[0]!.name } : {}), set: setFlagsFor(values), labels: {} });
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
            <input id="create-team" value={team} onChange={(e) => setTeam(e.target.value)} required />
          </div>
        )}
        <div className="field">
          <label htmlFor="create-target">Target</label>
          <select id="create-target" value={target || usable[0]?.name || ''} onChange={(e) => setTarget(e.target.value)}>
            {usable.map((t) => <option key={t.name} value={t.name}>{t.name} ({t.cloud}, {t.region}){t.simulated ? ' — simulated' : ''}</option>)}
          </select>
          {usable.length === 0 && <p className="field-error">No target open to your team runs {chosen?.cloud}.</p>}
        </div>
        {def && <ParameterFields parameters={def.parameters} values={values} onChange={(v) => { setValues(v); setReviewing(false); }} issues={issues} />}
        <ErrorBox error={error} shownPaths={['name', ...Object.keys(def?.parameters ?? {})]} />
        {reviewing && def && (
          <section className="plan" aria-labelledby="review-h">
            <h2 id="review-h">Review</h2>
            <p>
              {name} from <code>{chosen!.ref}</code> on {target || usable[0]?.name}
              {Object.keys(values).length ? <> with {setFlagsFor(values).map((s) => <code key={s}>{s} </code>)}</> : ' with the template defaults'}. The template's spec (parameters filled in by the platform):
            </p>
            <pre className="code" tabIndex={0} aria-label="template spec">{toYaml(def.spec)}</pre>
          </section>
        )}
        <div className="button-row">
          <button type="submit" disabled={!chosen || !name}>{reviewing ? 'Create cluster' : 'Review'}</button>
        </div>
      </form>
    </main>
  );
}
