import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** Prefix of every encrypted column value: scheme version 1 is AES-256-GCM with a 96-bit random IV. */
export const ENCRYPTED_PREFIX = 'enc1:';

function seal(key: Buffer, plain: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function open(key: Buffer, sealed: Buffer): Buffer {
  if (sealed.length < 28) throw new Error('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
}

/** Encrypts and decrypts field values with the data key. Tampered values fail authentication. */
export class FieldCipher {
  constructor(private readonly dataKey: Buffer) {
    if (dataKey.length !== 32) throw new Error('data key must be 32 bytes');
  }
  encrypt(plain: string): string {
    return ENCRYPTED_PREFIX + seal(this.dataKey, Buffer.from(plain, 'utf8')).toString('base64');
  }
  decrypt(value: string): string {
    if (!value.startsWith(ENCRYPTED_PREFIX)) return value;
    return open(this.dataKey, Buffer.from(value.slice(ENCRYPTED_PREFIX.length), 'base64')).toString('utf8');
  }
}

/** Wraps (encrypts) a data key under a master key, for storage beside the data. */
export const wrapKey = (dataKey: Buffer, masterKey: Buffer): string =>
  seal(masterKey, dataKey).toString('base64');

/** Unwraps a stored data key; throws when the master key is not the one that wrapped it. */
export const unwrapKey = (wrapped: string, masterKey: Buffer): Buffer =>
  open(masterKey, Buffer.from(wrapped, 'base64'));

/** A short public fingerprint of a master key, to tell which key wrapped a data key without revealing it. */
export const keyFingerprint = (key: Buffer): string =>
  createHash('sha256').update(key).digest('hex').slice(0, 16);

export const newKey = (): Buffer => randomBytes(32);

export const sha256Hex = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');
