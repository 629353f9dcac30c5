import { type FormEvent, useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, toProblem } from '../../shared/api.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { Link, navigate } from '../../shared/router.tsx';
import { useDocumentTitle } from '../../shared/useDocumentTitle.ts';
import { useLoad } from '../../shared/useLoad.ts';
import { can } from '../permissions.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { AlertDetails } from './AlertDetails.tsx';
import { stateBadge, stateLabel } from './alert-labels.ts';
import { type AlertView, alertsApi, type IssueView } from './alerts-api.ts';
import { DeliveryPanel } from './DeliveryPanel.tsx';
import { IssueReport } from './IssueReport.tsx';
import { ReviewActions } from './ReviewActions.tsx';
import './alerts.css';

/** One alert through its life: its content and target, and the step its state and the viewer's role allow. */
export function AlertPage({ id }: { id: string }) {
  const { t, format } = useI18n();
  const alert = useLoad(id, (signal) => alertsApi.get(id, signal));
  useDocumentTitle(
    alert.status === 'ready' ? (alert.data.infos[0]?.headline ?? t('alerts.title')) : t('alerts.title'),
  );
  const { session } = useSession();
  const role = session.status === 'active' ? session.me.role : '';
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [issued, setIssued] = useState<IssueView | null>(null);
  const [busy, setBusy] = useState(false);
  const [cancelling, setCancelling] = useState(false);

  if (alert.status === 'failed') return <ProblemMessage problem={alert.problem} onRetry={alert.reload} />;
  if (alert.status !== 'ready') return <p className="status-line">{t('common.loading')}</p>;
  const a = alert.data;

  const act = async (step: () => Promise<unknown>) => {
    setProblem(null);
    setBusy(true);
    try {
      await step();
      alert.reload();
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={a.drill ? 'alert-page alert-page--drill' : 'alert-page'}>
      <p>
        <Link to="/alerts" className="back-link">
          {t('alerts.back')}
        </Link>
      </p>
      <div className="page-heading">
        <h1 dir="auto">
          {a.drill && <span className="badge badge--warn drill-badge">{t('alerts.drill')}</span>}{' '}
          {a.infos[0]?.headline}
        </h1>
        <p className="alert-page__meta">
          <span className={stateBadge(a.state)} data-state={a.state}>
            {stateLabel(t, a.state)}
          </span>{' '}
          {a.msgType !== 'Alert' && <span className="badge">{t(`alerts.msgType.${a.msgType}`)}</span>}{' '}
          <span className="muted">
            {t('alerts.identifier')}: <code dir="ltr">{a.identifier}</code>
          </span>{' '}
          <a href={alertsApi.capXmlPath(a.id)} target="_blank" rel="noreferrer">
            {t('alerts.capXml')}
          </a>
        </p>
      </div>
      {a.drill && (
        <p className="drill-banner" role="note">
          {t('alerts.drillBanner')}
        </p>
      )}
      {a.rejection && (
        <div className="notice notice--warn" role="status">
          <p>
            {t('alerts.rejected', { time: format.dateTime(a.rejection.at) })}{' '}
            <span dir="auto">{a.rejection.reason}</span>
          </p>
        </div>
      )}
      <Timeline alert={a} />

      {problem && <ProblemMessage problem={problem} />}
      <div className="form-actions alert-page__actions">
        {a.state === 'draft' && can(role, 'alerts.draft') && (
          <>
            <Link className="button" to={`/alerts/${encodeURIComponent(a.id)}/edit`}>
              {t('alerts.edit')}
            </Link>
            <button
              type="button"
              className="button button--primary"
              disabled={busy}
              onClick={() => act(() => alertsApi.submit(a.id))}
            >
              {a.drill ? t('alerts.submitDrill') : t('alerts.submit')}
            </button>
          </>
        )}
        {a.state === 'approved' && can(role, 'alerts.issue') && (
          <button
            type="button"
            className="button button--primary"
            disabled={busy}
            onClick={() =>
              act(async () => {
                setIssued(await alertsApi.issue(a.id));
              })
            }
          >
            {a.drill ? t('alerts.issueDrill') : t('alerts.issue')}
          </button>
        )}
        {a.state === 'issued' && can(role, 'alerts.draft') && (
          <>
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() =>
                act(async () => {
                  const update = await alertsApi.update(a.id, {});
                  navigate(`/alerts/${encodeURIComponent(update.id)}/edit`);
                })
              }
            >
              {t('alerts.updateAlert')}
            </button>
            <button
              type="button"
              className="button button--danger-quiet"
              disabled={busy}
              onClick={() => setCancelling(true)}
            >
              {t('alerts.cancelAlert')}
            </button>
          </>
        )}
      </div>
      {a.state === 'submitted' && can(role, 'alerts.approve') && (
        <ReviewActions alert={a} onDone={alert.reload} />
      )}
      {cancelling && <CancelForm alert={a} onCancel={() => setCancelling(false)} />}
      {issued && <IssueReport report={issued.report} />}
      {!issued && a.issueReport && <IssueReport report={a.issueReport} />}
      {(issued || a.issuedAt) && can(role, 'delivery.read') && <DeliveryPanel alertId={a.id} />}

      <section className="card">
        <AlertDetails
          alert={a}
          liveCount={a.state !== 'issued' && a.state !== 'superseded' && a.state !== 'cancelled'}
        />
      </section>
    </div>
  );
}

