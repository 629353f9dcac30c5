/**
 * Who may do what to which record: one function answers (viewer, action, resource) with allow or deny
 * and, for persons, which categories of fields the viewer may see. Mappers apply that visibility.
 * Pure: every fact it needs (agreements, consents, overrides, jurisdiction) comes in as data.
 */

export const ROLES = [
  'hq_admin',
  'crisis_manager',
  'consular_officer',
  'partner_caseworker',
  'employer_liaison',
  'host_authority',
  'analyst',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that see personal data, and so must pass a TOTP second factor. */
export const ROLES_REQUIRING_TOTP: ReadonlySet<Role> = new Set([
  'hq_admin',
  'crisis_manager',
  'consular_officer',
  'partner_caseworker',
  'employer_liaison',
  'auditor',
]);

/** Route-level actions. Every route names exactly one; a route without one is refused at start-up. */
export const ACTIONS = [
  'public',
  'session',
  'persons.read',
  'persons.write',
  'persons.erase',
  'registry.read',
  'registry.write',
  'imports.run',
  'users.manage',
  'agreements.read',
  'agreements.manage',
  'consents.write',
  'overrides.create',
  'audit.read',
  'aggregates.read',
  'levels.read',
  'levels.declare',
  'schemes.manage',
  'tasks.work',
  'alerts.read',
  'alerts.draft',
  'alerts.approve',
  'alerts.issue',
  'cap.import',
  'delivery.read',
  'responses.record',
  'cases.read',
  'cases.work',
  'cases.direct',
  'evacuation.plan',
  'evacuation.board',
  'board.read',
  'board.people',
  'calls.work',
  'self.read',
  'self.respond',
  'self.help',
  'self.manage',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Actions of the migrant app: a signed-in person acting on their own record only. No staff role holds
 * them, and a migrant session holds nothing else.
 */
export const SELF_ACTIONS = ['self.read', 'self.respond', 'self.help', 'self.manage'] as const;
export type SelfAction = (typeof SELF_ACTIONS)[number];
export const isSelfAction = (action: Action): action is SelfAction =>
  (SELF_ACTIONS as readonly string[]).includes(action);

const GRANTS: Record<Role, ReadonlySet<Action>> = {
  hq_admin: new Set<Action>([
    'persons.read',
    'persons.write',
    'persons.erase',
    'registry.read',
    'registry.write',
    'imports.run',
    'users.manage',
    'agreements.read',
    'agreements.manage',
    'consents.write',
    'overrides.create',
    'aggregates.read',
    'levels.read',
    'schemes.manage',
    'tasks.work',
    'alerts.read',
    'alerts.draft',
    'alerts.issue',
    'cap.import',
    'delivery.read',
    'responses.record',
    'cases.read',
    'cases.work',
    'cases.direct',
    'evacuation.plan',
    'evacuation.board',
    'board.read',
    'board.people',
    'calls.work',
  ]),
  crisis_manager: new Set<Action>([
    'persons.read',
    'registry.read',
    'agreements.read',
    'overrides.create',
    'aggregates.read',
    'levels.read',
    'levels.declare',
    'tasks.work',
    'alerts.read',
    'alerts.draft',
    'alerts.approve',
    'alerts.issue',
    'cap.import',
    'delivery.read',
    'responses.record',
    'cases.read',
    'cases.work',
    'cases.direct',
    'evacuation.plan',
    'evacuation.board',
    'board.read',
    'board.people',
    'calls.work',
  ]),
  consular_officer: new Set<Action>([
    'persons.read',
    'persons.write',
    'persons.erase',
    'registry.read',
    'imports.run',
    'consents.write',
    'overrides.create',
    'aggregates.read',
    'levels.read',
    'tasks.work',
    'alerts.read',
    'alerts.draft',
    'alerts.issue',
    'cap.import',
    'delivery.read',
    'responses.record',
    'cases.read',
    'cases.work',
    'cases.direct',
    'evacuation.plan',
    'evacuation.board',
    'board.read',
    'board.people',
    'calls.work',
  ]),
  partner_caseworker: new Set<Action>([
    'persons.read',
    'registry.read',
    'overrides.create',
    'levels.read',
    'cases.read',
    'cases.work',
  ]),
  employer_liaison: new Set<Action>(['persons.read', 'levels.read']),
  host_authority: new Set<Action>(['aggregates.read', 'levels.read', 'board.read']),
  analyst: new Set<Action>(['aggregates.read', 'levels.read', 'board.read']),
  auditor: new Set<Action>(['audit.read']),
};

/**
 * Categories of a person's fields; a viewer sees a person through some of them. `name` is the names
 * only; `identity` adds sex, age, nationality, languages, household and employer.
 */
export const FIELD_CATEGORIES = [
  'name',
  'identity',
  'contact',
  'location',
  'vulnerabilities',
  'case_notes',
  'safety',
] as const;
export type FieldCategory = (typeof FIELD_CATEGORIES)[number];
const ALL_FIELDS: ReadonlySet<FieldCategory> = new Set(FIELD_CATEGORIES);

/** Categories an agreement may grant to a partner. Name and identity come with any agreement. */
export const AGREEMENT_CATEGORIES = ['contact', 'location', 'vulnerabilities', 'case_notes'] as const;
export type AgreementCategory = (typeof AGREEMENT_CATEGORIES)[number];

export type ActiveAgreement = {
  id: string;
  purpose: string;
  categories: AgreementCategory[];
  /** Empty means any country / any nationality. */
  countries: string[];
  nationalities: string[];
};

export type Viewer = {
  userId: string;
  role: Role;
  organizationId: string;
  /** Countries of the officer's post. */
  jurisdiction: string[];
  /** Active agreements of the viewer's organisation (partners only). */
  agreements: ActiveAgreement[];
};

/** The facts about one person that access depends on. */
export type PersonFacts = {
  country: string | null;
  nationality: string | null;
  employerId: string | null;
  /** Organisations the person has consented to share with (null: any partner under an agreement). */
  consentedTo: (string | null)[];
  /** Whether the viewer holds an unexpired emergency override for this person. */
  emergencyOverride: boolean;
};

export type Decision =
  | { allow: true; fields: ReadonlySet<FieldCategory>; purpose?: string; emergency?: boolean }
  | { allow: false; code: string };

/** Whether the role may attempt the action at all, before looking at any record. */
export const roleMayAct = (role: Role, action: Action): boolean =>
  action === 'public' || action === 'session' || GRANTS[role].has(action);

function agreementCovers(a: ActiveAgreement, p: PersonFacts): boolean {
  const country = a.countries.length === 0 || (p.country !== null && a.countries.includes(p.country));
  const nationality =
    a.nationalities.length === 0 || (p.nationality !== null && a.nationalities.includes(p.nationality));
  return country && nationality;
}

/**
 * Decides whether the viewer may perform `action` on one person, and what they may see of them.
 * Denials say `access.denied_record` whatever the reason, so that "not yours" and "does not exist"
 * look alike from outside; the audit log keeps the precise reason.
 */
export function authorizePerson(
  viewer: Viewer,
  action: Action,
  person: PersonFacts,
): Decision & { reason?: string } {
  if (!roleMayAct(viewer.role, action)) return { allow: false, code: 'access.forbidden', reason: 'role' };
  switch (viewer.role) {
    case 'hq_admin':
    case 'crisis_manager':
      return { allow: true, fields: ALL_FIELDS };
    case 'consular_officer':
      if (person.country !== null && viewer.jurisdiction.includes(person.country))
        return { allow: true, fields: ALL_FIELDS };
      if (person.emergencyOverride && action === 'persons.read')
        return { allow: true, fields: ALL_FIELDS, emergency: true };
      return { allow: false, code: 'access.denied_record', reason: 'outside_jurisdiction' };
    case 'partner_caseworker': {
      if (action !== 'persons.read') return { allow: false, code: 'access.forbidden', reason: 'role' };
      const covering = viewer.agreements.filter((a) => agreementCovers(a, person));
      const consented = person.consentedTo.some((org) => org === null || org === viewer.organizationId);
      if (covering.length > 0 && consented) {
        const fields = new Set<FieldCategory>(['name', 'identity', 'safety']);
        for (const a of covering) for (const c of a.categories) fields.add(c);
        return { allow: true, fields, purpose: covering.map((a) => a.purpose).join('; ') };
      }
      if (person.emergencyOverride)
        return {
          allow: true,
          fields: new Set<FieldCategory>(['name', 'identity', 'contact', 'location', 'safety']),
          emergency: true,
        };
      return {
        allow: false,
        code: 'access.denied_record',
        reason: covering.length === 0 ? 'no_agreement' : 'no_consent',
      };
    }
    case 'employer_liaison':
      if (action !== 'persons.read') return { allow: false, code: 'access.forbidden', reason: 'role' };
      if (person.employerId !== null && person.employerId === viewer.organizationId) {
        return { allow: true, fields: new Set<FieldCategory>(['name', 'safety']) };
      }
      return { allow: false, code: 'access.denied_record', reason: 'not_employer' };
    case 'host_authority':
    case 'analyst':
    case 'auditor':
      return { allow: false, code: 'access.forbidden', reason: 'aggregates_only' };
    default: {
      const exhaustive: never = viewer.role;
      return exhaustive;
    }
  }
}

/**
 * The rows a viewer may list, as a declarative scope the repository turns into SQL. Each listed row is
 * still passed through authorizePerson for its fields.
 */
export type PersonScope =
  | { kind: 'all' }
  | { kind: 'countries'; countries: string[] }
  | { kind: 'employer'; organizationId: string }
  | { kind: 'partner'; organizationId: string; agreements: ActiveAgreement[] }
  | { kind: 'none' };

export function personScope(viewer: Viewer): PersonScope {
  switch (viewer.role) {
    case 'hq_admin':
    case 'crisis_manager':
      return { kind: 'all' };
    case 'consular_officer':
      return { kind: 'countries', countries: viewer.jurisdiction };
    case 'employer_liaison':
      return { kind: 'employer', organizationId: viewer.organizationId };
    case 'partner_caseworker':
      return viewer.agreements.length
        ? { kind: 'partner', organizationId: viewer.organizationId, agreements: viewer.agreements }
        : { kind: 'none' };
    default:
      return { kind: 'none' };
  }
}
