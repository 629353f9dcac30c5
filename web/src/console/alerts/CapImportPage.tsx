import { type ChangeEvent, useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, toProblem } from '../../shared/api.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { Link, navigate } from '../../shared/router.tsx';
import { useDocumentTitle } from '../../shared/useDocumentTitle.ts';
import { useLoad } from '../../shared/useLoad.ts';
import { can } from '../permissions.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { capLabel } from './alert-labels.ts';
import { alertsApi, type IncidentView } from './alerts-api.ts';
import { TargetMap } from './TargetMap.tsx';
import './alerts.css';

/** The largest file the page sends; the server enforces its own limit too. */
const MAX_FILE_BYTES = 1_000_000;

/** Import a host agency's CAP message: it becomes an incident with its areas, a proposed target and its count. */
export function CapImportPage() {
  const { t, format } = useI18n();
  useDocumentTitle(t('cap.title'));
  const [incident, setIncident] = useState<IncidentView | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const incidents = useLoad(`incidents:${incident?.id ?? ''}`, (signal) => alertsApi.incidents(signal));

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setProblem(null);
    setIncident(null);
    if (file.size > MAX_FILE_BYTES) {
      setProblem(toProblem(new Error('too large')));
      return;
    }
    setBusy(true);
    try {
      setIncident(await alertsApi.importCap(await file.text()));
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p>
        <Link to="/alerts" className="back-link">
          {t('alerts.back')}
        </Link>
      </p>
      <div className="page-heading">
        <h1>{t('cap.title')}</h1>
        <p>{t('cap.intro')}</p>
      </div>
      <section className="card">
        <div className="field">
          <label htmlFor="cap-file">{t('cap.file')}</label>
          <input
            id="cap-file"
            type="file"
            accept=".xml,.cap,application/xml,application/cap+xml,text/xml"
            onChange={onFile}
            disabled={busy}
          />
          <p className="field__hint">{t('cap.fileHint')}</p>
        </div>
        {busy && <p className="status-line">{t('common.loading')}</p>}
        {problem && <ProblemMessage problem={problem} />}
      </section>
      {incident && <IncidentPanel incident={incident} />}
      {incidents.status === 'ready' && incidents.data.items.length > 0 && (
        <section className="card">
          <h2>{t('cap.recent')}</h2>
          <ul>
            {incidents.data.items.map((item) => (
              <li key={item.id}>
                <Link to={`/alerts/incidents/${encodeURIComponent(item.id)}`} dir="auto">
                  {item.headlines[0]?.headline ?? item.event}
                </Link>{' '}
                <span className="muted">
                  · {item.source.sender} · {format.dateTime(item.source.sent)}
                </span>
                {item.drill && <span className="badge badge--warn drill-badge">{t('alerts.drill')}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

/** An incident already imported. */
export function IncidentPage({ id }: { id: string }) {
  const { t } = useI18n();
  useDocumentTitle(t('cap.incident'));
  const incident = useLoad(id, (signal) => alertsApi.incident(id, signal));
  return (
    <>
      <p>
        <Link to="/alerts/import" className="back-link">
          {t('cap.title')}
        </Link>
      </p>
      {incident.status === 'loading' && <p className="status-line">{t('common.loading')}</p>}
      {incident.status === 'failed' && (
        <ProblemMessage problem={incident.problem} onRetry={incident.reload} />
      )}
      {incident.status === 'ready' && <IncidentPanel incident={incident.data} />}
    </>
  );
}

function IncidentPanel({ incident }: { incident: IncidentView }) {
  const { t, format } = useI18n();
  const { session } = useSession();
  const mayDraft = session.status === 'active' && can(session.me.role, 'alerts.draft');
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const polygons = incident.proposedTarget?.polygons ?? [];
  const circles = incident.proposedTarget?.circles ?? [];
  const draft = async () => {
    setProblem(null);
    try {
      const alert = await alertsApi.draftFromIncident(incident.id);
      navigate(`/alerts/${encodeURIComponent(alert.id)}/edit`);
    } catch (error) {
      setProblem(toProblem(error));
    }
  };
  return (
    <section className="card incident" aria-labelledby="incident-heading">
      <h2 id="incident-heading" dir="auto">
        {incident.drill && <span className="badge badge--warn drill-badge">{t('alerts.drill')}</span>}{' '}
        {incident.infos[0]?.headline ?? incident.event}
      </h2>
      <p className="muted">
        {incident.source.sender} · {format.dateTime(incident.source.sent)} · CAP {incident.capVersion} ·{' '}
        {capLabel(t, incident.urgency)} / {capLabel(t, incident.severity)} / {capLabel(t, incident.certainty)}
      </p>
      {incident.infos.map((info, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: info blocks are in the document's order
        <div key={index} lang={info.language} dir="auto">
          {info.description && <p>{info.description}</p>}
        </div>
      ))}
      <h3>{t('cap.areas')}</h3>
      <ul>
        {incident.areas.map((area) => (
          <li key={area.position} dir="auto">
            {area.areaDesc}
            {area.error && (
              <span className="recipient-count__warning">
                {' '}
                · {area.error.message} (<code>{area.error.code}</code>)
              </span>
            )}
          </li>
        ))}
      </ul>
      {incident.rejectedAreas > 0 && (
        <p className="recipient-count__warning">
          {t('cap.rejectedAreas', { count: incident.rejectedAreas })}
        </p>
      )}
      <TargetMap countries={[]} areas={[]} polygons={polygons} circles={circles} />
      {incident.preview ? (
        <p className="recipient-count__total">
          <strong data-recipient-count={incident.preview.total}>
            {format.number(incident.preview.total)}
          </strong>{' '}
          {t('cap.proposedCount', { count: incident.preview.total })}
        </p>
      ) : (
        <p className="muted">{t('cap.noTarget')}</p>
      )}
      {problem && <ProblemMessage problem={problem} />}
      {mayDraft && (
        <div className="form-actions">
          <button type="button" className="button button--primary" onClick={draft}>
            {t('cap.draftAlert')}
          </button>
        </div>
      )}
    </section>
  );
}
