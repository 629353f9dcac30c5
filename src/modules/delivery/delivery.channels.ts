import type { Channel } from '../../channels/channel.ts';
import { createSmtpChannel } from '../../channels/email-smtp.ts';
import { createHttpSmsChannel } from '../../channels/sms-http.ts';
import { createSmppChannel } from '../../channels/sms-smpp.ts';
import { createWebPushChannel } from '../../channels/web-push.ts';
import { createWebhookChannel } from '../../channels/webhook.ts';
import type { DeliveryChannel } from '../../domain/delivery/channel-order.ts';
import type { DeliverySettings } from './delivery.settings.ts';

/** Where the worker writes its operational log; fields never hold personal data or message text. */
export type WorkerLog = (
  level: 'debug' | 'info' | 'warn' | 'error',
  event: string,
  fields?: Record<string, string | number>,
) => void;

/** The channels this deployment configured; a channel left out is not configured. */
export type ConfiguredChannels = Partial<Record<DeliveryChannel, Channel>>;

/**
 * Opens the configured channels: SMS over SMPP when an SMS centre is set, otherwise over the HTTP
 * gateway when one is; e-mail over SMTP; Web Push with VAPID; webhooks to the partner targets.
 */
export function createConfiguredChannels(settings: DeliverySettings, log: WorkerLog): ConfiguredChannels {
  const channels: ConfiguredChannels = {};
  if (settings.smpp) {
    channels.sms = createSmppChannel({
      ...settings.smpp,
      maxSegments: settings.smsMaxSegments,
      log: (event, fields) =>
        log(event === 'bound' || event === 'connecting' ? 'info' : 'warn', `smpp.${event}`, fields),
    });
  } else if (settings.smsHttp) {
    channels.sms = createHttpSmsChannel({ ...settings.smsHttp, maxSegments: settings.smsMaxSegments });
  }
  if (settings.smtp) channels.email = createSmtpChannel(settings.smtp);
  if (settings.push) channels.push = createWebPushChannel(settings.push);
  if (settings.webhooks.length > 0) {
    const secrets = new Map(settings.webhooks.map((t) => [new URL(t.url).href, t.secret]));
    channels.webhook = createWebhookChannel({
      secretFor: (url) => secrets.get(url.href),
      timeoutMs: settings.webhookTimeoutMs,
    });
  }
  return channels;
}
