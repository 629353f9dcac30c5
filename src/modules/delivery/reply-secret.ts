import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { DB } from '../../db/schema.ts';
import { keyFingerprint, unwrapKey } from '../../lib/crypto.ts';

// The data key outlives master-key rotations, so reply links sent before a rotation keep working.
function masterKeys(source: Config['masterKey']): Buffer[] {
  if (source.kind === 'env') return [source.value];
  return [source.file, `${source.file}.next`]
    .filter((file) => existsSync(file))
    .map((file) => Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
}

/**
 * The secret that signs reply links: HAVEN_REPLY_TOKEN_SECRET when set, otherwise derived from the
 * deployment's data key (HMAC-SHA256 of a fixed label), so every web and worker process of a deployment
 * agrees on it without another secret to distribute. Throws when neither is available.
 */
export async function loadReplyTokenSecret(
  db: Kysely<DB>,
  masterKey: Config['masterKey'],
  explicit: Buffer | null,
): Promise<Buffer> {
  if (explicit) return explicit;
  const stored = await db
    .selectFrom('encryption_keys')
    .select(['wrapped_key', 'master_fingerprint'])
    .orderBy('created_at')
    .executeTakeFirst();
  if (!stored) throw new Error('no data key yet: open the database with openAppDatabase first');
  const master = masterKeys(masterKey).find((key) => keyFingerprint(key) === stored.master_fingerprint);
  if (!master) throw new Error('the master key does not open the data key; reply links cannot be signed');
  const dataKey = unwrapKey(stored.wrapped_key, master);
  return createHmac('sha256', dataKey).update('haven/reply-token-secret/v1').digest();
}
