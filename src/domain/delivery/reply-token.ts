// The token of a one-tap reply link, `/r/<token>`: it names the alert, the person and an expiry, under
// an HMAC-SHA256 tag, so whoever holds the link can answer for that person to that alert and nothing
// else, until it expires. It is short enough to sit in an SMS and uses only characters of the GSM-7
// alphabet: 49 bytes in base64url, 66 characters.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a reply token says. */
export type ReplyTokenClaims = { alertId: string; personId: string; expiresAt: Date };

/** Why a token was refused. */
export type ReplyTokenError = 'reply_token.malformed' | 'reply_token.invalid' | 'reply_token.expired';

export type ReplyTokenCheck = { ok: true; claims: ReplyTokenClaims } | { ok: false; code: ReplyTokenError };

const VERSION = 1;
const PAYLOAD_BYTES = 1 + 16 + 16 + 4;
// 96 bits: a forger must guess the tag online, one request at a time.
const TAG_BYTES = 12;
const TOKEN_BYTES = PAYLOAD_BYTES + TAG_BYTES;
const CONTEXT = 'haven/reply-token/v1\n';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_SECONDS = 0xffff_ffff;

function secretBytes(secret: Uint8Array | string): Uint8Array {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  if (bytes.length < 16) throw new RangeError('the reply-token secret must be at least 16 bytes');
  return bytes;
}

function uuidBytes(id: string, field: string): Buffer {
  if (!UUID.test(id)) throw new RangeError(`${field} must be a UUID`);
  return Buffer.from(id.replaceAll('-', ''), 'hex');
}

function uuidOf(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function tagOf(secret: Uint8Array, payload: Buffer): Buffer {
  return createHmac('sha256', secret).update(CONTEXT).update(payload).digest().subarray(0, TAG_BYTES);
}

/**
 * Signs a reply token for one person and one alert, valid until `expiresAt` (whole seconds, rounded
 * down). The secret is at least 16 bytes; throws a RangeError for ids that are not UUIDs.
 */
export function signReplyToken(secret: Uint8Array | string, claims: ReplyTokenClaims): string {
  const key = secretBytes(secret);
  const seconds = Math.floor(claims.expiresAt.getTime() / 1000);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_SECONDS) {
    throw new RangeError('expiresAt is out of range');
  }
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload[0] = VERSION;
  uuidBytes(claims.alertId, 'alertId').copy(payload, 1);
  uuidBytes(claims.personId, 'personId').copy(payload, 17);
  payload.writeUInt32BE(seconds, 33);
  return Buffer.concat([payload, tagOf(key, payload)]).toString('base64url');
}

/**
 * Checks a reply token at time `now`: its shape, then its tag (compared in constant time), then its
 * expiry. Answers the claims, or the reason it was refused; never throws for a bad token.
 */
export function verifyReplyToken(secret: Uint8Array | string, token: string, now: Date): ReplyTokenCheck {
  const key = secretBytes(secret);
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return { ok: false, code: 'reply_token.malformed' };
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== TOKEN_BYTES || bytes.toString('base64url') !== token || bytes[0] !== VERSION) {
    return { ok: false, code: 'reply_token.malformed' };
  }
  const payload = bytes.subarray(0, PAYLOAD_BYTES);
  const tag = bytes.subarray(PAYLOAD_BYTES);
  if (!timingSafeEqual(tag, tagOf(key, payload))) return { ok: false, code: 'reply_token.invalid' };
  const expiresAt = new Date(payload.readUInt32BE(33) * 1000);
  if (now.getTime() >= expiresAt.getTime()) return { ok: false, code: 'reply_token.expired' };
  return {
    ok: true,
    claims: {
      alertId: uuidOf(payload.subarray(1, 17)),
      personId: uuidOf(payload.subarray(17, 33)),
      expiresAt,
    },
  };
}
