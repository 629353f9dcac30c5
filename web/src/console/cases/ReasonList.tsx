import { useT } from '../../i18n/I18nProvider.tsx';
import { reasonLabel } from './case-labels.ts';

/** Why a request got its priority: each factor and the points it added, largest first. */
export function ReasonList({
  reasons,
  compact = false,
}: {
  reasons: { code: string; points: number }[];
  compact?: boolean;
}) {
  const t = useT();
  if (compact)
    return <span className="case-why">{reasons.map((r) => reasonLabel(t, r.code)).join(' · ')}</span>;
  return (
    <ul className="case-reasons">
      {reasons.map((r) => (
        <li key={r.code}>
          <span>{reasonLabel(t, r.code)}</span>{' '}
          <span className="case-reasons__points">{t('cases.reason.points', { count: r.points })}</span>
        </li>
      ))}
    </ul>
  );
}
