import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { chooseInfoBlock } from '../../domain/messaging/language-fallback.ts';
import type { TargetSpec } from '../targeting/selection-plan.ts';
import {
  countRecipientsByCountry,
  MAX_BATCH_SIZE,
  streamRecipients,
} from '../targeting/targeting.service.ts';
import { insertAlertRecipients } from './alerts.repository.ts';
import type { IssueReportView } from './alerts.schema.ts';
import type { AlertRecipientTable } from './alerts.table.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** The live count: how many people the target reaches, by country. */
export async function countTargetRecipients(
  db: Db,
  spec: TargetSpec,
  now: Date,
): Promise<{ total: number; byCountry: Record<string, number>; withoutCountry: number }> {
  return countRecipientsByCountry(db, spec, now);
}

export type FreezeInput = {
  alertId: string;
  spec: TargetSpec;
  /** The alert's info blocks, in their order. */
  infos: readonly { language: string }[];
  fallbackLanguages: readonly string[];
  batchSize: number;
  now: Date;
  /** A consular officer's jurisdiction: recipients elsewhere are reported, not written. Null: no limit. */
  allowedCountries: readonly string[] | null;
};

export type FreezeResult = {
  report: IssueReportView;
  /** Countries of recipients outside `allowedCountries`; the caller refuses the issue when any. */
  outsideJurisdiction: string[];
};

/**
 * Freezes an alert's recipient set inside the caller's transaction: streams the target's persons in
 * batches, gives each the info block of their first matching language (or the deployment's fallback
 * chain, or the first block), writes one alert_recipients row each, and counts who read what. Only a
 * batch is held in memory at a time.
 */
export async function freezeRecipients(trx: Transaction<DB>, input: FreezeInput): Promise<FreezeResult> {
  const byLanguage = new Map<string, number>();
  const byCountry = new Map<string, number>();
  const fallbacks = new Map<string, { wanted: string | null; got: string; count: number }>();
  const outside = new Set<string>();
  let recipients = 0;
  let fallbackCount = 0;
  const batchSize = Math.min(Math.max(1, input.batchSize), MAX_BATCH_SIZE);
  for await (const batch of streamRecipients(trx, input.spec, { batchSize, now: input.now })) {
    const rows: AlertRecipientTable[] = [];
    for (const r of batch) {
      if (input.allowedCountries && (r.country === null || !input.allowedCountries.includes(r.country))) {
        outside.add(r.country ?? 'unknown');
        continue;
      }
      const choice = chooseInfoBlock(input.infos, r.languages, input.fallbackLanguages);
      if (!choice) continue;
      const language = choice.block.language;
      rows.push({
        alert_id: input.alertId,
        person_id: r.personId,
        language,
        matched_by: choice.matchedBy,
        country: r.country,
      });
      recipients += 1;
      byLanguage.set(language, (byLanguage.get(language) ?? 0) + 1);
      if (r.country) byCountry.set(r.country, (byCountry.get(r.country) ?? 0) + 1);
      if (choice.matchedBy === 'fallback' || choice.matchedBy === 'first') {
        fallbackCount += 1;
        const wanted = r.languages[0] ?? null;
        const key = `${wanted ?? ''}\u0000${language}`;
        const entry = fallbacks.get(key);
        if (entry) entry.count += 1;
        else fallbacks.set(key, { wanted, got: language, count: 1 });
      }
    }
    if (outside.size === 0) await insertAlertRecipients(trx, rows);
  }
  const sorted = (m: Map<string, number>) =>
    Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));
  return {
    report: {
      recipients,
      byLanguage: sorted(byLanguage),
      byCountry: sorted(byCountry),
      fallbackCount,
      fallbacks: [...fallbacks.values()].sort(
        (a, b) => b.count - a.count || (a.wanted ?? '').localeCompare(b.wanted ?? ''),
      ),
    },
    outsideJurisdiction: [...outside].sort(),
  };
}
