// The follow-up step every worker process runs periodically. It finds alerts whose follow-up or call-list
// window has come, creates one pass per alert and stage (a unique key, so two workers create it once),
// and works passes under a lease, batch by batch: each batch decides a slice of the recipients (by person
// id) and writes its deliveries, decisions and cursor in one transaction. On PostgreSQL workers claim
// different passes with SKIP LOCKED; on SQLite the batches simply take turns at the single writer.
import type { Database } from '../../db/database.ts';
import type { BoardAnswer } from '../../domain/board/board-status.ts';
import { channelOfContactKind, type PersonChannel } from '../../domain/delivery/channel-order.ts';
import { deliveryPriority } from '../../domain/delivery/priority.ts';
import {
  belongsOnCallList,
  decideFollowUp,
  dueStages,
  type FollowUpStage,
  issueTimeBounds,
} from '../../domain/followups/follow-up-rules.ts';
import {
  advancePass,
  claimPass,
  closeEntriesOfThoseHeardFrom,
  endRound,
  findAlertFollowUpFacts,
  findContactKinds,
  findDeliveries,
  findFollowUpCandidates,
  findLatestAnswers,
  findOpenHelpRequests,
  holdPass,
  insertCallListEntries,
  insertFollowUpDeliveries,
  insertFollowUps,
  insertPasses,
  isFanoutUnfinished,
  nextRecipients,
  releasePass,
} from './followups.repository.ts';
import type { FollowUpSettings } from './followups.settings.ts';
import type { FollowUpPassRow } from './followups.table.ts';

/** How long a worker holds a pass between two batches before another may take it over. */
const LEASE_MS = 60_000;
/** A follow-up round that found deliveries still on their way looks again after this long. */
const RETRY_ROUND_MS = 60_000;

/** What one run of the step needs. */
export type FollowUpRun = {
  settings: FollowUpSettings;
  /** The deployment's channel order (HAVEN_DELIVERY_CHANNEL_ORDER). */
  channelOrder: readonly PersonChannel[];
  workerId: string;
  /** The clock (tests move it past the windows). */
  now?: () => Date;
  /** Asked between batches: true stops the step, giving up the pass in hand. */
  shouldStop?: () => boolean;
  leaseMs?: number;
};

/** What one run of the step did. */
export type StepReport = {
  passesCreated: number;
  batches: number;
  followUpsQueued: number;
  noOtherChannel: number;
  unreachable: number;
  callListAdded: number;
  callListClosed: number;
};

const toAnswer = (value: string | undefined): BoardAnswer | null =>
  value === 'safe' || value === 'need_help' ? value : null;

/** Creates the passes that came due: one per alert and stage, whichever worker gets there first. */
async function createDuePasses(database: Database, run: FollowUpRun, now: Date): Promise<number> {
  const bounds = issueTimeBounds(now, run.settings);
  if (!bounds) return 0;
  const candidates = await findFollowUpCandidates(database.db, {
    earliest: bounds.earliest.toISOString(),
    latest: bounds.latest.toISOString(),
  });
  const rows = candidates.flatMap((a) =>
    dueStages(
      {
        askResponse: a.ask_response === 1,
        state: a.state,
        issuedAt: a.issued_at ? new Date(a.issued_at) : null,
        expiresAt: a.expires_at ? new Date(a.expires_at) : null,
      },
      now,
      run.settings,
    ).map((stage) => ({ alertId: a.id, stage, now: now.toISOString() })),
  );
  return insertPasses(database.db, rows);
}

type BatchResult =
  | { kind: 'lost' }
  | { kind: 'ended' }
  | {
      kind: 'advanced';
      followUpsQueued: number;
      noOtherChannel: number;
      unreachable: number;
      callListAdded: number;
    };

