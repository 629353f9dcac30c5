import type { Locale } from './dictionary.ts';

/** Locale-aware display of numbers, dates, country and language names, and lists. */
export type Formatters = {
  number: (value: number) => string;
  /** A calendar date (YYYY-MM-DD), shown without any time-zone shift. */
  date: (isoDate: string) => string;
  dateTime: (iso: string) => string;
  /** A country's name from its ISO 3166-1 alpha-2 code; the code itself when the browser has no name. */
  region: (code: string) => string;
  /** A language's name from its BCP 47 tag; the tag itself when the browser has no name. */
  language: (tag: string) => string;
  list: (items: readonly string[]) => string;
};

function displayName(names: Intl.DisplayNames, code: string): string {
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Formatters for one locale, built once per language switch. */
export function formattersFor(locale: Locale): Formatters {
  const numbers = new Intl.NumberFormat(locale);
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const dateTimes = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const regions = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
  const languages = new Intl.DisplayNames([locale], { type: 'language', fallback: 'code' });
  const lists = new Intl.ListFormat(locale, { style: 'short', type: 'unit' });
  return {
    number: (value) => numbers.format(value),
    date: (isoDate) => {
      const parsed = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
      return Number.isNaN(parsed.getTime()) ? isoDate : dates.format(parsed);
    },
    dateTime: (iso) => {
      const parsed = new Date(iso);
      return Number.isNaN(parsed.getTime()) ? iso : dateTimes.format(parsed);
    },
    region: (code) => displayName(regions, code.toUpperCase()),
    language: (tag) => displayName(languages, tag),
    list: (items) => lists.format(items),
  };
}
