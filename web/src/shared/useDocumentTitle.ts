import { useEffect } from 'react';
import { useT } from '../i18n/I18nProvider.tsx';

/** Names the browser tab (and the page, for screen readers) after the page being shown. */
export function useDocumentTitle(page: string): void {
  const t = useT();
  const title = t('document.title', { page });
  useEffect(() => {
    document.title = title;
  }, [title]);
}
