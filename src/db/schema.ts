import type {
  AgreementTable,
  ApiTokenTable,
  ConsentTable,
  EmergencyOverrideTable,
  EncryptionKeyTable,
  ErasedPersonTable,
  SessionTable,
  UserTable,
} from '../modules/access/access.table.ts';
import type { AuditLogTable } from '../modules/audit/audit.table.ts';
import type { ImportRejectionTable, ImportTable } from '../modules/imports/imports.table.ts';
import type { LevelDeclarationTable, LevelSchemeTable, LevelTaskTable, NamedAreaTable } from '../modules/levels/levels.table.ts';
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
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  agreements: AgreementTable;
  consents: ConsentTable;
  emergency_overrides: EmergencyOverrideTable;
  audit_log: AuditLogTable;
  encryption_keys: EncryptionKeyTable;
  erased_persons: ErasedPersonTable;
  level_schemes: LevelSchemeTable;
  named_areas: NamedAreaTable;
  level_declarations: LevelDeclarationTable;
  level_tasks: LevelTaskTable;
};
