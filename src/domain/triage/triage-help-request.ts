import type { Vulnerability } from '../registry/person.ts';
import {
  DEFAULT_TRIAGE_RULES,
  type HelpRequestType,
  type TriagePriority,
  type TriageRules,
} from './triage-rules.ts';

/** What triage looks at: never free text, only the typed facts an officer can check. */
export type TriageInput = {
  type: HelpRequestType;
  vulnerabilities: readonly Vulnerability[];
  /** Alert level (0–4) in force where the person is. */
  alertLevel: number;
  isSos: boolean;
  /** When the request started waiting; older requests gain points so they are not starved. */
  waitingSince?: Date;
  now: Date;
};

/**
 * One factor that added points, with a stable code the console translates for the officer:
 * `sos`, `type.<type>`, `vulnerability.<code>`, `alert_level.<n>`, `waiting`.
 */
export type TriageReason = { code: string; points: number };

/** A triaged request: its priority, the score behind it, why, and how long the post has to act. */
export type Triage = {
  priority: TriagePriority;
  score: number;
  reasons: TriageReason[];
  slaMinutes: number;
};

/** Where a request stands against its deadline. `minutesLeft` is negative once it is overdue. */
export type SlaState = { dueAt: Date; overdue: boolean; minutesLeft: number };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

function assertValidDate(date: Date, name: string): void {
  if (Number.isNaN(date.getTime())) throw new RangeError(`${name} is not a valid date`);
}

function priorityForScore(score: number, thresholds: TriageRules['thresholds']): TriagePriority {
  if (score >= thresholds.critical) return 'critical';
  if (score >= thresholds.high) return 'high';
  if (score >= thresholds.medium) return 'medium';
  return 'low';
}

/**
 * Computes a help request's priority from its type, the person's vulnerabilities, the alert level, an SOS
 * and time waiting, by adding the points the rules give each factor. Every factor that adds points is
 * listed as a reason, largest first, so the officer sees why the request got its priority.
 */
export function triageHelpRequest(input: TriageInput, rules: TriageRules = DEFAULT_TRIAGE_RULES): Triage {
  const { type, vulnerabilities, alertLevel, isSos, waitingSince, now } = input;
  const levelPoints = rules.alertLevel[alertLevel];
  if (!Number.isInteger(alertLevel) || levelPoints === undefined) {
    throw new RangeError('alertLevel must be an integer from 0 to 4');
  }
  assertValidDate(now, 'now');

  const reasons: TriageReason[] = [];
  const add = (code: string, points: number) => {
    if (points > 0) reasons.push({ code, points });
  };
  if (isSos) add('sos', rules.sos);
  add(`type.${type}`, rules.type[type]);
  for (const vulnerability of new Set(vulnerabilities)) {
    add(`vulnerability.${vulnerability}`, rules.vulnerability[vulnerability]);
  }
  add(`alert_level.${alertLevel}`, levelPoints);
  if (waitingSince) {
    assertValidDate(waitingSince, 'waitingSince');
    const hours = Math.floor(Math.max(0, now.getTime() - waitingSince.getTime()) / HOUR_MS);
    add('waiting', Math.min(rules.waiting.maxPoints, hours * rules.waiting.pointsPerHour));
  }

  reasons.sort((a, b) => b.points - a.points);
  const score = reasons.reduce((sum, r) => sum + r.points, 0);
  const priority = priorityForScore(score, rules.thresholds);
  return { priority, score, reasons, slaMinutes: rules.slaMinutes[priority] };
}

/**
 * Deadline of a request created at `createdAt` with the given priority, and where it stands at `now`.
 * `minutesLeft` counts whole minutes down (0 in the last minute, −1 in the first minute overdue).
 */
export function slaState(
  createdAt: Date,
  priority: TriagePriority,
  now: Date,
  slaMinutes: TriageRules['slaMinutes'] = DEFAULT_TRIAGE_RULES.slaMinutes,
): SlaState {
  assertValidDate(createdAt, 'createdAt');
  assertValidDate(now, 'now');
  const dueAt = new Date(createdAt.getTime() + slaMinutes[priority] * MINUTE_MS);
  const remainingMs = dueAt.getTime() - now.getTime();
  return { dueAt, overdue: remainingMs < 0, minutesLeft: Math.floor(remainingMs / MINUTE_MS) };
}
