import { useEffect, useMemo, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { api } from './api.ts';
import type { CountryView } from './api-types.ts';

let countriesRequest: Promise<CountryView[]> | null = null;

function loadCountries(): Promise<CountryView[]> {
  countriesRequest ??= api.countries().then(
    (page) => page.items,
    (error: unknown) => {
      countriesRequest = null; // a later mount tries again
      throw error;
    },
  );
  return countriesRequest;
}

export type CountryOption = { code: string; name: string };

/**
 * Every ISO 3166-1 country, named in the interface language and sorted in its alphabetical order. Empty
 * until the list arrives (fetched once per page load); a form works without it.
 */
export function useCountryOptions(): CountryOption[] {
  const { locale, format } = useI18n();
  const [countries, setCountries] = useState<CountryView[]>([]);
  useEffect(() => {
    let mounted = true;
    loadCountries().then(
      (items) => {
        if (mounted) setCountries(items);
      },
      () => {
        // Without the list, the country filter offers "any country" only; searching still works.
      },
    );
    return () => {
      mounted = false;
    };
  }, []);
  return useMemo(() => {
    const collator = new Intl.Collator(locale);
    return countries
      .map((c) => {
        const localName = format.region(c.alpha2);
        return { code: c.alpha2, name: localName === c.alpha2 ? c.name : localName };
      })
      .sort((a, b) => collator.compare(a.name, b.name));
  }, [countries, locale, format]);
}
