import { type FormEvent, useState } from 'react';
import { codeLabel } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, api, toProblem } from '../../shared/api.ts';
import type { OrganizationType, OrganizationView } from '../../shared/api-types.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { useCountryOptions } from '../../shared/useCountries.ts';
import { useLoad } from '../../shared/useLoad.ts';
import { ORGANIZATION_TYPE_CODES } from './codes.ts';
import '../../shared/DataTable.css';

/** Organisations: the ministry, host authorities, partners, employers and transport operators. */
export function OrganizationsPanel() {
  const { t, format } = useI18n();
  const organizations = useLoad('organizations', (signal) => api.organizations(signal));
  const [creating, setCreating] = useState(false);
  const [added, setAdded] = useState<OrganizationView | null>(null);

  return (
    <section aria-labelledby="organizations-heading">
      <div className="panel-heading">
        <h2 id="organizations-heading">{t('admin.tab.organizations')}</h2>
        {!creating && (
          <button
            type="button"
            className="button button--primary"
            onClick={() => {
              setAdded(null);
              setCreating(true);
            }}
          >
            {t('orgs.new')}
          </button>
        )}
      </div>
      {added && (
        <div className="notice" role="status">
          <p>{t('orgs.created', { name: added.name })}</p>
        </div>
      )}
      {creating && (
        <OrganizationForm
          onCancel={() => setCreating(false)}
          onCreated={(org) => {
            setCreating(false);
            setAdded(org);
            organizations.reload();
          }}
        />
      )}
      {organizations.status === 'loading' && (
        <p className="status-line" role="status">
          {t('common.loading')}
        </p>
      )}
      {organizations.status === 'failed' && (
        <ProblemMessage problem={organizations.problem} onRetry={organizations.reload} />
      )}
      {organizations.status === 'ready' && organizations.data.items.length === 0 && (
        <p className="empty-state card">{t('orgs.empty')}</p>
      )}
      {organizations.status === 'ready' && organizations.data.items.length > 0 && (
        <div className="data-table">
          <table>
            <caption className="visually-hidden">{t('admin.tab.organizations')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('orgs.name')}</th>
                <th scope="col">{t('orgs.type')}</th>
                <th scope="col">{t('orgs.country')}</th>
                <th scope="col">{t('users.createdAt')}</th>
              </tr>
            </thead>
            <tbody>
              {organizations.data.items.map((org) => (
                <tr key={org.id}>
                  <th scope="row" data-label={t('orgs.name')}>
                    <span dir="auto">{org.name}</span>
                  </th>
                  <td data-label={t('orgs.type')}>
                    <span>{codeLabel(t, 'orgType', org.type)}</span>
                  </td>
                  <td data-label={t('orgs.country')}>
                    <span>{org.country ? format.region(org.country) : t('common.empty')}</span>
                  </td>
                  <td data-label={t('users.createdAt')}>
                    <span>{format.date(org.createdAt)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

type FormProps = { onCreated: (org: OrganizationView) => void; onCancel: () => void };

function OrganizationForm({ onCreated, onCancel }: FormProps) {
  const t = useI18n().t;
  const countries = useCountryOptions();
  const [name, setName] = useState('');
  const [type, setType] = useState<OrganizationType | ''>('');
  const [country, setCountry] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!type) return;
    setBusy(true);
    setProblem(null);
    try {
      onCreated(await api.createOrganization({ name: name.trim(), type, ...(country ? { country } : {}) }));
    } catch (error) {
      setProblem(toProblem(error));
      setBusy(false);
    }
  };

  return (
    <form className="card form-card" aria-labelledby="org-form-title" onSubmit={submit}>
      <h2 id="org-form-title">{t('orgs.formTitle')}</h2>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="org-name">{t('orgs.name')}</label>
          <input
            id="org-name"
            required
            maxLength={200}
            dir="auto"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="org-type">{t('orgs.type')}</label>
          <select
            id="org-type"
            required
            value={type}
            onChange={(e) => setType(e.target.value as OrganizationType | '')}
          >
            <option value="">{t('common.choose')}</option>
            {ORGANIZATION_TYPE_CODES.map((code) => (
              <option key={code} value={code}>
                {codeLabel(t, 'orgType', code)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="org-country">{t('orgs.country')}</label>
          <select id="org-country" value={country} onChange={(e) => setCountry(e.target.value)}>
            <option value="">{t('orgs.noCountry')}</option>
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {problem && <ProblemMessage problem={problem} />}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('orgs.create')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
