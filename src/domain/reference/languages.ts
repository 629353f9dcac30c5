/** A language Haven can address people in: BCP 47 tag, English and native names, writing direction. */
export type Language = { tag: string; name: string; nativeName: string; direction: 'ltr' | 'rtl' };

// The languages most spoken among migrant populations, plus the official languages of major host states.
// Names come from the ICU data built into Node.js, so nothing is downloaded.
const TAGS = [
  'am', 'ar', 'bn', 'ceb', 'de', 'el', 'en', 'es', 'fa', 'fil', 'fr', 'ha', 'he', 'hi', 'hy', 'id', 'ilo', 'it',
  'ja', 'km', 'ko', 'ku', 'ky', 'lo', 'mg', 'ml', 'mr', 'ms', 'my', 'ne', 'om', 'pa', 'ps', 'pt', 'ro', 'ru', 'si',
  'so', 'sw', 'ta', 'te', 'tg', 'th', 'ti', 'tl', 'tr', 'uk', 'ur', 'uz', 'vi', 'wo', 'yo', 'zh', 'zh-Hant',
];
const RTL = new Set(['ar', 'fa', 'he', 'ku', 'ps', 'ur', 'yi', 'dv', 'sd', 'ug']);

const english = new Intl.DisplayNames(['en'], { type: 'language' });

function nativeName(tag: string): string {
  try {
    return new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

const ALL: Language[] = TAGS.map((tag) => ({
  tag,
  name: english.of(tag) ?? tag,
  nativeName: nativeName(tag),
  direction: RTL.has(tag.split('-')[0]!) ? 'rtl' : 'ltr',
}));
const BY_TAG = new Map(ALL.map((l) => [l.tag.toLowerCase(), l]));

export const listLanguages = (): readonly Language[] => ALL;

/**
 * Canonicalises a BCP 47 tag (`EN-us` → `en-US`), or returns undefined when it is not well-formed.
 * Any well-formed tag is accepted, not only the listed ones: people speak more languages than any list.
 */
export function canonicalLanguageTag(tag: string): string | undefined {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag.trim());
    return canonical;
  } catch {
    return undefined;
  }
}

/** Direction of writing for a tag, from its base language. */
export const languageDirection = (tag: string): 'ltr' | 'rtl' =>
  RTL.has(tag.split('-')[0]!.toLowerCase()) ? 'rtl' : 'ltr';

export const findLanguage = (tag: string): Language | undefined => BY_TAG.get(tag.toLowerCase());
