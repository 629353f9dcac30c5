// E-mail over SMTP through a pooled nodemailer transport: a plain-text body, an HTML alternative when
// the message has one, the deployment's From and Reply-To. The SMTP reply decides the outcome: 4xx is
// temporary, 5xx to RCPT TO is a bounce, a server that cannot be reached is retried.
import nodemailer from 'nodemailer';
import { type Channel, failed, type OutboundMessage, retry, type SendResult, sent } from './channel.ts';

/** The submission server and the sender identity. */
export type SmtpChannelConfig = {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure?: boolean;
  /** Refuse to send unless the connection is upgraded with STARTTLS. */
  requireTls?: boolean;
  auth?: { user: string; pass: string };
  /** Sender, e.g. `Embassy Alerts <alerts@embassy.example>`. */
  from: string;
  replyTo?: string;
  /** Pool size and messages per connection before it is renewed (defaults 5 and 100). */
  maxConnections?: number;
  maxMessagesPerConnection?: number;
  /** Connection and greeting wait, and socket inactivity limit (defaults 10 s and 30 s). */
  connectionTimeoutMs?: number;
  socketTimeoutMs?: number;
  /** Extra trusted certificates for a server with a private CA. */
  ca?: string;
};

// An error from nodemailer's SMTP connection: `code` names the stage, `responseCode` the server's reply.
type SmtpError = Error & {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  command?: string;
  response?: string;
};

/** Creates the SMTP channel; connections open on the first send and are reused. */
export function createSmtpChannel(config: SmtpChannelConfig): Channel {
  const transport = nodemailer.createTransport({
    pool: true,
    host: config.host,
    port: config.port,
    secure: config.secure ?? false,
    requireTLS: config.requireTls ?? false,
    ...(config.auth ? { auth: { user: config.auth.user, pass: config.auth.pass } } : {}),
    maxConnections: config.maxConnections ?? 5,
    maxMessages: config.maxMessagesPerConnection ?? 100,
    connectionTimeout: config.connectionTimeoutMs ?? 10_000,
    greetingTimeout: config.connectionTimeoutMs ?? 10_000,
    socketTimeout: config.socketTimeoutMs ?? 30_000,
    ...(config.ca ? { tls: { ca: config.ca } } : {}),
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const domain = /@([^>\s]+)>?\s*$/.exec(config.from)?.[1] ?? 'haven.invalid';
  let closed = false;

  return {
    name: 'email-smtp',
    kind: 'email',
    async send(message: OutboundMessage): Promise<SendResult> {
      if (closed) return retry('channel.closed');
      if (!isMailbox(message.to)) return failed('smtp.invalid_address', 'not an e-mail address');
      try {
        const info = await transport.sendMail({
          from: config.from,
          ...(config.replyTo ? { replyTo: config.replyTo } : {}),
          to: message.to,
          subject: message.subject ?? firstLine(message.text),
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
          // The same delivery sent again keeps its Message-ID, so mail clients show it once.
          messageId: `<${message.deliveryId}@${domain}>`,
          headers: { 'X-Haven-Delivery-Id': message.deliveryId },
        });
        return sent(String(info.messageId));
      } catch (error) {
        return resultOfError(error as SmtpError);
      }
    },
    async close() {
      closed = true;
      transport.close();
    },
  };
}

function resultOfError(error: SmtpError): SendResult {
  const reply = error.responseCode;
  const detail = describe(error);
  if (reply !== undefined && reply >= 400 && reply < 500) return retry('smtp.deferred', { detail });
  if (reply !== undefined && reply >= 500) {
    if (error.command === 'RCPT TO') return failed('smtp.bounced', detail);
    if (error.code === 'EAUTH') return retry('smtp.unavailable', { detail });
    return failed('smtp.rejected', detail);
  }
  return retry('smtp.unavailable', { detail });
}

// The reply code and enhanced status, never the server's text: it often quotes the address.
function describe(error: SmtpError): string {
  const enhanced = /\b[245]\.\d{1,3}\.\d{1,3}\b/.exec(error.response ?? '')?.[0];
  const parts = [error.code, error.originalCode, error.command, error.responseCode?.toString(), enhanced];
  return parts.filter((p) => p !== undefined && p !== '').join(' ');
}

function isMailbox(address: string): boolean {
  return /^[^\s@<>()",;:]+@[^\s@<>()",;:]+$/.test(address);
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0]?.trim() ?? '';
  return line.length > 78 ? `${line.slice(0, 77)}…` : line;
}
