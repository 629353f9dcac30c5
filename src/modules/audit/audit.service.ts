import type { Kysely, Transaction } from 'kysely';
import type { Dialect } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { sha256Hex } from '../../lib/crypto.ts';
import { auditPage, insertAuditRow, lockChainHead } from './audit.repository.ts';
import type { AuditLogTable } from './audit.table.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** One thing that happened, as the caller describes it; the chain fields are added on append. */
export type AuditEntry = {
  actorUserId: string | null;
  actorRole: string | null;
  action: string;
  outcome: 'allowed' | 'denied' | 'done';
  personIds: string[];
  purpose?: string | null;
  ip?: string | null;
  emergency?: boolean;
  details?: Record<string, string | number | boolean | null>;
};

/** JSON with keys sorted at every level: the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

type Unchained = Omit<AuditLogTable, 'prev_hash' | 'hash'>;

/** The hash of an entry: SHA-256 over the previous hash and the entry's canonical JSON. */
export const entryHash = (prevHash: string, row: Unchained): string =>
  sha256Hex(`${prevHash}\n${canonicalJson(row)}`);

/**
 * Appends an entry to the hash chain inside the caller's transaction, so the entry exists if and
 * only if the action it records was committed.
 */
export async function appendAudit(
  trx: Transaction<DB>,
  dialect: Dialect,
  e: AuditEntry,
  now = new Date(),
): Promise<void> {
  const head = await lockChainHead(trx, dialect);
  const row: Unchained = {
    seq: (head?.seq ?? 0) + 1,
    at: now.toISOString(),
    actor_user_id: e.actorUserId,
    actor_role: e.actorRole,
    action: e.action,
    outcome: e.outcome,
    person_ids: JSON.stringify(e.personIds),
    purpose: e.purpose ?? null,
    ip: e.ip ?? null,
    emergency: e.emergency ? 1 : 0,
    details: canonicalJson(e.details ?? {}),
  };
  const prev = head?.hash ?? GENESIS_HASH;
  await insertAuditRow(trx, { ...row, prev_hash: prev, hash: entryHash(prev, row) });
}

/** Appends an entry in a transaction of its own (for refusals, which roll back nothing). */
export async function recordAudit(db: Kysely<DB>, dialect: Dialect, e: AuditEntry): Promise<void> {
  await db.transaction().execute((trx) => appendAudit(trx, dialect, e));
}

export type ChainCheck =
  | { ok: true; entries: number }
  | { ok: false; entries: number; brokenAt: number; reason: string };

/** Walks the whole chain and names the first entry whose link or content does not check out. */
export async function verifyAuditChain(
  db: Kysely<DB>,
  onProgress?: (checked: number) => void,
): Promise<ChainCheck> {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const page = await auditPage(db, expectedSeq - 1, 5000);
    if (page.length === 0) return { ok: true, entries: checked };
    for (const r of page) {
      if (r.seq !== expectedSeq)
        return {
          ok: false,
          entries: checked,
          brokenAt: expectedSeq,
          reason: `entry ${expectedSeq} is missing`,
        };
      if (r.prev_hash !== prev)
        return {
          ok: false,
          entries: checked,
          brokenAt: r.seq,
          reason: 'link to the previous entry does not match',
        };
      const { prev_hash: _p, hash, ...rest } = r;
      if (entryHash(prev, rest) !== hash)
        return { ok: false, entries: checked, brokenAt: r.seq, reason: 'content does not match its hash' };
      prev = hash;
      expectedSeq++;
      checked++;
    }
    onProgress?.(checked);
  }
}
