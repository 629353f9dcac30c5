// Live boards over server-sent events. Answers, receipts and help requests are written by other
// processes (workers, other web processes), so each watched board polls the database, and cheaply: a
// probe of a few indexed counts every period, and the full count only when the probe changed, never
// more often than a few times its own duration. Consoles watching the same board with the same view
// (audience and counted countries) share one poll. Polling needs nothing of the writers and works the
// same on SQLite and PostgreSQL; LISTEN/NOTIFY would need every writer of those tables to notify.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '../../db/database.ts';
import { probeBoard } from './board.repository.ts';
import { countBoard, type ResolvedBoard } from './board.service.ts';

type Watched = {
  board: ResolvedBoard;
  /** Resolves the board again: an incident gains alerts as updates are issued. */
  refresh: () => Promise<ResolvedBoard>;
  refreshedAt: number;
  subscribers: Set<ServerResponse>;
  timer: NodeJS.Timeout;
  probe: string | undefined;
  /** The last event sent, and its figures without the time they were counted. */
  last: string | undefined;
  lastFigures: string | undefined;
  busy: boolean;
  /** Not before this time (ms) is the board counted again, however the probe changes. */
  quietUntil: number;
  quietTicks: number;
};

/** How often an incident's stream looks for alerts of the incident issued since it opened. */
const REFRESH_MS = 15_000;

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

/** A board's view depends on the subject, the audience and the countries counted. */
const keyOf = (board: ResolvedBoard) =>
  [
    board.subject.kind,
    board.subject.id,
    board.audience,
    board.scope.kind === 'all' ? '*' : [...board.scope.countries].sort().join(','),
  ].join('|');

/**
 * Live board figures: a `board` event (data: the JSON of GET …/board) at once and whenever the figures
 * change; a comment line every 15 s keeps idle connections open through proxies.
 */
export class BoardStreams {
  readonly #database: Database;
  readonly #periodMs: number;
  readonly #boards = new Map<string, Watched>();

  constructor(database: Database, options: { periodMs?: number } = {}) {
    this.#database = database;
    this.#periodMs = options.periodMs ?? 1000;
  }

  /**
   * Starts streaming a board the viewer may see, on a response the caller has taken over. `refresh`
   * resolves it again (as the same viewer), so an incident's stream takes in alerts issued later.
   */
  open(
    board: ResolvedBoard,
    refresh: () => Promise<ResolvedBoard>,
    req: IncomingMessage,
    res: ServerResponse,
  ): void {
    res.writeHead(200, STREAM_HEADERS);
    res.write(`retry: ${Math.max(1000, this.#periodMs * 3)}\n\n`);
    const key = keyOf(board);
    let watched = this.#boards.get(key);
    if (!watched) {
      const created: Watched = {
        board,
        refresh,
        refreshedAt: Date.now(),
        subscribers: new Set(),
        probe: undefined,
        last: undefined,
        lastFigures: undefined,
        busy: false,
        quietUntil: 0,
        quietTicks: 0,
        timer: setInterval(() => void this.#poll(key), this.#periodMs),
      };
      this.#boards.set(key, created);
      watched = created;
      void this.#poll(key);
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
    for (const [key, watched] of this.#boards) {
      for (const res of watched.subscribers) res.end();
      clearInterval(watched.timer);
      this.#boards.delete(key);
    }
  }

  #leave(key: string, res: ServerResponse): void {
    const watched = this.#boards.get(key);
    if (!watched) return;
    watched.subscribers.delete(res);
    if (!res.writableEnded) res.end();
    if (watched.subscribers.size === 0) {
      clearInterval(watched.timer);
      this.#boards.delete(key);
    }
  }

  async #poll(key: string): Promise<void> {
    const watched = this.#boards.get(key);
    if (!watched || watched.busy) return;
    watched.busy = true;
    try {
      if (watched.board.subject.kind === 'incident' && Date.now() - watched.refreshedAt >= REFRESH_MS) {
        watched.refreshedAt = Date.now();
        watched.board = await watched.refresh();
      }
      const alerts = watched.board.alerts;
      const probe = `${alerts.alertIds.join(',')}|${await probeBoard(this.#database.db, alerts)}`;
      if (probe !== watched.probe && Date.now() >= watched.quietUntil) {
        const started = Date.now();
        const view = await countBoard(this.#database, watched.board);
        const took = Date.now() - started;
        // A board that takes long to count is counted less often, so that watching it never becomes the load.
        watched.quietUntil = Date.now() + Math.max(0, 4 * took - this.#periodMs);
        watched.probe = probe;
        const { generatedAt: _, ...figures } = view;
        const text = JSON.stringify(figures);
        if (text !== watched.lastFigures) {
          watched.lastFigures = text;
          watched.last = `event: board\ndata: ${JSON.stringify(view)}\n\n`;
          watched.quietTicks = 0;
          for (const res of watched.subscribers) res.write(watched.last);
          return;
        }
      }
      if (++watched.quietTicks * this.#periodMs >= 15_000) {
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