/** Decides and writes the next batch of a pass, in one transaction that first holds its lease. */
async function runBatch(database: Database, pass: FollowUpPassRow, run: FollowUpRun): Promise<BatchResult> {
  return database.db.transaction().execute(async (trx): Promise<BatchResult> => {
    const at = run.now?.() ?? new Date();
    const now = at.toISOString();
    const stage = pass.stage as FollowUpStage;
    const key = { alertId: pass.alert_id, stage };
    const leaseUntil = new Date(at.getTime() + (run.leaseMs ?? LEASE_MS)).toISOString();
    if (!(await holdPass(trx, { ...key, workerId: run.workerId, now, leaseUntil }))) return { kind: 'lost' };
    const current = await trx
      .selectFrom('follow_up_passes')
      .select(['after_person_id', 'waiting'])
      .where('alert_id', '=', pass.alert_id)
      .where('stage', '=', stage)
      .executeTakeFirstOrThrow();
    const alert = await findAlertFollowUpFacts(trx, pass.alert_id);
    const due =
      alert !== undefined &&
      dueStages(
        {
          askResponse: alert.ask_response === 1,
          state: alert.state,
          issuedAt: alert.issued_at ? new Date(alert.issued_at) : null,
          expiresAt: alert.expires_at ? new Date(alert.expires_at) : null,
        },
        at,
        run.settings,
      ).includes(stage);
    if (!alert || !due || alert.issued_at === null) {
      // Cancelled, superseded, expired, or the call list's time has come: this step is over.
      await endRound(trx, { ...key, done: true, nextRunAt: now, now });
      return { kind: 'ended' };
    }
    if (
      stage === 'follow_up' &&
      current.after_person_id === null &&
      (await isFanoutUnfinished(trx, pass.alert_id))
    ) {
      // Some recipients have no delivery yet: a follow-up now would only race the fan-out. Look again later.
      await endRound(trx, {
        ...key,
        done: false,
        nextRunAt: new Date(at.getTime() + RETRY_ROUND_MS).toISOString(),
        now,
      });
      return { kind: 'ended' };
    }
    const recipients = await nextRecipients(trx, {
      alertId: pass.alert_id,
      stage,
      after: current.after_person_id,
      limit: run.settings.batchSize,
    });
    const last = recipients.at(-1);
    if (!last) {
      const again = stage === 'follow_up' && current.waiting > 0;
      await endRound(trx, {
        ...key,
        done: !again,
        nextRunAt: again ? new Date(at.getTime() + RETRY_ROUND_MS).toISOString() : now,
        now,
      });
      return { kind: 'ended' };
    }
    const range = { after: current.after_person_id, upto: last.person_id };
    const [answers, helped] = await Promise.all([
      findLatestAnswers(trx, pass.alert_id, range),
      findOpenHelpRequests(trx, { alertId: pass.alert_id, issuedAt: alert.issued_at, range }),
    ]);
    const result = { followUpsQueued: 0, noOtherChannel: 0, unreachable: 0, callListAdded: 0 };
    let acted = 0;
    let waiting = 0;
    if (stage === 'call_list') {
      const silent = recipients
        .filter((r) =>
          belongsOnCallList({
            answer: toAnswer(answers.get(r.person_id)),
            openHelpRequest: helped.has(r.person_id),
          }),
        )
        .map((r) => r.person_id);
      result.callListAdded = await insertCallListEntries(trx, pass.alert_id, silent, now);
      acted = result.callListAdded;
    } else {
      const [deliveries, kinds] = await Promise.all([
        findDeliveries(trx, pass.alert_id, range),
        findContactKinds(trx, range),
      ]);
      const priority = deliveryPriority({ status: alert.status, level: alert.level });
      const sends: Parameters<typeof insertFollowUpDeliveries>[1] = [];
      const decided: Parameters<typeof insertFollowUps>[1] = [];
      for (const r of recipients) {
        const reachable = [...(kinds.get(r.person_id) ?? [])]
          .map(channelOfContactKind)
          .filter((c): c is PersonChannel => c !== undefined);
        const decision = decideFollowUp(
          {
            answer: toAnswer(answers.get(r.person_id)),
            openHelpRequest: helped.has(r.person_id),
            deliveries: deliveries.get(r.person_id) ?? [],
            reachable,
          },
          run.channelOrder,
        );
        const person = { alertId: pass.alert_id, personId: r.person_id };
        switch (decision.kind) {
          case 'accounted':
            break;
          case 'wait':
            waiting += 1;
            break;
          case 'send':
            sends.push({ ...person, channel: decision.channel, language: r.language, priority });
            decided.push({ ...person, outcome: 'queued', channel: decision.channel });
            break;
          case 'no_other_channel':
            result.noOtherChannel += 1;
            decided.push({ ...person, outcome: decision.kind, channel: null });
            break;
          case 'unreachable':
            result.unreachable += 1;
            decided.push({ ...person, outcome: decision.kind, channel: null });
            break;
          default: {
            const exhaustive: never = decision;
            return exhaustive;
          }
        }
      }
      await insertFollowUpDeliveries(trx, sends, now);
      await insertFollowUps(trx, decided, now);
      result.followUpsQueued = sends.length;
      acted = sends.length;
    }
    await advancePass(trx, {
      ...key,
      after: last.person_id,
      examined: recipients.length,
      acted,
      waiting,
      now,
    });
    return { kind: 'advanced', ...result };
  });
}

