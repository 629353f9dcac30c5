// Fan-out: an issued alert's frozen recipients become rows of the outbox. A small alert is written
// inside its issue transaction, so the status change and the deliveries commit together. A large one
// gets a fan-out job in that transaction instead; workers write it batch by batch (keyset over the
// recipients by person id), each batch committing together with the job's cursor, so a crash loses at
// most the batch in progress and the next worker continues from the cursor.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { sendsOnAllChannels } from '../../domain/delivery/channel-order.ts';
import { deliveryPriority } from '../../domain/delivery/priority.ts';
import {
  advanceFanout,
  countRecipients,
  countUnreachable,
  findAlertFanoutFacts,
  findBatchEnd,
  findSliceBounds,
  holdFanout,
  insertFanouts,
  insertPartnerDeliveries,
  insertRecipientDeliveries,
  isUniqueViolation,
  type RecipientRange,
} from './delivery.fanout.repository.ts';
import { currentDeliverySettings, type DeliverySettings } from './delivery.settings.ts';
import type { DeliveryFanoutRow } from './delivery.table.ts';

/** The settings fan-out depends on. */
export type FanoutSettings = Pick<
  DeliverySettings,
  'channelOrder' | 'allChannelsLevel' | 'inlineFanoutLimit' | 'fanoutSlices' | 'webhooks'
>;

/** How an alert's deliveries were queued: all at once, by a job to come, or not at all. */
export type EnqueueResult = { mode: 'inline' | 'job'; recipients: number; deliveries: number };

const EVERYONE: RecipientRange = { after: null, upto: null };

/**
 * Queues an issued alert's deliveries, inside the issue transaction (call it after the recipients are
 * frozen). One webhook delivery per partner target (public alerts, of the target's countries); for the
 * recipients, either every delivery now (at most `inlineFanoutLimit` recipients) or a fan-out job in
 * `fanoutSlices` slices that workers run in parallel, batch by batch. Either way `delivery_fanouts`
 * rows record the counts.
 */
export async function enqueueDeliveries(
  trx: Transaction<DB>,
  alertId: string,
  options: { settings?: FanoutSettings; now?: Date } = {},
): Promise<EnqueueResult> {
  const settings = options.settings ?? currentDeliverySettings();
  const now = (options.now ?? new Date()).toISOString();
  const alert = await findAlertFanoutFacts(trx, alertId);
  if (!alert) throw new Error('enqueueDeliveries: no such alert');
  const priority = deliveryPriority({ status: alert.status, level: alert.level });
  const allAtOnce = sendsOnAllChannels(alert.level, settings.allChannelsLevel);
  const partners =
    alert.scope === 'Public'
      ? settings.webhooks.filter(
          (t) => t.countries.length === 0 || t.countries.some((c) => alert.countries.includes(c)),
        )
      : [];
  const partnerRows = await insertPartnerDeliveries(
    trx,
    partners.map((t) => ({ alertId, partner: t.name, priority, now })),
  );
  const recipients = await countRecipients(trx, alertId, EVERYONE);
  const job = {
    alert_id: alertId,
    upto_person_id: null,
    priority,
    all_channels: allAtOnce ? 1 : 0,
    claimed_by: null,
    lease_until: null,
    created_at: now,
    updated_at: now,
  };
  if (recipients <= settings.inlineFanoutLimit) {
    const written = await insertRecipientDeliveries(trx, {
      alertId,
      range: EVERYONE,
      order: settings.channelOrder,
      allAtOnce,
      priority,
      now,
    });
    const unreachable = allAtOnce
      ? await countUnreachable(trx, alertId, EVERYONE, settings.channelOrder)
      : recipients - written;
    await insertFanouts(trx, [
      {
        ...job,
        slice: 0,
        state: 'done',
        after_person_id: null,
        recipients,
        written,
        unreachable,
        batches: 1,
        finished_at: now,
      },
    ]);
    return { mode: 'inline', recipients, deliveries: partnerRows + written };
  }
  const bounds = await findSliceBounds(trx, alertId, recipients, Math.max(1, settings.fanoutSlices));
  await insertFanouts(
    trx,
    [...bounds, null].map((upto, slice) => ({
      ...job,
      slice,
      after_person_id: slice === 0 ? null : (bounds[slice - 1] ?? null),
      upto_person_id: upto,
      state: 'pending',
      finished_at: null,
    })),
  );
  return { mode: 'job', recipients, deliveries: partnerRows };
}

/** What one batch of a fan-out job did; `lost`: another worker holds the job now. */
export type FanoutStep =
  | { lost: true }
  | { lost: false; done: boolean; after: string | null; recipients: number; written: number };

/** The slice a batch belongs to, from its cursor on. */
type FanoutBatchJob = Pick<
  DeliveryFanoutRow,
  'alert_id' | 'slice' | 'upto_person_id' | 'priority' | 'all_channels'
> & { after: string | null };

/** Who writes a batch, how large, in which channel order, under which lease. */
type FanoutBatchOptions = {
  workerId: string;
  batchSize: number;
  order: FanoutSettings['channelOrder'];
  leaseMs: number;
  now?: Date;
};

/**
 * Writes the next batch of a fan-out slice and moves its cursor, in one transaction that first checks
 * (and extends) this worker's lease on the slice. The batch's range has no deliveries yet (the cursor
 * commits with them, and the lease keeps other workers out), so they are inserted without looking
 * for existing ones; should one exist all the same, the batch is run again, skipping it.
 */
export async function runFanoutBatch(
  database: Database,
  job: FanoutBatchJob,
  p: FanoutBatchOptions,
): Promise<FanoutStep> {
  try {
    return await writeFanoutBatch(database, job, p, false);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return writeFanoutBatch(database, job, p, true);
  }
}

async function writeFanoutBatch(
  database: Database,
  job: FanoutBatchJob,
  p: FanoutBatchOptions,
  skipExisting: boolean,
): Promise<FanoutStep> {
  return database.db.transaction().execute(async (trx) => {
    const at = p.now ?? new Date();
    const now = at.toISOString();
    const leaseUntil = new Date(at.getTime() + p.leaseMs).toISOString();
    if (
      !(await holdFanout(trx, {
        alertId: job.alert_id,
        slice: job.slice,
        workerId: p.workerId,
        now,
        leaseUntil,
      }))
    ) {
      return { lost: true };
    }
    const end = await findBatchEnd(
      trx,
      job.alert_id,
      { after: job.after, upto: job.upto_person_id },
      p.batchSize,
    );
    // The batch ends at its size or at the end of the slice, whichever comes first.
    const done = end === null || end === job.upto_person_id;
    const range = { after: job.after, upto: done ? job.upto_person_id : end };
    const allAtOnce = job.all_channels === 1;
    const written = await insertRecipientDeliveries(trx, {
      alertId: job.alert_id,
      range,
      order: p.order,
      allAtOnce,
      priority: job.priority,
      now,
      skipExisting,
    });
    const recipients = await countRecipients(trx, job.alert_id, range);
    const unreachable = allAtOnce
      ? await countUnreachable(trx, job.alert_id, range, p.order)
      : Math.max(0, recipients - written);
    await advanceFanout(trx, {
      alertId: job.alert_id,
      slice: job.slice,
      after: range.upto ?? job.after,
      recipients,
      written,
      unreachable,
      done,
      now,
    });
    return { lost: false, done, after: range.upto, recipients, written };
  });
}
