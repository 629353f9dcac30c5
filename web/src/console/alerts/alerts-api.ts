// Calls to the alerts and CAP API, typed from the server's own schemas (types only, nothing bundled).
import type {
  AlertCreate,
  AlertInfoBody,
  AlertListQuery,
  AlertPatch,
  AlertSummaryView,
  AlertTargetBody,
  AlertView,
  IssueView,
  PreviewView,
  TargetFilters,
} from '../../../../src/modules/alerts/alerts.schema.ts';
import type { IncidentSummaryView, IncidentView } from '../../../../src/modules/cap/cap.schema.ts';
import { request, withQuery } from '../../shared/api.ts';

export type {
  AlertCreate,
  AlertInfoBody,
  AlertSummaryView,
  AlertTargetBody,
  AlertView,
  IncidentView,
  IssueView,
  PreviewView,
  TargetFilters,
};

const byId = (path: string, id: string) => `${path}/${encodeURIComponent(id)}`;
const alertPath = (id: string, action?: string) =>
  action ? `${byId('/api/alerts', id)}/${action}` : byId('/api/alerts', id);

export const alertsApi = {
  previewCount: (target: AlertTargetBody, signal?: AbortSignal) =>
    request<PreviewView>('POST', '/api/alerts/preview-count', { body: { target }, signal }),
  list: (query: AlertListQuery, signal?: AbortSignal) =>
    request<{ items: AlertSummaryView[]; nextCursor: string | null }>(
      'GET',
      withQuery('/api/alerts', query),
      {
        signal,
      },
    ),
  get: (id: string, signal?: AbortSignal) => request<AlertView>('GET', alertPath(id), { signal }),
  create: (body: AlertCreate) => request<AlertView>('POST', '/api/alerts', { body }),
  patch: (id: string, body: AlertPatch) => request<AlertView>('PATCH', alertPath(id), { body }),
  submit: (id: string) => request<AlertView>('POST', alertPath(id, 'submit')),
  approve: (id: string) => request<AlertView>('POST', alertPath(id, 'approve')),
  reject: (id: string, reason: string) =>
    request<AlertView>('POST', alertPath(id, 'reject'), { body: { reason } }),
  issue: (id: string) => request<IssueView>('POST', alertPath(id, 'issue')),
  update: (id: string, body: AlertPatch) => request<AlertView>('POST', alertPath(id, 'update'), { body }),
  cancel: (id: string, infos: AlertInfoBody[]) =>
    request<AlertView>('POST', alertPath(id, 'cancel'), { body: { infos } }),
  capXmlPath: (id: string) => alertPath(id, 'cap.xml'),

  importCap: (xml: string) =>
    request<IncidentView>('POST', '/api/cap/import', { text: { type: 'application/cap+xml', content: xml } }),
  incidents: (signal?: AbortSignal) =>
    request<{ items: IncidentSummaryView[]; nextCursor: string | null }>('GET', '/api/cap/incidents', {
      signal,
    }),
  incident: (id: string, signal?: AbortSignal) =>
    request<IncidentView>('GET', byId('/api/cap/incidents', id), { signal }),
  draftFromIncident: (id: string) =>
    request<AlertView>('POST', `${byId('/api/cap/incidents', id)}/draft-alert`, { body: {} }),
};
