import type { ReactNode } from 'react';
import { useT } from '../i18n/I18nProvider.tsx';
import { Header } from '../shared/Header.tsx';

/**
 * The migrant app's frame. The app is phone-first: one column, large touch targets, and the language
 * switcher always in reach.
 */
export function MigrantShell({ children }: { children: ReactNode }) {
  const t = useT();
  return (
    <div className="migrant-app">
      <Header tagline={t('app.migrantTagline')} homePath="/app" />
      <main id="main" className="page page--narrow" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
