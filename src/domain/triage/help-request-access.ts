import {
  authorizePerson,
  FIELD_CATEGORIES,
  type FieldCategory,
  type PersonFacts,
  type Viewer,
} from '../access/policy.ts';
import type { TriageReason } from './triage-help-request.ts';

const ALL_FIELDS: ReadonlySet<FieldCategory> = new Set(FIELD_CATEGORIES);

/**
 * What a viewer may do with one help request. Reading follows the person's record (jurisdiction for a
 * post, agreement plus consent for a partner, the emergency override for a life-saving read), and a
 * post's officers also reach every request in their post's queue; a partner sees only requests
 * referred to its own organisation. Working a request (assigning, notes, closing)
 * needs the ordinary right, never the emergency one. Referring is the origin state's decision.
 */
export type HelpRequestAccess =
  | {
      allow: true;
      fields: ReadonlySet<FieldCategory>;
      emergency: boolean;
      purpose: string | null;
      canWork: boolean;
      /** Refer, take back, change status: the post's and headquarters' decisions. */
      canDirect: boolean;
    }
  | { allow: false; reason: string };

/** Decides what `viewer` may do with a request about the person described by `person`. */
export function authorizeHelpRequest(
  viewer: Viewer,
  request: {
    referredTo: string | null;
    /** The jurisdiction of the post whose queue holds the request. */
    postCountries: readonly string[];
  },
  person: PersonFacts,
): HelpRequestAccess {
  switch (viewer.role) {
    case 'hq_admin':
    case 'crisis_manager':
    case 'consular_officer': {
      const d = authorizePerson(viewer, 'persons.read', person);
      // A request made from within the post's jurisdiction is the post's to answer, wherever the
      // person was registered: it sits in that post's queue.
      const fromJurisdiction =
        viewer.role === 'consular_officer' &&
        request.postCountries.some((c) => viewer.jurisdiction.includes(c));
      if (fromJurisdiction && !(d.allow && !d.emergency)) {
        return {
          allow: true,
          fields: ALL_FIELDS,
          emergency: false,
          purpose: null,
          canWork: true,
          canDirect: true,
        };
      }
      if (!d.allow) return { allow: false, reason: d.reason ?? d.code };
      const emergency = d.emergency === true;
      return {
        allow: true,
        fields: d.fields,
        emergency,
        purpose: d.purpose ?? null,
        canWork: !emergency,
        canDirect: !emergency,
      };
    }
    case 'partner_caseworker': {
      if (request.referredTo !== viewer.organizationId) return { allow: false, reason: 'not_referred' };
      const d = authorizePerson(viewer, 'persons.read', person);
      if (!d.allow) return { allow: false, reason: d.reason ?? d.code };
      const emergency = d.emergency === true;
      return {
        allow: true,
        fields: d.fields,
        emergency,
        purpose: d.purpose ?? null,
        canWork: !emergency,
        canDirect: false,
      };
    }
    default:
      return { allow: false, reason: 'role' };
  }
}

/**
 * Whether a partner organisation may receive a referral about this person: an agreement in force covers
 * the person and the person consented to sharing with that partner (the same test the partner's reads
 * will pass). The codes say which is missing.
 */
export function referralRefusal(
  partner: Pick<Viewer, 'organizationId' | 'agreements'>,
  person: PersonFacts,
): null | 'no_agreement' | 'no_consent' {
  const d = authorizePerson(
    { ...partner, userId: '', role: 'partner_caseworker', jurisdiction: [] },
    'persons.read',
    { ...person, emergencyOverride: false },
  );
  if (d.allow) return null;
  return d.reason === 'no_consent' ? 'no_consent' : 'no_agreement';
}

/**
 * The triage reasons as this viewer may see them: someone not allowed the person's vulnerabilities sees
 * one `vulnerability.withheld` reason carrying their points instead, so the score still adds up.
 */
export function visibleReasons(
  reasons: readonly TriageReason[],
  fields: ReadonlySet<FieldCategory>,
): TriageReason[] {
  if (fields.has('vulnerabilities')) return [...reasons];
  const withheld = reasons.filter((r) => r.code.startsWith('vulnerability.'));
  if (withheld.length === 0) return [...reasons];
  const points = withheld.reduce((sum, r) => sum + r.points, 0);
  const kept = reasons.filter((r) => !r.code.startsWith('vulnerability.'));
  return [...kept, { code: 'vulnerability.withheld', points }].sort((a, b) => b.points - a.points);
}
