export type UserTable = {
  id: string;
  email: string;
  organization_id: string;
  post_id: string | null;
  role: string;
  password_hash: string;
  must_change_password: number;
  /** TOTP secret, encrypted at rest by the database's encryption plugin. */
  totp_secret_enc: string | null;
  totp_enabled: number;
  /** The last accepted TOTP time step: a code is never accepted twice. */
  totp_last_step: number | null;
  failed_logins: number;
  locked_until: string | null;
  disabled: number;
  created_at: string;
  updated_at: string;
};

export type SessionTable = {
  id: string;
  user_id: string;
  csrf_token: string;
  mfa_passed: number;
  created_at: string;
  expires_at: string;
};

export type ApiTokenTable = {
  id: string;
  user_id: string;
  token_hash: string;
  label: string | null;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
};

export type AgreementTable = {
  id: string;
  partner_org_id: string;
  purpose: string;
  /** JSON array of data categories: contact, location, vulnerabilities, case_notes. */
  categories: string;
  /** JSON arrays of ISO alpha-2 codes; empty means no restriction on that axis. */
  scope_countries: string;
  scope_nationalities: string;
  starts_on: string;
  ends_on: string;
  ended_at: string | null;
  created_by: string;
  created_at: string;
};

export type ConsentTable = {
  id: string;
  person_id: string;
  organization_id: string | null;
  status: string;
  channel: string;
  recorded_by: string | null;
  recorded_at: string;
};

export type EmergencyOverrideTable = {
  id: string;
  user_id: string;
  person_id: string;
  reason: string;
  created_at: string;
  expires_at: string;
};

export type EncryptionKeyTable = {
  id: string;
  wrapped_key: string;
  master_fingerprint: string;
  created_at: string;
  rewrapped_at: string | null;
};

export type ErasedPersonTable = {
  id: string;
  erased_at: string;
  location_country: string | null;
  nationality: string | null;
  sex: string;
  age_band: string;
};
