import { type ReactNode, useEffect } from 'react';
import { useT } from '../i18n/I18nProvider.tsx';
import type { Action } from '../shared/api-types.ts';
import { NotFoundPage } from '../shared/NotFoundPage.tsx';
import { matchPath, navigate } from '../shared/router.tsx';
import { useDocumentTitle } from '../shared/useDocumentTitle.ts';
import { AdminPage, type AdminTab } from './admin/AdminPage.tsx';
import { AggregatesPage } from './aggregates/AggregatesPage.tsx';
import { AgreementsPage } from './agreements/AgreementsPage.tsx';
import { AlertPage } from './alerts/AlertPage.tsx';
import { AlertsPage } from './alerts/AlertsPage.tsx';
import { ApprovalQueuePage } from './alerts/ApprovalQueuePage.tsx';
import { CapImportPage, IncidentPage } from './alerts/CapImportPage.tsx';
import { ComposePage, EditDraftPage } from './alerts/ComposePage.tsx';
import { AuditPage } from './audit/AuditPage.tsx';
import { BoardPage } from './board/BoardPage.tsx';
import { BoardPickerPage } from './board/BoardPickerPage.tsx';
import { HelpRequestPage } from './cases/HelpRequestPage.tsx';
import { HelpRequestsPage } from './cases/HelpRequestsPage.tsx';
import { EvacuationPage } from './evacuation/EvacuationPage.tsx';
import { LegManifestPage } from './evacuation/LegManifestPage.tsx';
import { OperationBoard } from './evacuation/OperationBoard.tsx';
import { LevelsPage } from './levels/LevelsPage.tsx';
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
  if (matchPath('/levels', pathname)) return allowed('levels.read', <LevelsPage />);
  if (matchPath('/alerts', pathname)) return allowed('alerts.read', <AlertsPage />);
  if (matchPath('/alerts/new', pathname)) return allowed('alerts.draft', <ComposePage />);
  if (matchPath('/alerts/approvals', pathname)) return allowed('alerts.approve', <ApprovalQueuePage />);
  if (matchPath('/alerts/import', pathname)) return allowed('cap.import', <CapImportPage />);
  const incident = matchPath('/alerts/incidents/:id', pathname);
  if (incident?.id) return allowed('alerts.read', <IncidentPage key={incident.id} id={incident.id} />);
  const editAlert = matchPath('/alerts/:id/edit', pathname);
  if (editAlert?.id) return allowed('alerts.draft', <EditDraftPage key={editAlert.id} id={editAlert.id} />);
  const alert = matchPath('/alerts/:id', pathname);
  if (alert?.id) return allowed('alerts.read', <AlertPage key={alert.id} id={alert.id} />);
  if (matchPath('/board', pathname)) return allowed('board.read', <BoardPickerPage />);
  const alertBoard = matchPath('/board/alerts/:id', pathname);
  if (alertBoard?.id)
    return allowed(
      'board.read',
      <BoardPage key={`alert:${alertBoard.id}`} kind="alert" id={alertBoard.id} />,
    );
  const crisisBoard = matchPath('/board/incidents/:id', pathname);
  if (crisisBoard?.id)
    return allowed(
      'board.read',
      <BoardPage key={`incident:${crisisBoard.id}`} kind="incident" id={crisisBoard.id} />,
    );
  if (matchPath('/help-requests', pathname)) return allowed('cases.read', <HelpRequestsPage />);
  const helpRequest = matchPath('/help-requests/:id', pathname);
  if (helpRequest?.id)
    return allowed('cases.read', <HelpRequestPage key={helpRequest.id} id={helpRequest.id} />);
  if (matchPath('/evacuation', pathname)) return allowed('evacuation.plan', <EvacuationPage />);
  const operation = matchPath('/evacuation/:id', pathname);
  if (operation?.id)
    return allowed('evacuation.plan', <OperationBoard key={operation.id} id={operation.id} />);
  const manifest = matchPath('/evacuation/:id/legs/:legId', pathname);
  if (manifest?.id && manifest.legId)
    return allowed(
      'evacuation.plan',
      <LegManifestPage key={manifest.legId} operationId={manifest.id} legId={manifest.legId} />,
    );
  if (matchPath('/admin', pathname)) return <Redirect to="/admin/users" />;
  const admin = matchPath('/admin/:tab', pathname);
  const tab = admin?.tab ? ADMIN_TABS[admin.tab] : undefined;
  if (tab) return allowed(tab.action, <AdminPage tab={tab.tab} />);
  return <NotFoundPage />;
}
