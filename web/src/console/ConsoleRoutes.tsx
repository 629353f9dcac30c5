import { type ReactNode, useEffect } from 'react';
import { useT } from '../i18n/I18nProvider.tsx';
import type { Action } from '../shared/api-types.ts';
import { NotFoundPage } from '../shared/NotFoundPage.tsx';
import { matchPath, navigate } from '../shared/router.tsx';
import { useDocumentTitle } from '../shared/useDocumentTitle.ts';
import { AdminPage, type AdminTab } from './admin/AdminPage.tsx';
import { AggregatesPage } from './aggregates/AggregatesPage.tsx';
import { AgreementsPage } from './agreements/AgreementsPage.tsx';
import { AuditPage } from './audit/AuditPage.tsx';
import { homePathFor } from './navigation.ts';
import { PersonPage } from './PersonPage.tsx';
import { PersonsPage } from './PersonsPage.tsx';
import { can } from './permissions.ts';
import { useSession } from './session/SessionProvider.tsx';

/** Replaces the current address with another, as a redirect would. */
function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function ForbiddenPage() {
  const t = useT();
  useDocumentTitle(t('forbidden.title'));
  return (
    <div className="empty-state">
      <h1>{t('forbidden.title')}</h1>
      <p>{t('forbidden.body')}</p>
    </div>
  );
}

const ADMIN_TABS: Record<string, { tab: AdminTab; action: Action }> = {
  users: { tab: 'users', action: 'users.manage' },
  organizations: { tab: 'organizations', action: 'registry.write' },
  posts: { tab: 'posts', action: 'registry.write' },
};

/**
 * The console's pages for a signed-in account. A page the role may not open says so; the home path
 * sends each role to its first section (the registry, the figures or the audit log).
 */
export function ConsoleRoutes({ pathname }: { pathname: string }) {
  const { session } = useSession();
  const role = session.status === 'active' ? session.me.role : '';
  const allowed = (action: Action, page: ReactNode) => (can(role, action) ? page : <ForbiddenPage />);

  if (pathname === '/' || matchPath('/persons', pathname)) {
    if (can(role, 'persons.read')) return <PersonsPage />;
    const home = homePathFor(role);
    return home && home !== '/' ? <Redirect to={home} /> : <ForbiddenPage />;
  }
  const person = matchPath('/persons/:id', pathname);
  if (person?.id) return allowed('persons.read', <PersonPage key={person.id} id={person.id} />);
  if (matchPath('/agreements', pathname)) return allowed('agreements.read', <AgreementsPage />);
  if (matchPath('/aggregates', pathname)) return allowed('aggregates.read', <AggregatesPage />);
  if (matchPath('/audit', pathname)) return allowed('audit.read', <AuditPage />);
  if (matchPath('/admin', pathname)) return <Redirect to="/admin/users" />;
  const admin = matchPath('/admin/:tab', pathname);
  const tab = admin?.tab ? ADMIN_TABS[admin.tab] : undefined;
  if (tab) return allowed(tab.action, <AdminPage tab={tab.tab} />);
  return <NotFoundPage />;
}
