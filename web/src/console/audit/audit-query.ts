import type { AuditQuery } from '../../shared/api-types.ts';

/** The audit filters as typed; times are the browser's datetime-local values, in local time. */
export type AuditFilters = {
  action: string;
  personId: string;
  actorUserId: string;
  from: string;
  to: string;
};

export const EMPTY_FILTERS: AuditFilters = { action: '', personId: '', actorUserId: '', from: '', to: '' };

export const AUDIT_PAGE_SIZE = 50;

/** A datetime-local value (local time, no zone) as an ISO instant, or undefined when empty or invalid. */
export function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

/**
 * The query for one page of entries: trimmed filters, empty ones left out, newest first from just
 * before `beforeSeq` when paging on.
 */
export function toAuditQuery(filters: AuditFilters, beforeSeq?: number): AuditQuery {
  const query: AuditQuery = { limit: AUDIT_PAGE_SIZE };
  const action = filters.action.trim();
  const personId = filters.personId.trim().toLowerCase();
  const actorUserId = filters.actorUserId.trim();
  const from = localToIso(filters.from);
  const to = localToIso(filters.to);
  if (action) query.action = action;
  if (personId) query.personId = personId;
  if (actorUserId) query.actorUserId = actorUserId;
  if (from) query.from = from;
  if (to) query.to = to;
  if (beforeSeq !== undefined) query.beforeSeq = beforeSeq;
  return query;
}

/**
 * The explanation of a broken link in the interface language. The server words its reason in English;
 * its three known forms are recognised, anything else is shown as sent.
 */
export type BrokenReasonKey =
  | 'audit.brokenReason.missing'
  | 'audit.brokenReason.link'
  | 'audit.brokenReason.content';

export function brokenReasonKey(reason: string | undefined): BrokenReasonKey | null {
  if (!reason) return null;
  if (/^entry \d+ is missing$/.test(reason)) return 'audit.brokenReason.missing';
  if (reason.startsWith('link to the previous entry')) return 'audit.brokenReason.link';
  if (reason.startsWith('content does not match')) return 'audit.brokenReason.content';
  return null;
}

/** Codes of the actions the log records most, offered as suggestions in the action filter. */
export const COMMON_ACTIONS = [
  'persons.read',
  'persons.list',
  'persons.create',
  'persons.update',
  'persons.delete',
  'persons.erase',
  'consents.granted',
  'consents.withdrawn',
  'overrides.create',
  'agreements.create',
  'agreements.end',
  'auth.login',
] as const;
