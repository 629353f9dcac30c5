import type { FormEvent } from 'react';
import { useT } from '../i18n/I18nProvider.tsx';
import { useCountryOptions } from '../shared/useCountries.ts';
import { EMPTY_CRITERIA, type SearchCriteria } from './PersonSearchProvider.tsx';
import './PersonSearchForm.css';

type Props = {
  draft: SearchCriteria;
  busy: boolean;
  onChange: (draft: SearchCriteria) => void;
  onSearch: (criteria: SearchCriteria) => void;
};

/** Name, phone and country of residence: the ways an officer looks someone up. */
export function PersonSearchForm({ draft, busy, onChange, onSearch }: Props) {
  const t = useT();
  const countries = useCountryOptions();
  const set = (field: keyof SearchCriteria) => (value: string) => onChange({ ...draft, [field]: value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(draft);
  };
  const clear = () => {
    onChange(EMPTY_CRITERIA);
    onSearch(EMPTY_CRITERIA);
  };
  return (
    <search className="search card">
      <form className="search-form" aria-label={t('search.label')} onSubmit={submit}>
        <div className="field search-form__name">
          <label htmlFor="search-name">{t('search.name')}</label>
          <input
            id="search-name"
            name="name"
            type="search"
            autoComplete="off"
            spellCheck={false}
            maxLength={200}
            placeholder={t('search.namePlaceholder')}
            value={draft.name}
            onChange={(e) => set('name')(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="search-phone">{t('search.phone')}</label>
          <input
            id="search-phone"
            name="phone"
            type="tel"
            dir="ltr"
            autoComplete="off"
            maxLength={40}
            placeholder={t('search.phonePlaceholder')}
            value={draft.phone}
            onChange={(e) => set('phone')(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="search-country">{t('search.country')}</label>
          <select
            id="search-country"
            name="country"
            value={draft.country}
            onChange={(e) => set('country')(e.target.value)}
          >
            <option value="">{t('search.anyCountry')}</option>
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
            {draft.country && !countries.some((c) => c.code === draft.country) && (
              <option value={draft.country}>{draft.country}</option>
            )}
          </select>
        </div>
        <div className="search-form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? t('search.searching') : t('search.submit')}
          </button>
          <button type="button" className="button" onClick={clear}>
            {t('search.clear')}
          </button>
        </div>
      </form>
    </search>
  );
}
