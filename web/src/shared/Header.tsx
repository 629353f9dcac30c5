import type { ReactNode } from 'react';
import { useT } from '../i18n/I18nProvider.tsx';
import { LanguageSwitcher } from '../i18n/LanguageSwitcher.tsx';
import { Link } from './router.tsx';
import './Header.css';

type Props = {
  /** What this part of Haven is, under the name. */
  tagline: string;
  homePath: string;
  /** The navigation, if any. */
  nav?: ReactNode;
  /** Status shown beside the language switcher. */
  status?: ReactNode;
};

/** The top bar shared by the console and the migrant app: name, navigation, status and language. */
export function Header({ tagline, homePath, nav, status }: Props) {
  const t = useT();
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        {t('skip.toMain')}
      </a>
      <div className="site-header__inner">
        <Link to={homePath} className="brand">
          <svg className="brand__logo" viewBox="0 0 32 32" aria-hidden="true">
            <path
              d="M16 2 4 6.5v8.2C4 22.4 9.1 28.3 16 30c6.9-1.7 12-7.6 12-15.3V6.5L16 2Z"
              fill="currentColor"
            />
            <path d="M10 15.5h12M16 9.5v12" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
          </svg>
          <span className="brand__text">
            <span className="brand__name">{t('app.name')}</span>
            <span className="brand__tagline">{tagline}</span>
          </span>
        </Link>
        {nav}
        {status && <div className="site-header__tools">{status}</div>}
        <div className="site-header__language">
          <LanguageSwitcher />
        </div>
      </div>
    </header>
  );
}

type NavItem = { to: string; label: string; current?: boolean; external?: boolean };

/** The main navigation: links inside the app, and plain links to server pages such as the API docs. */
export function Nav({ items }: { items: NavItem[] }) {
  const t = useT();
  return (
    <nav className="site-nav" aria-label={t('nav.label')}>
      <ul>
        {items.map((item) => (
          <li key={item.to}>
            {item.external ? (
              <a href={item.to}>{item.label}</a>
            ) : (
              <Link to={item.to} current={item.current}>
                {item.label}
              </Link>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
