import { useEffect, useState } from 'react';
import { type BoardKind, type BoardView, boardPath } from './board-api.ts';

export type BoardStream = { connection: 'connecting' | 'live' | 'reconnecting'; board: BoardView | null };

/**
 * Follows a board over server-sent events: the server sends the figures at once and whenever they
 * change. The browser reconnects by itself after a drop; the last figures stay on screen meanwhile.
 */
export function useBoardStream(kind: BoardKind, id: string, enabled: boolean): BoardStream {
  const [stream, setStream] = useState<BoardStream>({ connection: 'connecting', board: null });
  useEffect(() => {
    setStream({ connection: 'connecting', board: null });
    if (!enabled) return;
    const source = new EventSource(boardPath(kind, id, '/stream'));
    source.addEventListener('board', (event) => {
      const board = JSON.parse((event as MessageEvent<string>).data) as BoardView;
      setStream({ connection: 'live', board });
    });
    source.addEventListener('open', () => setStream((s) => ({ ...s, connection: 'live' })));
    source.addEventListener('error', () => setStream((s) => ({ ...s, connection: 'reconnecting' })));
    return () => source.close();
  }, [kind, id, enabled]);
  return stream;
}
