import type { Transaction } from 'kysely';
import type { Database, Dialect } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { Viewer } from '../../domain/access/policy.ts';
import { EvacuationInputError } from '../../domain/evacuation/evacuation-error.ts';
import { AppError } from '../../errors.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { findOperation, lockOperation } from './evacuation.repository.ts';
import type { EvacuationOperationRow } from './evacuation.table.ts';

/** Who acts, from where, and when: what every use case of the evacuation module needs. */
export type EvacuationContext = { viewer: Viewer; ip: string | null; now: Date };

/**
 * The countries whose operations the viewer works on: null for every country (headquarters roles),
 * the post's jurisdiction for a consular officer, none for anyone else.
 */
export function operationCountries(viewer: Viewer): string[] | null {
  switch (viewer.role) {
    case 'hq_admin':
    case 'crisis_manager':
      return null;
    case 'consular_officer':
      return viewer.jurisdiction;
    default:
      return [];
  }
}

export function mayWorkIn(viewer: Viewer, country: string | null): boolean {
  const countries = operationCountries(viewer);
  return countries === null || (country !== null && countries.includes(country));
}

// "Not yours" and "does not exist" get the same answer, so that nobody can probe for operations.
export const operationNotFound = () =>
  new AppError('evacuation.operation_not_found', 'Evacuation operation not found', 404);
export const legNotFound = () => new AppError('evacuation.leg_not_found', 'Transport leg not found', 404);
export const evacueeNotFound = () =>
  new AppError('evacuation.evacuee_not_found', 'This person is not an evacuee of the operation', 404);

/** The operation, if it exists and the viewer works on its country. */
export async function visibleOperation(
  database: Database,
  ctx: EvacuationContext,
  id: string,
): Promise<EvacuationOperationRow> {
  const operation = await findOperation(database.db, id);
  if (!operation || !mayWorkIn(ctx.viewer, operation.country)) throw operationNotFound();
  return operation;
}

/**
 * Locks the operation for a change: it must exist, be the viewer's, and not be closed (unless the
 * change is bookkeeping allowed after closing, such as costs). Every change to an operation's
 * evacuees, legs, plan or boarding goes through here first.
 */
export async function lockOpenOperation(
  trx: Transaction<DB>,
  dialect: Dialect,
  ctx: EvacuationContext,
  id: string,
  options: { allowClosed?: boolean } = {},
): Promise<EvacuationOperationRow> {
  const operation = await lockOperation(trx, dialect, id);
  if (!operation || !mayWorkIn(ctx.viewer, operation.country)) throw operationNotFound();
  if (operation.status === 'closed' && !options.allowClosed)
    throw new AppError('evacuation.operation_closed', 'The operation is closed', 409);
  return operation;
}

/** Writes one audited event inside the caller's transaction. */
export function auditEvacuation(
  trx: Transaction<DB>,
  dialect: Dialect,
  ctx: EvacuationContext,
  action: string,
  personIds: string[],
  details: Record<string, string | number | boolean | null>,
): Promise<void> {
  return appendAudit(
    trx,
    dialect,
    {
      actorUserId: ctx.viewer.userId,
      actorRole: ctx.viewer.role,
      action,
      outcome: personIds.length > 0 && action.endsWith('.read') ? 'allowed' : 'done',
      personIds,
      ip: ctx.ip,
      details,
    },
    ctx.now,
  );
}

/** The planner's refusal as an HTTP answer: boarded people it cannot keep are a conflict, the rest bad input. */
export function planningError(err: unknown): unknown {
  if (!(err instanceof EvacuationInputError)) return err;
  const status = err.code.startsWith('evacuation.boarded_') ? 409 : 422;
  return new AppError(err.code, err.message, status, err.subjectId ? { subjectId: err.subjectId } : {});
}

/** Milliseconds of an ISO timestamp stored by this module. */
export const millis = (iso: string): number => Date.parse(iso);
