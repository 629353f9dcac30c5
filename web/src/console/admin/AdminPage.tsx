import { useT } from '../../i18n/I18nProvider.tsx';
import type { Action } from '../../shared/api-types.ts';
import { Link } from '../../shared/router.tsx';
import { useDocumentTitle } from '../../shared/useDocumentTitle.ts';
import { can } from '../permissions.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { OrganizationsPanel } from './OrganizationsPanel.tsx';
import { PostsPanel } from './PostsPanel.tsx';
import { UsersPanel } from './UsersPanel.tsx';
import './admin.css';

export type AdminTab = 'users' | 'organizations' | 'posts';

const TABS: { tab: AdminTab; action: Action }[] = [
  { tab: 'users', action: 'users.manage' },
  { tab: 'organizations', action: 'registry.write' },
  { tab: 'posts', action: 'registry.write' },
];

/** Administration of the deployment: accounts and their API tokens, organisations, posts. */
export function AdminPage({ tab }: { tab: AdminTab }) {
  const t = useT();
  const { session } = useSession();
  const role = session.status === 'active' ? session.me.role : '';
  useDocumentTitle(`${t(`admin.tab.${tab}`)} · ${t('admin.title')}`);
  return (
    <>
      <div className="page-heading">
        <h1>{t('admin.title')}</h1>
        <p>{t('admin.intro')}</p>
      </div>
      <nav className="subnav" aria-label={t('admin.sections')}>
        <ul>
          {TABS.filter((item) => can(role, item.action)).map((item) => (
            <li key={item.tab}>
              <Link to={`/admin/${item.tab}`} current={item.tab === tab}>
                {t(`admin.tab.${item.tab}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {tab === 'users' && <UsersPanel />}
      {tab === 'organizations' && <OrganizationsPanel />}
      {tab === 'posts' && <PostsPanel />}
    </>
  );
}
