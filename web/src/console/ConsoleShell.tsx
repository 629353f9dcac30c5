import type { ReactNode } from 'react';
import { useT } from '../i18n/I18nProvider.tsx';
import { Header, Nav } from '../shared/Header.tsx';
import { HealthIndicator } from '../shared/HealthIndicator.tsx';
import { sectionsFor } from './navigation.ts';
import { PersonSearchProvider } from './PersonSearchProvider.tsx';
import { SessionGate } from './session/SessionGate.tsx';
import { SessionProvider, useSession } from './session/SessionProvider.tsx';
import { UserMenu } from './session/UserMenu.tsx';

type Props = { pathname: string; children: ReactNode };

/**
 * The officer console's frame: header with navigation, server health and the account, and the page,
 * which opens only to a complete session. Signing out drops the search state with everything else.
 */
export function ConsoleShell({ pathname, children }: Props) {
  return (
    <SessionProvider>
      <ConsoleHeader pathname={pathname} />
      <main id="main" className="page" tabIndex={-1}>
        <SessionGate>
          <PersonSearchProvider>{children}</PersonSearchProvider>
        </SessionGate>
      </main>
    </SessionProvider>
  );
}

function ConsoleHeader({ pathname }: { pathname: string }) {
  const t = useT();
  const { session } = useSession();
  const sections =
    session.status === 'active' && session.step === 'ready' ? sectionsFor(session.me.role) : [];
  return (
    <Header
      tagline={t('app.consoleTagline')}
      homePath="/"
      nav={
        <Nav
          items={[
            ...sections.map((section) => ({
              to: section.to,
              label: t(`nav.${section.id}`),
              current: section.owns(pathname),
            })),
            { to: '/app', label: t('nav.migrantApp') },
            { to: '/api/docs', label: t('nav.apiDocs'), external: true },
          ]}
        />
      }
      status={
        <>
          <HealthIndicator />
          <UserMenu />
        </>
      }
    />
  );
}
