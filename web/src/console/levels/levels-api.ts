// Calls to the alert-level API, typed from the server's own schemas (types only, nothing bundled).
import type { Static } from 'typebox';
import type {
  AreaCreate,
  AreaView,
  CurrentLevelsView,
  DeclarationCreate,
  DeclarationCreated,
  DeclarationView,
  SchemeVersionView,
  TaskPatch,
  TaskView,
} from '../../../../src/modules/levels/levels.schema.ts';
import { request, withQuery } from '../../shared/api.ts';

export type {
  AreaCreate,
  AreaView,
  CurrentLevelsView,
  DeclarationCreate,
  DeclarationView,
  SchemeVersionView,
  TaskView,
};
export type SchemeLevel = SchemeVersionView['scheme']['levels'][number];
export type DeclarationResult = Static<typeof DeclarationCreated>;

const byId = (path: string, id: string) => `${path}/${encodeURIComponent(id)}`;

export const levelsApi = {
  scheme: (signal?: AbortSignal) =>
    request<SchemeVersionView>('GET', '/api/alert-schemes/current', { signal }),
  current: (signal?: AbortSignal) =>
    request<CurrentLevelsView>('GET', '/api/alert-levels/current', { signal }),
  history: (country: string, signal?: AbortSignal) =>
    request<{ items: DeclarationView[] }>('GET', withQuery('/api/alert-levels/history', { country }), {
      signal,
    }),
  declare: (body: DeclarationCreate) => request<DeclarationResult>('POST', '/api/alert-levels', { body }),
  areas: (country?: string, signal?: AbortSignal) =>
    request<{ items: AreaView[] }>('GET', withQuery('/api/areas', { country }), { signal }),
  createArea: (body: AreaCreate) => request<AreaView>('POST', '/api/areas', { body }),
  tasks: (status: 'open' | 'done' | undefined, signal?: AbortSignal) =>
    request<{ items: TaskView[] }>('GET', withQuery('/api/tasks', { status }), { signal }),
  updateTask: (id: string, patch: TaskPatch) =>
    request<TaskView>('PATCH', byId('/api/tasks', id), { body: patch }),
};

/** A text in the interface language, else English, else whichever language the scheme has. */
export function localized(
  texts: Readonly<Record<string, string>> | null | undefined,
  locale: string,
): string {
  if (!texts) return '';
  return texts[locale] ?? texts.en ?? Object.values(texts)[0] ?? '';
}

/** A `datetime-local` value (the officer's clock) as an ISO-8601 UTC instant, or undefined when empty. */
export function localTimeToIso(value: string): string | undefined {
  if (!value) return undefined;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : `${parsed.toISOString().slice(0, 19)}Z`;
}
