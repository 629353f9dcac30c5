import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useLoad } from '../../shared/useLoad.ts';
import { levelsApi } from '../levels/levels-api.ts';
import { capLabel } from './alert-labels.ts';
import type { AlertView } from './alerts-api.ts';
import { RecipientCountView } from './RecipientCountView.tsx';
import { TargetMap } from './TargetMap.tsx';
import { useRecipientCount } from './useRecipientCount.ts';

/** What an alert says and whom it reaches: its CAP fields, every language's texts, the target on a map with its count now. */
export function AlertDetails({ alert, liveCount = true }: { alert: AlertView; liveCount?: boolean }) {
  const { t, format } = useI18n();
  const areas = useLoad(alert.target.areaIds.length ? 'areas' : null, (signal) =>
    levelsApi.areas(undefined, signal),
  );
  const { filters, ...places } = alert.target;
  const count = useRecipientCount(alert.target, !liveCount);
  const filterParts = [
    filters.languages?.length
      ? `${t('alerts.filter.languages')}: ${format.list(filters.languages.map(format.language))}`
      : null,
    filters.sexes?.length ? `${t('alerts.filter.sexes')}: ${filters.sexes.join(', ')}` : null,
    filters.ageBands?.length ? `${t('alerts.filter.ageBands')}: ${filters.ageBands.join(', ')}` : null,
    filters.vulnerabilities?.length
      ? `${t('alerts.filter.vulnerabilities')}: ${filters.vulnerabilities.join(', ')}`
      : null,
    filters.householdHeadsOnly ? t('alerts.filter.householdHeads') : null,
    filters.employerIds?.length ? `${t('alerts.filter.employers')}: ${filters.employerIds.length}` : null,
  ].filter((part): part is string => part !== null);

  return (
    <div className="alert-details">
      <dl className="alert-details__fields">
        <div>
          <dt>{t('alerts.field.event')}</dt>
          <dd dir="auto">{alert.event}</dd>
        </div>
        <div>
          <dt>{t('alerts.field.category')}</dt>
          <dd>{format.list(alert.category.map((c) => capLabel(t, c)))}</dd>
        </div>
        <div>
          <dt>{t('alerts.field.urgency')}</dt>
          <dd>{capLabel(t, alert.urgency)}</dd>
        </div>
        <div>
          <dt>{t('alerts.field.severity')}</dt>
          <dd>{capLabel(t, alert.severity)}</dd>
        </div>
        <div>
          <dt>{t('alerts.field.certainty')}</dt>
          <dd>{capLabel(t, alert.certainty)}</dd>
        </div>
        <div>
          <dt>{t('alerts.field.responseType')}</dt>
          <dd>
            {alert.responseType.length
              ? format.list(alert.responseType.map((c) => capLabel(t, c)))
              : t('common.empty')}
          </dd>
        </div>
        <div>
          <dt>{t('alerts.field.effective')}</dt>
          <dd>{alert.effective ? format.dateTime(alert.effective) : t('alerts.onIssue')}</dd>
        </div>
        <div>
          <dt>{t('alerts.field.expires')}</dt>
          <dd>{alert.expires ? format.dateTime(alert.expires) : t('common.empty')}</dd>
        </div>
        <div>
          <dt>{t('alerts.field.askResponse')}</dt>
          <dd>{alert.askResponse ? t('alerts.yes') : t('alerts.no')}</dd>
        </div>
      </dl>
      <div className="alert-details__infos">
        {alert.infos.map((info) => (
          <article key={info.language} className="info-view" lang={info.language} dir={info.direction}>
            <p className="info-view__language" dir="auto">
              {format.language(info.language)} ({info.language})
            </p>
            <h3>{info.headline}</h3>
            {info.description && <p>{info.description}</p>}
            {info.instruction && <p className="info-view__instruction">{info.instruction}</p>}
            <p className="info-view__sms">
              <span className="badge">SMS</span> {info.smsText}
            </p>
            <p className="muted" dir="auto">
              {t('alerts.info.smsCount', {
                encoding: info.sms.encoding,
                units: info.sms.units,
                segments: info.sms.segments,
                perSegment: info.sms.perSegment,
              })}
            </p>
          </article>
        ))}
      </div>
      <div className="alert-details__target">
        <h3>{t('alerts.compose.target')}</h3>
        <p>
          {places.countries.length > 0 &&
            `${t('alerts.target.countries')}: ${format.list(places.countries.map(format.region))}`}
          {filterParts.length > 0 && ` · ${filterParts.join(' · ')}`}
        </p>
        <TargetMap
          countries={places.countries}
          areas={
            areas.status === 'ready' ? areas.data.items.filter((a) => places.areaIds.includes(a.id)) : []
          }
          polygons={places.polygons}
          circles={places.circles}
        />
        {liveCount && <RecipientCountView count={count} />}
      </div>
    </div>
  );
}
