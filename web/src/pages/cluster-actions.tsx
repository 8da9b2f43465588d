/**
 * A cluster's actions: update (a form generated from the template's parameters and overridable
 * fields, the API's field errors inline), upgrade (plan first), drift check, reconcile (approval
 * when it would delete or replace), retry, delete (type the name) and kubeconfig download.
 */
import { useState, type FormEvent } from 'react';
import { describeError, trpc, type Cluster, type Operation } from '../api.ts';
import { ErrorBox } from '../components/ui.tsx';
import { useLoad } from '../hooks.ts';
import { navigate } from '../router.tsx';
import { ParameterFields, setFlagsFor, type ParameterValues } from './parameter-fields.tsx';

type Panel = 'update' | 'upgrade' | 'delete' | null;

export function ClusterActions({ cluster, running, operations, onChange }: { cluster: Cluster; running: Operation | undefined; operations: Operation[]; onChange: () => void }) {
  const [panel, setPanel] = useState<Panel>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const id = { team: cluster.team, name: cluster.name };
  const lastReconcile = operations.find((o) => o.kind === 'reconcile');
  const needsApproval = lastReconcile?.status === 'needs_approval' ? ((lastReconcile.result as { destructive?: string[] } | null)?.destructive ?? []) : null;
  // the approval request the stopped reconcile opened; someone other than its requester approves it
  const approvalId = lastReconcile?.status === 'needs_approval' ? ((lastReconcile.result as { approval?: string } | null)?.approval ?? null) : null;

  async function run(fn: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await fn();
      onChange();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  async function kubeconfig() {
    setError(null);
    try {
      const { kubeconfig } = await trpc.clusters.kubeconfig.query(id);
      const url = URL.createObjectURL(new Blob([kubeconfig], { type: 'application/yaml' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${cluster.name}.kubeconfig.yaml`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (err) {
      setError(err);
    }
  }
  const idle = !running && !busy;
  const toggle = (p: Panel) => setPanel(panel === p ? null : p);
  return (
    <section aria-labelledby="actions-h" className="cluster-actions">
      <h2 id="actions-h">Actions</h2>
      {running && <p className="muted">Operation {running.kind} is running; one operation at a time per cluster.</p>}
      <div className="button-row">
        <button type="button" aria-expanded={panel === 'update'} onClick={() => toggle('update')} disabled={!idle}>Update…</button>
        <button type="button" aria-expanded={panel === 'upgrade'} onClick={() => toggle('upgrade')} disabled={!idle}>Upgrade…</button>
        <button type="button" onClick={() => void run(() => trpc.clusters.drift.mutate(id))} disabled={!idle}>Check drift</button>
        <button type="button" onClick={() => void run(() => trpc.clusters.reconcile.mutate(id))} disabled={!idle}>Reconcile</button>
        {cluster.status === 'failed' && <button type="button" onClick={() => void run(() => trpc.clusters.retry.mutate(id))} disabled={!idle}>Retry</button>}
        <button type="button" onClick={() => void kubeconfig()} disabled={!['ready', 'updating', 'upgrading'].includes(cluster.status)}>Download kubeconfig</button>
        <button type="button" className="danger" aria-expanded={panel === 'delete'} onClick={() => toggle('delete')} disabled={!idle}>Delete…</button>
      </div>
      <ErrorBox error={error} />
      {needsApproval && idle && (
        <div className="approval" role="alert">
          <p>The last reconcile changed nothing: it would <strong>{needsApproval.join(', ')}</strong>. It waits for approval request {approvalId ?? '(none)'}, which someone other than its requester approves.</p>
          {approvalId && <button type="button" className="danger" onClick={() => void run(() => trpc.approvals.approve.mutate({ id: approvalId }))}>Approve request</button>}
        </div>
      )}
      {panel === 'update' && <UpdateForm cluster={cluster} onDone={() => { setPanel(null); onChange(); }} />}
      {panel === 'upgrade' && <UpgradeForm cluster={cluster} onDone={() => { setPanel(null); onChange(); }} />}
      {panel === 'delete' && <DeleteForm cluster={cluster} onDone={onChange} />}
    </section>
  );
}

function UpdateForm({ cluster, onDone }: { cluster: Cluster; onDone: () => void }) {
  const template = useLoad(() => (cluster.template ? trpc.templates.get.query({ name: cluster.template }) : Promise.resolve(null)), [cluster.template]);
  const [values, setValues] = useState<ParameterValues>({});
  const [extra, setExtra] = useState<{ path: string; value: string }[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [changes, setChanges] = useState<{ path: string; from?: unknown; to?: unknown }[] | null>(null);
  const [busy, setBusy] = useState(false);
  const def = template.data?.definition;
  const set = () => [...setFlagsFor(values), ...extra.filter((e) => e.path.trim()).map((e) => `${e.path.trim()}=${e.value}`)];
  const issues = describeError(error).issues;
  async function submit(e: FormEvent, planOnly: boolean) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (planOnly) setChanges((await trpc.clusters.plan.mutate({ team: cluster.team, name: cluster.name, set: set() })).specChanges);
      else {
        await trpc.clusters.update.mutate({ team: cluster.team, name: cluster.name, set: set() });
        onDone();
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="panel" aria-label="Update cluster" onSubmit={(e) => void submit(e, false)} noValidate>
      <h3>Update {cluster.name}</h3>
      {template.error ? <ErrorBox error={template.error} /> : null}
      {def && <ParameterFields parameters={def.parameters} current={cluster.overrides} values={values} onChange={setValues} issues={issues} />}
      <fieldset>
        <legend>Overridable fields</legend>
        <p className="help">Allowed: {def?.overridable.map((o: string) => <code key={o}>{o} </code>) ?? '…'}</p>
        <datalist id="overridable">{def?.overridable.map((o: string) => <option key={o} value={o} />)}</datalist>
        {extra.map((row, i) => {
          const issue = issues.find((x) => x.path === row.path.trim());
          return (
            <div className="field-row" key={i}>
              <label>Field<input list="overridable" value={row.path} aria-invalid={issue ? true : undefined} aria-describedby={issue ? `extra-err-${i}` : undefined} onChange={(e) => setExtra(extra.map((r, j) => (j === i ? { ...r, path: e.target.value } : r)))} /></label>
              <label>Value<input value={row.value} onChange={(e) => setExtra(extra.map((r, j) => (j === i ? { ...r, value: e.target.value } : r)))} /></label>
              <button type="button" onClick={() => setExtra(extra.filter((_, j) => j !== i))}>Remove</button>
              {issue && <p className="field-error" id={`extra-err-${i}`}>{issue.message}</p>}
            </div>
          );
        })}
        <button type="button" onClick={() => setExtra([...extra, { path: '', value: '' }])}>Add field</button>
      </fieldset>
      <ErrorBox error={error} shownPaths={[...Object.keys(def?.parameters ?? {}), ...extra.map((e) => e.path.trim())]} />
      {changes && (
        <div className="plan" role="status">
          <h4>What it changes</h4>
          {changes.length === 0 ? <p>No changes.</p> : <ul>{changes.map((c) => <li key={c.path}><code>{c.path}</code>: {JSON.stringify(c.from)} → {JSON.stringify(c.to)}</li>)}</ul>}
        </div>
      )}
      <div className="button-row">
        <button type="button" onClick={(e) => void submit(e, true)} disabled={busy}>Show changes</button>
        <button type="submit" disabled={busy}>Apply update</button>
      </div>
    </form>
  );
}

/** The plan step in words. */
function stepText(s: { kind: string; from?: string | undefined; to: string; addon?: string; pool?: string }): string {
  if (s.kind === 'control-plane') return `control plane ${s.from} → ${s.to}`;
  if (s.kind === 'addon') return `addon ${s.addon} ${s.from ?? '(new)'} → ${s.to}`;
  return `node pool ${s.pool} ${s.from} → ${s.to}`;
}

function UpgradeForm({ cluster, onDone }: { cluster: Cluster; onDone: () => void }) {
  const [major, minor] = cluster.kubernetesVersion.split('.').map(Number);
  const [to, setTo] = useState(`${major}.${(minor ?? 0) + 1}`);
  const [plan, setPlan] = useState<{ steps: { kind: string; from?: string | undefined; to: string }[]; hops: string[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const issue = describeError(error).issues.find((i) => i.path === 'to');
  async function go(planOnly: boolean) {
    setBusy(true);
    setError(null);
    try {
      const res = await trpc.clusters.upgrade.mutate({ team: cluster.team, name: cluster.name, to, planOnly });
      if (planOnly) setPlan(res.plan);
      else onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="panel" aria-label="Upgrade cluster" onSubmit={(e) => { e.preventDefault(); void go(true); }}>
      <h3>Upgrade {cluster.name} from {cluster.kubernetesVersion}</h3>
      <label htmlFor="upgrade-to">Target Kubernetes version</label>
      <input id="upgrade-to" value={to} onChange={(e) => { setTo(e.target.value); setPlan(null); }} aria-invalid={issue ? true : undefined} aria-describedby={issue ? 'upgrade-to-err' : undefined} />
      {issue && <p className="field-error" id="upgrade-to-err">{issue.message}</p>}
      <ErrorBox error={error} shownPaths={['to']} />
      {plan && (
        <div className="plan" role="status">
          <h4>Plan: {plan.hops.join(' → ')}</h4>
          <ol className="plan-steps">{plan.steps.map((s, i) => <li key={i}>{stepText(s)}</li>)}</ol>
        </div>
      )}
      <div className="button-row">
        <button type="submit" disabled={busy}>Show plan</button>
        <button type="button" onClick={() => void go(false)} disabled={busy || !plan}>Start upgrade</button>
      </div>
    </form>
  );
}

function DeleteForm({ cluster, onDone }: { cluster: Cluster; onDone: () => void }) {
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<unknown>(null);
  // a protected or production cluster's delete waits for someone else's approval
  const [waiting, setWaiting] = useState<{ id: string; approvers: number } | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const { approval } = await trpc.clusters.delete.mutate({ team: cluster.team, name: cluster.name, confirm });
      if (approval) {
        setWaiting({ id: approval.id, approvers: approval.rule.approvers });
        return;
      }
      onDone();
    } catch (err) {
      setError(err);
    }
  }
  return (
    <form className="panel danger-zone" aria-label="Delete cluster" onSubmit={submit}>
      <h3>Delete {cluster.name}</h3>
      <p>This tears the cluster down (load balancers and DNS first, then node pools, then the cluster). Its history is kept.</p>
      <label htmlFor="delete-confirm">Type <strong>{cluster.name}</strong> to confirm</label>
      <input id="delete-confirm" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" />
      <ErrorBox error={error} />
      {waiting && (
        <p role="status">
          {cluster.name} is protected: its delete waits for approval request {waiting.id} ({waiting.approvers} approver(s), not you). Nothing was deleted yet.
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="danger" disabled={confirm !== cluster.name}>Delete cluster</button>
        <button type="button" onClick={() => navigate('/clusters')}>Back to clusters</button>
      </div>
    </form>
  );
}
