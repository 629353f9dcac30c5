import { useState } from 'react';
import type { AlertListQuery } from '../../../../src/modules/alerts/alerts.schema.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { Link, navigate } from '../../shared/router.tsx';
import { useDocumentTitle } from '../../shared/useDocumentTitle.ts';
import { useLoad } from '../../shared/useLoad.ts';
import { can } from '../permissions.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { stateBadge, stateLabel } from './alert-labels.ts';
import { alertsApi } from './alerts-api.ts';
import '../../shared/DataTable.css';
import './alerts.css';

const STATES = ['draft', 'submitted', 'approved', 'issued', 'superseded', 'cancelled'] as const;
type State = (typeof STATES)[number];

/** Alerts, newest first, filtered by lifecycle state (kept in the address, so a filtered list can be shared). */
export function AlertsPage() {
  const { t, format } = useI18n();
  useDocumentTitle(t('alerts.title'));
  const { session } = useSession();
  const role = session.status === 'active' ? session.me.role : '';
  const [state, setState] = useState<State | undefined>(() => {
    const param = new URLSearchParams(window.location.search).get('state') ?? '';
    return (STATES as readonly string[]).includes(param) ? (param as State) : undefined;
  });
  const query: AlertListQuery = state ? { state, limit: 100 } : { limit: 100 };
  const alerts = useLoad(`alerts:${state ?? ''}`, (signal) => alertsApi.list(query, signal));

  return (
    <>
      <div className="page-heading page-heading--with-action">
        <div>
          <h1>{t('alerts.title')}</h1>
          <p>{t('alerts.intro')}</p>
        </div>
        <div className="form-actions">
          {can(role, 'alerts.approve') && (
            <Link className="button" to="/alerts/approvals">
              {t('alerts.queue.title')}
            </Link>
          )}
          {can(role, 'cap.import') && (
            <Link className="button" to="/alerts/import">
              {t('cap.title')}
            </Link>
          )}
          {can(role, 'alerts.draft') && (
            <Link className="button button--primary" to="/alerts/new">
              {t('alerts.new')}
            </Link>
          )}
        </div>
      </div>
      <div className="field alerts-filter">
        <label htmlFor="alerts-state">{t('alerts.filterState')}</label>
        <select
          id="alerts-state"
          value={state ?? ''}
          onChange={(e) => {
            const next = e.target.value as State | '';
            setState(next || undefined);
            navigate(next ? `/alerts?state=${next}` : '/alerts', { replace: true });
          }}
        >
          <option value="">{t('alerts.allStates')}</option>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {stateLabel(t, s)}
            </option>
          ))}
        </select>
      </div>
      {alerts.status === 'loading' && <p className="status-line">{t('common.loading')}</p>}
      {alerts.status === 'failed' && <ProblemMessage problem={alerts.problem} onRetry={alerts.reload} />}
      {alerts.status === 'ready' && alerts.data.items.length === 0 && (
        <p className="empty-state card">{t('alerts.empty')}</p>
      )}
      {alerts.status === 'ready' && alerts.data.items.length > 0 && (
        <div className="data-table">
          <table>
            <caption className="visually-hidden">{t('alerts.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('alerts.field.headline')}</th>
                <th scope="col">{t('alerts.field.state')}</th>
                <th scope="col">{t('alerts.field.countries')}</th>
                <th scope="col">{t('alerts.field.languages')}</th>
                <th scope="col">{t('alerts.field.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {alerts.data.items.map((alert) => (
                <tr key={alert.id}>
                  <th scope="row" data-label={t('alerts.field.headline')}>
                    <span>
                      {alert.drill && (
                        <span className="badge badge--warn drill-badge">{t('alerts.drill')}</span>
                      )}{' '}
                      {alert.msgType !== 'Alert' && (
                        <span className="badge">{t(`alerts.msgType.${alert.msgType}`)}</span>
                      )}{' '}
                      <Link to={`/alerts/${encodeURIComponent(alert.id)}`} dir="auto">
                        {alert.headline}
                      </Link>
                    </span>
                  </th>
                  <td data-label={t('alerts.field.state')}>
                    <span className={stateBadge(alert.state)}>{stateLabel(t, alert.state)}</span>
                  </td>
                  <td data-label={t('alerts.field.countries')}>
                    {format.list(alert.countries.map(format.region))}
                  </td>
                  <td data-label={t('alerts.field.languages')}>
                    {format.list(alert.languages.map(format.language))}
                  </td>
                  <td data-label={t('alerts.field.updated')}>{format.dateTime(alert.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
