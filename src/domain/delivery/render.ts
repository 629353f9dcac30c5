// The message one recipient receives on one channel, from the alert's info block in the language frozen
// for them at issue. It carries the alert's own text and, for a person, their reply link; nothing about
// anyone else, and no name, number or address (the channel adds the recipient's own address to send).
import { checkSmsLength, type SmsLengthCheck } from '../messaging/sms-encoding.ts';
import { languageDirection } from '../reference/languages.ts';
import type { DeliveryChannel } from './channel-order.ts';

/** One language block of an alert, as written by the officer. */
export type InfoBlock = {
  language: string;
  headline: string;
  description: string | null;
  instruction: string | null;
  smsText: string;
};

/** The alert-wide facts a message mentions. */
export type AlertSummary = {
  identifier: string;
  status: string;
  msgType: string;
  event: string;
  severity: string;
  urgency: string;
};

export type RenderInput = {
  channel: DeliveryChannel;
  alert: AlertSummary;
  block: InfoBlock;
  /** The recipient's signed reply link; null for a partner's webhook. */
  replyUrl: string | null;
  /** Most segments an SMS may take, reply link included. */
  maxSmsSegments: number;
};

/** A message ready for a channel, without its address. */
export type RenderedMessage = {
  subject?: string;
  text: string;
  html?: string;
  metadata: Record<string, string>;
  /** SMS only: the segments the text takes. */
  segments?: number;
};

export type RenderResult =
  | { ok: true; message: RenderedMessage }
  | { ok: false; code: 'message.too_long'; detail: string };

/**
 * Remembers SMS length checks across recipients of the same info block. Their texts differ only in the
 * reply token, 66 characters of the base64url alphabet, each one GSM-7 septet and one UCS-2 unit: the
 * token changes neither the alphabet nor the segment count, so one check serves every recipient.
 * Keyed by the SMS text; each entry holds the link's base (everything before the token) and the limit.
 */
export type SmsCheckCache = Map<string, { base: string; maxSegments: number; check: SmsLengthCheck }[]>;

const TOKEN_LENGTH = 66;
const TOKEN_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')
  TOKEN_CHAR[c.charCodeAt(0)] = 1;

/** Whether a reply link ends with `/r/` and a token of the standard shape. */
function endsWithToken(url: string): boolean {
  const start = url.length - TOKEN_LENGTH;
  if (start < 3 || url.slice(start - 3, start) !== '/r/') return false;
  for (let i = start; i < url.length; i++) if (TOKEN_CHAR[url.charCodeAt(i)] !== 1) return false;
  return true;
}

