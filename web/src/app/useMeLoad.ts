import { useCallback, useEffect, useRef, useState } from 'react';
import { type MeProblem, toMeProblem } from './me-api.ts';

export type MeLoad<T> =
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  | { status: 'failed'; problem: MeProblem };

/**
 * Loads data for a key and again when the key changes or on reload(); an answer that arrives after the
 * key changed is dropped. While reloading, the data already shown stays (no flicker on a slow network).
 */
export function useMeLoad<T>(key: string, load: (signal: AbortSignal) => Promise<T>) {
  const loadRef = useRef(load);
  loadRef.current = load;
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<MeLoad<T>>({ status: 'loading' });
  const request = `${attempt}:${key}`;
  useEffect(() => {
    const controller = new AbortController();
    void request;
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'failed', problem: toMeProblem(error) });
      },
    );
    return () => controller.abort();
  }, [request]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}
