// The migrant app's client for /api/me: small on purpose (the app must load fast on a slow connection),
// and apart from the console's client, whose session and CSRF token belong to staff.

export type Answer = 'safe' | 'need_help';

export type MeView = {
  givenNames: string;
  familyName: string | null;
  country: string | null;
  languages: string[];
  csrfToken: string;
  pushPublicKey: string | null;
};

export type MyAlert = {
  id: string;
  drill: boolean;
  msgType: string;
  level: number | null;
  event: string;
  severity: string;
  urgency: string;
  issuedAt: string;
  expiresAt: string | null;
  closed: boolean;
  askResponse: boolean;
  language: string;
  headline: string;
  description: string | null;
  instruction: string | null;
  myAnswer: Answer | null;
  answeredAt: string | null;
};

export type MyHelpRequest = {
  id: string;
  type: string;
  isSos: boolean;
  status: string;
  priority: string;
  createdAt: string;
  closedAt: string | null;
  outcome: string | null;
};

export type PostContact = {
  id: string;
  name: string;
  kind: string;
  country: string;
  city: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  jurisdiction: string[];
};

export type MyContacts = { country: string | null; covering: boolean; items: PostContact[] };

export const HELP_TYPES = [
  'medical',
  'shelter',
  'food_water',
  'documents',
  'evacuation',
  'legal',
  'protection',
  'detention',
  'unpaid_wages',
  'other',
] as const;
export type HelpType = (typeof HELP_TYPES)[number];

/** Code of a failure before any answer from the server (no signal, server unreachable). */
export const NETWORK_UNREACHABLE = 'network.unreachable';

/** A failed call: the server's problem (status, stable code) or a network failure (status 0). */
export class MeProblem extends Error {
  override name = 'MeProblem';
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

export const toMeProblem = (error: unknown): MeProblem =>
  error instanceof MeProblem ? error : new MeProblem(0, 'response.unexpected');

/** Answers that mean the person must sign in (again). */
const SESSION_CODES = new Set(['auth.required', 'me.session_invalid', 'me.session_expired']);
export const isSessionProblem = (problem: MeProblem) => SESSION_CODES.has(problem.code);

const sessionListeners = new Set<() => void>();
/** Calls the listener whenever an answer says the session is gone; returns the unsubscribe function. */
export function onSessionLost(listener: () => void): () => void {
  sessionListeners.add(listener);
  return () => sessionListeners.delete(listener);
}

// The session cookie is HttpOnly; its CSRF token lives in memory and is sent with every change.
let csrfToken: string | null = null;
export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};

async function call<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  signal?: AbortSignal,
) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? null : JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new MeProblem(0, NETWORK_UNREACHABLE);
  }
  if (response.status === 204) return undefined as T;
  const answer = (await response.json().catch(() => null)) as { code?: unknown } | null;
  if (!response.ok) {
    const problem = new MeProblem(
      response.status,
      typeof answer?.code === 'string' ? answer.code : 'response.unexpected',
    );
    if (isSessionProblem(problem) && path !== '/api/me') for (const listener of sessionListeners) listener();
    throw problem;
  }
  return answer as T;
}

export const meApi = {
  signIn: (contact: string, language: string) =>
    call<{ sent: boolean; expiresInSeconds: number }>('POST', '/api/me/sign-in', { contact, language }),
  verify: (contact: string, code: string) =>
    call<{ csrfToken: string; expiresAt: string }>('POST', '/api/me/verify', { contact, code }),
  signOut: () => call<void>('POST', '/api/me/sign-out'),
  me: (signal?: AbortSignal) => call<MeView>('GET', '/api/me', undefined, signal),
  alerts: (language: string, signal?: AbortSignal) =>
    call<{ items: MyAlert[] }>(
      'GET',
      `/api/me/alerts?lang=${encodeURIComponent(language)}`,
      undefined,
      signal,
    ),
  respond: (answer: Answer, alertId: string | null, language: string) =>
    call<{ id: string; alertId: string | null; answer: Answer; receivedAt: string }>(
      'POST',
      '/api/me/responses',
      { answer, alertId, language },
    ),
  askForHelp: (body: {
    type: HelpType;
    isSos: boolean;
    location?: { lat: number; lng: number } | null;
    text?: string | null;
  }) => call<{ id: string; priority: string; slaDueAt: string }>('POST', '/api/me/help-requests', body),
  helpRequests: (signal?: AbortSignal) =>
    call<{ items: MyHelpRequest[] }>('GET', '/api/me/help-requests', undefined, signal),
  contacts: (signal?: AbortSignal) => call<MyContacts>('GET', '/api/me/contacts', undefined, signal),
};
