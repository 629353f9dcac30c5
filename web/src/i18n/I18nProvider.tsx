import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import {
  type Direction,
  LOCALES,
  type Locale,
  matchLocale,
  type Translate,
  translatorFor,
} from './dictionary.ts';
import { type Formatters, formattersFor } from './format.ts';

const STORAGE_KEY = 'haven.locale';

export type I18n = {
  locale: Locale;
  dir: Direction;
  t: Translate;
  format: Formatters;
  setLocale: (locale: Locale) => void;
};

const I18nContext = createContext<I18n | null>(null);

/** The language chosen before on this device, else the browser's preferred one. */
export function initialLocale(): Locale {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (saved && Object.hasOwn(LOCALES, saved)) return saved as Locale;
  } catch {
    // Storage can be disabled; the browser's languages still give a good guess.
  }
  return matchLocale(navigator.languages ?? [navigator.language]);
}

/** Sets `<html lang dir>`, which drives screen readers, fonts and the mirrored right-to-left layout. */
export function applyDocumentLocale(locale: Locale): void {
  document.documentElement.lang = locale;
  document.documentElement.dir = LOCALES[locale].dir;
}

type Props = { children: ReactNode; locale?: Locale };

/** Provides the interface language to everything below it. */
export function I18nProvider({ children, locale: startLocale }: Props) {
  const [locale, setLocaleState] = useState<Locale>(() => startLocale ?? initialLocale());

  useEffect(() => {
    applyDocumentLocale(locale);
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered across visits, but the switch itself still works.
    }
  }, []);

  const value = useMemo<I18n>(
    () => ({
      locale,
      dir: LOCALES[locale].dir,
      t: translatorFor(locale),
      format: formattersFor(locale),
      setLocale,
    }),
    [locale, setLocale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current language, its direction, formatters and the switch. */
export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n must be used inside <I18nProvider>');
  return i18n;
}

/** The translator for the current language: `const t = useT(); t('persons.title')`. */
export function useT(): Translate {
  return useI18n().t;
}
