// Delivery receipts posted by HTTP SMS gateways (the SMPP centre sends its own over the bind). A receipt
// names the provider's message id, which the outbox recorded when the gateway accepted the message; it
// moves that delivery from sent to delivered or failed (a failure falls back to the person's next
// channel). The endpoint is public, so every receipt must be signed: a Twilio-shaped gateway with
// X-Twilio-Signature under its auth token, a generic one with Haven's webhook scheme under a secret.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from '../../channels/webhook.ts';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { queueFallbacks } from './delivery.fallbacks.ts';
import {
  findStateByProviderId,
  holdReceipt,
  type ReceiptWrite,
  writeReceipts,
} from './delivery.repository.ts';
import type { DeliverySettings } from './delivery.settings.ts';

export const RECEIPT_PROVIDERS = ['twilio', 'generic'] as const;
export type ReceiptProvider = (typeof RECEIPT_PROVIDERS)[number];

/** A receipt request as it arrived: the exact body bytes the signature covers, and its headers. */
export type ReceiptRequest = {
  provider: string;
  /** Path and query, as requested (Twilio signs the full URL). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  /** The body's fields: the form's, or the JSON object's. */
  fields: Record<string, unknown> | null;
};

/** What became of a receipt. `held`: no sent delivery carries the id yet; workers apply it if one does. */
export type ReceiptResult =
  | { result: 'applied' | 'duplicate'; state: string }
  | { result: 'ignored'; status: string }
  | { result: 'held'; code: 'receipt.unknown_message' };

const TWILIO_SIGNATURE = 'x-twilio-signature';
const MAX_ID = 128;

/** Twilio's request signature: base64 HMAC-SHA1 of the URL followed by each form field's name and value, by name. */
export function twilioSignature(authToken: string, url: string, fields: Record<string, string>): string {
  const mac = createHmac('sha1', authToken);
  mac.update(url);
  for (const name of Object.keys(fields).sort()) mac.update(`${name}${fields[name]}`);
  return mac.digest('base64');
}

const header = (headers: ReceiptRequest['headers'], name: string) => {
  const value = headers[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
};

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

function checkSignature(
  provider: ReceiptProvider,
  settings: Pick<DeliverySettings, 'publicUrl' | 'smsReceipts'>,
  request: ReceiptRequest,
): void {
  const unconfigured = () =>
    new AppError('receipt.provider_unknown', 'This deployment takes no receipts from that provider', 404);
  if (provider === 'twilio') {
    const twilio = settings.smsReceipts.twilio;
    if (!twilio) throw unconfigured();
    const signature = header(request.headers, TWILIO_SIGNATURE);
    if (!signature) throw new AppError('receipt.unsigned', 'Sign the request (X-Twilio-Signature)', 401);
    const fields: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.fields ?? {}))
      if (typeof value === 'string') fields[name] = value;
    const expected = Buffer.from(
      twilioSignature(twilio.authToken, `${settings.publicUrl}${request.url}`, fields),
    );
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new AppError('receipt.signature_invalid', 'The signature is not valid for this request', 401);
    return;
  }
  const generic = settings.smsReceipts.generic;
  if (!generic) throw unconfigured();
  const timestamp = header(request.headers, TIMESTAMP_HEADER);
  const signature = header(request.headers, SIGNATURE_HEADER);
  if (!timestamp || !signature)
    throw new AppError(
      'receipt.unsigned',
      `Sign the request (${TIMESTAMP_HEADER}, ${SIGNATURE_HEADER})`,
      401,
    );
  const check = verifyWebhookSignature(generic.secret, timestamp, request.raw, signature);
  if (!check.ok) throw new AppError(check.code, 'The signature is not valid for this body and time', 401);
}

/**
 * What a receipt says: the provider's message id and its final state, or the provider's status when it
 * is not final (queued, sent…). Twilio: MessageSid, MessageStatus, ErrorCode. Generic JSON: id, status
 * (delivered, failed, undelivered, expired), code.
 */
function readReceipt(
  provider: ReceiptProvider,
  fields: Record<string, unknown> | null,
): {
  providerId: string;
  final: { state: 'delivered' | 'failed'; code: string | null } | null;
  status: string;
} {
  const id = provider === 'twilio' ? str(fields?.MessageSid) : str(fields?.id);
  const status = (provider === 'twilio' ? str(fields?.MessageStatus) : str(fields?.status))?.toLowerCase();
  const error = provider === 'twilio' ? str(fields?.ErrorCode) : str(fields?.code);
  if (
    !id ||
    id.length > MAX_ID ||
    !status ||
    status.length > 40 ||
    (error !== undefined && error.length > 40)
  ) {
    throw new AppError('receipt.malformed', 'The body is not a delivery receipt', 400, {
      fields: provider === 'twilio' ? ['MessageSid', 'MessageStatus'] : ['id', 'status'],
    });
  }
  const providerCode = error && /^[A-Za-z0-9_.-]+$/.test(error) ? `sms.provider.${error}` : null;
  switch (status) {
    case 'delivered':
      return { providerId: id, status, final: { state: 'delivered', code: null } };
    case 'failed':
    case 'undelivered':
      return {
        providerId: id,
        status,
        final: { state: 'failed', code: providerCode ?? 'sms.undeliverable' },
      };
    case 'expired':
      return { providerId: id, status, final: { state: 'failed', code: 'sms.expired' } };
    default:
      return { providerId: id, status, final: null };
  }
}

/**
 * Checks and records one receipt. A receipt for a delivery already past `sent` changes nothing (a
 * provider may post the same one twice); one for an id no delivery carries is held, since the worker
 * may not have recorded the message's `sent` yet.
 */
export async function recordReceipt(
  database: Database,
  settings: Pick<DeliverySettings, 'publicUrl' | 'smsReceipts' | 'channelOrder'>,
  request: ReceiptRequest,
  now: Date = new Date(),
): Promise<ReceiptResult> {
  const provider = RECEIPT_PROVIDERS.find((p) => p === request.provider);
  if (!provider)
    throw new AppError(
      'receipt.provider_unknown',
      'This deployment takes no receipts from that provider',
      404,
    );
  checkSignature(provider, settings, request);
  const receipt = readReceipt(provider, request.fields);
  if (!receipt.final) return { result: 'ignored', status: receipt.status };
  const at = now.toISOString();
  const write: ReceiptWrite = {
    provider_id: receipt.providerId,
    channel: 'sms',
    state: receipt.final.state,
    code: receipt.final.code,
    done_at: at,
  };
  return database.db.transaction().execute(async (trx): Promise<ReceiptResult> => {
    const changed = await writeReceipts(trx, [write], at);
    if (changed.length > 0) {
      if (write.state === 'failed') await queueFallbacks(trx, changed, settings.channelOrder, at);
      return { result: 'applied', state: write.state };
    }
    const existing = await findStateByProviderId(trx, 'sms', receipt.providerId);
    if (existing) return { result: 'duplicate', state: existing.state };
    await holdReceipt(trx, write, at);
    return { result: 'held', code: 'receipt.unknown_message' };
  });
}
