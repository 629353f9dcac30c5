// Group commit: many small writes that arrive together share one transaction, so a burst of replies
// costs one commit (one fsync) per batch instead of one per reply. A write is acknowledged only after
// the transaction holding it has committed; when a batch fails, every caller in it is told.

/** How batches are formed. */
export type GroupCommitOptions = {
  /** Most items in one batch. */
  maxBatch: number;
  /** Longest the first item of a batch waits for others before the batch is written. */
  maxWaitMs: number;
  /** Batches being written at once (1 for SQLite's single writer; more on PostgreSQL). */
  maxInFlight: number;
};

/** Writes one batch durably (one transaction) and answers one result per item, in order. */
export type BatchWrite<I, O> = (items: readonly I[]) => Promise<O[]>;

/** Raised to callers whose item was submitted after close(). */
export class WriterClosedError extends Error {
  override name = 'WriterClosedError';
}

type Waiter<I, O> = { item: I; resolve: (result: O) => void; reject: (err: unknown) => void };

/**
 * Collects items for up to `maxWaitMs` or `maxBatch` items, writes them with one `write` call, and settles
 * every caller after it returns: each with its own result, or all with the batch's error. While
 * `maxInFlight` batches are being written, new items wait and form the next batch, so batches grow with
 * the load and the wait stays short when it is light.
 */
export class GroupCommitWriter<I, O> {
  readonly #write: BatchWrite<I, O>;
  readonly #options: GroupCommitOptions;
  #pending: Waiter<I, O>[] = [];
  #timer: NodeJS.Timeout | undefined;
  #inFlight = 0;
  #closed = false;
  #idle: (() => void)[] = [];
  #batches = 0;
  #items = 0;

  constructor(write: BatchWrite<I, O>, options: GroupCommitOptions) {
    if (!(options.maxBatch >= 1) || !(options.maxInFlight >= 1) || !(options.maxWaitMs >= 0)) {
      throw new RangeError('maxBatch and maxInFlight must be at least 1, maxWaitMs at least 0');
    }
    this.#write = write;
    this.#options = options;
  }

  /** Batches written and items in them so far (successful or not). */
  stats(): { batches: number; items: number; pending: number; inFlight: number } {
    return {
      batches: this.#batches,
      items: this.#items,
      pending: this.#pending.length,
      inFlight: this.#inFlight,
    };
  }

  /** Queues one item; resolves with its result once its batch has committed. */
  submit(item: I): Promise<O> {
    if (this.#closed) return Promise.reject(new WriterClosedError('the writer is closed'));
    return new Promise<O>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      if (this.#pending.length >= this.#options.maxBatch) this.#flush();
      else if (this.#timer === undefined && this.#inFlight < this.#options.maxInFlight) {
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          this.#flush();
        }, this.#options.maxWaitMs);
      }
    });
  }

  /** Refuses new items, writes what is queued, and resolves when every batch has settled. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#flush();
    if (this.#pending.length === 0 && this.#inFlight === 0) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  #flush(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    while (this.#pending.length > 0 && this.#inFlight < this.#options.maxInFlight) {
      const batch = this.#pending.splice(0, this.#options.maxBatch);
      this.#inFlight += 1;
      void this.#run(batch);
    }
  }

  async #run(batch: Waiter<I, O>[]): Promise<void> {
    this.#batches += 1;
    this.#items += batch.length;
    try {
      const results = await this.#write(batch.map((w) => w.item));
      if (results.length !== batch.length) {
        throw new Error(`batch write answered ${results.length} results for ${batch.length} items`);
      }
      for (const [i, w] of batch.entries()) w.resolve(results[i] as O);
    } catch (err) {
      for (const w of batch) w.reject(err);
    } finally {
      this.#inFlight -= 1;
      // Items that arrived while this batch was written have waited already: write them now.
      if (this.#pending.length > 0) this.#flush();
      else if (this.#inFlight === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }
}
