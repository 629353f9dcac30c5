import type { ImportRejectionTable, ImportTable } from '../modules/imports/imports.table.ts';
import type {
  ContactTable,
  HouseholdTable,
  OrganizationTable,
  PersonLanguageTable,
  PersonTable,
  PostJurisdictionTable,
  PostTable,
} from '../modules/registry/registry.table.ts';

/** The whole database as Kysely sees it: each module contributes its tables. */
export type DB = {
  organizations: OrganizationTable;
  posts: PostTable;
  post_jurisdictions: PostJurisdictionTable;
  households: HouseholdTable;
  persons: PersonTable;
  person_languages: PersonLanguageTable;
  contacts: ContactTable;
  imports: ImportTable;
  import_rejections: ImportRejectionTable;
};
