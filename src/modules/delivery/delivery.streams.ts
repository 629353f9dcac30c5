import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '../../db/database.ts';
import { PolledStreams } from '../../http/polled-streams.ts';
import { readDeliveryStatus } from './delivery.service.ts';

/**
 * Live delivery counts over server-sent events: each watched alert is read once per period, however
 * many consoles watch it, and a `status` event goes out only when the counts changed. A stream ends
 * when its client leaves or the server closes.
 */
export class DeliveryStreams {
  readonly #streams: PolledStreams<string>;

  constructor(database: Database, options: { periodMs?: number } = {}) {
    this.#streams = new PolledStreams(
      async (alertId) =>
        `event: status\ndata: ${JSON.stringify(await readDeliveryStatus(database, alertId))}\n\n`,
      options,
    );
  }

  /** Starts streaming an alert's status on a response the caller has taken over. */
  open(alertId: string, req: IncomingMessage, res: ServerResponse): void {
    this.#streams.open(alertId, () => alertId, req, res);
  }

  /** Ends every stream (the server is closing). */
  closeAll(): void {
    this.#streams.closeAll();
  }
}
