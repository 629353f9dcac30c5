import { useI18n } from '../../i18n/I18nProvider.tsx';
import { outcomeLabel, statusLabel } from './case-labels.ts';
import type { HelpRequestDetail } from './cases-api.ts';

type Entry = HelpRequestDetail['history'][number];

/** Everything that happened to the request, oldest first, and who did it. */
export function CaseHistory({ detail }: { detail: HelpRequestDetail }) {
  const { t, format } = useI18n();
  const what = (e: Entry): string => {
    switch (e.kind) {
      case 'created':
        return t('cases.history.created');
      case 'assigned':
        return t('cases.history.assigned', { user: e.assignee?.email ?? t('common.empty') });
      case 'referred':
        return t('cases.history.referred', { org: e.organization?.name ?? t('common.empty') });
      case 'note':
        return t('cases.history.note');
      case 'closed':
        return t('cases.history.closed', {
          outcome: e.outcome ? outcomeLabel(t, e.outcome) : t('common.empty'),
        });
      case 'status':
        return e.organization
          ? t('cases.history.takenBack', { org: e.organization.name })
          : t('cases.history.status', {
              from: statusLabel(t, e.fromStatus ?? ''),
              to: statusLabel(t, e.toStatus ?? ''),
            });
    }
  };
  return (
    <section className="card case-card" aria-labelledby="case-history-title">
      <h2 id="case-history-title">{t('cases.history.title')}</h2>
      <ol className="case-history">
        {detail.history.map((e) => (
          <li key={e.id}>
            <time dateTime={e.at}>{format.dateTime(e.at)}</time> {what(e)}
            {e.actor && <span className="muted"> {t('cases.history.by', { user: e.actor.email })}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
