import { useI18n } from '../../i18n/I18nProvider.tsx';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import type { RecipientCount } from './useRecipientCount.ts';

/** The live recipient count under a target map, with its split by country. */
export function RecipientCountView({ count }: { count: RecipientCount }) {
  const { t, format } = useI18n();
  if (count.status === 'failed') return <ProblemMessage problem={count.problem} />;
  const preview =
    count.status === 'ready' ? count.preview : count.status === 'counting' ? count.previous : null;
  return (
    <div className="recipient-count" aria-live="polite" aria-busy={count.status === 'counting'}>
      {count.status === 'empty' ? (
        <p className="muted">{t('alerts.count.empty')}</p>
      ) : (
        <>
          <p className="recipient-count__total">
            <span
              className="recipient-count__number"
              data-recipient-count={count.status === 'ready' ? count.preview.total : undefined}
            >
              {preview ? format.number(preview.total) : '…'}
            </span>{' '}
            {t('alerts.count.label', { count: preview?.total ?? 0 })}
            {count.status === 'counting' && <span className="muted"> · {t('alerts.count.counting')}</span>}
          </p>
          {preview && Object.keys(preview.byCountry).length > 0 && (
            <p className="muted recipient-count__split">
              {format.list(
                Object.entries(preview.byCountry).map(
                  ([code, n]) => `${format.region(code)}: ${format.number(n)}`,
                ),
              )}
              {preview.withoutCountry > 0 &&
                ` · ${t('alerts.count.withoutCountry', { count: preview.withoutCountry })}`}
            </p>
          )}
          {preview && preview.outsideJurisdiction.length > 0 && (
            <p className="recipient-count__warning">
              {t('alerts.count.outside', {
                list: format.list(preview.outsideJurisdiction.map(format.region)),
              })}
            </p>
          )}
        </>
      )}
    </div>
  );
}
