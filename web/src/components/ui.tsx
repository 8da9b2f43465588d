/** Small shared pieces: status badges, error boxes, the simulated marker, page headers. */
import type { ReactNode } from 'react';
import { describeError } from '../api.ts';

const STATUS_CLASS: Record<string, string> = {
  ready: 'ok', succeeded: 'ok', completed: 'ok', ok: 'ok', active: 'ok', denied: 'bad', revoked: 'muted', expired: 'muted',
  failed: 'bad', halted: 'bad', cancelled: 'bad', deleted: 'muted',
  requested: 'busy', provisioning: 'busy', updating: 'busy', upgrading: 'busy', deleting: 'busy', running: 'busy', queued: 'busy',
  awaiting_approval: 'warn', needs_approval: 'warn', paused: 'warn', waiting_window: 'warn',
};

/** A status word with a colour and the word itself (never colour alone). */
export function Status({ value }: { value: string }) {
  return <span className={`status status-${STATUS_CLASS[value] ?? 'neutral'}`}>{value.replace(/_/g, ' ')}</span>;
}

/** The marker every simulated cluster or template carries. */
export function SimBadge({ simulated }: { simulated: boolean }) {
  return simulated ? <span className="badge sim" title="runs on the simulated sim cloud: no real cloud resources">simulated</span> : null;
}

/** An API error: message, hint and field issues not shown next to a field. */
export function ErrorBox({ error, shownPaths = [] }: { error: unknown; shownPaths?: string[] }) {
  if (!error) return null;
  const { message, hint, issues } = describeError(error);
  const rest = issues.filter((i) => !shownPaths.includes(i.path));
  return (
    <div className="error-box" role="alert">
      <p>{message}</p>
      {rest.length > 0 && <ul>{rest.map((i) => <li key={i.path + i.message}><code>{i.path}</code>: {i.message}</li>)}</ul>}
      {hint && <p className="hint">{hint}</p>}
    </div>
  );
}

export function PageHeader({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      {children && <div className="actions">{children}</div>}
    </header>
  );
}

export function Loading({ what }: { what: string }) {
  return <p className="loading" role="status">Loading {what}…</p>;
}

/** A labelled definition list from pairs. */
export function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
