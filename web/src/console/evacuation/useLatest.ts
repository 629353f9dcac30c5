import { useRef } from 'react';
import type { Loadable } from '../../shared/useLoad.ts';

/**
 * The most recent data a loadable has delivered, kept while it reloads, so a board refreshed after
 * each change (or every few seconds) does not blank out and lose its open forms and notices.
 */
export function useLatest<T>(loadable: Loadable<T>): T | null {
  const latest = useRef<T | null>(null);
  if (loadable.status === 'ready') latest.current = loadable.data;
  return latest.current;
}
