import { ar } from './ar.ts';
import { type English, en, type MessageKey } from './en.ts';
import type { CodeGroup, Message, ParamsOf, PluralMessage } from './messages.ts';

/** Languages the interface speaks, with their own names and writing direction. */
export const LOCALES = {
  en: { name: 'English', dir: 'ltr' },
  ar: { name: 'العربية', dir: 'rtl' },
} as const;
export type Locale = keyof typeof LOCALES;
export type Direction = (typeof LOCALES)[Locale]['dir'];
export const DEFAULT_LOCALE: Locale = 'en';

/** A language's dictionary: exactly English's keys, a plural text wherever English has one. */
export type Dictionary = { readonly [K in MessageKey]: English[K] extends string ? string : PluralMessage };

const DICTIONARIES: Record<Locale, Dictionary> = { en, ar };

export type Params<K extends MessageKey> = [ParamsOf<English[K]>] extends [never]
  ? []
  : [params: Record<ParamsOf<English[K]>, string | number>];

/** Translates a key, filling its placeholders; `t('results.count', { count: 3 })`. */
export type Translate = <K extends MessageKey>(key: K, ...params: Params<K>) => string;

/** Whether a string is a message key: for codes that come from the server. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** Picks a locale from the browser's preferred languages, falling back to English. */
export function matchLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0] ?? '';
    if (Object.hasOwn(LOCALES, base)) return base as Locale;
  }
  return DEFAULT_LOCALE;
}

function pickPlural(message: PluralMessage, locale: Locale, count: number): string {
  return message[new Intl.PluralRules(locale).select(count)] ?? message.other;
}

/** The text of a message in a locale, with `{placeholders}` filled in; numbers are formatted for the locale. */
export function translate(
  locale: Locale,
  key: MessageKey,
  params: Readonly<Record<string, string | number>> = {},
): string {
  const message: Message = DICTIONARIES[locale][key];
  const count = Number(params.count ?? 0);
  const text = typeof message === 'string' ? message : pickPlural(message, locale, count);
  const numbers = new Intl.NumberFormat(locale);
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? numbers.format(value) : value;
  });
}

/** A translator bound to one locale. */
export function translatorFor(locale: Locale): Translate {
  return (key, ...params) => translate(locale, key, params[0]);
}

/** The text of a key built at run time (from a server code), or undefined when the dictionary lacks it. */
export function optionalMessage(t: Translate, key: string): string | undefined {
  return isMessageKey(key) ? (t as (k: MessageKey) => string)(key) : undefined;
}

/**
 * The label of a code from one of the server's fixed lists (sex, vulnerability...). A code this version
 * of the interface does not know yet is shown as it is rather than hidden.
 */
export function codeLabel(t: Translate, group: CodeGroup, code: string): string {
  return optionalMessage(t, `${group}.${code}`) ?? code;
}
