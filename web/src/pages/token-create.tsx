/**
 * Issuing a token from the Teams page (team admins for their team, platform admins for any):
 * `tokens.create`, then the secret shown once with a copy button. The secret lives only in this
 * component's state: never in localStorage, a URL or a cookie, and it is gone once dismissed.
 */
import { useState, type FormEvent } from 'react';
import { describeError, trpc, type Outputs } from '../api.ts';
import { ErrorBox } from '../components/ui.tsx';
import { when } from '../lib/format.ts';

type Issued = Outputs['tokens']['create'];

export function TokenCreate({ team, onIssued }: { team: string; onIssued: () => void }) {
  const [subject, setSubject] = useState('');
  const [role, setRole] = useState<'member' | 'team-admin'>('member');
  const [ttlDays, setTtlDays] = useState(90);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const subjectIssue = describeError(error).issues.find((i) => i.path === 'subject');

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setCopied(false);
    try {
      setIssued(await trpc.tokens.create.mutate({ team, subject: subject.trim(), role, ttlDays }));
      setSubject('');
      onIssued();
    } catch (err) {
      setError(err);
    }
  }

  async function copy() {
    if (!issued) return;
    try {
      await navigator.clipboard.writeText(issued.token);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  return (
    <section aria-labelledby="token-create-h" className="panel">
      <h3 id="token-create-h">Create a token</h3>
      {issued && (
        <div className="notice ok" role="status" data-issued={issued.id}>
          <p>Token <code>{issued.id}</code> for {issued.subject} ({issued.role}), expires {when(issued.expiresAt)}. Copy it now: it is shown only once.</p>
          <p><code className="secret" aria-label="new token">{issued.token}</code></p>
          <div className="button-row">
            <button type="button" onClick={() => void copy()}>{copied ? 'Copied' : 'Copy token'}</button>
            <button type="button" onClick={() => setIssued(null)}>Done, hide it</button>
          </div>
        </div>
      )}
      <form aria-label="Create a token" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="token-subject">Subject (who holds it)</label>
          <input id="token-subject" value={subject} onChange={(e) => setSubject(e.target.value)} placeholder="alice or ci.payments" autoComplete="off" aria-invalid={subjectIssue ? true : undefined} aria-describedby={subjectIssue ? 'token-subject-err' : undefined} />
          {subjectIssue && <p className="field-error" id="token-subject-err">{subjectIssue.message}</p>}
        </div>
        <div className="field">
          <label htmlFor="token-role">Role</label>
          <select id="token-role" value={role} onChange={(e) => setRole(e.target.value as 'member' | 'team-admin')}>
            <option value="member">member</option>
            <option value="team-admin">team-admin</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="token-ttl">Valid for (days)</label>
          <input id="token-ttl" type="number" min={1} max={365} value={ttlDays} onChange={(e) => setTtlDays(Number(e.target.value) || 90)} />
        </div>
        <ErrorBox error={error} shownPaths={['subject']} />
        <div className="button-row"><button type="submit" disabled={!subject.trim()}>Create token</button></div>
      </form>
    </section>
  );
}
