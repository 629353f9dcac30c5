import { useEffect } from 'react';
import { useMigrantI18n } from './i18n/MigrantI18n.tsx';

/** Names the page in the browser tab and for screen readers, in the app's language. */
export function useDocumentTitle(page: string): void {
  const { t } = useMigrantI18n();
  useEffect(() => {
    document.title = t('document.title', { page });
  }, [t, page]);
}
