import { useEffect, useMemo, useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, toProblem } from '../../shared/api.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { Link } from '../../shared/router.tsx';
import { useDocumentTitle } from '../../shared/useDocumentTitle.ts';
import { useLoad } from '../../shared/useLoad.ts';
import { countBy } from './board-model.ts';
import { CostsPanel } from './CostsPanel.tsx';
import { EvacuationMap } from './EvacuationMap.tsx';
import { EvacueesPanel } from './EvacueesPanel.tsx';
import { evacuationApi, type PlanResult } from './evacuation-api.ts';
import { LegsPanel } from './LegsPanel.tsx';
import { evacueeName, operationStatusLabel, reasonLabel, tierLabel } from './labels.ts';
import { PointsPanel } from './PointsPanel.tsx';
import { useLatest } from './useLatest.ts';
import '../../shared/DataTable.css';
import './evacuation.css';

const HEAD_COUNT_REFRESH_MS = 5000;

/** Everything the board shows about one operation, loaded together so it is always consistent. */
async function loadBoard(id: string, signal: AbortSignal) {
  const [operation, points, legs, plan, evacuees] = await Promise.all([
    evacuationApi.operation(id, signal),
    evacuationApi.assemblyPoints(id, signal),
    evacuationApi.legs(id, signal),
    evacuationApi.plan(id, signal),
    evacuationApi.evacuees(id, signal),
  ]);
  return { operation, points: points.items, legs: legs.items, plan, evacuees: evacuees.items };
}

/**
 * One evacuation operation: the map of assembly points, the legs with their fill and head counts, the
 * planner and its summary, who has no seat and why, the evacuees and the assistance costs.
 */
