// Live boards over server-sent events. Answers, receipts and help requests are written by other
// processes (workers, other web processes), so each watched board polls the database, and cheaply: a
// probe of a few indexed counts every period, and the full count only when the probe changed, never
// more often than a few times its own duration. Consoles watching the same board with the same view
// (audience and counted countries) share one poll. Polling needs nothing of the writers and works the
// same on SQLite and PostgreSQL; LISTEN/NOTIFY would need every writer of those tables to notify.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '../../db/database.ts';
import { PolledStreams } from '../../http/polled-streams.ts';
import { probeBoard } from './board.repository.ts';
import { countBoard, type ResolvedBoard } from './board.service.ts';

/** What one watched board's poll keeps between periods. */
type BoardPoll = {
  board: ResolvedBoard;
  /** Resolves the board again: an incident gains alerts as updates are issued. */
  refresh: () => Promise<ResolvedBoard>;
  refreshedAt: number;
  probe: string | undefined;
  /** The figures last sent, without the time they were counted. */
  lastFigures: string | undefined;
  /** Not before this time (ms) is the board counted again, however the probe changes. */
  quietUntil: number;
};

/** How often an incident's stream looks for alerts of the incident issued since it opened. */
const REFRESH_MS = 15_000;

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
  readonly #streams: PolledStreams<BoardPoll>;

  constructor(database: Database, options: { periodMs?: number } = {}) {
    const periodMs = options.periodMs ?? 1000;
    this.#streams = new PolledStreams(async (watched) => {
      if (watched.board.subject.kind === 'incident' && Date.now() - watched.refreshedAt >= REFRESH_MS) {
        watched.refreshedAt = Date.now();
        watched.board = await watched.refresh();
      }
      const alerts = watched.board.alerts;
      const probe = `${alerts.alertIds.join(',')}|${await probeBoard(database.db, alerts)}`;
      if (probe === watched.probe || Date.now() < watched.quietUntil) return undefined;
      const started = Date.now();
      const view = await countBoard(database, watched.board);
      const took = Date.now() - started;
      // A board that takes long to count is counted less often, so that watching it never becomes the load.
      watched.quietUntil = Date.now() + Math.max(0, 4 * took - periodMs);
      watched.probe = probe;
      const { generatedAt: _, ...figures } = view;
      const text = JSON.stringify(figures);
      if (text === watched.lastFigures) return undefined;
      watched.lastFigures = text;
      return `event: board\ndata: ${JSON.stringify(view)}\n\n`;
    }, options);
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
    this.#streams.open(
      keyOf(board),
      () => ({
        board,
        refresh,
        refreshedAt: Date.now(),
        probe: undefined,
        lastFigures: undefined,
        quietUntil: 0,
      }),
      req,
      res,
    );
  }

  /** Ends every stream (the server is closing). */
  closeAll(): void {
    this.#streams.closeAll();
  }
}
