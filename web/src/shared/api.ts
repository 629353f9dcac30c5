import type {
  AggregateDimension,
  AggregateView,
  AgreementInput,
  AgreementView,
  AuditEntry,
  AuditQuery,
  ChainCheck,
  ConsentCreate,
  ConsentView,
  CountryView,
  CreatedToken,
  CreatedUser,
  EmergencyAccessCreate,
  EmergencyAccessView,
  HealthView,
  HouseholdView,
  MeView,
  OrganizationCreate,
  OrganizationType,
  OrganizationView,
  PersonPage,
  PersonSearchBody,
  PersonView,
  PostCreate,
  PostView,
  ProblemBody,
  SessionState,
  TokenCreate,
  TotpEnrolment,
  UserCreate,
  UserView,
} from './api-types.ts';

/** Codes for failures that happen before the server answers with a problem of its own. */
export const NETWORK_UNREACHABLE = 'network.unreachable';
export const UNEXPECTED_RESPONSE = 'response.unexpected';

/** A failed API call: the server's RFC 9457 problem (status, stable code, detail), or a network failure. */
export class ApiProblem extends Error {
  override name = 'ApiProblem';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail?: string,
  ) {
    super(code);
  }
}

/** Any error as an ApiProblem, so screens deal with one kind of failure. */
export function toProblem(error: unknown): ApiProblem {
  return error instanceof ApiProblem ? error : new ApiProblem(0, UNEXPECTED_RESPONSE);
}

/**
 * Answers that mean the session as a whole is not (or no longer) good enough, whatever was asked: the
 * session provider listens for them and shows sign-in, the second factor or the password change.
 */
export const SESSION_PROBLEMS: ReadonlySet<string> = new Set([
  'auth.required',
  'auth.session_invalid',
  'auth.session_expired',
  'auth.mfa_required',
  'auth.password_change_required',
]);

const sessionListeners = new Set<(problem: ApiProblem) => void>();

/** Calls the listener whenever an API answer says the session must be renewed or completed. */
export function onSessionProblem(listener: (problem: ApiProblem) => void): () => void {
  sessionListeners.add(listener);
  return () => sessionListeners.delete(listener);
}

// The session cookie is HttpOnly; its CSRF token lives in memory only and is sent with unsafe methods.
let csrfToken: string | null = null;

/** Remembers (or forgets, with null) the CSRF token of the current session. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type RequestOptions = {
  body?: unknown;
  /** A body sent as it is (an XML document) with its media type, instead of JSON. */
  text?: { type: string; content: string };
  signal?: AbortSignal | undefined;
  accept?: readonly number[];
};

/** One JSON request to the API; failures become ApiProblem. For feature modules' own API calls. */
export async function request<T>(
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const { body, signal, text } = options;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (text) headers['content-type'] = text.type;
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      signal: signal ?? null,
      credentials: 'same-origin',
      headers,
      body: text ? text.content : body === undefined ? null : JSON.stringify(body),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiProblem(0, NETWORK_UNREACHABLE);
  }
  let parsed: unknown;
  try {
    parsed = await response.json();
  } catch {
    parsed = undefined;
  }
  if (!response.ok && !options.accept?.includes(response.status)) {
    const answer = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as ProblemBody;
    const problem = new ApiProblem(response.status, answer.code ?? `http.${response.status}`, answer.detail);
    if (SESSION_PROBLEMS.has(problem.code)) for (const listener of sessionListeners) listener(problem);
    throw problem;
  }
  if (response.status === 204) return undefined as T;
  if (parsed === undefined) throw new ApiProblem(response.status, UNEXPECTED_RESPONSE);
  return parsed as T;
}

const byId = (path: string, id: string) => `${path}/${encodeURIComponent(id)}`;

/**
 * A path with a query string from the defined parameters. Only opaque identifiers, codes and times go
 * here: names and phone numbers travel in request bodies.
 */
