import { useT } from '../i18n/I18nProvider.tsx';
import { Link } from './router.tsx';
import { useDocumentTitle } from './useDocumentTitle.ts';

/** A path the app does not know. */
export function NotFoundPage() {
  const t = useT();
  useDocumentTitle(t('notFound.title'));
  return (
    <div className="empty-state">
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.body')}</p>
      <p>
        <Link to="/">{t('notFound.home')}</Link>
      </p>
    </div>
  );
}
