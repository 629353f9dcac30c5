import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { IssueView } from './alerts-api.ts';

/** Who an issued alert reached, by language and country, and who got a fallback language. */
export function IssueReport({ report }: { report: IssueView['report'] }) {
  const { t, format } = useI18n();
  return (
    <section className="card issue-report" aria-labelledby="issue-report-heading">
      <h2 id="issue-report-heading">{t('alerts.report.title')}</h2>
      <p className="issue-report__total">
        <strong data-issued-count={report.recipients}>{format.number(report.recipients)}</strong>{' '}
        {t('alerts.count.label', { count: report.recipients })}
      </p>
      <p>
        {t('alerts.report.byLanguage')}:{' '}
        {format.list(
          Object.entries(report.byLanguage).map(([tag, n]) => `${format.language(tag)}: ${format.number(n)}`),
        )}
      </p>
      <p>
        {t('alerts.report.byCountry')}:{' '}
        {format.list(
          Object.entries(report.byCountry).map(([code, n]) => `${format.region(code)}: ${format.number(n)}`),
        )}
      </p>
      {report.fallbackCount === 0 ? (
        <p className="muted">{t('alerts.report.noFallback')}</p>
      ) : (
        <>
          <p className="recipient-count__warning">
            {t('alerts.report.fallback', { count: report.fallbackCount })}
          </p>
          <ul>
            {report.fallbacks.map((f) => (
              <li key={`${f.wanted}:${f.got}`}>
                {t('alerts.report.fallbackItem', {
                  wanted: f.wanted ? format.language(f.wanted) : t('alerts.report.noLanguage'),
                  got: format.language(f.got),
                  count: f.count,
                })}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
