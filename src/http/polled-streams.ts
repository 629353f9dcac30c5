// Server-sent event streams fed by polling: every console watching the same thing (the same key)
// shares one poll per period, an event goes out only when it differs from the last one sent, and a
// comment line every 15 s keeps idle connections open through proxies. Polling needs nothing of the
// writers (workers and other web processes write the rows) and works the same on SQLite and PostgreSQL.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from './auth.ts';

// The framework's onSend hook does not run on a taken-over response, so the headers are set here.
const STREAM_HEADERS = {
  ...SECURITY_HEADERS,
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-store, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
};

const KEEP_ALIVE_MS = 15_000;

/**
 * One poll: answers the event to send (its full `event:`/`data:` text) or undefined when there is
 * nothing new. A poll that throws (the database is unreachable for a moment) is tried again next period.
 */
export type Poll<S> = (state: S) => Promise<string | undefined>;

type Watched<S> = {
  state: S;
  subscribers: Set<ServerResponse>;
  timer: NodeJS.Timeout;
  last: string | undefined;
  busy: boolean;
  quietTicks: number;
};

export class PolledStreams<S> {
  readonly #periodMs: number;
  readonly #poll: Poll<S>;
  readonly #watched = new Map<string, Watched<S>>();

  constructor(poll: Poll<S>, options: { periodMs?: number } = {}) {
    this.#poll = poll;
    this.#periodMs = options.periodMs ?? 1000;
  }

  /**
   * Starts a stream on a response the caller has taken over. The first console to watch `key` makes its
   * state with `init`; later ones share it and get the last event at once.
   */
  open(key: string, init: () => S, req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, STREAM_HEADERS);
    res.write(`retry: ${Math.max(1000, this.#periodMs * 3)}\n\n`);
    let watched = this.#watched.get(key);
    if (!watched) {
      const created: Watched<S> = {
        state: init(),
        subscribers: new Set(),
        last: undefined,
        busy: false,
        quietTicks: 0,
        timer: setInterval(() => void this.#tick(key), this.#periodMs),
      };
      this.#watched.set(key, created);
      watched = created;
      void this.#tick(key);
    } else if (watched.last) {
      res.write(watched.last);
    }
    watched.subscribers.add(res);
    const leave = () => this.#leave(key, res);
    req.on('close', leave);
    res.on('error', leave);
  }

  /** Ends every stream (the server is closing). */
  closeAll(): void {
    for (const [key, watched] of this.#watched) {
      for (const res of watched.subscribers) res.end();
      clearInterval(watched.timer);
      this.#watched.delete(key);
    }
  }

  #leave(key: string, res: ServerResponse): void {
    const watched = this.#watched.get(key);
    if (!watched) return;
    watched.subscribers.delete(res);
    if (!res.writableEnded) res.end();
    if (watched.subscribers.size === 0) {
      clearInterval(watched.timer);
      this.#watched.delete(key);
    }
  }

  async #tick(key: string): Promise<void> {
    const watched = this.#watched.get(key);
    if (!watched || watched.busy) return;
    watched.busy = true;
    try {
      const event = await this.#poll(watched.state);
      if (event !== undefined && event !== watched.last) {
        watched.last = event;
        watched.quietTicks = 0;
        for (const res of watched.subscribers) res.write(event);
        return;
      }
      if (++watched.quietTicks * this.#periodMs >= KEEP_ALIVE_MS) {
        watched.quietTicks = 0;
        for (const res of watched.subscribers) res.write(': still here\n\n');
      }
    } catch {
      // The database is unreachable for a moment: the next period tries again.
    } finally {
      watched.busy = false;
    }
  }
}
