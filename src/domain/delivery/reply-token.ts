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
const MAX_SECONDS = 0xffff_ffff;

function secretBytes(secret: Uint8Array | string): Uint8Array {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  if (bytes.length < 16) throw new RangeError('the reply-token secret must be at least 16 bytes');
  return bytes;
}

function uuidOf(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const TOKEN_CHARS = Math.ceil((TOKEN_BYTES * 4) / 3);
// 49 bytes end in a character that carries 2 bits and 4 zero bits: only these four are canonical.
const CANONICAL_LAST = new Set(['A', 'Q', 'g', 'w']);

/**
 * The tag function of one secret: the key is checked once, and the HMAC input (the context, then the
 * payload) is assembled in one buffer owned by the function and hashed in one update. It runs
 * synchronously, so the buffer is never shared between two calls in flight. (A KeyObject made once was
 * measured slower than the raw key on Node 20.)
 */
function tagger(secret: Uint8Array | string): (payload: Uint8Array, target: Buffer, offset: number) => void {
  const key = secretBytes(secret);
  const input = Buffer.alloc(CONTEXT.length + PAYLOAD_BYTES);
  input.write(CONTEXT, 0, 'utf8');
  return (payload, target, offset) => {
    input.set(payload, CONTEXT.length);
    createHmac('sha256', key).update(input).digest().copy(target, offset, 0, TAG_BYTES);
  };
}

const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX['0123456789abcdef'.charCodeAt(i)] = i;
  HEX['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/** Writes a UUID's 16 bytes at `offset`; false (nothing sensible written) when it is not a UUID. */
function writeUuid(id: string, target: Buffer, offset: number): boolean {
  if (id.length !== 36) return false;
  let at = offset;
  for (let i = 0; i < 36; ) {
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (id.charCodeAt(i) !== 45) return false;
      i += 1;
      continue;
    }
    const high = HEX[id.charCodeAt(i)] ?? -1;
    const low = HEX[id.charCodeAt(i + 1)] ?? -1;
    if (high < 0 || low < 0) return false;
    target[at++] = (high << 4) | low;
    i += 2;
  }
  return true;
}

/**
 * A signer of reply tokens under one secret, for signing many at once (every recipient of an alert):
 * the same tokens as `signReplyToken`, with the key checked once and the ids decoded without copies.
 */
export function replyTokenSigner(secret: Uint8Array | string): (claims: ReplyTokenClaims) => string {
  const tag = tagger(secret);
  return (claims) => {
    const seconds = Math.floor(claims.expiresAt.getTime() / 1000);
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_SECONDS) {
      throw new RangeError('expiresAt is out of range');
    }
    const token = Buffer.allocUnsafe(TOKEN_BYTES);
    token[0] = VERSION;
    if (!writeUuid(claims.alertId, token, 1)) throw new RangeError('alertId must be a UUID');
    if (!writeUuid(claims.personId, token, 17)) throw new RangeError('personId must be a UUID');
    token.writeUInt32BE(seconds, 33);
    tag(token.subarray(0, PAYLOAD_BYTES), token, PAYLOAD_BYTES);
    return token.toString('base64url');
  };
}

/**
 * Signs a reply token for one person and one alert, valid until `expiresAt` (whole seconds, rounded
 * down). The secret is at least 16 bytes; throws a RangeError for ids that are not UUIDs.
 */
export function signReplyToken(secret: Uint8Array | string, claims: ReplyTokenClaims): string {
  return replyTokenSigner(secret)(claims);
}

/**
 * A checker of reply tokens under one secret, for checking many (every reply that arrives): the same
 * answers as `verifyReplyToken`, with the key checked and prepared once.
 */
export function replyTokenVerifier(
  secret: Uint8Array | string,
): (token: string, now: Date) => ReplyTokenCheck {
  const tag = tagger(secret);
  const expected = Buffer.alloc(TAG_BYTES);
  return (token, now) => {
    // Only the canonical spelling of a token's bytes is accepted: one token, one string.
    if (
      token.length !== TOKEN_CHARS ||
      !/^[A-Za-z0-9_-]+$/.test(token) ||
      !CANONICAL_LAST.has(token.charAt(TOKEN_CHARS - 1))
    ) {
      return { ok: false, code: 'reply_token.malformed' };
    }
    const bytes = Buffer.from(token, 'base64url');
    if (bytes.length !== TOKEN_BYTES || bytes[0] !== VERSION)
      return { ok: false, code: 'reply_token.malformed' };
    const payload = bytes.subarray(0, PAYLOAD_BYTES);
    tag(payload, expected, 0);
    if (!timingSafeEqual(bytes.subarray(PAYLOAD_BYTES), expected))
      return { ok: false, code: 'reply_token.invalid' };
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
  };
}

/**
 * Checks a reply token at time `now`: its shape, then its tag (compared in constant time), then its
 * expiry. Answers the claims, or the reason it was refused; never throws for a bad token.
 */
export function verifyReplyToken(secret: Uint8Array | string, token: string, now: Date): ReplyTokenCheck {
  return replyTokenVerifier(secret)(token, now);
}
