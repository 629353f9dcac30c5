import { en, type MigrantDictionary, type MigrantKey } from './en.ts';

/** Languages of the migrant app, each named in itself so anyone can find their own, with its direction. */
export const MIGRANT_LOCALES = {
  en: { name: 'English', dir: 'ltr' },
  fil: { name: 'Filipino', dir: 'ltr' },
  ar: { name: 'العربية', dir: 'rtl' },
  am: { name: 'አማርኛ', dir: 'ltr' },
  es: { name: 'Español', dir: 'ltr' },
  id: { name: 'Bahasa Indonesia', dir: 'ltr' },
} as const;
export type MigrantLocale = keyof typeof MIGRANT_LOCALES;
export const MIGRANT_LOCALE_CODES = Object.keys(MIGRANT_LOCALES) as MigrantLocale[];

export const isMigrantLocale = (tag: string): tag is MigrantLocale => Object.hasOwn(MIGRANT_LOCALES, tag);

// Legacy and alternative tags that phones still report: Tagalog is written Filipino, 'in' is Indonesian.
const ALIASES: Record<string, MigrantLocale> = { tl: 'fil', in: 'id' };

/** The first of the browser's languages the app speaks (by base language), else English. */
export function matchMigrantLocale(preferred: readonly string[]): MigrantLocale {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split(/[-_]/)[0] ?? '';
    if (isMigrantLocale(base)) return base;
    const alias = ALIASES[base];
    if (alias) return alias;
  }
  return 'en';
}

/**
 * Loads a language's texts. English is in the main bundle; every other language is a small chunk of its
 * own, fetched only when chosen (and kept by the service worker for offline use).
 */
export async function loadDictionary(locale: MigrantLocale): Promise<MigrantDictionary> {
  switch (locale) {
    case 'en':
      return en;
    case 'fil':
      return (await import('./fil.ts')).fil;
    case 'ar':
      return (await import('./ar.ts')).ar;
    case 'am':
      return (await import('./am.ts')).am;
    case 'es':
      return (await import('./es.ts')).es;
    case 'id':
      return (await import('./id.ts')).id;
    default: {
      const exhaustive: never = locale;
      return exhaustive;
    }
  }
}

export type MigrantTranslate = (
  key: MigrantKey,
  params?: Readonly<Record<string, string | number>>,
) => string;

/** A translator over one dictionary: fills `{placeholders}`, formatting numbers for the locale. */
export function migrantTranslator(locale: MigrantLocale, dictionary: MigrantDictionary): MigrantTranslate {
  const numbers = new Intl.NumberFormat(locale);
  return (key, params = {}) =>
    (dictionary[key] ?? en[key]).replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? numbers.format(value) : value;
    });
}

/** The message key for a server error code, when the app has a text for it. */
export function errorKey(code: string): MigrantKey | undefined {
  const key = `error.${code}`;
  return Object.hasOwn(en, key) ? (key as MigrantKey) : undefined;
}
