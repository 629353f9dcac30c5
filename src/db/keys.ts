import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';

export type MasterKeySource = Config['masterKey'];

import { FieldCipher, keyFingerprint, newKey, unwrapKey, wrapKey } from '../lib/crypto.ts';
import { newId } from '../lib/ids.ts';
import type { DB } from './schema.ts';

/** Why the data key cannot be opened or rotated; `code` is stable, for the CLI and the operator's runbook. */
export type KeyErrorCode =
  | 'keys.no_master_key'
  | 'keys.bad_key_file'
  | 'keys.master_key_mismatch'
  | 'keys.no_data_key';

/** Thrown when the master key cannot unwrap the stored data key: data would be unreadable, so Haven stops. */
export class KeyError extends Error {
  override name = 'KeyError';
  readonly code: KeyErrorCode;

  constructor(code: KeyErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

function readKeyFile(file: string): Buffer {
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32)
    throw new KeyError('keys.bad_key_file', `master key file ${file} does not hold 32 bytes in base64`);
  return key;
}

function writeKeyFile(file: string, key: Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * The master key candidates, most likely first. A rotation writes `<file>.next` before it re-wraps the
 * data key and renames it afterwards, so a crash in between leaves a key that still opens the data.
 */
function masterKeyCandidates(
  source: MasterKeySource,
  create: boolean,
): { key: Buffer; promote?: () => void }[] {
  if (source.kind === 'env') return [{ key: source.value }];
  const file = source.file;
  const next = `${file}.next`;
  const out: { key: Buffer; promote?: () => void }[] = [];
  if (existsSync(file)) out.push({ key: readKeyFile(file) });
  if (existsSync(next)) out.push({ key: readKeyFile(next), promote: () => renameSync(next, file) });
  if (out.length === 0 && create) {
    const key = newKey();
    writeKeyFile(file, key);
    out.push({ key });
  }
  return out;
}

/**
 * Loads (or, on first start, creates) the data key, unwrapped with the configured master key.
 * Returns the cipher that the database's encryption plugin uses.
 */
export async function loadDataCipher(db: Kysely<DB>, source: MasterKeySource): Promise<FieldCipher> {
  const stored = await db.selectFrom('encryption_keys').selectAll().orderBy('created_at').executeTakeFirst();
  const candidates = masterKeyCandidates(source, !stored);
  if (candidates.length === 0) {
    throw new KeyError(
      'keys.no_master_key',
      'no master key: set HAVEN_MASTER_KEY or restore the master key file (HAVEN_MASTER_KEY_FILE)',
    );
  }
  if (!stored) {
    const dataKey = newKey();
    const master = candidates[0]!.key;
    await db
      .insertInto('encryption_keys')
      .values({
        id: newId(),
        wrapped_key: wrapKey(dataKey, master),
        master_fingerprint: keyFingerprint(master),
        created_at: new Date().toISOString(),
        rewrapped_at: null,
      })
      .execute();
    return new FieldCipher(dataKey);
  }
  for (const c of candidates) {
    if (keyFingerprint(c.key) !== stored.master_fingerprint) continue;
    const dataKey = unwrapKey(stored.wrapped_key, c.key);
    c.promote?.();
    return new FieldCipher(dataKey);
  }
  throw new KeyError(
    'keys.master_key_mismatch',
    'the master key does not match the one that wrapped the data key (wrong HAVEN_MASTER_KEY or key file)',
  );
}

/**
 * Re-wraps the data key under a new master key. With a key file, the new key replaces the file (the old
 * one is kept as `<file>.old`); with HAVEN_MASTER_KEY, the new key is returned for the operator to set.
 */
export async function rotateMasterKey(
  db: Kysely<DB>,
  source: MasterKeySource,
): Promise<{ fingerprint: string; newKeyBase64?: string; file?: string }> {
  const stored = await db.selectFrom('encryption_keys').selectAll().orderBy('created_at').executeTakeFirst();
  if (!stored) throw new KeyError('keys.no_data_key', 'no data key yet: start Haven once before rotating');
  const current = masterKeyCandidates(source, false).find(
    (c) => keyFingerprint(c.key) === stored.master_fingerprint,
  );
  if (!current)
    throw new KeyError(
      'keys.master_key_mismatch',
      'the configured master key does not open the data key; rotation refused',
    );
  const dataKey = unwrapKey(stored.wrapped_key, current.key);
  current.promote?.();
  const next = newKey();
  const fingerprint = keyFingerprint(next);
  if (source.kind === 'file') {
    const file = source.file;
    writeKeyFile(`${file}.next`, next);
    await db
      .updateTable('encryption_keys')
      .set({
        wrapped_key: wrapKey(dataKey, next),
        master_fingerprint: fingerprint,
        rewrapped_at: new Date().toISOString(),
      })
      .where('id', '=', stored.id)
      .execute();
    if (existsSync(file)) renameSync(file, `${file}.old`);
    renameSync(`${file}.next`, file);
    return { fingerprint, file };
  }
  await db
    .updateTable('encryption_keys')
    .set({
      wrapped_key: wrapKey(dataKey, next),
      master_fingerprint: fingerprint,
      rewrapped_at: new Date().toISOString(),
    })
    .where('id', '=', stored.id)
    .execute();
  return { fingerprint, newKeyBase64: next.toString('base64') };
}
