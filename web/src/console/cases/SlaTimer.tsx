import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { formatDuration, slaClock } from './sla-clock.ts';

/** The browser's time, ticking every second: one timer for a whole page of SLA clocks. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

type Props = {
  sla: { dueAt: string; actedAt: string | null };
  now: number;
  /** How far the browser's clock runs ahead of the server's. */
  offsetMs: number;
};

/** Time left to act on a request, counting down; overdue in red; stopped once someone acted. */
export function SlaTimer({ sla, now, offsetMs }: Props) {
  const { t, locale, format } = useI18n();
  const clock = slaClock(sla, now, offsetMs);
  const title = t('cases.sla.due', { at: format.dateTime(sla.dueAt) });
  switch (clock.kind) {
    case 'running':
      return (
        <span className="sla sla--running" title={title}>
          <time dateTime={sla.dueAt}>
            {t('cases.sla.left', { time: formatDuration(clock.seconds, locale) })}
          </time>
        </span>
      );
    case 'overdue':
      return (
        <span className="sla sla--overdue" title={title}>
          <time dateTime={sla.dueAt}>
            {t('cases.sla.overdue', { time: formatDuration(clock.seconds, locale) })}
          </time>
        </span>
      );
    case 'met':
      return (
        <span className="sla sla--met" title={title}>
          {t('cases.sla.met')}
        </span>
      );
    case 'late':
      return (
        <span className="sla sla--late" title={title}>
          {t('cases.sla.late')}
        </span>
      );
  }
}