export function withQuery(
  path: string,
  params: Readonly<Record<string, string | number | undefined>>,
): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') query.set(name, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** Haven's HTTP API, as the web app uses it. Search terms travel in request bodies, never in URLs. */
export const api = {
  me: (signal?: AbortSignal) => request<MeView>('GET', '/api/auth/me', { signal }),
  login: (credentials: { email: string; password: string }) =>
    request<SessionState>('POST', '/api/auth/login', { body: credentials }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  changePassword: (change: { currentPassword: string; newPassword: string }) =>
    request<void>('POST', '/api/auth/password', { body: change }),
  beginTotpEnrolment: () => request<TotpEnrolment>('POST', '/api/auth/totp/enroll'),
  passTotp: (code: string) => request<void>('POST', '/api/auth/totp', { body: { code } }),
  // A degraded server answers 503 with the same body, which is what the indicator wants to show.
  health: (signal?: AbortSignal) => request<HealthView>('GET', '/api/health', { signal, accept: [503] }),
  searchPersons: (search: PersonSearchBody, signal?: AbortSignal) =>
    request<PersonPage>('POST', '/api/persons/search', { body: search, signal }),
  person: (id: string, signal?: AbortSignal) =>
    request<PersonView>('GET', byId('/api/persons', id), { signal }),
  household: (id: string, signal?: AbortSignal) =>
    request<HouseholdView>('GET', byId('/api/households', id), { signal }),
  organization: (id: string, signal?: AbortSignal) =>
    request<OrganizationView>('GET', byId('/api/organizations', id), { signal }),
  posts: (signal?: AbortSignal) => request<{ items: PostView[] }>('GET', '/api/posts', { signal }),
  countries: (signal?: AbortSignal) =>
    request<{ items: CountryView[] }>('GET', '/api/reference/countries', { signal }),

  erasePerson: (id: string, reason: string) =>
    request<void>('POST', `${byId('/api/persons', id)}/erase`, { body: { reason } }),
  recordConsent: (id: string, consent: ConsentCreate) =>
    request<ConsentView>('POST', `${byId('/api/persons', id)}/consents`, { body: consent }),
  openEmergencyAccess: (id: string, input: EmergencyAccessCreate) =>
    request<EmergencyAccessView>('POST', `${byId('/api/persons', id)}/emergency-access`, { body: input }),

  users: (signal?: AbortSignal) => request<{ items: UserView[] }>('GET', '/api/users', { signal }),
  createUser: (input: UserCreate) => request<CreatedUser>('POST', '/api/users', { body: input }),
  createToken: (input: TokenCreate) => request<CreatedToken>('POST', '/api/tokens', { body: input }),
  organizations: (signal?: AbortSignal, type?: OrganizationType) =>
    request<{ items: OrganizationView[] }>('GET', withQuery('/api/organizations', { type }), { signal }),
  createOrganization: (input: OrganizationCreate) =>
    request<OrganizationView>('POST', '/api/organizations', { body: input }),
  createPost: (input: PostCreate) => request<PostView>('POST', '/api/posts', { body: input }),

  agreements: (signal?: AbortSignal) =>
    request<{ items: AgreementView[] }>('GET', '/api/agreements', { signal }),
  createAgreement: (input: AgreementInput) =>
    request<AgreementView>('POST', '/api/agreements', { body: input }),
  endAgreement: (id: string) => request<AgreementView>('POST', `${byId('/api/agreements', id)}/end`),

  audit: (query: AuditQuery, signal?: AbortSignal) =>
    request<{ items: AuditEntry[] }>('GET', withQuery('/api/audit', query), { signal }),
  verifyAudit: (signal?: AbortSignal) => request<ChainCheck>('GET', '/api/audit/verify', { signal }),

  aggregates: (by: AggregateDimension, country?: string, signal?: AbortSignal) =>
    request<AggregateView>('GET', withQuery('/api/aggregates/registry', { by, country }), { signal }),
};
