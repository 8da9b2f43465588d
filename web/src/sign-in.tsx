/**
 * The sign-in form: an API token exchanged for a session cookie at `POST /auth/session`. It is
 * the only component that knows how sign-in works, so an SSO button can replace it without
 * touching any page. The token lives only in this form's state and the request body. When the
 * platform has single sign-on (`GET /auth/sso/config`), a "Sign in with SSO" link starts the
 * server-side authorization code + PKCE flow at `/auth/sso/start`, which ends in the same session cookie.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useSession } from './session.tsx';

export function SignIn() {
  const { refresh, ended } = useSession();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sso, setSso] = useState(false);
  useEffect(() => {
    let live = true;
    fetch('/auth/sso/config', { credentials: 'same-origin' })
      .then((res) => (res.ok ? (res.json() as Promise<{ enabled?: boolean }>) : { enabled: false }))
      .then((body) => live && setSso(body.enabled === true))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
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
      {sso && (
        <p className="sso">
          <a className="button" href="/auth/sso/start">Sign in with SSO</a>
        </p>
      )}
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
