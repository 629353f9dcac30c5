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
import type {
  AlertCountryTable,
  AlertInfoTable,
  AlertRecipientTable,
  AlertTable,
} from '../modules/alerts/alerts.table.ts';
import type { AuditLogTable } from '../modules/audit/audit.table.ts';
import type { IncidentAreaTable, IncidentTable } from '../modules/cap/cap.table.ts';
import type {
  HelpRequestEventTable,
  HelpRequestPhotoTable,
  HelpRequestTable,
} from '../modules/cases/cases.table.ts';
import type {
  DeliveryFanoutTable,
  DeliveryReceiptTable,
  DeliveryTable,
  DirectMessageTable,
} from '../modules/delivery/delivery.table.ts';
import type {
  EvacuationAssemblyPointTable,
  EvacuationBoardingTable,
  EvacuationCostItemTable,
  EvacuationEvacueeTable,
  EvacuationHubTable,
  EvacuationLegTable,
  EvacuationOperationTable,
  EvacuationPassSendTable,
  EvacuationPlacementTable,
  EvacuationPlanTable,
  ReturnCaseTable,
} from '../modules/evacuation/evacuation.table.ts';
import type {
  CallListTable,
  FollowUpPassTable,
  FollowUpTable,
} from '../modules/followups/followups.table.ts';
import type { ImportRejectionTable, ImportTable } from '../modules/imports/imports.table.ts';
import type { InboundMessageTable } from '../modules/inbound/inbound.table.ts';
import type {
  LevelDeclarationTable,
  LevelSchemeTable,
  LevelTaskTable,
  NamedAreaTable,
} from '../modules/levels/levels.table.ts';
import type { MigrantSessionTable, MigrantSignInCodeTable } from '../modules/migrant/migrant.table.ts';
import type {
  ContactTable,
  HouseholdTable,
  OrganizationTable,
  PersonLanguageTable,
  PersonTable,
  PostJurisdictionTable,
  PostTable,
} from '../modules/registry/registry.table.ts';
import type { ResponseTable } from '../modules/responses/responses.table.ts';

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
  incidents: IncidentTable;
  incident_areas: IncidentAreaTable;
  alerts: AlertTable;
  alert_infos: AlertInfoTable;
  alert_countries: AlertCountryTable;
  alert_recipients: AlertRecipientTable;
  deliveries: DeliveryTable;
  delivery_fanouts: DeliveryFanoutTable;
  direct_messages: DirectMessageTable;
  delivery_receipts: DeliveryReceiptTable;
  evacuation_operations: EvacuationOperationTable;
  evacuation_assembly_points: EvacuationAssemblyPointTable;
  evacuation_hubs: EvacuationHubTable;
  evacuation_legs: EvacuationLegTable;
  evacuation_evacuees: EvacuationEvacueeTable;
  evacuation_plans: EvacuationPlanTable;
  evacuation_placements: EvacuationPlacementTable;
  evacuation_boardings: EvacuationBoardingTable;
  evacuation_cost_items: EvacuationCostItemTable;
  evacuation_pass_sends: EvacuationPassSendTable;
  return_cases: ReturnCaseTable;
  responses: ResponseTable;
  inbound_messages: InboundMessageTable;
  help_requests: HelpRequestTable;
  follow_up_passes: FollowUpPassTable;
  follow_ups: FollowUpTable;
  call_list: CallListTable;
  migrant_sign_in_codes: MigrantSignInCodeTable;
  migrant_sessions: MigrantSessionTable;
  help_request_events: HelpRequestEventTable;
  help_request_photos: HelpRequestPhotoTable;
};
