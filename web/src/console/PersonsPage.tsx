import { useEffect, useState } from 'react';
import { useT } from '../i18n/I18nProvider.tsx';
import { clearFlash, peekFlash } from '../shared/flash.ts';
import { ProblemMessage } from '../shared/ProblemMessage.tsx';
import { useDocumentTitle } from '../shared/useDocumentTitle.ts';
import { PersonSearchForm } from './PersonSearchForm.tsx';
import { usePersonSearch } from './PersonSearchProvider.tsx';
import { PersonsTable } from './PersonsTable.tsx';
import './PersonsPage.css';

/** The console's registry page: search persons, see the results, open a record. */
export function PersonsPage() {
  const t = useT();
  useDocumentTitle(t('persons.title'));
  const { state, setDraft, search, loadMore } = usePersonSearch();
  const { status, items, nextCursor, problem } = state;
  // A message left by the page before (an erasure), shown once.
  const [flash] = useState(peekFlash);
  useEffect(() => clearFlash(), []);

  // The first visit lists the registry; coming back from a record keeps the search as it was left.
  useEffect(() => {
    if (status === 'idle') search(state.criteria);
  }, [status, search, state.criteria]);

  const searching = status === 'searching' || status === 'idle';
  const retry = () => (items.length > 0 ? loadMore() : search(state.criteria));
  return (
    <>
      <div className="page-heading">
        <h1>{t('persons.title')}</h1>
        <p>{t('persons.intro')}</p>
      </div>
      {flash && (
        <div className="notice" role="status">
          <p>{t(flash)}</p>
        </div>
      )}
      <PersonSearchForm draft={state.draft} busy={searching} onChange={setDraft} onSearch={search} />

      <section className="persons-results" aria-label={t('results.caption')}>
        <p className="status-line" role="status">
          {searching && items.length === 0
            ? t('search.searching')
            : items.length > 0
              ? t(nextCursor ? 'results.countMore' : 'results.count', { count: items.length })
              : ''}
        </p>

        {status === 'done' && items.length === 0 && !problem && (
          <div className="empty-state card">
            <h2>{t('results.empty')}</h2>
            <p>{t('results.emptyHint')}</p>
          </div>
        )}

        {items.length > 0 && <PersonsTable persons={items} busy={searching} />}

        {problem && <ProblemMessage problem={problem} onRetry={retry} />}

        {nextCursor && !problem && (
          <div className="persons-results__more">
            <button type="button" className="button" onClick={loadMore} disabled={status === 'loadingMore'}>
              {status === 'loadingMore' ? t('results.loadingMore') : t('results.loadMore')}
            </button>
          </div>
        )}
      </section>
    </>
  );
}
