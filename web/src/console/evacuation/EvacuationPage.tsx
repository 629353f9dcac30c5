import { type FormEvent, useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, toProblem } from '../../shared/api.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { Link, navigate } from '../../shared/router.tsx';
import { useCountryOptions } from '../../shared/useCountries.ts';
import { useDocumentTitle } from '../../shared/useDocumentTitle.ts';
import { useLoad } from '../../shared/useLoad.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { evacuationApi } from './evacuation-api.ts';
import { operationStatusLabel } from './labels.ts';
import '../../shared/DataTable.css';
import './evacuation.css';

/** Evacuation operations in the officer's countries, newest first, and a form to open one. */
export function EvacuationPage() {
  const { t, format } = useI18n();
  useDocumentTitle(t('evac.title'));
  const operations = useLoad('evacuation-operations', (signal) => evacuationApi.operations(signal));
  const [creating, setCreating] = useState(false);

  return (
    <>
      <div className="page-heading page-heading--with-action">
        <div>
          <h1>{t('evac.title')}</h1>
          <p>{t('evac.intro')}</p>
        </div>
        <div>
          <a className="button" href="/scan">
            {t('evac.scanner.open')}
          </a>
          {!creating && (
            <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
              {t('evac.new.open')}
            </button>
          )}
        </div>
      </div>
      {creating && <NewOperationForm onCancel={() => setCreating(false)} />}
      {operations.status === 'failed' && (
        <ProblemMessage problem={operations.problem} onRetry={operations.reload} />
      )}
      {operations.status === 'loading' && <p className="muted">{t('common.loading')}</p>}
      {operations.status === 'ready' &&
        (operations.data.items.length === 0 ? (
          <p className="empty-state">{t('evac.list.empty')}</p>
        ) : (
          <div className="data-table">
            <table>
              <caption className="visually-hidden">{t('evac.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('evac.field.crisis')}</th>
                  <th scope="col">{t('evac.field.country')}</th>
                  <th scope="col">{t('evac.field.alertLevel')}</th>
                  <th scope="col">{t('evac.field.status')}</th>
                  <th scope="col">{t('evac.list.evacuees')}</th>
                  <th scope="col">{t('evac.list.legs')}</th>
                  <th scope="col">{t('evac.list.created')}</th>
                </tr>
              </thead>
              <tbody>
                {operations.data.items.map((op) => (
                  <tr key={op.id}>
                    <td data-label={t('evac.field.crisis')}>
                      <Link to={`/evacuation/${op.id}`} dir="auto">
                        {op.crisis}
                      </Link>
                    </td>
                    <td data-label={t('evac.field.country')}>{format.region(op.country)}</td>
                    <td data-label={t('evac.field.alertLevel')}>{format.number(op.alertLevel)}</td>
                    <td data-label={t('evac.field.status')}>{operationStatusLabel(t, op.status)}</td>
                    <td data-label={t('evac.list.evacuees')}>{format.number(op.counts.evacuees)}</td>
                    <td data-label={t('evac.list.legs')}>{format.number(op.counts.legs)}</td>
                    <td data-label={t('evac.list.created')}>{format.dateTime(op.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </>
  );
}

function NewOperationForm({ onCancel }: { onCancel: () => void }) {
  const { t } = useI18n();
  const { session } = useSession();
  const jurisdiction = session.status === 'active' ? session.me.jurisdiction : [];
  const allCountries = useCountryOptions();
  const countries =
    jurisdiction.length > 0 ? allCountries.filter((c) => jurisdiction.includes(c.code)) : allCountries;
  const [crisis, setCrisis] = useState('');
  const [country, setCountry] = useState(jurisdiction.length === 1 ? (jurisdiction[0] ?? '') : '');
  const [alertLevel, setAlertLevel] = useState('4');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const created = await evacuationApi.createOperation({
        crisis: crisis.trim(),
        country,
        alertLevel: Number(alertLevel),
      });
      navigate(`/evacuation/${created.id}`);
    } catch (error) {
      setProblem(toProblem(error));
      setBusy(false);
    }
  };

  return (
    <form className="card evac-form" onSubmit={submit} aria-labelledby="evac-new-title">
      <h2 id="evac-new-title">{t('evac.new.title')}</h2>
      <div className="form-grid">
        <div className="field form-grid__wide">
          <label htmlFor="evac-crisis">{t('evac.field.crisis')}</label>
          <input
            id="evac-crisis"
            required
            maxLength={200}
            value={crisis}
            onChange={(e) => setCrisis(e.target.value)}
            dir="auto"
          />
        </div>
        <div className="field">
          <label htmlFor="evac-country">{t('evac.field.country')}</label>
          <select id="evac-country" required value={country} onChange={(e) => setCountry(e.target.value)}>
            <option value="">{t('common.choose')}</option>
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="evac-level">{t('evac.field.alertLevel')}</label>
          <input
            id="evac-level"
            type="number"
            required
            min={0}
            max={20}
            value={alertLevel}
            onChange={(e) => setAlertLevel(e.target.value)}
          />
          <p className="field__hint">{t('evac.new.levelHint')}</p>
        </div>
      </div>
      {problem && <ProblemMessage problem={problem} />}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('evac.new.submit')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