export function OperationBoard({ id }: { id: string }) {
  const { t, format } = useI18n();
  const board = useLoad(`evacuation-board:${id}`, (signal) => loadBoard(id, signal));
  const heads = useLoad(`evacuation-heads:${id}`, (signal) => evacuationApi.headCounts(id, signal));
  const [lastRun, setLastRun] = useState<PlanResult | null>(null);
  const [keep, setKeep] = useState(false);
  const [planning, setPlanning] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const data = useLatest(board);
  const headCounts = useLatest(heads)?.items ?? [];
  useDocumentTitle(data ? data.operation.crisis : t('evac.title'));

  const reloadHeads = heads.reload;
  useEffect(() => {
    const timer = window.setInterval(reloadHeads, HEAD_COUNT_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reloadHeads]);

  const evacueesById = useMemo(() => new Map(data?.evacuees.map((e) => [e.personId, e]) ?? []), [data]);

  if (!data) {
    if (board.status === 'failed') return <ProblemMessage problem={board.problem} onRetry={board.reload} />;
    return <p className="muted">{t('common.loading')}</p>;
  }
  const { operation, points, legs, plan, evacuees } = data;
  const changed = () => {
    board.reload();
    heads.reload();
  };

  const runPlanner = async () => {
    setPlanning(true);
    setProblem(null);
    try {
      setLastRun(await evacuationApi.runPlanner(id, keep));
      changed();
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setPlanning(false);
    }
  };

  const summary = lastRun?.summary ?? plan?.summary ?? null;
  const unassigned = plan?.unassigned ?? [];
  const reasons = countBy(unassigned, (u) => u.reason);
  const needsRerun = plan !== null && plan.notPlanned > 0;

  return (
    <>
      <p className="evac-back">
        <Link to="/evacuation">{t('evac.back')}</Link>
      </p>
      <div className="page-heading page-heading--with-action">
        <div>
          <h1 dir="auto">{operation.crisis}</h1>
          <p>
            {t('evac.board.subtitle', {
              country: format.region(operation.country),
              level: operation.alertLevel,
              status: operationStatusLabel(t, operation.status),
            })}
          </p>
        </div>
        <div>
          <a className="button" href="/scan">
            {t('evac.scanner.open')}
          </a>
        </div>
      </div>

      <dl className="evac-stats">
        <div>
          <dt>{t('evac.stats.evacuees')}</dt>
          <dd>{format.number(operation.counts.evacuees)}</dd>
        </div>
        <div>
          <dt>{t('evac.stats.points')}</dt>
          <dd>{format.number(operation.counts.assemblyPoints)}</dd>
        </div>
        <div>
          <dt>{t('evac.stats.legs')}</dt>
          <dd>{format.number(operation.counts.legs)}</dd>
        </div>
        <div>
          <dt>{t('evac.stats.boarded')}</dt>
          <dd>{format.number(operation.counts.boarded)}</dd>
        </div>
        <div>
          <dt>{t('evac.stats.arrived')}</dt>
          <dd>{format.number(operation.counts.arrived)}</dd>
        </div>
      </dl>

      {board.status === 'failed' && <ProblemMessage problem={board.problem} onRetry={board.reload} />}
      <section className="card evac-planner" aria-labelledby="evac-planner-title">
        <h2 id="evac-planner-title">{t('evac.planner.title')}</h2>
        {plan === null && !lastRun && <p className="muted">{t('evac.planner.none')}</p>}
        {needsRerun && (
          <p className="notice" role="status">
            {t('evac.planner.stale', { count: plan.notPlanned })}
          </p>
        )}
        {summary && (
          <div role="status" className="evac-summary">
            <p>
              {t('evac.planner.summary', {
                assigned: summary.assigned,
                people: summary.people,
                unassigned: summary.unassigned,
              })}
              {plan &&
                ` ${t('evac.planner.version', { version: plan.version, at: format.dateTime(plan.plannedAt) })}`}
            </p>
            {summary.tiers.length > 0 && (
              <ul className="evac-tiers">
                {summary.tiers
                  .filter((tier) => tier.people > 0)
                  .map((tier) => (
                    <li key={tier.tier}>
                      {t('evac.planner.tier', {
                        tier: tier.tier,
                        label: tierLabel(t, tier.label),
                        assigned: tier.assigned,
                        people: tier.people,
                      })}
                    </li>
                  ))}
              </ul>
            )}
          </div>
        )}
        <div className="form-actions">
          <button type="button" className="button button--primary" onClick={runPlanner} disabled={planning}>
            {planning ? t('evac.planner.running') : plan ? t('evac.planner.rerun') : t('evac.planner.run')}
          </button>
          {plan && (
            <label className="choice">
              <input type="checkbox" checked={keep} onChange={(e) => setKeep(e.target.checked)} />
              {t('evac.planner.keep')}
            </label>
          )}
        </div>
        {problem && <ProblemMessage problem={problem} />}
      </section>

      <div className="evac-columns">
        <section className="card" aria-labelledby="evac-map-title">
          <h2 id="evac-map-title">{t('evac.map.title')}</h2>
          <EvacuationMap country={operation.country} points={points} legs={legs} />
          <PointsPanel operationId={id} points={points} plan={plan} onChanged={changed} />
        </section>
        <LegsPanel
          operationId={id}
          legs={legs}
          points={points}
          plan={plan}
          headCounts={headCounts}
          onChanged={changed}
        />
      </div>

      <section className="card" aria-labelledby="evac-unassigned-title">
        <h2 id="evac-unassigned-title">{t('evac.unassigned.title', { count: unassigned.length })}</h2>
        {unassigned.length === 0 ? (
          <p className="muted">{plan ? t('evac.unassigned.none') : t('evac.planner.none')}</p>
        ) : (
          <>
            <ul className="evac-reasons">
              {reasons.map(([reason, count]) => (
                <li key={reason}>
                  <span className="badge badge--warn">{format.number(count)}</span> {reasonLabel(t, reason)}
                </li>
              ))}
            </ul>
            <div className="data-table">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('evac.col.name')}</th>
                    <th scope="col">{t('evac.col.tier')}</th>
                    <th scope="col">{t('evac.col.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {unassigned.slice(0, 200).map((u) => (
                    <tr key={u.personId}>
                      <td data-label={t('evac.col.name')} dir="auto">
                        {evacueeName(evacueesById.get(u.personId)) || t('common.withheld')}
                      </td>
                      <td data-label={t('evac.col.tier')}>{format.number(u.tier)}</td>
                      <td data-label={t('evac.col.reason')}>{reasonLabel(t, u.reason)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {unassigned.length > 200 && (
              <p className="muted">{t('evac.unassigned.more', { count: unassigned.length - 200 })}</p>
            )}
          </>
        )}
      </section>

      <EvacueesPanel operation={operation} evacuees={evacuees} onChanged={changed} />
      <CostsPanel operationId={id} evacuees={evacuees} />
    </>
  );
}
