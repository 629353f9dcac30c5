import type { Migration } from 'kysely';
import * as m0001 from './0001_organizations.ts';
import * as m0002 from './0002_posts.ts';
import * as m0003 from './0003_households.ts';
import * as m0004 from './0004_persons.ts';
import * as m0005 from './0005_person_languages.ts';
import * as m0006 from './0006_contacts.ts';
import * as m0007 from './0007_imports.ts';
import * as m0008 from './0008_users.ts';
import * as m0009 from './0009_sessions.ts';
import * as m0010 from './0010_api_tokens.ts';
import * as m0011 from './0011_agreements.ts';
import * as m0012 from './0012_consents.ts';
import * as m0013 from './0013_emergency_overrides.ts';
import * as m0014 from './0014_audit_log.ts';
import * as m0015 from './0015_encryption_keys.ts';
import * as m0016 from './0016_erasures.ts';

/** Every migration, keyed by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '0001_organizations': m0001,
  '0002_posts': m0002,
  '0003_households': m0003,
  '0004_persons': m0004,
  '0005_person_languages': m0005,
  '0006_contacts': m0006,
  '0007_imports': m0007,
  '0008_users': m0008,
  '0009_sessions': m0009,
  '0010_api_tokens': m0010,
  '0011_agreements': m0011,
  '0012_consents': m0012,
  '0013_emergency_overrides': m0013,
  '0014_audit_log': m0014,
  '0015_encryption_keys': m0015,
  '0016_erasures': m0016,
};
