import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../lib/ids.ts';
import { formatThousandths, parseAmountThousandths } from './cost-amounts.ts';
import {
  auditEvacuation,
  type EvacuationContext,
  evacueeNotFound,
  lockOpenOperation,
  visibleOperation,
} from './evacuation.context.ts';
import {
  countCostEvacuees,
  findEvacuee,
  insertCostItem,
  listCostItems,
  sumCostItems,
} from './evacuation.repository.ts';
import { COST_KINDS, type CostCreate, type CostTotals, type CostView } from './evacuation.schema.ts';
import type { EvacuationCostItemRow } from './evacuation.table.ts';

const toCostView = (row: EvacuationCostItemRow): CostView => ({
  id: row.id,
  personId: row.person_id,
  kind: row.kind,
  amount: formatThousandths(row.amount_thousandths),
  currency: row.currency,
  status: row.status,
  notes: row.notes_enc,
  recordedAt: row.recorded_at,
});

/** Records one assistance item (fare, exit fee, penalty, cash) paid or waived for an evacuee. */
export async function addCostItem(
  database: Database,
  ctx: EvacuationContext,
  operationId: string,
  personId: string,
  body: CostCreate,
): Promise<CostView> {
  const amount = parseAmountThousandths(body.amount);
  if (amount === null)
    throw new AppError('evacuation.amount_invalid', 'amount must be a decimal with at most 3 decimals', 422);
  return database.db.transaction().execute(async (trx) => {
    await lockOpenOperation(trx, database.dialect, ctx, operationId, { allowClosed: true });
    if (!(await findEvacuee(trx, operationId, personId))) throw evacueeNotFound();
    const row: EvacuationCostItemRow = {
      id: newId(ctx.now.getTime()),
      operation_id: operationId,
      person_id: personId,
      kind: body.kind,
      amount_thousandths: amount,
      currency: body.currency,
      status: body.status,
      notes_enc: body.notes?.trim() || null,
      recorded_at: ctx.now.toISOString(),
      recorded_by: ctx.viewer.userId,
    };
    await insertCostItem(trx, row);
    await auditEvacuation(trx, database.dialect, ctx, 'evacuation.cost.create', [personId], {
      operationId,
      kind: row.kind,
      currency: row.currency,
      status: row.status,
    });
    return toCostView(row);
  });
}

/** An evacuee's assistance items; the read is audited. */
export async function listEvacueeCosts(
  database: Database,
  ctx: EvacuationContext,
  operationId: string,
  personId: string,
): Promise<{ items: CostView[] }> {
  await visibleOperation(database, ctx, operationId);
  return database.db.transaction().execute(async (trx) => {
    if (!(await findEvacuee(trx, operationId, personId))) throw evacueeNotFound();
    const rows = await listCostItems(trx, operationId, personId);
    await auditEvacuation(trx, database.dialect, ctx, 'evacuation.costs.read', [personId], { operationId });
    return { items: rows.map(toCostView) };
  });
}

/** Totals per currency (never summed across currencies), paid and waived, and by kind. */
export async function operationCostTotals(
  database: Database,
  ctx: EvacuationContext,
  operationId: string,
): Promise<CostTotals> {
  await visibleOperation(database, ctx, operationId);
  const sums = await sumCostItems(database.db, operationId);
  const evacuees = new Map(
    (await countCostEvacuees(database.db, operationId)).map((r) => [r.currency, Number(r.evacuees)]),
  );
  const byCurrency = new Map<
    string,
    { paid: number; waived: number; items: number; kinds: Map<string, { paid: number; waived: number }> }
  >();
  for (const s of sums) {
    const entry = byCurrency.get(s.currency) ?? { paid: 0, waived: 0, items: 0, kinds: new Map() };
    const amount = Number(s.amount);
    const kind = entry.kinds.get(s.kind) ?? { paid: 0, waived: 0 };
    if (s.status === 'paid') {
      entry.paid += amount;
      kind.paid += amount;
    } else {
      entry.waived += amount;
      kind.waived += amount;
    }
    entry.items += Number(s.items);
    entry.kinds.set(s.kind, kind);
    byCurrency.set(s.currency, entry);
  }
  return {
    operationId,
    currencies: [...byCurrency.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, t]) => ({
        currency,
        paid: formatThousandths(t.paid),
        waived: formatThousandths(t.waived),
        total: formatThousandths(t.paid + t.waived),
        items: t.items,
        evacuees: evacuees.get(currency) ?? 0,
        byKind: COST_KINDS.filter((k) => t.kinds.has(k)).map((k) => ({
          kind: k,
          paid: formatThousandths(t.kinds.get(k)!.paid),
          waived: formatThousandths(t.kinds.get(k)!.waived),
        })),
      })),
  };
}
