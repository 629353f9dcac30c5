import { useI18n } from '../i18n/I18nProvider.tsx';
import { useCountryOptions } from './useCountries.ts';
import './CountryListField.css';

type Props = {
  id: string;
  label: string;
  /** Shown under the label: what an empty list means, or what the list is for. */
  hint: string;
  /** ISO 3166-1 alpha-2 codes, in the order chosen. */
  value: string[];
  onChange: (codes: string[]) => void;
};

/**
 * A list of countries: pick one from the menu to add it, remove it with its button. Works by keyboard
 * alone, and names each country in the interface language.
 */
export function CountryListField({ id, label, hint, value, onChange }: Props) {
  const { t, format } = useI18n();
  const countries = useCountryOptions();
  const available = countries.filter((c) => !value.includes(c.code));
  return (
    <div className="field country-list">
      <label htmlFor={id}>{label}</label>
      <p className="field__hint" id={`${id}-hint`}>
        {hint}
      </p>
      <select
        id={id}
        value=""
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          if (e.target.value) onChange([...value, e.target.value]);
        }}
      >
        <option value="">{t('countries.add')}</option>
        {available.map((c) => (
          <option key={c.code} value={c.code}>
            {c.name}
          </option>
        ))}
      </select>
      {value.length > 0 && (
        <ul className="country-list__chosen" aria-label={label}>
          {value.map((code) => {
            const name = format.region(code);
            return (
              <li key={code} className="country-list__chip">
                <span>{name}</span>
                <button
                  type="button"
                  className="country-list__remove"
                  aria-label={t('countries.remove', { country: name })}
                  onClick={() => onChange(value.filter((c) => c !== code))}
                >
                  <span aria-hidden="true">×</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
