/**
 * The sign-in form: an API token exchanged for a session cookie at `POST /auth/session`. It is
 * the only component that knows how sign-in works, so an SSO button can replace it without
 * touching any page. The token lives only in this form's state and the request body.
 */
import { useState, type FormEvent } from 'react';
import { useSession } from './session.tsx';

export function SignIn() {
  const { refresh, ended } = useSession();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/auth/session', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: token.trim() }) });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string; hint?: string } } | null;
        setError([body?.error?.message ?? `sign-in failed (${res.status})`, body?.error?.hint].filter(Boolean).join(' — '));
        return;
      }
      setToken('');
      await refresh();
    } catch (err) {
      setError(`cannot reach the platform: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  }
  return (
    <main className="sign-in" id="main">
      <h1>kaas console</h1>
      <form onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
        {ended && <p className="notice" role="status">{ended}</p>}
        <label htmlFor="token">API token</label>
        <input id="token" name="token" type="password" autoComplete="off" required value={token} onChange={(e) => setToken(e.target.value)} />
        <p className="help">Create one with <code>kaas tokens create</code>; it is exchanged for a session cookie and never stored in the browser.</p>
        {error && <p id="sign-in-error" className="error" role="alert">{error}</p>}
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
