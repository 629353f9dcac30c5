// Calls to the help-request API, typed from the server's own schemas (types only, nothing bundled).
import type { Static } from 'typebox';
import type {
  AssigneeList,
  HelpRequestDetail,
  HelpRequestSummary,
  QueueQuery,
  QueueView,
} from '../../../../src/modules/cases/help-requests.schema.ts';
import { request, withQuery } from '../../shared/api.ts';

export type { HelpRequestDetail, HelpRequestSummary, QueueQuery };
export type Queue = Static<typeof QueueView>;
export type Assignee = Static<typeof AssigneeList>['items'][number];
export type ReferralPartner = {
  id: string;
  name: string;
  type: string;
  eligible: boolean;
  refusal: 'no_agreement' | 'no_consent' | null;
};

const path = (id: string, action?: string) =>
  `/api/help-requests/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

export const casesApi = {
  queue: (query: QueueQuery, signal?: AbortSignal) =>
    request<Queue>('GET', withQuery('/api/help-requests', query), { signal }),
  get: (id: string, signal?: AbortSignal) => request<HelpRequestDetail>('GET', path(id), { signal }),
  photoUrl: (id: string) => path(id, 'photo'),
  assignees: (id: string, signal?: AbortSignal) =>
    request<{ items: Assignee[] }>('GET', path(id, 'assignees'), { signal }),
  partners: (id: string, signal?: AbortSignal) =>
    request<{ items: ReferralPartner[] }>('GET', path(id, 'partners'), { signal }),
  assign: (id: string, userId: string) =>
    request<HelpRequestDetail>('POST', path(id, 'assign'), { body: { userId } }),
  refer: (id: string, organizationId: string) =>
    request<HelpRequestDetail>('POST', path(id, 'refer'), { body: { organizationId } }),
  setStatus: (id: string, status: string) =>
    request<HelpRequestDetail>('POST', path(id, 'status'), { body: { status } }),
  addNote: (id: string, text: string) =>
    request<HelpRequestDetail>('POST', path(id, 'notes'), { body: { text } }),
  close: (id: string, outcome: string) =>
    request<HelpRequestDetail>('POST', path(id, 'close'), { body: { outcome } }),
};