/**
 * One run of the follow-up step: creates the passes that came due, works every pass it can claim to its
 * end (or until asked to stop), then closes the call-list entries of people who got in touch meanwhile.
 */
export async function runFollowUpStep(database: Database, run: FollowUpRun): Promise<StepReport> {
  const clock = () => run.now?.() ?? new Date();
  const report: StepReport = {
    passesCreated: await createDuePasses(database, run, clock()),
    batches: 0,
    followUpsQueued: 0,
    noOtherChannel: 0,
    unreachable: 0,
    callListAdded: 0,
    callListClosed: 0,
  };
  const stop = () => run.shouldStop?.() === true;
  while (!stop()) {
    const at = clock();
    const pass = await claimPass(database.db, {
      workerId: run.workerId,
      now: at.toISOString(),
      leaseUntil: new Date(at.getTime() + (run.leaseMs ?? LEASE_MS)).toISOString(),
    });
    if (!pass) break;
    for (;;) {
      if (stop()) {
        await releasePass(database.db, { alertId: pass.alert_id, stage: pass.stage, workerId: run.workerId });
        break;
      }
      const batch = await runBatch(database, pass, run);
      if (batch.kind !== 'advanced') break;
      report.batches += 1;
      report.followUpsQueued += batch.followUpsQueued;
      report.noOtherChannel += batch.noOtherChannel;
      report.unreachable += batch.unreachable;
      report.callListAdded += batch.callListAdded;
    }
  }
  report.callListClosed = await closeEntriesOfThoseHeardFrom(database.db, clock().toISOString());
  return report;
}

/** The log a scheduler writes to (the worker's JSON lines); fields never hold personal data. */
export type SchedulerLog = (
  level: 'debug' | 'info' | 'warn' | 'error',
  event: string,
  fields?: Record<string, string | number>,
) => void;

/** Runs the follow-up step every `pollMs` in a worker process, until closed. */
export class FollowUpScheduler {
  readonly #database: Database;
  readonly #run: FollowUpRun;
  readonly #log: SchedulerLog;
  #stopping = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(deps: {
    database: Database;
    settings: FollowUpSettings;
    channelOrder: readonly PersonChannel[];
    workerId: string;
    log?: SchedulerLog;
  }) {
    this.#database = deps.database;
    this.#log = deps.log ?? (() => {});
    this.#run = {
      settings: deps.settings,
      channelOrder: deps.channelOrder,
      workerId: deps.workerId,
      shouldStop: () => this.#stopping,
    };
  }

  start(): void {
    if (this.#loop) return;
    const on = this.#run.settings.followUpAfterMinutes > 0 || this.#run.settings.callListAfterMinutes > 0;
    if (!on) return;
    this.#loop = this.#work();
  }

  /** Stops after the batch in progress, giving up the pass in hand. */
  async close(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
  }

  async #work(): Promise<void> {
    while (!this.#stopping) {
      try {
        const report = await runFollowUpStep(this.#database, this.#run);
        if (report.batches > 0 || report.passesCreated > 0 || report.callListClosed > 0) {
          this.#log('info', 'follow_up.step', { ...report });
        }
      } catch (err) {
        // The database is unreachable for a moment, or a batch lost a race: the next period tries again.
        this.#log('warn', 'follow_up.step_failed', { error: err instanceof Error ? err.name : 'unknown' });
      }
      if (this.#stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#run.settings.pollMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
