import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { codeLabel, optionalMessage } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, api, toProblem } from '../../shared/api.ts';
import type { AuditEntry, ChainCheck } from '../../shared/api-types.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { useDocumentTitle } from '../../shared/useDocumentTitle.ts';
import {
  AUDIT_PAGE_SIZE,
  type AuditFilters,
  brokenReasonKey,
  COMMON_ACTIONS,
  EMPTY_FILTERS,
  toAuditQuery,
} from './audit-query.ts';
import '../../shared/DataTable.css';
import './audit.css';

type Log = {
  status: 'loading' | 'loadingMore' | 'done';
  entries: AuditEntry[];
  /** Whether an older page may exist. */
  more: boolean;
  problem: ApiProblem | null;
};

/**
 * The audit log for auditors: filter by action, person, actor and time; newest first, a page at a time;
 * and a check of the whole hash chain that names the first broken link.
 */
export function AuditPage() {
  const { t } = useI18n();
  useDocumentTitle(t('audit.title'));
  const [draft, setDraft] = useState<AuditFilters>(EMPTY_FILTERS);
  const [log, setLog] = useState<Log>({ status: 'loading', entries: [], more: false, problem: null });
  const applied = useRef<AuditFilters>(EMPTY_FILTERS);
  const inFlight = useRef<AbortController | null>(null);

  const load = useCallback((filters: AuditFilters, beforeSeq?: number) => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    applied.current = filters;
    const appending = beforeSeq !== undefined;
    setLog((l) => ({ ...l, status: appending ? 'loadingMore' : 'loading', problem: null }));
    api.audit(toAuditQuery(filters, beforeSeq), controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setLog((l) => ({
          status: 'done',
          entries: appending ? [...l.entries, ...page.items] : page.items,
          more: page.items.length === AUDIT_PAGE_SIZE,
          problem: null,
        }));
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setLog((l) => ({
          ...l,
          status: 'done',
          problem: toProblem(error),
          ...(appending ? {} : { entries: [] }),
        }));
      },
    );
  }, []);

  useEffect(() => {
    load(EMPTY_FILTERS);
    return () => inFlight.current?.abort();
  }, [load]);

  const apply = (filters: AuditFilters) => {
    setDraft(filters);
    load(filters);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    load(draft);
  };
  const oldest = log.entries[log.entries.length - 1];

  return (
    <>
      <div className="page-heading page-heading--with-action">
        <div>
          <h1>{t('audit.title')}</h1>
          <p>{t('audit.intro')}</p>
        </div>
      </div>
      <ChainVerifier />

      <search className="card audit-filters">
        <form aria-label={t('audit.filters')} onSubmit={submit}>
          <div className="audit-filters__grid">
            <div className="field">
              <label htmlFor="audit-action">{t('audit.action')}</label>
              <input
                id="audit-action"
                list="audit-actions"
                dir="ltr"
                autoComplete="off"
                spellCheck={false}
                maxLength={100}
                placeholder="persons.read"
                value={draft.action}
                onChange={(e) => setDraft({ ...draft, action: e.target.value })}
              />
              <datalist id="audit-actions">
                {COMMON_ACTIONS.map((code) => (
                  <option key={code} value={code} />
                ))}
              </datalist>
            </div>
            <div className="field">
              <label htmlFor="audit-person">{t('audit.person')}</label>
              <input
                id="audit-person"
                dir="ltr"
                autoComplete="off"
                spellCheck={false}
                pattern="\s*[0-9a-fA-F\-]{36}\s*"
                title={t('audit.idFormat')}
                value={draft.personId}
                onChange={(e) => setDraft({ ...draft, personId: e.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor="audit-actor">{t('audit.actor')}</label>
              <input
                id="audit-actor"
                dir="ltr"
                autoComplete="off"
                spellCheck={false}
                value={draft.actorUserId}
                onChange={(e) => setDraft({ ...draft, actorUserId: e.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor="audit-from">{t('audit.from')}</label>
              <input
                id="audit-from"
                type="datetime-local"
                value={draft.from}
                onChange={(e) => setDraft({ ...draft, from: e.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor="audit-to">{t('audit.to')}</label>
              <input
                id="audit-to"
                type="datetime-local"
                value={draft.to}
                onChange={(e) => setDraft({ ...draft, to: e.target.value })}
              />
            </div>
            <div className="audit-filters__actions">
              <button type="submit" className="button button--primary" disabled={log.status === 'loading'}>
                {t('audit.apply')}
              </button>
              <button type="button" className="button" onClick={() => apply(EMPTY_FILTERS)}>
                {t('audit.reset')}
              </button>
            </div>
          </div>
        </form>
      </search>

      <section className="audit-results" aria-label={t('audit.caption')}>
        <p className="status-line" role="status">
          {log.status === 'loading'
            ? t('common.loading')
            : log.entries.length > 0
              ? t(log.more ? 'audit.countMore' : 'audit.count', { count: log.entries.length })
              : ''}
        </p>
        {log.status === 'done' && log.entries.length === 0 && !log.problem && (
          <p className="empty-state card">{t('audit.empty')}</p>
        )}
        {log.entries.length > 0 && (
          <AuditTable
            entries={log.entries}
            busy={log.status === 'loading'}
            onFilter={(change) => apply({ ...applied.current, ...change })}
          />
        )}
        {log.problem && (
          <ProblemMessage
            problem={log.problem}
            onRetry={() => load(applied.current, oldest && log.entries.length > 0 ? oldest.seq : undefined)}
          />
        )}
        {log.more && oldest && !log.problem && (
          <div className="audit-results__more">
            <button
              type="button"
              className="button"
              disabled={log.status === 'loadingMore'}
              onClick={() => load(applied.current, oldest.seq)}
            >
              {log.status === 'loadingMore' ? t('results.loadingMore') : t('results.loadMore')}
            </button>
          </div>
        )}
      </section>
    </>
  );
}

/**
 * A shortened opaque identifier; the whole one is in the title and for screen readers. Its end is
 * shown: identifiers begin with their creation time, so their beginnings look alike.
 */
function ShortId({ id }: { id: string }) {
  return (
    <span className="mono" dir="ltr" title={id}>
      <span aria-hidden="true">…{id.slice(-8)}</span>
      <span className="visually-hidden">{id}</span>
    </span>
  );
}

type TableProps = {
  entries: AuditEntry[];
  busy: boolean;
  onFilter: (change: Partial<AuditFilters>) => void;
};

function AuditTable({ entries, busy, onFilter }: TableProps) {
  const { t, format } = useI18n();
  const col = {
    seq: t('audit.column.seq'),
    time: t('audit.column.time'),
    actor: t('audit.column.actor'),
    action: t('audit.column.action'),
    outcome: t('audit.column.outcome'),
    persons: t('audit.column.persons'),
    purpose: t('audit.column.purpose'),
    ip: t('audit.column.ip'),
  };
  return (
    <div className="data-table audit-table" aria-busy={busy}>
      <table>
        <caption className="visually-hidden">{t('audit.caption')}</caption>
        <thead>
          <tr>
            <th scope="col" className="data-table__number">
              {col.seq}
            </th>
            <th scope="col">{col.time}</th>
            <th scope="col">{col.actor}</th>
            <th scope="col">{col.action}</th>
            <th scope="col">{col.outcome}</th>
            <th scope="col">{col.persons}</th>
            <th scope="col">{col.purpose}</th>
            <th scope="col">{col.ip}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => {
            const details = Object.entries(entry.details)
              .filter(([, value]) => value !== null && value !== '')
              .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
            return (
              <tr key={entry.seq} className={entry.emergency ? 'audit-table__emergency' : undefined}>
                <th scope="row" className="data-table__number" data-label={col.seq}>
                  <span dir="ltr">{entry.seq}</span>
                </th>
                <td data-label={col.time}>
                  <span>{format.dateTime(entry.at)}</span>
                </td>
                <td data-label={col.actor}>
                  <span>
                    {entry.actorRole ? codeLabel(t, 'role', entry.actorRole) : t('audit.noAccount')}
                    {entry.actorUserId && (
                      <button
                        type="button"
                        className="link-button data-table__sub"
                        aria-label={t('audit.filterActor', { id: entry.actorUserId })}
                        onClick={() => onFilter({ actorUserId: entry.actorUserId ?? '' })}
                      >
                        <ShortId id={entry.actorUserId} />
                      </button>
                    )}
                  </span>
                </td>
                <td data-label={col.action}>
                  <span>
                    {optionalMessage(t, `auditAction.${entry.action}`) ?? (
                      <code dir="ltr">{entry.action}</code>
                    )}
                    {/* Left-to-right codes are isolated inline, so their lines align with the cell's. */}
                    {optionalMessage(t, `auditAction.${entry.action}`) && (
                      <span className="data-table__sub">
                        <code dir="ltr">{entry.action}</code>
                      </span>
                    )}
                    {details.length > 0 && (
                      <span className="data-table__sub audit-table__details">
                        <span dir="ltr">{details.join(' · ')}</span>
                      </span>
                    )}
                  </span>
                </td>
                <td data-label={col.outcome}>
                  <span className="data-table__tags">
                    <span className={entry.outcome === 'denied' ? 'badge badge--danger' : 'badge badge--ok'}>
                      {codeLabel(t, 'auditOutcome', entry.outcome)}
                    </span>
                    {entry.emergency && <span className="badge badge--warn">{t('audit.emergency')}</span>}
                  </span>
                </td>
                <td data-label={col.persons}>
                  {entry.personIds.length === 0 ? (
                    <span className="muted">{t('common.empty')}</span>
                  ) : (
                    <ul className="audit-table__persons">
                      {entry.personIds.slice(0, 3).map((id) => (
                        <li key={id}>
                          <button
                            type="button"
                            className="link-button"
                            aria-label={t('audit.filterPerson', { id })}
                            onClick={() => onFilter({ personId: id })}
                          >
                            <ShortId id={id} />
                          </button>
                        </li>
                      ))}
                      {entry.personIds.length > 3 && (
                        <li className="muted">
                          {t('audit.morePersons', { count: entry.personIds.length - 3 })}
                        </li>
                      )}
                    </ul>
                  )}
                </td>
                <td data-label={col.purpose}>
                  {entry.purpose ? (
                    <span dir="auto">{entry.purpose}</span>
                  ) : (
                    <span className="muted">{t('common.empty')}</span>
                  )}
                </td>
                <td data-label={col.ip}>
                  <span className="mono" dir="ltr">
                    {entry.ip ?? t('common.empty')}
                  </span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Checks the whole chain on demand and says whether it is intact, or where it first breaks. */
function ChainVerifier() {
  const { t } = useI18n();
  const [state, setState] = useState<
    | { kind: 'idle' }
    | { kind: 'checking' }
    | { kind: 'done'; check: ChainCheck }
    | { kind: 'failed'; problem: ApiProblem }
  >({ kind: 'idle' });
  const verify = async () => {
    setState({ kind: 'checking' });
    try {
      setState({ kind: 'done', check: await api.verifyAudit() });
    } catch (error) {
      setState({ kind: 'failed', problem: toProblem(error) });
    }
  };
  const check = state.kind === 'done' ? state.check : null;
  const reasonKey = check && !check.ok ? brokenReasonKey(check.reason) : null;
  return (
    <section className="card chain-check" aria-labelledby="chain-check-title">
      <div className="chain-check__row">
        <div>
          <h2 id="chain-check-title">{t('audit.chainTitle')}</h2>
          <p className="muted">{t('audit.chainIntro')}</p>
        </div>
        <button
          type="button"
          className="button button--primary"
          disabled={state.kind === 'checking'}
          onClick={() => void verify()}
        >
          {state.kind === 'checking' ? t('audit.verifying') : t('audit.verify')}
        </button>
      </div>
      <div role="status">
        {check?.ok && (
          <p className="chain-check__result chain-check__result--ok">
            {t('audit.intact', { count: check.entries })}
          </p>
        )}
        {check && !check.ok && (
          <div className="chain-check__result chain-check__result--broken">
            <p>
              <strong>{t('audit.broken', { seq: String(check.brokenAt ?? '?') })}</strong>
            </p>
            <p dir={reasonKey ? undefined : 'auto'}>{reasonKey ? t(reasonKey) : check.reason}</p>
            <p className="muted">{t('audit.brokenChecked', { count: check.entries })}</p>
          </div>
        )}
      </div>
      {state.kind === 'failed' && <ProblemMessage problem={state.problem} onRetry={() => void verify()} />}
    </section>
  );
}
