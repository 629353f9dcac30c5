import type { ReactNode } from 'react';
import { useT } from '../../i18n/I18nProvider.tsx';
import { PasswordChangeForm } from './PasswordChangeForm.tsx';
import { useSession } from './SessionProvider.tsx';
import { SignInForm } from './SignInForm.tsx';
import { TotpForm } from './TotpForm.tsx';

/** Shows the console only to a complete session; otherwise the sign-in step that is missing. */
export function SessionGate({ children }: { children: ReactNode }) {
  const t = useT();
  const { session } = useSession();
  if (session.status === 'checking') {
    return (
      <p className="status-line" role="status">
        {t('session.checking')}
      </p>
    );
  }
  if (session.status === 'signedOut') return <SignInForm notice={session.notice} />;
  switch (session.step) {
    case 'password':
      return <PasswordChangeForm />;
    case 'totp':
      return <TotpForm />;
    case 'ready':
      return <>{children}</>;
    default: {
      const exhaustive: never = session.step;
      return exhaustive;
    }
  }
}
