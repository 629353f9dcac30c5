import { type ReactNode, useEffect, useState } from 'react';
import { Link } from '../shared/router.tsx';
import { MIGRANT_LOCALE_CODES, MIGRANT_LOCALES, type MigrantLocale } from './i18n/dictionary.ts';
import type { MigrantKey } from './i18n/en.ts';
import { useMigrantI18n } from './i18n/MigrantI18n.tsx';

const TABS: { to: string; label: MigrantKey; icon: string }[] = [
  { to: '/app/', label: 'nav.home', icon: 'M4 11 12 4l8 7v9h-5v-6H9v6H4z' },
  { to: '/app/alerts', label: 'nav.alerts', icon: 'M12 3 2 20h20L12 3Zm-1 6h2v6h-2V9Zm0 8h2v2h-2v-2Z' },
  { to: '/app/help', label: 'nav.help', icon: 'M5 4h14v12H8l-3 3V4Zm3 4v2h8V8H8Zm0 4v2h5v-2H8Z' },
  {
    to: '/app/contacts',
    label: 'nav.contacts',
    icon: 'M6 3h4l2 5-2.5 1.5a11 11 0 0 0 5 5L16 12l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 4 5a2 2 0 0 1 2-2Z',
  },
];

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

type Props = { pathname: string; onSignOut?: () => void; children: ReactNode };

/**
 * The migrant app's frame: phone-first, one column, large touch targets; the language switcher always in
 * reach and, once signed in, a tab bar at the bottom where a thumb finds it.
 */
export function MigrantShell({ pathname, onSignOut, children }: Props) {
  const { t, locale, setLocale } = useMigrantI18n();
  const online = useOnline();
  return (
    <div className="shell">
      <header className="top">
        <a className="skip" href="#main">
          {t('nav.home')}
        </a>
        <Link to="/app/" className="brand">
          <svg viewBox="0 0 32 32" aria-hidden="true" className="brand__logo">
            <path
              d="M16 2 4 6.5v8.2C4 22.4 9.1 28.3 16 30c6.9-1.7 12-7.6 12-15.3V6.5L16 2Z"
              fill="currentColor"
            />
            <path d="M10 15.5h12M16 9.5v12" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
          </svg>
          <span>
            <span className="brand__name">{t('app.name')}</span>
            <span className="brand__tagline">{t('app.tagline')}</span>
          </span>
        </Link>
        <label className="language">
          <span className="visually-hidden">{t('language.label')}</span>
          <select value={locale} onChange={(event) => setLocale(event.target.value as MigrantLocale)}>
            {MIGRANT_LOCALE_CODES.map((code) => (
              <option key={code} value={code} lang={code} dir={MIGRANT_LOCALES[code].dir}>
                {MIGRANT_LOCALES[code].name}
              </option>
            ))}
          </select>
        </label>
        {onSignOut && (
          <button type="button" className="button button--quiet top__sign-out" onClick={onSignOut}>
            {t('signIn.signOut')}
          </button>
        )}
      </header>
      {!online && (
        <p className="offline" role="status">
          {t('offline.banner')}
        </p>
      )}
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
      {onSignOut && (
        <nav className="tabs" aria-label={t('nav.label')}>
          {TABS.map((tab) => {
            const current =
              tab.to === '/app/' ? pathname === '/app' || pathname === '/app/' : pathname.startsWith(tab.to);
            return (
              <Link key={tab.to} to={tab.to} current={current} className="tabs__tab">
                <svg viewBox="0 0 24 24" aria-hidden="true">
                  <path d={tab.icon} fill="currentColor" />
                </svg>
                <span>{t(tab.label)}</span>
              </Link>
            );
          })}
        </nav>
      )}
    </div>
  );
}
