// Who may look at which board, and how much of it. Operational roles see exact figures and the people
// behind them, a consular officer only those in the post's jurisdiction; host-state authorities and
// analysts see the figures of public alerts only, with small cells hidden.
import { roleMayAct, type Viewer } from '../access/policy.ts';

/** `people`: exact figures and lists of people; `aggregates`: suppressed figures only; `none`: nothing. */
export type BoardAudience = 'people' | 'aggregates' | 'none';

export function boardAudience(role: Viewer['role']): BoardAudience {
  if (roleMayAct(role, 'board.people')) return 'people';
  if (roleMayAct(role, 'board.read')) return 'aggregates';
  return 'none';
}

/** The recipients a viewer's figures count: everyone, or those in some countries. */
export type CountScope = { kind: 'all' } | { kind: 'countries'; countries: readonly string[] };

/** A consular officer counts the post's jurisdiction only; everyone else who may see a board, all of it. */
export function boardCountScope(viewer: Viewer): CountScope {
  return viewer.role === 'consular_officer'
    ? { kind: 'countries', countries: viewer.jurisdiction }
    : { kind: 'all' };
}

/** What deciding access to an alert's board needs. */
export type AlertBoardFacts = {
  draftedBy: string;
  /** CAP scope: only `Public` alerts are shown to aggregates-only roles. */
  scope: string;
  countries: readonly string[];
};

/**
 * Whether the viewer may see an alert's board: headquarters every alert; a consular officer the alerts
 * of the post's jurisdiction and their own (as for reading the alert); aggregates-only roles public alerts.
 */
export function mayViewAlertBoard(viewer: Viewer, alert: AlertBoardFacts): boolean {
  switch (viewer.role) {
    case 'hq_admin':
    case 'crisis_manager':
      return true;
    case 'consular_officer':
      return (
        alert.draftedBy === viewer.userId || alert.countries.some((c) => viewer.jurisdiction.includes(c))
      );
    case 'host_authority':
    case 'analyst':
      return alert.scope === 'Public';
    case 'partner_caseworker':
    case 'employer_liaison':
    case 'auditor':
      return false;
    default: {
      const exhaustive: never = viewer.role;
      return exhaustive;
    }
  }
}
