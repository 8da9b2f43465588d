/**
 * Templates: every version of every template, a version's document as YAML, a line diff between
 * two versions, and (platform admins) the rollout preview: what moving each cluster built from
 * an older version to the chosen one would change.
 */
import { useState } from 'react';
import { trpc } from '../api.ts';
import { ErrorBox, Loading, PageHeader, SimBadge } from '../components/ui.tsx';
import { useLoad } from '../hooks.ts';
import { when } from '../lib/format.ts';
import { lineDiff } from '../lib/line-diff.ts';
import { toYaml } from '../lib/yaml-text.ts';
import { Link } from '../router.tsx';
import { useSignedIn } from '../session.tsx';
import { clusterPath } from './clusters.tsx';

export function TemplatesPage() {
  const all = useLoad(() => trpc.templates.list.query({ all: true }), []);
  const [selected, setSelected] = useState<string | null>(null);
  if (!all.data) return <main id="main">{all.error ? <ErrorBox error={all.error} /> : <Loading what="templates" />}</main>;
  const names = [...new Set(all.data.items.map((t) => t.name))];
  const name = selected ?? names[0];
  const versions = all.data.items.filter((t) => t.name === name);
  return (
    <main id="main">
      <PageHeader title="Templates" />
      <div className="split">
        <nav aria-label="Templates" className="side-list">
          <ul>
            {names.map((n) => {
              const latest = all.data!.items.find((t) => t.name === n)!;
              return (
                <li key={n}>
                  <button type="button" aria-pressed={n === name} onClick={() => setSelected(n)}>{n} <span className="muted">v{latest.version} · {latest.cloud}</span></button>
                </li>
              );
            })}
          </ul>
        </nav>
        {name && <TemplateVersions key={name} name={name} versions={versions} />}
      </div>
    </main>
  );
}

type Summary = Awaited<ReturnType<typeof trpc.templates.list.query>>['items'][number];

function TemplateVersions({ name, versions }: { name: string; versions: Summary[] }) {
  const session = useSignedIn();
  const newest = versions[0]!.version;
  const [version, setVersion] = useState(newest);
  const [against, setAgainst] = useState(versions[1]?.version ?? newest);
  const doc = useLoad(() => trpc.templates.get.query({ name: `${name}@${version}` }), [name, version]);
  const other = useLoad(() => trpc.templates.get.query({ name: `${name}@${against}` }), [name, against]);
  const preview = useLoad(() => (session.role === 'platform-admin' ? trpc.templates.rolloutPreview.query({ name, toVersion: version }) : Promise.resolve(null)), [name, version, session.role]);
  const yaml = doc.data ? toYaml(doc.data.definition) : '';
  const diff = doc.data && other.data ? lineDiff(toYaml(other.data.definition), yaml) : [];
  return (
    <section className="template" aria-labelledby="tpl-h">
      <h2 id="tpl-h">{name} <SimBadge simulated={versions[0]!.simulated} /></h2>
      <p>{versions[0]!.description}</p>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Versions">
        <table>
          <thead><tr><th scope="col">Version</th><th scope="col">Published</th><th scope="col">By</th><th scope="col">State</th><th scope="col">Show</th></tr></thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version}>
                <td>{v.ref}</td><td>{when(v.createdAt)}</td><td>{v.createdBy}</td>
                <td>{v.deprecated ? `deprecated: ${v.deprecationMessage ?? ''}` : 'active'}</td>
                <td><button type="button" aria-pressed={v.version === version} onClick={() => setVersion(v.version)}>v{v.version}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>{name}@{version} as YAML</h3>
      {doc.error ? <ErrorBox error={doc.error} /> : <pre className="code" tabIndex={0} aria-label={`${name}@${version} YAML`}>{yaml}</pre>}
      <h3>
        <label htmlFor="diff-against">Diff v{version} against </label>
        <select id="diff-against" value={against} onChange={(e) => setAgainst(Number(e.target.value))}>
          {versions.map((v) => <option key={v.version} value={v.version}>v{v.version}</option>)}
        </select>
      </h3>
      {against === version ? <p className="muted">Pick another version to compare.</p> : (
        <pre className="code diff" tabIndex={0} aria-label={`diff v${against} to v${version}`}>
          {diff.map((l, i) => <span key={i} className={l.op === '+' ? 'add' : l.op === '-' ? 'del' : ''}>{l.op} {l.text}{'\n'}</span>)}
        </pre>
      )}
      {session.role === 'platform-admin' && (
        <>
          <h3>Rollout preview to v{version}</h3>
          {preview.error ? <ErrorBox error={preview.error} /> : !preview.data ? <Loading what="preview" /> : preview.data.items.length === 0 ? <p className="muted">No cluster is built from an older version of {name}.</p> : (
            <div className="table-scroll" tabIndex={0} role="region" aria-label="Rollout preview">
              <table>
                <thead><tr><th scope="col">Cluster</th><th scope="col">From</th><th scope="col">Changes</th></tr></thead>
                <tbody>
                  {preview.data.items.map((p) => (
                    <tr key={p.clusterId}>
                      <td><Link to={clusterPath(p)}>{p.team}/{p.name}</Link></td><td>{p.from}</td>
                      <td>{p.error ? <span className="error">{p.error}</span> : p.changes.length === 0 ? 'none' : <ul>{p.changes.map((c) => <li key={c.path}><code>{c.path}</code>: {JSON.stringify(c.from)} → {JSON.stringify(c.to)}</li>)}</ul>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
