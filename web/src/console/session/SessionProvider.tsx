import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { api, onSessionProblem, setCsrfToken, toProblem } from '../../shared/api.ts';
import type { MeView } from '../../shared/api-types.ts';
import { type SessionStep, stepOf } from './session-steps.ts';

export type Session =
  | { status: 'checking' }
  | { status: 'signedOut'; notice: 'none' | 'expired' | 'signedOut' }
  | { status: 'active'; me: MeView; step: SessionStep };

type SessionApi = {
  session: Session;
  signIn: (email: string, password: string) => Promise<void>;
  /** Reloads who is signed in, after a step (password, second factor) is done. */
  refresh: () => Promise<void>;
  signOut: () => Promise<void>;
};

const SessionContext = createContext<SessionApi | null>(null);

/**
 * The officer's session: signed in or not, and which step remains. The session itself is an HttpOnly
 * cookie the page never reads; only its CSRF token is held, in memory.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session>({ status: 'checking' });
  const statusRef = useRef(session.status);
  statusRef.current = session.status;

  const refresh = useCallback(async () => {
    try {
      const me = await api.me();
      if (me.csrfToken) setCsrfToken(me.csrfToken);
      setSession({ status: 'active', me, step: stepOf(me) });
    } catch (error) {
      const problem = toProblem(error);
      if (problem.status !== 401) throw problem;
      setCsrfToken(null);
      setSession((s) => ({ status: 'signedOut', notice: s.status === 'active' ? 'expired' : 'none' }));
    }
  }, []);

  useEffect(() => {
    refresh().catch(() => setSession({ status: 'signedOut', notice: 'none' }));
  }, [refresh]);

  // Any answer saying the session ended or lacks a step, from any page, brings the right screen back.
  useEffect(
    () =>
      onSessionProblem(() => {
        if (statusRef.current === 'active')
          refresh().catch(() => setSession({ status: 'signedOut', notice: 'expired' }));
      }),
    [refresh],
  );

  const signIn = useCallback(
    async (email: string, password: string) => {
      const state = await api.login({ email, password });
      setCsrfToken(state.csrfToken);
      await refresh();
    },
    [refresh],
  );

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // The session may already be gone; the page forgets it either way.
    }
    setCsrfToken(null);
    setSession({ status: 'signedOut', notice: 'signedOut' });
  }, []);

  const value = useMemo(() => ({ session, signIn, refresh, signOut }), [session, signIn, refresh, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The console session and its actions. */
export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}
