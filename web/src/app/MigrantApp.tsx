import { useCallback, useEffect, useRef, useState } from 'react';
import { matchPath, usePathname } from '../shared/router.tsx';
import { AlertsPage } from './AlertsPage.tsx';
import { ContactsPage } from './ContactsPage.tsx';
import { HelpPage } from './HelpPage.tsx';
import { HomePage } from './HomePage.tsx';
import { MigrantShell } from './MigrantShell.tsx';
import { type MeProblem, type MeView, meApi, onSessionLost, setCsrfToken, toMeProblem } from './me-api.ts';
import { SignInPage } from './SignInPage.tsx';
import { Loading, ProblemNote } from './Status.tsx';

type Session =
  | { status: 'checking' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; me: MeView }
  | { status: 'failed'; problem: MeProblem };

/** Who is signed in: asked of the server at start, after sign-in, and dropped when the server says so. */
function useSession() {
  const [session, setSession] = useState<Session>({ status: 'checking' });
  const check = useCallback(() => {
    setSession({ status: 'checking' });
    meApi.me().then(
      (me) => {
        setCsrfToken(me.csrfToken);
        setSession({ status: 'signed-in', me });
      },
      (error: unknown) => {
        const problem = toMeProblem(error);
        setSession(problem.status === 401 ? { status: 'signed-out' } : { status: 'failed', problem });
      },
    );
  }, []);
  useEffect(() => {
    check();
    return onSessionLost(() => {
      setCsrfToken(null);
      setSession({ status: 'signed-out' });
    });
  }, [check]);
  const signOut = useCallback(() => {
    const signedOut = () => {
      setCsrfToken(null);
      setSession({ status: 'signed-out' });
    };
    meApi.signOut().then(signedOut, signedOut);
  }, []);
  return { session, check, signOut };
}

/** After moving to another page, focus goes to its content, so a screen reader starts reading there. */
function useFocusOnNavigation(pathname: string): void {
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [pathname]);
}

function Page({ pathname, me }: { pathname: string; me: MeView }) {
  if (matchPath('/app/alerts', pathname)) return <AlertsPage />;
  if (matchPath('/app/help', pathname)) return <HelpPage />;
  if (matchPath('/app/contacts', pathname)) return <ContactsPage />;
  return <HomePage me={me} />;
}

/** The migrant app: sign-in, then home (answer, SOS), alerts, help requests and embassy contacts. */
export function MigrantApp() {
  const pathname = usePathname();
  useFocusOnNavigation(pathname);
  const { session, check, signOut } = useSession();
  return (
    <MigrantShell pathname={pathname} {...(session.status === 'signed-in' ? { onSignOut: signOut } : {})}>
      {session.status === 'checking' && <Loading />}
      {session.status === 'failed' && <ProblemNote problem={session.problem} onRetry={check} />}
      {session.status === 'signed-out' && <SignInPage onSignedIn={check} />}
      {session.status === 'signed-in' && <Page pathname={pathname} me={session.me} />}
    </MigrantShell>
  );
}
