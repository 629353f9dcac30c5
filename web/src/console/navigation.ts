import type { Action } from '../shared/api-types.ts';
import { can } from './permissions.ts';

/** A part of the console, the action that opens it, and the paths it owns. */
export type ConsoleSection = {
  id:
    | 'persons'
    | 'cases'
    | 'evacuation'
    | 'agreements'
    | 'aggregates'
    | 'levels'
    | 'alerts'
    | 'board'
    | 'audit'
    | 'admin';
  /** Where its navigation link goes. */
  to: string;
  action: Action;
  owns: (pathname: string) => boolean;
};

const under = (prefix: string) => (pathname: string) =>
  pathname === prefix || pathname.startsWith(`${prefix}/`);

/** In navigation order: the first section a role may open is its home. */
export const SECTIONS: readonly ConsoleSection[] = [
  {
    id: 'persons',
    to: '/',
    action: 'persons.read',
    owns: (p) => p === '/' || under('/persons')(p),
  },
  { id: 'cases', to: '/help-requests', action: 'cases.read', owns: under('/help-requests') },
  { id: 'evacuation', to: '/evacuation', action: 'evacuation.plan', owns: under('/evacuation') },
  { id: 'agreements', to: '/agreements', action: 'agreements.read', owns: under('/agreements') },
  { id: 'aggregates', to: '/aggregates', action: 'aggregates.read', owns: under('/aggregates') },
  { id: 'levels', to: '/levels', action: 'levels.read', owns: under('/levels') },
  { id: 'alerts', to: '/alerts', action: 'alerts.read', owns: under('/alerts') },
  { id: 'board', to: '/board', action: 'board.read', owns: under('/board') },
  { id: 'audit', to: '/audit', action: 'audit.read', owns: under('/audit') },
  { id: 'admin', to: '/admin/users', action: 'users.manage', owns: under('/admin') },
];

/** The sections a role may open, in navigation order. */
export function sectionsFor(role: string): ConsoleSection[] {
  return SECTIONS.filter((section) => can(role, section.action));
}

/** The section a path belongs to, if any. */
export function sectionOf(pathname: string): ConsoleSection | undefined {
  return SECTIONS.find((section) => section.owns(pathname));
}

/** Where a role lands after signing in: its first section, or null when it may open none. */
export function homePathFor(role: string): string | null {
  return sectionsFor(role)[0]?.to ?? null;
}
