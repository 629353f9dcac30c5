import { type FormEvent, useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, toProblem } from '../../shared/api.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { useLoad } from '../../shared/useLoad.ts';
import { type EvacueeView, evacuationApi } from './evacuation-api.ts';
import { costKindLabel, costStatusLabel, evacueeName } from './labels.ts';

const KINDS = ['fare', 'exit_fee', 'penalty', 'cash_assistance'] as const;
const STATUSES = ['paid', 'waived'] as const;

type Props = { operationId: string; evacuees: readonly EvacueeView[] };

/**
 * Assistance costs: the operation's totals per currency (paid, waived, by kind), and one evacuee's
 * items with a form to record another. Amounts stay decimal text, as the server keeps them.
 */
export function CostsPanel({ operationId, evacuees }: Props) {
  const { t, format } = useI18n();
  const [version, setVersion] = useState(0);
  const totals = useLoad(`evacuation-costs:${operationId}:${version}`, (signal) =>
    evacuationApi.costTotals(operationId, signal),
  );
  const [personId, setPersonId] = useState('');
  const items = useLoad(personId ? `evacuation-cost-items:${personId}:${version}` : null, (signal) =>
    evacuationApi.evacueeCosts(operationId, personId, signal),
  );

  return (
    <section className="card" aria-labelledby="evac-costs-title">
      <h2 id="evac-costs-title">{t('evac.costs.title')}</h2>
      {totals.status === 'failed' && <ProblemMessage problem={totals.problem} onRetry={totals.reload} />}
      {totals.status === 'ready' &&
        (totals.data.currencies.length === 0 ? (
          <p className="muted">{t('evac.costs.none')}</p>
        ) : (
          <div className="data-table">
            <table>
              <caption className="visually-hidden">{t('evac.costs.totals')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('evac.costs.currency')}</th>
                  <th scope="col">{t('evac.costs.paid')}</th>
                  <th scope="col">{t('evac.costs.waived')}</th>
                  <th scope="col">{t('evac.costs.total')}</th>
                  <th scope="col">{t('evac.costs.evacuees')}</th>
                  <th scope="col">{t('evac.costs.byKind')}</th>
                </tr>
              </thead>
              <tbody>
                {totals.data.currencies.map((c) => (
                  <tr key={c.currency}>
                    <td data-label={t('evac.costs.currency')}>{c.currency}</td>
                    <td data-label={t('evac.costs.paid')} dir="ltr">
                      {c.paid}
                    </td>
                    <td data-label={t('evac.costs.waived')} dir="ltr">
                      {c.waived}
                    </td>
                    <td data-label={t('evac.costs.total')} dir="ltr">
                      {c.total}
                    </td>
                    <td data-label={t('evac.costs.evacuees')}>{format.number(c.evacuees)}</td>
                    <td data-label={t('evac.costs.byKind')}>
                      {c.byKind
                        .map((k) => `${costKindLabel(t, k.kind)}: ${k.paid} / ${k.waived}`)
                        .join(' · ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      <div className="field evac-cost-person">
        <label htmlFor="cost-person">{t('evac.costs.person')}</label>
        <select id="cost-person" value={personId} onChange={(e) => setPersonId(e.target.value)}>
          <option value="">{t('common.choose')}</option>
          {evacuees.map((e) => (
            <option key={e.personId} value={e.personId}>
              {evacueeName(e)}
            </option>
          ))}
        </select>
      </div>
      {personId && items.status === 'ready' && (
        <>
          {items.data.items.length === 0 ? (
            <p className="muted">{t('evac.costs.noItems')}</p>
          ) : (
            <ul className="evac-cost-items">
              {items.data.items.map((item) => (
                <li key={item.id}>
                  {costKindLabel(t, item.kind)}:{' '}
                  <span dir="ltr">
                    {item.amount} {item.currency}
                  </span>{' '}
                  · {costStatusLabel(t, item.status)} · {format.dateTime(item.recordedAt)}
                </li>
              ))}
            </ul>
          )}
          <AddCostForm
            operationId={operationId}
            personId={personId}
            onAdded={() => setVersion((v) => v + 1)}
          />
        </>
      )}
      {personId && items.status === 'failed' && <ProblemMessage problem={items.problem} />}
    </section>
  );
}

function AddCostForm({
  operationId,
  personId,
  onAdded,
}: {
  operationId: string;
  personId: string;
  onAdded: () => void;
}) {
  const { t } = useI18n();
  const [kind, setKind] = useState<(typeof KINDS)[number]>('fare');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('USD');
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('paid');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await evacuationApi.addCost(operationId, personId, {
        kind,
        amount: amount.trim(),
        currency: currency.trim().toUpperCase(),
        status,
      });
      setAmount('');
      onAdded();
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="evac-form evac-form--inset" onSubmit={submit} aria-label={t('evac.costs.add')}>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="cost-kind">{t('evac.costs.kind')}</label>
          <select
            id="cost-kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as (typeof KINDS)[number])}
          >
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {costKindLabel(t, k)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="cost-amount">{t('evac.costs.amount')}</label>
          <input
            id="cost-amount"
            required
            inputMode="decimal"
            pattern="[0-9]+(\.[0-9]{1,3})?"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            dir="ltr"
          />
        </div>
        <div className="field">
          <label htmlFor="cost-currency">{t('evac.costs.currency')}</label>
          <input
            id="cost-currency"
            required
            maxLength={3}
            pattern="[A-Za-z]{3}"
            value={currency}
            onChange={(e) => setCurrency(e.target.value)}
            dir="ltr"
          />
        </div>
        <div className="field">
          <label htmlFor="cost-status">{t('evac.costs.status')}</label>
          <select
            id="cost-status"
            value={status}
            onChange={(e) => setStatus(e.target.value as (typeof STATUSES)[number])}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {costStatusLabel(t, s)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {problem && <ProblemMessage problem={problem} />}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('evac.costs.add')}
        </button>
      </div>
    </form>
  );
}
