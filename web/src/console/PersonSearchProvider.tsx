import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { type ApiProblem, api, toProblem } from '../shared/api.ts';
import type { PersonSearchBody, PersonView } from '../shared/api-types.ts';

/** What the officer typed. Kept in memory only: names and phones never go into the URL. */
export type SearchCriteria = { name: string; phone: string; country: string };

export const EMPTY_CRITERIA: SearchCriteria = { name: '', phone: '', country: '' };

export const PAGE_SIZE = 50;

export type SearchState = {
  /** The form as it is being edited. */
  draft: SearchCriteria;
  /** The criteria of the results shown. */
  criteria: SearchCriteria;
  status: 'idle' | 'searching' | 'loadingMore' | 'done';
  items: PersonView[];
  nextCursor: string | null;
  problem: ApiProblem | null;
};

type PersonSearch = {
  state: SearchState;
  setDraft: (draft: SearchCriteria) => void;
  search: (criteria: SearchCriteria) => void;
  loadMore: () => void;
  /** Drops a person from the results shown, once their record is gone (erased). */
  forget: (id: string) => void;
};

const PersonSearchContext = createContext<PersonSearch | null>(null);

/** The request body for a search: trimmed fields, empty ones left out. */
export function toSearchBody(criteria: SearchCriteria, cursor?: string | null): PersonSearchBody {
  const body: PersonSearchBody = { limit: PAGE_SIZE };
  const name = criteria.name.trim();
  const phone = criteria.phone.trim();
  if (name) body.name = name;
  if (phone) body.phone = phone;
  if (criteria.country) body.country = criteria.country;
  if (cursor) body.cursor = cursor;
  return body;
}

/**
 * Holds the console's person search above its pages, so that going from the results to a record and
 * back finds the same form and results.
 */
export function PersonSearchProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SearchState>({
    draft: EMPTY_CRITERIA,
    criteria: EMPTY_CRITERIA,
    status: 'idle',
    items: [],
    nextCursor: null,
    problem: null,
  });
  const stateRef = useRef(state);
  stateRef.current = state;
  const inFlight = useRef<AbortController | null>(null);

  const fetchPage = useCallback((criteria: SearchCriteria, cursor: string | null) => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    const appending = cursor !== null;
    setState((s) => ({
      ...s,
      criteria,
      status: appending ? 'loadingMore' : 'searching',
      problem: null,
      ...(appending ? {} : { nextCursor: null }),
    }));
    api.searchPersons(toSearchBody(criteria, cursor), controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setState((s) => ({
          ...s,
          status: 'done',
          items: appending ? [...s.items, ...page.items] : page.items,
          nextCursor: page.nextCursor,
        }));
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        // A failed first page leaves no stale results behind; a failed "load more" keeps what is shown.
        setState((s) => ({
          ...s,
          status: 'done',
          problem: toProblem(error),
          ...(appending ? {} : { items: [] }),
          nextCursor: appending ? cursor : null,
        }));
      },
    );
  }, []);

  const search = useCallback((criteria: SearchCriteria) => fetchPage(criteria, null), [fetchPage]);
  const loadMore = useCallback(() => {
    const { criteria, nextCursor } = stateRef.current;
    if (nextCursor) fetchPage(criteria, nextCursor);
  }, [fetchPage]);
  const setDraft = useCallback((draft: SearchCriteria) => setState((s) => ({ ...s, draft })), []);
  const forget = useCallback(
    (id: string) => setState((s) => ({ ...s, items: s.items.filter((person) => person.id !== id) })),
    [],
  );

  const value = useMemo(
    () => ({ state, setDraft, search, loadMore, forget }),
    [state, setDraft, search, loadMore, forget],
  );
  return <PersonSearchContext.Provider value={value}>{children}</PersonSearchContext.Provider>;
}

/** The console's person search: its state and actions. */
export function usePersonSearch(): PersonSearch {
  const search = useContext(PersonSearchContext);
  if (!search) throw new Error('usePersonSearch must be used inside <PersonSearchProvider>');
  return search;
}
