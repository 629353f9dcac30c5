import { ConfigError } from '../../errors.ts';

/** When the silent are followed up, and how the workers go about it. */
export type FollowUpSettings = {
  /** Minutes after an alert's issue when the silent get it again on another channel (0: never). */
  readonly followUpAfterMinutes: number;
  /** Minutes after the issue when whoever is still silent goes onto the call list (0: never). */
  readonly callListAfterMinutes: number;
  /** How often each worker looks for follow-up work. */
  readonly pollMs: number;
  /** Recipients looked at per transaction. */
  readonly batchSize: number;
};

/** The variables read here, with their defaults; src/config.ts lists them with the others. */
export const FOLLOW_UP_SETTING_VARIABLES = [
  {
    name: 'HAVEN_FOLLOW_UP_AFTER_MINUTES',
    default: '30',
    description:
      'Minutes after an alert that asks for an answer when everyone still silent gets it again on another of their channels (0: never).',
  },
  {
    name: 'HAVEN_CALL_LIST_AFTER_MINUTES',
    default: '120',
    description:
      'Minutes after the alert when whoever is still silent goes onto the call list of the officers (0: never). Must be longer than the follow-up time.',
  },
  {
    name: 'HAVEN_FOLLOW_UP_POLL_MS',
    default: '15000',
    description: 'How often each worker process looks for follow-ups and call-list entries due.',
  },
  {
    name: 'HAVEN_FOLLOW_UP_BATCH',
    default: '2000',
    description: 'Recipients a worker looks at per transaction when following up an alert.',
  },
] as const;

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

/** Reads the follow-up settings, refusing the first bad value with a ConfigError. */
export function followUpSettingsFrom(env: Env): FollowUpSettings {
  const week = 7 * 24 * 60;
  const followUpAfterMinutes = integer(env, 'HAVEN_FOLLOW_UP_AFTER_MINUTES', 30, 0, week);
  const callListAfterMinutes = integer(env, 'HAVEN_CALL_LIST_AFTER_MINUTES', 120, 0, week);
  if (followUpAfterMinutes > 0 && callListAfterMinutes > 0 && callListAfterMinutes <= followUpAfterMinutes) {
    throw new ConfigError(
      'HAVEN_CALL_LIST_AFTER_MINUTES must be longer than HAVEN_FOLLOW_UP_AFTER_MINUTES (or 0 to turn the call list off)',
    );
  }
  return {
    followUpAfterMinutes,
    callListAfterMinutes,
    pollMs: integer(env, 'HAVEN_FOLLOW_UP_POLL_MS', 15_000, 100, 3_600_000),
    batchSize: integer(env, 'HAVEN_FOLLOW_UP_BATCH', 2000, 10, 50_000),
  };
}
