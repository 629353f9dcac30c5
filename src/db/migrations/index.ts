import type { Migration } from 'kysely';
import * as m0001 from './0001_organizations.ts';
import * as m0002 from './0002_posts.ts';
import * as m0003 from './0003_households.ts';
import * as m0004 from './0004_persons.ts';
import * as m0005 from './0005_person_languages.ts';
import * as m0006 from './0006_contacts.ts';
import * as m0007 from './0007_imports.ts';

/** Every migration, keyed by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '0001_organizations': m0001,
  '0002_posts': m0002,
  '0003_households': m0003,
  '0004_persons': m0004,
  '0005_person_languages': m0005,
  '0006_contacts': m0006,
  '0007_imports': m0007,
};
