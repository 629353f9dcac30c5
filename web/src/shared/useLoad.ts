import { useCallback, useEffect, useRef, useState } from 'react';
import { type ApiProblem, toProblem } from './api.ts';

export type Loadable<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  | { status: 'failed'; problem: ApiProblem };

/**
 * Loads data for a key (an id, a route) and reloads when the key changes; a null key loads nothing.
 * An answer that arrives after the key has changed is dropped, so a slow reply never overwrites a newer one.
 */
export function useLoad<T>(
  key: string | null,
  load: (signal: AbortSignal) => Promise<T>,
): Loadable<T> & { reload: () => void } {
  const loadRef = useRef(load);
  loadRef.current = load;
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<Loadable<T>>({ status: key === null ? 'idle' : 'loading' });
  const request = key === null ? null : `${attempt}:${key}`;

  useEffect(() => {
    if (request === null) {
      setState({ status: 'idle' });
      return;
    }
    const controller = new AbortController();
    setState({ status: 'loading' });
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'failed', problem: toProblem(error) });
      },
    );
    return () => controller.abort();
  }, [request]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}
