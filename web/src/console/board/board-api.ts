// Calls to the board and call-list API, typed from the server's own schemas (types only, nothing bundled).
import type {
  BoardSubjectsView,
  BoardView,
  TimelineView,
  UnaccountedPage,
} from '../../../../src/modules/board/board.schema.ts';
import type {
  CallListPage,
  CallOutcomeBody,
  CallOutcomeView,
} from '../../../../src/modules/followups/call-list.schema.ts';
import { request, withQuery } from '../../shared/api.ts';

export type { BoardSubjectsView, BoardView, CallListPage, CallOutcomeView, TimelineView, UnaccountedPage };
export type BoardKind = BoardView['subject']['kind'];
export type CallOutcome = CallOutcomeBody['outcome'];
export type CallListEntry = CallListPage['items'][number];

/** The path of a board: /api/alerts/{id}/board or /api/incidents/{id}/board, and what follows it. */
export const boardPath = (kind: BoardKind, id: string, rest = '') =>
  `/api/${kind === 'alert' ? 'alerts' : 'incidents'}/${encodeURIComponent(id)}/board${rest}`;

export const boardApi = {
  subjects: (signal?: AbortSignal) => request<BoardSubjectsView>('GET', '/api/board/subjects', { signal }),
  board: (kind: BoardKind, id: string, signal?: AbortSignal) =>
    request<BoardView>('GET', boardPath(kind, id), { signal }),
  timeline: (kind: BoardKind, id: string, signal?: AbortSignal) =>
    request<TimelineView>('GET', boardPath(kind, id, '/timeline'), { signal }),
  unaccounted: (kind: BoardKind, id: string, cursor: string | null, signal?: AbortSignal) =>
    request<UnaccountedPage>(
      'GET',
      withQuery(boardPath(kind, id, '/unaccounted'), { cursor: cursor ?? undefined, limit: 25 }),
      { signal },
    ),
  callList: (alertId: string, signal?: AbortSignal) =>
    request<CallListPage>('GET', withQuery('/api/call-list', { alert: alertId, limit: 100 }), { signal }),
  recordCall: (entryId: string, outcome: CallOutcome) =>
    request<CallOutcomeView>('POST', `/api/call-list/${encodeURIComponent(entryId)}/outcome`, {
      body: { outcome },
    }),
};
