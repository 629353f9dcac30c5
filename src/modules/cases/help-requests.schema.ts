import { type Static, Type } from 'typebox';
import {
  HELP_REQUEST_OUTCOMES,
  HELP_REQUEST_STATUSES,
  SETTABLE_STATUSES,
} from '../../domain/triage/help-request-lifecycle.ts';
import { HELP_REQUEST_TYPES, TRIAGE_PRIORITIES } from '../../domain/triage/triage-rules.ts';
import { StringEnum } from '../../http/schema-helpers.ts';
import { UUID_PATTERN } from '../../lib/ids.ts';

const Id = Type.String({ pattern: UUID_PATTERN });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const IdParams = Type.Object({ id: Id });

export const QueueQuery = Type.Object(
  {
    post: Type.Optional(Id),
    status: Type.Optional(
      StringEnum(['open', 'all', ...HELP_REQUEST_STATUSES] as const, {
        description: 'open (default): every status but closed',
      }),
    ),
    priority: Type.Optional(StringEnum(TRIAGE_PRIORITIES)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 200 })),
  },
  { additionalProperties: false },
);
export type QueueQuery = Static<typeof QueueQuery>;

const Reason = Type.Object({
  code: Type.String({ description: 'sos, type.<type>, vulnerability.<code>, alert_level.<n>, waiting' }),
  points: Type.Integer(),
});

const UserRef = Nullable(Type.Object({ id: Type.String(), email: Type.String() }));
const OrgRef = Nullable(Type.Object({ id: Type.String(), name: Type.String() }));

export const Sla = Type.Object({
  dueAt: Type.String(),
  overdue: Type.Boolean({ description: 'Past the deadline now, or acted on only after it' }),
  minutesLeft: Type.Integer({ description: 'Negative once overdue; frozen when the request was acted on' }),
  actedAt: Nullable(
    Type.String({ description: 'When someone first acted on the request (stops the clock)' }),
  ),
});

export const HelpRequestSummary = Type.Object({
  id: Type.String(),
  postId: Nullable(Type.String()),
  person: Type.Object({ id: Type.String(), name: Nullable(Type.String()) }),
  type: Type.String(),
  isSos: Type.Boolean(),
  channel: Type.String(),
  priority: Type.String(),
  score: Type.Integer(),
  reasons: Type.Array(Reason),
  status: Type.String(),
  assignedTo: UserRef,
  referredTo: OrgRef,
  outcome: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  closedAt: Nullable(Type.String()),
  sla: Sla,
  hasPhoto: Type.Boolean(),
  emergency: Type.Boolean({ description: 'Seen through an emergency override' }),
});
export type HelpRequestSummary = Static<typeof HelpRequestSummary>;

export const QueueView = Type.Object({
  asOf: Type.String({ description: 'Server time of the answer: clients count the SLA down from it' }),
  postId: Nullable(Type.String()),
  items: Type.Array(HelpRequestSummary),
});

const HistoryEntry = Type.Object({
  id: Type.String(),
  kind: StringEnum(['created', 'status', 'assigned', 'referred', 'note', 'closed'] as const),
  at: Type.String(),
  actor: UserRef,
  fromStatus: Nullable(Type.String()),
  toStatus: Nullable(Type.String()),
  assignee: UserRef,
  organization: OrgRef,
  outcome: Nullable(Type.String()),
});

export const HelpRequestDetail = Type.Object({
  ...HelpRequestSummary.properties,
  alertId: Nullable(Type.String()),
  post: OrgRef,
  freeText: Nullable(Type.String()),
  /** True when there is text this viewer may not read. */
  caseNotesWithheld: Type.Boolean(),
  location: Nullable(
    Type.Object({ lat: Type.Number(), lng: Type.Number(), h3Cell: Nullable(Type.String()) }),
  ),
  photo: Nullable(Type.Object({ url: Type.String(), contentType: Type.String(), sizeBytes: Type.Integer() })),
  notes: Type.Array(
    Type.Object({ id: Type.String(), text: Type.String(), author: UserRef, at: Type.String() }),
  ),
  history: Type.Array(HistoryEntry),
  actions: Type.Object({
    statuses: Type.Array(Type.String(), { description: 'Statuses this viewer may set now' }),
    canAssign: Type.Boolean(),
    canRefer: Type.Boolean(),
    canClose: Type.Boolean(),
    canNote: Type.Boolean(),
  }),
});
export type HelpRequestDetail = Static<typeof HelpRequestDetail>;

export const OpenBody = Type.Object(
  {
    type: Type.String({ description: HELP_REQUEST_TYPES.join(' | ') }),
    isSos: Type.Optional(Type.Boolean({ default: false })),
    text: Type.Optional(Nullable(Type.String({ maxLength: 20_000 }))),
    alertId: Type.Optional(Nullable(Type.String())),
    location: Type.Optional(
      Nullable(Type.Object({ lat: Type.Number(), lng: Type.Number() }, { additionalProperties: false })),
    ),
    photo: Type.Optional(
      Nullable(
        Type.Object(
          {
            contentType: Type.String({ maxLength: 100, description: 'image/jpeg, image/png or image/webp' }),
            data: Type.String({ description: 'The image, base64' }),
          },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);
export type OpenBody = Static<typeof OpenBody>;

export const AssignBody = Type.Object({ userId: Id }, { additionalProperties: false });
export const ReferBody = Type.Object({ organizationId: Id }, { additionalProperties: false });
export const StatusBody = Type.Object(
  { status: StringEnum(SETTABLE_STATUSES, { description: 'Refer and close have their own steps' }) },
  { additionalProperties: false },
);
export const NoteBody = Type.Object(
  { text: Type.String({ maxLength: 20_000 }) },
  { additionalProperties: false },
);
export const CloseBody = Type.Object(
  { outcome: StringEnum(HELP_REQUEST_OUTCOMES) },
  { additionalProperties: false },
);

export const AssigneeList = Type.Object({
  items: Type.Array(Type.Object({ id: Type.String(), email: Type.String(), role: Type.String() })),
});
