import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '../../db/database.ts';
import { readDeliveryStatus } from './delivery.service.ts';

type Watched = {
  subscribers: Set<ServerResponse>;
  timer: NodeJS.Timeout;
  last: string | undefined;
  quietTicks: number;
};

// The headers every answer carries (the app's onSend hook does not run on a hijacked response).
const STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-store, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Live delivery counts over server-sent events. Each watched alert is read once per period, however
 * many consoles watch it, and a `status` event goes out only when the counts changed; a comment line
 * keeps idle connections open through proxies. A stream ends when its client leaves or the server closes.
 */
export class DeliveryStreams {
  readonly #database: Database;
  readonly #periodMs: number;
  readonly #alerts = new Map<string, Watched>();

  constructor(database: Database, options: { periodMs?: number } = {}) {
    this.#database = database;
    this.#periodMs = options.periodMs ?? 1000;
  }

  /** Starts streaming an alert's status on a response the caller has taken over. */
  open(alertId: string, req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, STREAM_HEADERS);
    res.write(`retry: ${Math.max(1000, this.#periodMs * 3)}\n\n`);
    let watched = this.#alerts.get(alertId);
    if (!watched) {
      const created: Watched = {
        subscribers: new Set(),
        last: undefined,
        quietTicks: 0,
        timer: setInterval(() => void this.#poll(alertId), this.#periodMs),
      };
      this.#alerts.set(alertId, created);
      watched = created;
      void this.#poll(alertId);
    } else if (watched.last) {
      res.write(watched.last);
    }
    watched.subscribers.add(res);
    const leave = () => this.#leave(alertId, res);
    req.on('close', leave);
    res.on('error', leave);
  }

  /** Ends every stream (the server is closing). */
  closeAll(): void {
    for (const [alertId, watched] of this.#alerts) {
      for (const res of watched.subscribers) res.end();
      clearInterval(watched.timer);
      this.#alerts.delete(alertId);
    }
  }

  #leave(alertId: string, res: ServerResponse): void {
    const watched = this.#alerts.get(alertId);
    if (!watched) return;
    watched.subscribers.delete(res);
    if (!res.writableEnded) res.end();
    if (watched.subscribers.size === 0) {
      clearInterval(watched.timer);
      this.#alerts.delete(alertId);
    }
  }

  async #poll(alertId: string): Promise<void> {
    let event: string | undefined;
    try {
      const status = await readDeliveryStatus(this.#database, alertId);
      event = `event: status\ndata: ${JSON.stringify(status)}\n\n`;
    } catch {
      // The database is unreachable for a moment: the next period tries again.
      return;
    }
    const watched = this.#alerts.get(alertId);
    if (!watched) return;
    if (event !== watched.last) {
      watched.last = event;
      watched.quietTicks = 0;
      for (const res of watched.subscribers) res.write(event);
    } else if (++watched.quietTicks * this.#periodMs >= 15_000) {
      watched.quietTicks = 0;
      for (const res of watched.subscribers) res.write(': still here\n\n');
    }
  }
}
