// The console asks the same pure policy the server enforces, so that it offers exactly what the
// signed-in role may do. The server still decides every request; hiding a button is a courtesy.
import {
  type Action,
  AGREEMENT_CATEGORIES,
  type AgreementCategory,
  authorizePerson,
  ROLES,
  type Role,
  roleMayAct,
} from '../../../src/domain/access/policy.ts';

/** Every role, in the policy's order: the choices when an account is created. */
export const ROLE_CODES: readonly Role[] = ROLES;

/** The data categories an agreement may share, in the policy's order. */
export const AGREEMENT_CATEGORY_CODES: readonly AgreementCategory[] = AGREEMENT_CATEGORIES;

/** Whether a role string from the server is one this interface knows. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Whether the role may attempt the action at all; an unknown role may do nothing. */
export function can(role: string, action: Action): boolean {
  return isRole(role) && roleMayAct(role, action);
}

/**
 * Whether some records can be out of the role's sight (jurisdiction, agreement, consent): only then is a
 * life-saving emergency override worth offering when a record does not open.
 */
export function mayNeedEmergencyAccess(role: string): boolean {
  if (!can(role, 'overrides.create') || !isRole(role)) return false;
  const stranger = {
    country: null,
    nationality: null,
    employerId: null,
    consentedTo: [],
    emergencyOverride: false,
  };
  const viewer = { userId: '', role, organizationId: '', jurisdiction: [], agreements: [] };
  return !authorizePerson(viewer, 'persons.read', stranger).allow;
}
