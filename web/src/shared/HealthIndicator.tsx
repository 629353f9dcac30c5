import { useEffect, useState } from 'react';
import { useT } from '../i18n/I18nProvider.tsx';
import { api } from './api.ts';
import './HealthIndicator.css';

type Health = { status: 'checking' | 'ok' | 'degraded' | 'down'; dialect?: string };

const POLL_INTERVAL_MS = 30_000;

/** Whether the server and its database answer, checked now and every half minute. */
export function HealthIndicator() {
  const t = useT();
  const [health, setHealth] = useState<Health>({ status: 'checking' });

  useEffect(() => {
    let controller = new AbortController();
    const check = async () => {
      controller.abort();
      controller = new AbortController();
      const { signal } = controller;
      try {
        const body = await api.health(signal);
        if (!signal.aborted)
          setHealth({ status: body.status === 'ok' ? 'ok' : 'degraded', dialect: body.database.dialect });
      } catch {
        if (!signal.aborted) setHealth({ status: 'down' });
      }
    };
    void check();
    const timer = window.setInterval(() => void check(), POLL_INTERVAL_MS);
    return () => {
      window.clearInterval(timer);
      controller.abort();
    };
  }, []);

  const label = {
    checking: t('health.checking'),
    ok: t('health.ok'),
    degraded: t('health.degraded'),
    down: t('health.down'),
  }[health.status];
  return (
    <p
      className="health"
      data-status={health.status}
      role="status"
      title={health.dialect ? t('health.detail', { dialect: health.dialect }) : undefined}
    >
      <span className="health__dot" aria-hidden="true" />
      <span className="visually-hidden">{t('health.label')}: </span>
      {label}
    </p>
  );
}
