import { type FormEvent, useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, toProblem } from '../../shared/api.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { Link } from '../../shared/router.tsx';
import { useDocumentTitle } from '../../shared/useDocumentTitle.ts';
import { useLoad } from '../../shared/useLoad.ts';
import { can } from '../permissions.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { CaseHistory } from './CaseHistory.tsx';
import { CaseWork } from './CaseWork.tsx';
import {
  channelLabel,
  outcomeLabel,
  priorityBadge,
  priorityLabel,
  statusBadge,
  statusLabel,
  typeLabel,
} from './case-labels.ts';
import { casesApi, type HelpRequestDetail } from './cases-api.ts';
import { ReasonList } from './ReasonList.tsx';
import { SlaTimer, useNow } from './SlaTimer.tsx';
import './cases.css';

/**
 * One help request: who and what, why it got its priority, the time left to act, and the steps that
 * work it (assign, refer, status, notes, close), each offered only where the server would allow it.
 */
export function HelpRequestPage({ id }: { id: string }) {
  const { t, format } = useI18n();
  const { session } = useSession();
  const role = session.status === 'active' ? session.me.role : '';
  const record = useLoad(`case:${id}`, (signal) => casesApi.get(id, signal));
  const [changed, setChanged] = useState<HelpRequestDetail | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const now = useNow();
  const detail = changed ?? (record.status === 'ready' ? record.data : null);
  useDocumentTitle(detail ? typeLabel(t, detail.type) : t('cases.title'));

  const act = async (work: () => Promise<HelpRequestDetail>): Promise<boolean> => {
    setBusy(true);
    setProblem(null);
    try {
      setChanged(await work());
      return true;
    } catch (error) {
      setProblem(toProblem(error));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const back = (
    <p className="case-back">
      <Link to="/help-requests" className="back-link">
        <span className="back-link__arrow" aria-hidden="true">
          ←
        </span>{' '}
        {t('cases.back')}
      </Link>
    </p>
  );
  if (!detail) {
    return (
      <>
        {back}
        {record.status === 'failed' ? (
          <ProblemMessage problem={record.problem} onRetry={record.reload} />
        ) : (
          <p className="status-line">{t('common.loading')}</p>
        )}
      </>
    );
  }
  const personName = detail.person.name ?? t('common.withheld');

  return (
    <>
      {back}
      <div className="page-heading">
        <h1>
          {typeLabel(t, detail.type)}{' '}
          <span className={priorityBadge(detail.priority)}>{priorityLabel(t, detail.priority)}</span>
          {detail.isSos && <span className="badge badge--danger case-sos">{t('cases.sos')}</span>}
        </h1>
        <p dir="auto">
          {can(role, 'persons.read') && detail.person.name ? (
            <Link to={`/persons/${encodeURIComponent(detail.person.id)}`}>{personName}</Link>
          ) : (
            personName
          )}
        </p>
        {detail.emergency && <p className="notice">{t('cases.emergency')}</p>}
      </div>

      <div className="case-columns">
        <section className="card case-card" aria-labelledby="case-details-title">
          <h2 id="case-details-title">{t('cases.details')}</h2>
          <dl className="case-facts">
            <div>
              <dt>{t('cases.field.status')}</dt>
              <dd>
                <span className={statusBadge(detail.status)}>{statusLabel(t, detail.status)}</span>
                {detail.outcome && ` ${outcomeLabel(t, detail.outcome)}`}
              </dd>
            </div>
            <div>
              <dt>{t('cases.field.sla')}</dt>
              <dd>
                <SlaTimer sla={detail.sla} now={now} offsetMs={0} />
              </dd>
            </div>
            <div>
              <dt>{t('cases.field.opened')}</dt>
              <dd>
                {t('cases.field.openedVia', {
                  at: format.dateTime(detail.createdAt),
                  channel: channelLabel(t, detail.channel),
                })}
              </dd>
            </div>
            <div>
              <dt>{t('cases.field.assignedTo')}</dt>
              <dd>{detail.assignedTo?.email ?? t('cases.nobody')}</dd>
            </div>
            {detail.referredTo && (
              <div>
                <dt>{t('cases.field.referredTo')}</dt>
                <dd>{detail.referredTo.name}</dd>
              </div>
            )}
            <div>
              <dt>{t('cases.field.post')}</dt>
              <dd>{detail.post?.name ?? t('cases.noPost')}</dd>
            </div>
            {detail.location && (
              <div>
                <dt>{t('cases.field.location')}</dt>
                <dd dir="ltr" className="mono">
                  {format.number(detail.location.lat)}, {format.number(detail.location.lng)}
                </dd>
              </div>
            )}
            {detail.closedAt && (
              <div>
                <dt>{t('cases.field.closed')}</dt>
                <dd>{format.dateTime(detail.closedAt)}</dd>
              </div>
            )}
          </dl>
        </section>

        <section className="card case-card" aria-labelledby="case-why-title">
          <h2 id="case-why-title">{t('cases.why.title')}</h2>
          <p>{t('cases.why.score', { score: detail.score, priority: priorityLabel(t, detail.priority) })}</p>
          <ReasonList reasons={detail.reasons} />
        </section>
      </div>

      <section className="card case-card" aria-labelledby="case-text-title">
        <h2 id="case-text-title">{t('cases.text.title')}</h2>
        {detail.caseNotesWithheld && <p className="muted">{t('cases.withheld')}</p>}
        {!detail.caseNotesWithheld && (
          <p className="case-text" dir="auto">
            {detail.freeText ?? t('cases.text.none')}
          </p>
        )}
        {detail.photo && <img className="case-photo" src={detail.photo.url} alt={t('cases.photo.alt')} />}
      </section>

      {problem && <ProblemMessage problem={problem} />}
      <CaseWork detail={detail} busy={busy} act={act} />
      <CaseNotes detail={detail} busy={busy} act={act} />
      <CaseHistory detail={detail} />
    </>
  );
}

type ActProps = {
  detail: HelpRequestDetail;
  busy: boolean;
  act: (work: () => Promise<HelpRequestDetail>) => Promise<boolean>;
};

/** The notes on a request, newest last, and a form for another. */
function CaseNotes({ detail, busy, act }: ActProps) {
  const { t, format } = useI18n();
  const [text, setText] = useState('');
  if (detail.caseNotesWithheld && detail.notes.length === 0 && !detail.actions.canNote) return null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await act(() => casesApi.addNote(detail.id, text))) setText('');
  };
  return (
    <section className="card case-card" aria-labelledby="case-notes-title">
      <h2 id="case-notes-title">{t('cases.notes.title')}</h2>
      {detail.notes.length === 0 && <p className="muted">{t('cases.notes.empty')}</p>}
      <ol className="case-notes">
        {detail.notes.map((n) => (
          <li key={n.id}>
            <p dir="auto">{n.text}</p>
            <p className="muted">
              {t('cases.notes.by', {
                author: n.author?.email ?? t('common.empty'),
                at: format.dateTime(n.at),
              })}
            </p>
          </li>
        ))}
      </ol>
      {detail.actions.canNote && (
        <form onSubmit={submit} aria-label={t('cases.notes.add')}>
          <div className="field">
            <label htmlFor="case-note">{t('cases.notes.label')}</label>
            <textarea
              id="case-note"
              rows={3}
              maxLength={4000}
              value={text}
              onChange={(e) => setText(e.target.value)}
              dir="auto"
            />
          </div>
          <div className="form-actions">
            <button type="submit" className="button" disabled={busy || text.trim() === ''}>
              {t('cases.notes.add')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
