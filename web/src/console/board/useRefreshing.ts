import { useCallback, useEffect, useRef, useState } from 'react';
import { type ApiProblem, toProblem } from '../../shared/api.ts';

const keyOf = (request: string) => request.split('\u0000').slice(2).join('\u0000');

/**
 * Loads data for a key and loads it again whenever `version` changes (the live board moved), keeping
 * the last answer on screen meanwhile so that nothing flickers. An answer that arrives after a newer
 * request started is dropped.
 */
export function useRefreshing<T>(
  key: string,
  version: string,
  load: (signal: AbortSignal) => Promise<T>,
): { data: T | null; problem: ApiProblem | null; reload: () => void } {
  const loadRef = useRef(load);
  loadRef.current = load;
  const [state, setState] = useState<{ key: string; data: T | null; problem: ApiProblem | null }>({
    key,
    data: null,
    problem: null,
  });
  const [attempt, setAttempt] = useState(0);
  const request = `${attempt}\u0000${version}\u0000${key}`;
  useEffect(() => {
    const controller = new AbortController();
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ key: keyOf(request), data, problem: null });
      },
      (error: unknown) => {
        if (!controller.signal.aborted)
          setState((s) => ({ ...s, key: keyOf(request), problem: toProblem(error) }));
      },
    );
    return () => controller.abort();
  }, [request]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const current = state.key === key;
  return { data: current ? state.data : null, problem: current ? state.problem : null, reload };
}
