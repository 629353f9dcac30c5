import type { Database } from '../../db/database.ts';
import { personScope } from '../../domain/access/policy.ts';
import type { InboundOutcome } from '../../domain/keywords/inbound-outcome.ts';
import { AppError } from '../../errors.ts';
import { appendAudit } from '../audit/audit.service.ts';
import type { RequestContext } from '../registry/persons.access.ts';
import { listInboundMessages } from './inbound.repository.ts';
import type { InboundListQuery, InboundMessageView } from './inbound.schema.ts';
import type { InboundMessageRow } from './inbound.table.ts';

const toView = (row: InboundMessageRow): InboundMessageView => ({
  id: row.id,
  channel: row.channel,
  receivedAt: row.received_at,
  sender: row.sender_enc,
  recipient: row.recipient,
  text: row.body_enc,
  intent: row.intent,
  language: row.language,
  outcome: row.outcome as InboundOutcome,
  personId: row.person_id,
  alertId: row.alert_id,
  responseId: row.response_id,
  helpRequestId: row.help_request_id,
});

const encodeCursor = (row: InboundMessageRow) =>
  Buffer.from(`${row.received_at}|${row.id}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string | undefined): { receivedAt: string; id: string } | null {
  if (cursor === undefined) return null;
  const [receivedAt, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!receivedAt || !id || rest.length > 0 || Number.isNaN(Date.parse(receivedAt))) {
    throw new AppError('inbound.cursor_invalid', 'The cursor is not one this list gave', 400);
  }
  return { receivedAt, id };
}

/**
 * Inbound messages with one outcome (by default those nobody could read), newest first, for officers to
 * act on: headquarters sees all of them; a post sees those of registered people in its jurisdiction
 * (messages from unknown numbers cannot be placed, so only headquarters sees those). The read is audited,
 * with the people it revealed, in the same transaction.
 */
export async function listInboundAs(
  database: Database,
  ctx: RequestContext,
  query: InboundListQuery,
): Promise<{ items: InboundMessageView[]; nextCursor: string | null }> {
  const outcome = query.outcome ?? 'inbound.unrecognised';
  const limit = query.limit ?? 50;
  const before = decodeCursor(query.cursor);
  const scope = personScope(ctx.viewer);
  const countries = scope.kind === 'all' ? null : scope.kind === 'countries' ? scope.countries : [];
  return database.db.transaction().execute(async (trx) => {
    const rows = await listInboundMessages(trx, { outcome, countries, before, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const personIds = [...new Set(page.flatMap((r) => (r.person_id ? [r.person_id] : [])))];
    await appendAudit(trx, database.dialect, {
      actorUserId: ctx.viewer.userId,
      actorRole: ctx.viewer.role,
      action: 'inbound.list',
      outcome: 'allowed',
      personIds,
      purpose: ctx.purpose ?? null,
      ip: ctx.ip,
      details: { outcome, count: page.length },
    });
    const last = page.at(-1);
    return { items: page.map(toView), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
  });
}
