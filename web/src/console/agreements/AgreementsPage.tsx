import { type FormEvent, useMemo, useState } from 'react';
import { codeLabel } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, api, toProblem } from '../../shared/api.ts';
import type { AgreementCategory, AgreementView, OrganizationView } from '../../shared/api-types.ts';
import { CountryListField } from '../../shared/CountryListField.tsx';
import { Dialog } from '../../shared/Dialog.tsx';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { useDocumentTitle } from '../../shared/useDocumentTitle.ts';
import { useLoad } from '../../shared/useLoad.ts';
import { PARTNER_TYPES } from '../admin/codes.ts';
import { AGREEMENT_CATEGORY_CODES, can } from '../permissions.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { type AgreementStatus, agreementStatus, canEnd, utcDate } from './agreement-status.ts';
import '../../shared/DataTable.css';
import './agreements.css';

const STATUS_BADGE: Record<AgreementStatus, string> = {
  active: 'badge badge--ok',
  notStarted: 'badge badge--info',
  expired: 'badge',
  ended: 'badge badge--danger',
};

/**
 * Data-sharing agreements with partners. Administrators record and end them; crisis managers read them.
 * A partner sees a person only under an active agreement that covers them, and with their consent.
 */
export function AgreementsPage() {
  const { t, format } = useI18n();
  useDocumentTitle(t('agreements.title'));
  const { session } = useSession();
  const manages = session.status === 'active' && can(session.me.role, 'agreements.manage');
  const agreements = useLoad('agreements', (signal) => api.agreements(signal));
  const organizations = useLoad('organizations', (signal) => api.organizations(signal));
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [ending, setEnding] = useState<AgreementView | null>(null);
  const today = utcDate(new Date());

  const partners = useMemo(
    () =>
      organizations.status === 'ready'
        ? organizations.data.items.filter((org) => PARTNER_TYPES.has(org.type))
        : [],
    [organizations],
  );
  const partnerName = useMemo(() => {
    const names = new Map(
      organizations.status === 'ready' ? organizations.data.items.map((o) => [o.id, o.name]) : [],
    );
    return (id: string) => names.get(id) ?? id;
  }, [organizations]);

  return (
    <>
      <div className="page-heading page-heading--with-action">
        <div>
          <h1>{t('agreements.title')}</h1>
          <p>{t('agreements.intro')}</p>
          {!manages && <p>{t('agreements.readOnly')}</p>}
        </div>
        {manages && !creating && (
          <button
            type="button"
            className="button button--primary"
            onClick={() => {
              setNotice(null);
              setCreating(true);
            }}
          >
            {t('agreements.new')}
          </button>
        )}
      </div>

      {notice && (
        <div className="notice" role="status">
          <p>{notice}</p>
        </div>
      )}

      {manages && creating && (
        <AgreementForm
          partners={partners}
          today={today}
          onCancel={() => setCreating(false)}
          onCreated={(agreement) => {
            setCreating(false);
            setNotice(t('agreements.created', { partner: partnerName(agreement.partnerOrganizationId) }));
            agreements.reload();
          }}
        />
      )}

      {agreements.status === 'loading' && (
        <p className="status-line" role="status">
          {t('common.loading')}
        </p>
      )}
      {agreements.status === 'failed' && (
        <ProblemMessage problem={agreements.problem} onRetry={agreements.reload} />
      )}
      {agreements.status === 'ready' && agreements.data.items.length === 0 && (
        <p className="empty-state card">{t('agreements.empty')}</p>
      )}
      {agreements.status === 'ready' && agreements.data.items.length > 0 && (
        <div className="data-table agreements-table">
          <table>
            <caption className="visually-hidden">{t('agreements.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('agreements.partner')}</th>
                <th scope="col">{t('agreements.purpose')}</th>
                <th scope="col">{t('agreements.categories')}</th>
                <th scope="col">{t('agreements.scope')}</th>
                <th scope="col">{t('agreements.period')}</th>
                <th scope="col">{t('agreements.status')}</th>
                {manages && (
                  <th scope="col">
                    <span className="visually-hidden">{t('common.actions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {agreements.data.items.map((agreement) => {
                const status = agreementStatus(agreement, today);
                const partner = partnerName(agreement.partnerOrganizationId);
                return (
                  <tr key={agreement.id}>
                    <th scope="row" data-label={t('agreements.partner')}>
                      <span dir="auto">{partner}</span>
                    </th>
                    <td data-label={t('agreements.purpose')}>
                      <span dir="auto">{agreement.purpose}</span>
                    </td>
                    <td data-label={t('agreements.categories')}>
                      <span className="data-table__tags">
                        {agreement.categories.map((code) => (
                          <span key={code} className="badge">
                            {codeLabel(t, 'agreementCategory', code)}
                          </span>
                        ))}
                      </span>
                    </td>
                    <td data-label={t('agreements.scope')}>
                      <span>
                        <span className="agreements-table__scope">
                          {agreement.countries.length > 0
                            ? t('agreements.scopeCountries', {
                                list: format.list(agreement.countries.map(format.region)),
                              })
                            : t('agreements.anyCountry')}
                        </span>
                        <span className="agreements-table__scope">
                          {agreement.nationalities.length > 0
                            ? t('agreements.scopeNationalities', {
                                list: format.list(agreement.nationalities.map(format.region)),
                              })
                            : t('agreements.anyNationality')}
                        </span>
                      </span>
                    </td>
                    <td data-label={t('agreements.period')}>
                      <span>
                        {t('agreements.dates', {
                          start: format.date(agreement.startsOn),
                          end: format.date(agreement.endsOn),
                        })}
                        {agreement.endedAt && (
                          <span className="data-table__sub">
                            {t('agreements.endedAt', { time: format.dateTime(agreement.endedAt) })}
                          </span>
                        )}
                      </span>
                    </td>
                    <td data-label={t('agreements.status')}>
                      <span className={STATUS_BADGE[status]}>{codeLabel(t, 'agreementStatus', status)}</span>
                    </td>
                    {manages && (
                      <td data-label="">
                        {canEnd(status) && (
                          <button
                            type="button"
                            className="button button--small button--danger-quiet"
                            aria-label={t('agreements.endFor', { partner })}
                            onClick={() => {
                              setNotice(null);
                              setEnding(agreement);
                            }}
                          >
                            {t('agreements.end')}
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <Dialog
        title={t('agreements.endTitle')}
        tone="danger"
        open={ending !== null}
        onClose={() => setEnding(null)}
      >
        {ending && (
          <EndAgreement
            agreement={ending}
            partner={partnerName(ending.partnerOrganizationId)}
            onCancel={() => setEnding(null)}
            onEnded={() => {
              setNotice(t('agreements.ended', { partner: partnerName(ending.partnerOrganizationId) }));
              setEnding(null);
              agreements.reload();
            }}
          />
        )}
      </Dialog>
    </>
  );
}

type EndProps = { agreement: AgreementView; partner: string; onEnded: () => void; onCancel: () => void };

function EndAgreement({ agreement, partner, onEnded, onCancel }: EndProps) {
  const t = useI18n().t;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const end = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await api.endAgreement(agreement.id);
      onEnded();
    } catch (error) {
      setProblem(toProblem(error));
      setBusy(false);
    }
  };
  return (
    <>
      <p>{t('agreements.endBody', { partner })}</p>
      <p className="muted" dir="auto">
        {agreement.purpose}
      </p>
      {problem && <ProblemMessage problem={problem} />}
      <div className="form-actions">
        <button type="button" className="button button--danger" disabled={busy} onClick={() => void end()}>
          {t('agreements.endConfirm')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </>
  );
}

type FormProps = {
  partners: OrganizationView[];
  today: string;
  onCreated: (agreement: AgreementView) => void;
  onCancel: () => void;
};

function AgreementForm({ partners, today, onCreated, onCancel }: FormProps) {
  const t = useI18n().t;
  const [partnerId, setPartnerId] = useState('');
  const [purpose, setPurpose] = useState('');
  const [categories, setCategories] = useState<AgreementCategory[]>([]);
  const [countries, setCountries] = useState<string[]>([]);
  const [nationalities, setNationalities] = useState<string[]>([]);
  const [startsOn, setStartsOn] = useState(today);
  const [endsOn, setEndsOn] = useState(utcDate(new Date(`${today}T00:00:00Z`), 365));
  const [categoriesMissing, setCategoriesMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  const toggle = (code: AgreementCategory, on: boolean) => {
    setCategoriesMissing(false);
    setCategories((list) => (on ? [...list, code] : list.filter((c) => c !== code)));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setCategoriesMissing(categories.length === 0);
    if (categories.length === 0) return;
    setBusy(true);
    setProblem(null);
    try {
      onCreated(
        await api.createAgreement({
          partnerOrganizationId: partnerId,
          purpose: purpose.trim(),
          // Sent in the policy's order, whatever order they were ticked in.
          categories: AGREEMENT_CATEGORY_CODES.filter((c) => categories.includes(c)),
          countries,
          nationalities,
          startsOn,
          endsOn,
        }),
      );
    } catch (error) {
      setProblem(toProblem(error));
      setBusy(false);
    }
  };

  return (
    <form className="card form-card" aria-labelledby="agreement-form-title" onSubmit={submit}>
      <h2 id="agreement-form-title">{t('agreements.formTitle')}</h2>
      {partners.length === 0 && <p className="muted">{t('agreements.noPartners')}</p>}
      <div className="form-grid">
        <div className="field">
          <label htmlFor="agreement-partner">{t('agreements.partner')}</label>
          <select
            id="agreement-partner"
            required
            aria-describedby="agreement-partner-hint"
            value={partnerId}
            onChange={(e) => setPartnerId(e.target.value)}
          >
            <option value="">{t('common.choose')}</option>
            {partners.map((org) => (
              <option key={org.id} value={org.id}>
                {org.name}
              </option>
            ))}
          </select>
          <p className="field__hint" id="agreement-partner-hint">
            {t('agreements.partnerHint')}
          </p>
        </div>
        <div className="field form-grid__wide">
          <label htmlFor="agreement-purpose">{t('agreements.purpose')}</label>
          <textarea
            id="agreement-purpose"
            required
            maxLength={500}
            rows={2}
            dir="auto"
            aria-describedby="agreement-purpose-hint"
            value={purpose}
            onChange={(e) => setPurpose(e.target.value)}
          />
          <p className="field__hint" id="agreement-purpose-hint">
            {t('agreements.purposeHint')}
          </p>
        </div>
        <fieldset className="choice-group form-grid__wide" aria-describedby="agreement-categories-hint">
          <legend>{t('agreements.categories')}</legend>
          <p className="field__hint" id="agreement-categories-hint">
            {t('agreements.categoriesHint')}
          </p>
          <div className="choice-group__options">
            {AGREEMENT_CATEGORY_CODES.map((code) => (
              <label key={code} className="choice">
                <input
                  type="checkbox"
                  checked={categories.includes(code)}
                  onChange={(e) => toggle(code, e.target.checked)}
                />
                {codeLabel(t, 'agreementCategory', code)}
              </label>
            ))}
          </div>
          {categoriesMissing && (
            <p className="field__error" role="alert">
              {t('agreements.categoriesRequired')}
            </p>
          )}
        </fieldset>
        <CountryListField
          id="agreement-countries"
          label={t('agreements.countries')}
          hint={t('agreements.countriesHint')}
          value={countries}
          onChange={setCountries}
        />
        <CountryListField
          id="agreement-nationalities"
          label={t('agreements.nationalities')}
          hint={t('agreements.nationalitiesHint')}
          value={nationalities}
          onChange={setNationalities}
        />
        <div className="field">
          <label htmlFor="agreement-starts">{t('agreements.startsOn')}</label>
          <input
            id="agreement-starts"
            type="date"
            required
            value={startsOn}
            onChange={(e) => setStartsOn(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="agreement-ends">{t('agreements.endsOn')}</label>
          <input
            id="agreement-ends"
            type="date"
            required
            min={startsOn}
            value={endsOn}
            onChange={(e) => setEndsOn(e.target.value)}
          />
        </div>
      </div>
      {problem && <ProblemMessage problem={problem} />}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('agreements.create')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
