/**
 * The signed-in session: `GET /auth/session` says who we are; sign-in and sign-out are the only
 * places that talk to `/auth/session`. Pages read `useSession()` and never see a token.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { setUnauthorizedHandler } from './api.ts';

export interface Session {
  user: { subject: string };
  teams: string[];
  role: 'member' | 'team-admin' | 'platform-admin';
}

interface SessionState {
  session: Session | null;
  loading: boolean;
  /** Why the last session ended, shown on the sign-in form. */
  ended: string | null;
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

/** Reads the session once and again whenever a request answers 401. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [loading, setLoading] = useState(true);
  const [ended, setEnded] = useState<string | null>(null);
  const refresh = useCallback(async () => {
    const res = await fetch('/auth/session', { credentials: 'same-origin', headers: { accept: 'application/json' } });
    setSession(res.ok ? ((await res.json()) as Session) : null);
    setLoading(false);
  }, []);
  const signOut = useCallback(async () => {
    await fetch('/auth/session', { method: 'DELETE', credentials: 'same-origin' });
    setSession(null);
    setEnded(null);
  }, []);
  useEffect(() => {
    setUnauthorizedHandler(() => {
      setSession((s) => {
        if (s) setEnded('Your session ended (signed out elsewhere, or the token was revoked or expired). Sign in again.');
        return null;
      });
    });
    void refresh();
  }, [refresh]);
  return <SessionContext.Provider value={{ session, loading, ended, refresh, signOut }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The signed-in session (pages render only when there is one). */
export function useSignedIn(): Session {
  const s = useSession().session;
  if (!s) throw new Error('useSignedIn without a session');
  return s;
}
