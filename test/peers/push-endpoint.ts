// A loopback Web Push service (HTTPS, node:https) for tests. It plays both ends a real push goes
// through: it hands out subscriptions the way a browser makes them (a P-256 key pair and an auth secret)
// and checks each push request the way a push service does — `Content-Encoding: aes128gcm`, a `TTL`
// header, `Authorization: vapid t=<JWT>, k=<key>` with an ES256 JWT whose signature verifies under k,
// whose audience is this origin and which expires within 24 hours — then decrypts the payload
// (RFC 8291 / RFC 8188) as the browser would. It answers 201, 404 for an unknown subscription, 410 for
// one marked gone, or whatever the test queues with `respondNext`.
import { createDecipheriv, createECDH, createHmac, createPublicKey, randomBytes, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** The certificate the endpoint serves (self-signed, for 127.0.0.1); clients trust it explicitly. */
export const LOOPBACK_CA = readFileSync(new URL('./tls/loopback-cert.pem', import.meta.url), 'utf8');
const LOOPBACK_KEY = readFileSync(new URL('./tls/loopback-key.pem', import.meta.url), 'utf8');

export type PushSubscriptionJson = { endpoint: string; keys: { p256dh: string; auth: string } };

/** A push the service accepted, with its payload as the browser decrypted it. */
export type ReceivedPush = {
  subscriptionId: string;
  ttl: number;
  urgency: string | undefined;
  topic: string | undefined;
  vapidKey: string;
  vapidSubject: string;
  payload: string;
};

/** A push the service refused, with the reason it gave. */
export type RefusedPush = { status: number; reason: string };

export type PushEndpoint = {
  readonly port: number;
  readonly origin: string;
  readonly received: ReceivedPush[];
  readonly refused: RefusedPush[];
  /** A new subscription, optionally bound to an application server (VAPID) key as browsers do. */
  subscribe(options?: { applicationServerKey?: string }): PushSubscriptionJson;
  /** Makes the subscription answer 410 Gone from now on. */
  markGone(subscription: PushSubscriptionJson): void;
  /** Answers the next request with this status and headers, before any check. */
  respondNext(status: number, headers?: Record<string, string>): void;
  /** Never answers the next request (the connection stays open until the client gives up). */
  stallNext(): void;
  close(): Promise<void>;
};

type Subscription = { ecdh: ReturnType<typeof createECDH>; auth: Buffer; serverKey?: string; gone: boolean };

const MAX_BODY = 4096;

/** Starts the push endpoint on https://127.0.0.1 and an ephemeral port. */
export async function startPushEndpoint(): Promise<PushEndpoint> {
  const subscriptions = new Map<string, Subscription>();
  const received: ReceivedPush[] = [];
  const refused: RefusedPush[] = [];
  const forced: ({ status: number; headers: Record<string, string> } | 'stall')[] = [];
  let origin = '';

  const refuse = (res: ServerResponse, status: number, reason: string) => {
    refused.push({ status, reason });
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ reason }));
  };

  const handle = (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    const next = forced.shift();
    if (next === 'stall') return;
    if (next) {
      res.writeHead(next.status, next.headers);
      res.end();
      return;
    }
    const id = /^\/push\/([\w-]+)$/.exec(req.url ?? '')?.[1];
    const subscription = id ? subscriptions.get(id) : undefined;
    if (req.method !== 'POST' || !id || !subscription) return refuse(res, 404, 'unknown subscription');
    if (subscription.gone) return refuse(res, 410, 'subscription expired');
    if (body.length > MAX_BODY) return refuse(res, 413, 'payload too large');
    if (req.headers['content-encoding'] !== 'aes128gcm')
      return refuse(res, 400, 'content encoding not aes128gcm');
    const ttlHeader = req.headers.ttl;
    if (typeof ttlHeader !== 'string' || !/^\d+$/.test(ttlHeader))
      return refuse(res, 400, 'missing or bad TTL');
    const urgency = req.headers.urgency as string | undefined;
    if (urgency !== undefined && !['very-low', 'low', 'normal', 'high'].includes(urgency)) {
      return refuse(res, 400, 'bad Urgency');
    }
    const vapid = checkVapid(req.headers.authorization, origin);
    if (!vapid.ok) return refuse(res, 401, vapid.reason);
    if (subscription.serverKey && subscription.serverKey !== vapid.key) {
      return refuse(res, 403, 'VAPID key does not match the subscription');
    }
    let payload: string;
    try {
      payload = decryptAes128gcm(body, subscription.ecdh, subscription.auth).toString('utf8');
    } catch {
      return refuse(res, 400, 'payload does not decrypt');
    }
    received.push({
      subscriptionId: id,
      ttl: Number(ttlHeader),
      urgency,
      topic: req.headers.topic as string | undefined,
      vapidKey: vapid.key,
      vapidSubject: vapid.subject,
      payload,
    });
    res.writeHead(201, { Location: `${origin}/message/${randomBytes(8).toString('hex')}` });
    res.end();
  };

  const server = createServer({ cert: LOOPBACK_CA, key: LOOPBACK_KEY }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, Buffer.concat(chunks), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `https://127.0.0.1:${port}`;

  return {
    port,
    origin,
    received,
    refused,
    subscribe(options = {}) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const id = randomBytes(12).toString('base64url');
      subscriptions.set(id, { ecdh, auth, serverKey: options.applicationServerKey, gone: false });
      return {
        endpoint: `${origin}/push/${id}`,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
      };
    },
    markGone(subscription) {
      const id = subscription.endpoint.split('/').pop() ?? '';
      const entry = subscriptions.get(id);
      if (entry) entry.gone = true;
    },
    respondNext(status, headers = {}) {
      forced.push({ status, headers });
    },
    stallNext() {
      forced.push('stall');
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// RFC 8292: `vapid t=<JWT>, k=<uncompressed P-256 public key, base64url>`, the JWT signed with ES256.
function checkVapid(
  header: string | undefined,
  audience: string,
): { ok: true; key: string; subject: string } | { ok: false; reason: string } {
  const match = /^vapid\s+(.+)$/i.exec(header ?? '');
  if (!match) return { ok: false, reason: 'no vapid authorization' };
  const params = new Map(
    match[1]!.split(',').map((part) => {
      const eq = part.indexOf('=');
      return [part.slice(0, eq).trim(), part.slice(eq + 1).trim()] as [string, string];
    }),
  );
  const token = params.get('t');
  const key = params.get('k');
  if (!token || !key) return { ok: false, reason: 'vapid t or k missing' };
  const [head, claims, signature] = token.split('.');
  if (!head || !claims || !signature) return { ok: false, reason: 'malformed JWT' };
  const point = Buffer.from(key, 'base64url');
  if (point.length !== 65 || point[0] !== 0x04)
    return { ok: false, reason: 'k is not an uncompressed P-256 key' };
  let joseHeader: { alg?: string };
  let payload: { aud?: string; exp?: number; sub?: string };
  try {
    joseHeader = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed JWT' };
  }
  if (joseHeader.alg !== 'ES256') return { ok: false, reason: 'JWT not ES256' };
  const publicKey = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
  const valid = verify(
    'sha256',
    Buffer.from(`${head}.${claims}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!valid) return { ok: false, reason: 'JWT signature does not verify' };
  if (payload.aud !== audience) return { ok: false, reason: 'JWT audience is not this origin' };
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.exp !== 'number' || payload.exp <= now || payload.exp > now + 24 * 3600) {
    return { ok: false, reason: 'JWT expiry missing, past or over 24 hours away' };
  }
  if (typeof payload.sub !== 'string' || !/^(mailto:|https:)/.test(payload.sub)) {
    return { ok: false, reason: 'JWT subject is not a mailto: or https: URL' };
  }
  return { ok: true, key, subject: payload.sub };
}

function hmac(key: Buffer, ...data: Buffer[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of data) mac.update(part);
  return mac.digest();
}

// RFC 8291 §3.4 key derivation, then RFC 8188 records: salt(16) rs(4) idlen(1) keyid(idlen) records…
function decryptAes128gcm(body: Buffer, ecdh: ReturnType<typeof createECDH>, authSecret: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20]!;
  const senderKey = body.subarray(21, 21 + idLength);
  const records = body.subarray(21 + idLength);
  const userKey = ecdh.getPublicKey();
  const shared = ecdh.computeSecret(senderKey);
  const prkKey = hmac(authSecret, shared);
  const ikm = hmac(prkKey, Buffer.from('WebPush: info\0'), userKey, senderKey, Buffer.from([1]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0'), Buffer.from([1])).subarray(0, 16);
  const baseNonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0'), Buffer.from([1])).subarray(0, 12);
  const plain: Buffer[] = [];
  for (let offset = 0, sequence = 0; offset < records.length; offset += recordSize, sequence += 1) {
    const record = records.subarray(offset, offset + recordSize);
    const nonce = Buffer.from(baseNonce);
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ sequence) >>> 0, 8);
    const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end -= 1;
    if (end < 0 || (padded[end] !== 1 && padded[end] !== 2)) throw new Error('bad padding delimiter');
    plain.push(padded.subarray(0, end));
  }
  return Buffer.concat(plain);
}