function Timeline({ alert }: { alert: AlertView }) {
  const { t, format } = useI18n();
  const steps: [string, string | null][] = [
    ['alerts.step.created', alert.createdAt],
    ['alerts.step.submitted', alert.submittedAt],
    ['alerts.step.approved', alert.approvedAt],
    ['alerts.step.issued', alert.issuedAt],
    ['alerts.step.closed', alert.closedAt],
  ];
  return (
    <ol className="alert-timeline">
      {steps
        .filter(([, at]) => at)
        .map(([key, at]) => (
          <li key={key}>
            {t(key as 'alerts.step.created')}: {format.dateTime(at ?? '')}
          </li>
        ))}
      {alert.recipientCount !== null && <li>{t('alerts.recipients', { count: alert.recipientCount })}</li>}
    </ol>
  );
}

/** A Cancel needs its own words for the recipients, one per language of the original. */
function CancelForm({ alert, onCancel }: { alert: AlertView; onCancel: () => void }) {
  const { t, format } = useI18n();
  const [texts, setTexts] = useState(() =>
    alert.infos.map((info) => ({ language: info.language, headline: '', smsText: '' })),
  );
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    try {
      const cancel = await alertsApi.cancel(
        alert.id,
        texts.map((x) => ({ language: x.language, headline: x.headline.trim(), smsText: x.smsText.trim() })),
      );
      navigate(`/alerts/${encodeURIComponent(cancel.id)}`);
    } catch (error) {
      setProblem(toProblem(error));
    }
  };
  return (
    <form className="card" onSubmit={submit}>
      <h2>{t('alerts.cancelTitle')}</h2>
      <p>{t('alerts.cancelIntro')}</p>
      {texts.map((x, index) => (
        <fieldset key={x.language} className="info-block" lang={x.language}>
          <legend>{format.language(x.language)}</legend>
          <div className="field">
            <label htmlFor={`cancel-${index}-headline`}>
              {t('alerts.info.headline', { language: format.language(x.language) })}
            </label>
            <input
              id={`cancel-${index}-headline`}
              dir="auto"
              value={x.headline}
              onChange={(e) =>
                setTexts((all) => all.map((y, i) => (i === index ? { ...y, headline: e.target.value } : y)))
              }
            />
          </div>
          <div className="field">
            <label htmlFor={`cancel-${index}-sms`}>
              {t('alerts.info.sms', { language: format.language(x.language) })}
            </label>
            <textarea
              id={`cancel-${index}-sms`}
              dir="auto"
              rows={2}
              value={x.smsText}
              onChange={(e) =>
                setTexts((all) => all.map((y, i) => (i === index ? { ...y, smsText: e.target.value } : y)))
              }
            />
          </div>
        </fieldset>
      ))}
      {problem && <ProblemMessage problem={problem} />}
      <div className="form-actions">
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button button--danger">
          {t('alerts.cancelDraft')}
        </button>
      </div>
    </form>
  );
}
