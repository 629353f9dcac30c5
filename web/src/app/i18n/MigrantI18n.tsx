import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import {
  isMigrantLocale,
  loadDictionary,
  MIGRANT_LOCALES,
  type MigrantLocale,
  type MigrantTranslate,
  matchMigrantLocale,
  migrantTranslator,
} from './dictionary.ts';
import type { MigrantDictionary } from './en.ts';

const STORAGE_KEY = 'haven.app.locale';

/** The language chosen before on this phone, else the browser's. */
export function initialMigrantLocale(): MigrantLocale {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (saved && isMigrantLocale(saved)) return saved;
  } catch {
    // Storage may be off; the browser's languages still give a good guess.
  }
  return matchMigrantLocale(navigator.languages ?? [navigator.language]);
}

/** Sets `<html lang dir>`: screen readers, fonts and the mirrored right-to-left layout follow it. */
export function applyLocale(locale: MigrantLocale): void {
  document.documentElement.lang = locale;
  document.documentElement.dir = MIGRANT_LOCALES[locale].dir;
}

export type MigrantI18n = {
  locale: MigrantLocale;
  t: MigrantTranslate;
  dateTime: (iso: string) => string;
  region: (code: string) => string;
  /** Switches language; the texts of a language not loaded yet are fetched first. */
  setLocale: (locale: MigrantLocale) => void;
};

const Context = createContext<MigrantI18n | null>(null);

type Props = { locale: MigrantLocale; dictionary: MigrantDictionary; children: ReactNode };

/** Provides the app's language, starting with one whose texts are already loaded. */
export function MigrantI18nProvider({ locale: startLocale, dictionary: startDictionary, children }: Props) {
  const [state, setState] = useState({ locale: startLocale, dictionary: startDictionary });

  useEffect(() => applyLocale(state.locale), [state.locale]);

  const setLocale = useCallback((next: MigrantLocale) => {
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered, but the switch still works.
    }
    loadDictionary(next).then(
      (dictionary) => setState({ locale: next, dictionary }),
      () => {
        // Offline and never loaded: stay in the current language.
      },
    );
  }, []);

  const value = useMemo<MigrantI18n>(() => {
    const { locale, dictionary } = state;
    const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const regions = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
    return {
      locale,
      t: migrantTranslator(locale, dictionary),
      dateTime: (iso) => {
        const date = new Date(iso);
        return Number.isNaN(date.getTime()) ? iso : dates.format(date);
      },
      region: (code) => {
        try {
          return regions.of(code) ?? code;
        } catch {
          return code;
        }
      },
      setLocale,
    };
  }, [state, setLocale]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useMigrantI18n(): MigrantI18n {
  const value = useContext(Context);
  if (!value) throw new Error('useMigrantI18n must be used inside <MigrantI18nProvider>');
  return value;
}