function checkSmsCached(
  smsText: string,
  replyUrl: string | null,
  maxSegments: number,
  cache: SmsCheckCache | undefined,
): { text: string; check: SmsLengthCheck } {
  const text = replyUrl ? `${smsText}\n${replyUrl}` : smsText;
  if (!cache || !replyUrl || !endsWithToken(replyUrl))
    return { text, check: checkSmsLength(text, maxSegments) };
  const baseLength = replyUrl.length - TOKEN_LENGTH;
  const entries = cache.get(smsText) ?? [];
  const hit = entries.find(
    (e) => e.maxSegments === maxSegments && e.base.length === baseLength && replyUrl.startsWith(e.base),
  );
  if (hit) return { text, check: hit.check };
  const check = checkSmsLength(text, maxSegments);
  if (cache.size >= 1000) cache.clear();
  cache.set(smsText, [...entries, { base: replyUrl.slice(0, baseLength), maxSegments, check }]);
  return { text, check };
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const paragraph = (text: string) => `<p>${escapeHtml(text).replace(/\r?\n/g, '<br>')}</p>`;

function emailHtml(block: InfoBlock, replyUrl: string | null): string {
  const direction = languageDirection(block.language);
  const parts = [
    `<h1>${escapeHtml(block.headline)}</h1>`,
    ...(block.description ? [paragraph(block.description)] : []),
    ...(block.instruction ? [paragraph(block.instruction)] : []),
    ...(replyUrl ? [`<p><a href="${escapeHtml(replyUrl)}">${escapeHtml(replyUrl)}</a></p>`] : []),
  ];
  return `<!doctype html><html lang="${escapeHtml(block.language)}" dir="${direction}"><head><meta charset="utf-8"><title>${escapeHtml(block.headline)}</title></head><body dir="${direction}">${parts.join('')}</body></html>`;
}

/**
 * Renders one recipient's message for a channel. SMS: the SMS text, then the reply link on its own
 * line, refused as `message.too_long` when the two need more than `maxSmsSegments` segments. Push: the
 * headline as title and the SMS text as body, the link in its data. E-mail: headline as subject, the
 * full text, and an HTML part in the language's direction. Webhook: the alert for a partner system.
 * A cache shared across the recipients of a block spares counting the same SMS segments again.
 */
export function renderMessage(input: RenderInput, cache?: SmsCheckCache): RenderResult {
  const { alert, block, replyUrl } = input;
  const common = {
    alert: alert.identifier,
    status: alert.status,
    msgType: alert.msgType,
    language: block.language,
  };
  switch (input.channel) {
    case 'sms': {
      const { text, check } = checkSmsCached(block.smsText, replyUrl, input.maxSmsSegments, cache);
      if (!check.ok) {
        return {
          ok: false,
          code: 'message.too_long',
          detail: `${check.sms.segments} ${check.sms.encoding} segments, limit ${check.maxSegments}`,
        };
      }
      return { ok: true, message: { text, metadata: common, segments: check.sms.segments } };
    }
    case 'push':
      return {
        ok: true,
        message: {
          subject: block.headline,
          text: block.smsText,
          metadata: replyUrl ? { ...common, url: replyUrl } : common,
        },
      };
    case 'email': {
      const text = [block.headline, block.description, block.instruction, replyUrl]
        .filter((part): part is string => typeof part === 'string' && part !== '')
        .join('\n\n');
      return {
        ok: true,
        message: { subject: block.headline, text, html: emailHtml(block, replyUrl), metadata: common },
      };
    }
    case 'webhook':
      return {
        ok: true,
        message: {
          subject: block.headline,
          text: block.description ?? block.smsText,
          metadata: {
            ...common,
            event: alert.event,
            severity: alert.severity,
            urgency: alert.urgency,
            headline: block.headline,
            ...(block.instruction ? { instruction: block.instruction } : {}),
          },
        },
      };
    default: {
      const exhaustive: never = input.channel;
      return exhaustive;
    }
  }
}

/** A direct message to one person, as its sender wrote it (no reply link: it is not an alert). */
export type DirectMessageContent = {
  purpose: string;
  subject: string;
  text: string;
  html: string | null;
};

/**
 * Renders a direct message for a person channel. SMS: the text, refused as `message.too_long` beyond
 * `maxSmsSegments`. Push: the subject as title and the text as body. E-mail: subject, text and the
 * sender's HTML when there is one. A partner webhook never carries a direct message.
 */
export function renderDirectMessage(
  channel: DeliveryChannel,
  message: DirectMessageContent,
  maxSmsSegments: number,
): RenderResult | { ok: false; code: 'channel.not_applicable'; detail: string } {
  const metadata = { kind: 'direct', purpose: message.purpose };
  switch (channel) {
    case 'sms': {
      const check = checkSmsLength(message.text, maxSmsSegments);
      if (!check.ok) {
        return {
          ok: false,
          code: 'message.too_long',
          detail: `${check.sms.segments} ${check.sms.encoding} segments, limit ${check.maxSegments}`,
        };
      }
      return { ok: true, message: { text: message.text, metadata, segments: check.sms.segments } };
    }
    case 'push':
      return { ok: true, message: { subject: message.subject, text: message.text, metadata } };
    case 'email':
      return {
        ok: true,
        message: {
          subject: message.subject,
          text: message.text,
          ...(message.html !== null ? { html: message.html } : {}),
          metadata,
        },
      };
    case 'webhook':
      return { ok: false, code: 'channel.not_applicable', detail: 'a direct message goes to a person' };
    default: {
      const exhaustive: never = channel;
      return exhaustive;
    }
  }
}
