import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import './DeliveryPanel.css';

/** The delivery states, in the order a message goes through them. */
export const DELIVERY_STATES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'dead'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

type Counts = Record<DeliveryState | 'total', number>;

/** GET /api/alerts/{id}/delivery, as the `status` event of its stream carries it. */
export type DeliveryStatus = {
  alertId: string;
  fanout: {
    state: 'none' | 'pending' | 'running' | 'done';
    recipients: number;
    written: number;
    unreachable: number;
  };
  channels: Array<{ channel: string } & Counts>;
  totals: Counts;
  problems: Array<{ channel: string; state: 'failed' | 'dead'; code: string; count: number }>;
  settled: boolean;
};

type Stream = { connection: 'connecting' | 'live' | 'reconnecting'; status: DeliveryStatus | null };

/**
 * Follows an alert's delivery over server-sent events. The browser reconnects by itself after a drop
 * (the server asks for a retry delay); the last counts stay on screen meanwhile.
 */
export function useDeliveryStream(alertId: string): Stream {
  const [stream, setStream] = useState<Stream>({ connection: 'connecting', status: null });
  useEffect(() => {
    setStream({ connection: 'connecting', status: null });
    const source = new EventSource(`/api/alerts/${encodeURIComponent(alertId)}/delivery/stream`);
    source.addEventListener('status', (event) => {
      const status = JSON.parse((event as MessageEvent<string>).data) as DeliveryStatus;
      setStream({ connection: 'live', status });
    });
    source.addEventListener('open', () => setStream((s) => ({ ...s, connection: 'live' })));
    source.addEventListener('error', () => setStream((s) => ({ ...s, connection: 'reconnecting' })));
    return () => source.close();
  }, [alertId]);
  return stream;
}

/** How much of an alert's delivery is over: given to a provider (or refused for good) out of all. */
export function deliveryProgress(totals: Counts): { handled: number; failed: number; percent: number } {
  const handled = totals.sent + totals.delivered;
  const failed = totals.failed + totals.dead;
  const percent = totals.total === 0 ? 0 : Math.floor(((handled + failed) / totals.total) * 100);
  return { handled, failed, percent };
}

/** Live delivery of an issued alert: a progress bar, counts by channel and state, dead letters by reason. */
export function DeliveryPanel({ alertId }: { alertId: string }) {
  const { t, format } = useI18n();
  const { connection, status } = useDeliveryStream(alertId);
  const channelLabel = (channel: string) =>
    channel === 'push' || channel === 'sms' || channel === 'email' || channel === 'webhook'
      ? t(`delivery.channel.${channel}`)
      : channel;
  const progress = status ? deliveryProgress(status.totals) : null;
  return (
    <section className="card delivery-panel" aria-labelledby="delivery-heading" data-connection={connection}>
      <div className="delivery-panel__heading">
        <h2 id="delivery-heading">{t('delivery.title')}</h2>
        <span
          className={
            status?.settled
              ? 'badge badge--ok'
              : connection === 'live'
                ? 'badge badge--info'
                : 'badge badge--warn'
          }
          role="status"
          data-delivery-connection={connection}
        >
          {status?.settled
            ? t('delivery.settled')
            : connection === 'live'
              ? t('delivery.live')
              : connection === 'connecting'
                ? t('delivery.connecting')
                : t('delivery.reconnecting')}
        </span>
      </div>
      {!status || !progress ? (
        <p className="status-line">{t('common.loading')}</p>
      ) : (
        <>
          <div
            className="delivery-progress"
            role="progressbar"
            aria-label={t('delivery.progressLabel')}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={progress.percent}
            data-percent={progress.percent}
          >
            <span
              className="delivery-progress__sent"
              style={{
                inlineSize: `${status.totals.total === 0 ? 0 : (progress.handled / status.totals.total) * 100}%`,
              }}
            />
            <span
              className="delivery-progress__failed"
              style={{
                inlineSize: `${status.totals.total === 0 ? 0 : (progress.failed / status.totals.total) * 100}%`,
              }}
            />
          </div>
          <p className="delivery-panel__summary">
            {t('delivery.progress', {
              done: format.number(progress.handled + progress.failed),
              total: format.number(status.totals.total),
              percent: format.number(progress.percent),
            })}
          </p>
          {status.fanout.state === 'pending' || status.fanout.state === 'running' ? (
            <p className="muted" data-fanout={status.fanout.state}>
              {t('delivery.fanoutRunning', {
                written: format.number(status.fanout.written),
                recipients: format.number(status.fanout.recipients),
              })}
            </p>
          ) : null}
          {status.fanout.unreachable > 0 && (
            <p className="muted">{t('delivery.unreachable', { count: status.fanout.unreachable })}</p>
          )}
          {status.channels.length === 0 ? (
            <p className="muted">{t('delivery.none')}</p>
          ) : (
            <div className="data-table delivery-table">
              <table>
                <caption className="visually-hidden">{t('delivery.tableCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('delivery.channelHeading')}</th>
                    {DELIVERY_STATES.map((state) => (
                      <th scope="col" key={state}>
                        {t(`delivery.state.${state}`)}
                      </th>
                    ))}
                    <th scope="col">{t('delivery.total')}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...status.channels, { channel: '', ...status.totals }].map((row) => (
                    <tr key={row.channel || 'total'} data-channel={row.channel || 'total'}>
                      <th scope="row">
                        {row.channel ? channelLabel(row.channel) : t('delivery.allChannels')}
                      </th>
                      {DELIVERY_STATES.map((state) => (
                        <td key={state} data-label={t(`delivery.state.${state}`)} data-state={state}>
                          {format.number(row[state])}
                        </td>
                      ))}
                      <td data-label={t('delivery.total')} data-state="total">
                        {format.number(row.total)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {status.problems.length > 0 && (
            <>
              <h3>{t('delivery.problems')}</h3>
              <ul className="delivery-problems">
                {status.problems.map((p) => (
                  <li key={`${p.channel}:${p.state}:${p.code}`}>
                    {channelLabel(p.channel)} · {t(`delivery.state.${p.state}`)} ·{' '}
                    <code dir="ltr">{p.code}</code>: {format.number(p.count)}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}
