import { codeLabel } from '../../i18n/dictionary.ts';
import { useT } from '../../i18n/I18nProvider.tsx';
import { useSession } from './SessionProvider.tsx';
import './session.css';

/** Who is signed in, with their role, and the way out. */
export function UserMenu() {
  const t = useT();
  const { session, signOut } = useSession();
  if (session.status !== 'active') return null;
  const { me } = session;
  return (
    <div className="user-menu">
      <span className="user-menu__who">
        <span className="visually-hidden">{t('user.signedInAs')} </span>
        <span dir="ltr" className="user-menu__email">
          {me.email}
        </span>
        <span className="user-menu__role">{codeLabel(t, 'role', me.role)}</span>
      </span>
      <button type="button" className="user-menu__sign-out" onClick={() => void signOut()}>
        {t('user.signOut')}
      </button>
    </div>
  );
}
