import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// A boarding pass token: what the QR code on a pass holds. It is short so that the code stays easy
// to scan on a cracked phone screen: the three ids as raw bytes and the expiry in seconds, then a
// truncated HMAC-SHA-256 under the operation's key. Nothing personal is inside: a name on the pass
// is printed beside the code, never encoded in it.

const PREFIX = 'HB1';
const UUID_BYTES = 16;
const PAYLOAD_BYTES = 1 + 3 * UUID_BYTES + 4;
const MAC_BYTES = 16;
const PAYLOAD_VERSION = 1;

/** What a boarding pass asserts: this person may board this leg of this operation until then. */
export type BoardingClaims = {
  operationId: string;
  legId: string;
  personId: string;
  /** Epoch milliseconds, whole seconds. */
  expiresAt: number;
};

/** A fresh random key for an operation's passes, base64. */
export const newBoardingKey = (): string => randomBytes(32).toString('base64');

function uuidToBytes(id: string): Buffer {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error('boarding claims need UUIDs');
  return Buffer.from(hex, 'hex');
}

function bytesToUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function mac(payload: Buffer, key: string): Buffer {
  return createHmac('sha256', Buffer.from(key, 'base64'))
    .update(PREFIX)
    .update(payload)
    .digest()
    .subarray(0, MAC_BYTES);
}

/** Signs the claims with the operation's key (base64) into a token for a QR code. */
export function signBoardingToken(claims: BoardingClaims, key: string): string {
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload[0] = PAYLOAD_VERSION;
  uuidToBytes(claims.operationId).copy(payload, 1);
  uuidToBytes(claims.legId).copy(payload, 1 + UUID_BYTES);
  uuidToBytes(claims.personId).copy(payload, 1 + 2 * UUID_BYTES);
  payload.writeUInt32BE(Math.floor(claims.expiresAt / 1000), 1 + 3 * UUID_BYTES);
  return `${PREFIX}.${payload.toString('base64url')}.${mac(payload, key).toString('base64url')}`;
}

type ParsedToken = { claims: BoardingClaims; payload: Buffer; signature: Buffer };

function parse(token: string): ParsedToken | null {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) return null;
  const payload = Buffer.from(parts[1]!, 'base64url');
  const signature = Buffer.from(parts[2]!, 'base64url');
  if (payload.length !== PAYLOAD_BYTES || signature.length !== MAC_BYTES) return null;
  if (payload[0] !== PAYLOAD_VERSION) return null;
  // Re-encoding must give the same text, so that one pass has exactly one valid spelling.
  if (payload.toString('base64url') !== parts[1] || signature.toString('base64url') !== parts[2]) return null;
  return {
    payload,
    signature,
    claims: {
      operationId: bytesToUuid(payload.subarray(1, 1 + UUID_BYTES)),
      legId: bytesToUuid(payload.subarray(1 + UUID_BYTES, 1 + 2 * UUID_BYTES)),
      personId: bytesToUuid(payload.subarray(1 + 2 * UUID_BYTES, 1 + 3 * UUID_BYTES)),
      expiresAt: payload.readUInt32BE(1 + 3 * UUID_BYTES) * 1000,
    },
  };
}

/**
 * The operation a token claims to belong to, read before its signature is checked: only to find the
 * key that checks it. Null when the token is not well formed.
 */
export function claimedOperationId(token: string): string | null {
  return parse(token)?.claims.operationId ?? null;
}

/** The claims of a token signed with `key`, or null when it is malformed, forged or altered. */
export function verifyBoardingToken(token: string, key: string): BoardingClaims | null {
  const parsed = parse(token);
  if (!parsed) return null;
  const expected = mac(parsed.payload, key);
  return timingSafeEqual(expected, parsed.signature) ? parsed.claims : null;
}
