import { MAX_SMS_SEGMENTS } from '../../domain/messaging/sms-encoding.ts';
import { canonicalLanguageTag } from '../../domain/reference/languages.ts';
import { ConfigError } from '../../errors.ts';

/** How this deployment writes alerts. */
export type AlertSettings = {
  /** Short name of the deployment, part of every CAP identifier: urn:haven:<deployment>:alert:<id>. */
  readonly deployment: string;
  /** CAP <sender> of every alert. */
  readonly sender: string;
  /** Most SMS segments an alert's SMS text may take in any language. */
  readonly maxSmsSegments: number;
  /** Languages tried, in order, for a recipient who reads none of the alert's languages. */
  readonly fallbackLanguages: readonly string[];
  /** Recipients read and written per batch when an alert is issued. */
  readonly recipientBatchSize: number;
};

/** The variables read here, with their defaults; src/config.ts lists them with the others. */
export const ALERT_SETTING_VARIABLES = [
  {
    name: 'HAVEN_DEPLOYMENT_ID',
    default: 'haven',
    description: 'Short name of the deployment, used in CAP identifiers.',
  },
  {
    name: 'HAVEN_CAP_SENDER',
    default: 'urn:haven:<HAVEN_DEPLOYMENT_ID>',
    description: 'CAP <sender> of alerts.',
  },
  {
    name: 'HAVEN_ALERT_MAX_SMS_SEGMENTS',
    default: '3',
    description: 'Most SMS segments an alert text may take.',
  },
  {
    name: 'HAVEN_ALERT_FALLBACK_LANGUAGES',
    default: 'en',
    description: 'Comma-separated fallback chain of languages.',
  },
] as const;

const DEPLOYMENT = /^[a-z0-9][a-z0-9-]{0,39}$/;

function invalid(name: string, why: string): ConfigError {
  return new ConfigError(`${name} ${why}`);
}

/** Reads the alert settings from the environment, refusing values that would produce invalid CAP. */
export function alertSettingsFrom(env: Record<string, string | undefined>): AlertSettings {
  const deployment = (env.HAVEN_DEPLOYMENT_ID?.trim() || 'haven').toLowerCase();
  if (!DEPLOYMENT.test(deployment))
    throw invalid('HAVEN_DEPLOYMENT_ID', 'must be letters, digits and dashes (at most 40)');
  const sender = env.HAVEN_CAP_SENDER?.trim() || `urn:haven:${deployment}`;
  if (/[\s,<&]/.test(sender))
    throw invalid('HAVEN_CAP_SENDER', 'must not contain spaces, commas, "<" or "&"');
  const rawMax = env.HAVEN_ALERT_MAX_SMS_SEGMENTS?.trim() || '3';
  const maxSmsSegments = Number(rawMax);
  if (!/^\d+$/.test(rawMax) || maxSmsSegments < 1 || maxSmsSegments > MAX_SMS_SEGMENTS) {
    throw invalid('HAVEN_ALERT_MAX_SMS_SEGMENTS', `must be an integer from 1 to ${MAX_SMS_SEGMENTS}`);
  }
  const fallbackLanguages = (env.HAVEN_ALERT_FALLBACK_LANGUAGES ?? 'en')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t) => canonicalLanguageTag(t) ?? t);
  return { deployment, sender, maxSmsSegments, fallbackLanguages, recipientBatchSize: 2000 };
}
