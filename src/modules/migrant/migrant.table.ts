import type { Selectable } from 'kysely';

// Timestamps are ISO-8601 UTC strings (they compare as text).

/** A one-time sign-in code asked for a contact (registered or not). */
export type MigrantSignInCodeTable = {
  id: string;
  /** SHA-256 of the normalised contact, `phone:+9715…` or `email:…`. */
  contact_key: string;
  /** The registered person the contact belongs to; null when nobody has it. */
  person_id: string | null;
  /** sms | email: where the code was sent; null when it was not sent. */
  channel: string | null;
  /** argon2id hash of the 6-digit code. */
  code_hash: string;
  /** SHA-256 of the client address, for the per-address limit. */
  ip_key: string | null;
  /** Codes tried against this row so far. */
  attempts: number;
  created_at: string;
  expires_at: string;
  /** When the code was used (or superseded); a used code never works again. */
  used_at: string | null;
};

/** A signed-in person's session in the migrant app. */
export type MigrantSessionTable = {
  /** SHA-256 of the session token in the cookie. */
  id: string;
  person_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
};

export type MigrantSignInCodeRow = Selectable<MigrantSignInCodeTable>;
export type MigrantSessionRow = Selectable<MigrantSessionTable>;
