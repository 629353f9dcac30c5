/** A language Haven can address people in: BCP 47 tag, English and native names, writing direction. */
export type Language = { tag: string; name: string; nativeName: string; direction: 'ltr' | 'rtl' };

// The languages most spoken among migrant populations, plus the official languages of major host states.
// Names come from the ICU data built into Node.js, so nothing is downloaded.
const TAGS = [
  'am',
  'ar',
  'bn',
  'ceb',
  'ckb',
  'de',
  'el',
  'en',
  'es',
  'fa',
  'fil',
  'fr',
  'ha',
  'he',
  'hi',
  'hy',
  'id',
  'ilo',
  'it',
  'ja',
  'km',
  'ko',
  'ku',
  'ky',
  'lo',
  'mg',
  'ml',
  'mr',
  'ms',
  'my',
  'ne',
  'om',
  'pa',
  'ps',
  'pt',
  'ro',
  'ru',
  'si',
  'so',
  'sw',
  'ta',
  'te',
  'tg',
  'th',
  'ti',
  'tl',
  'tr',
  'uk',
  'ur',
  'uz',
  'vi',
  'wo',
  'yo',
  'yue',
  'zh',
  'zh-Hant',
];

/**
 * Where ICU's names are not what speakers expect. ICU treats `tl` as an alias of `fil` and names it
 * "Filipino", but registries keep both tags and people asked for Tagalog should see "Tagalog".
 * Indonesian and Malay speakers call their languages "Bahasa ...", not the bare "Indonesia"/"Melayu".
 */
const NAME_OVERRIDES: Record<string, { name?: string; nativeName?: string }> = {
  tl: { name: 'Tagalog', nativeName: 'Tagalog' },
  id: { nativeName: 'Bahasa Indonesia' },
  ms: { nativeName: 'Bahasa Melayu' },
};

// Scripts written right to left. Direction follows the script, not the language: Kurmanji (`ku`) is
// written in Latin letters, Sorani (`ckb`) in Arabic ones, and `pa-Arab` is right to left where `pa` is not.
const RTL_SCRIPTS = new Set(['Arab', 'Hebr', 'Thaa', 'Syrc', 'Nkoo', 'Adlm', 'Rohg', 'Mand', 'Samr', 'Yezi']);
const RTL_LANGUAGES = new Set(['ar', 'fa', 'he', 'ckb', 'ps', 'ur', 'yi', 'dv', 'sd', 'ug']);

const english = new Intl.DisplayNames(['en'], { type: 'language' });

function nativeName(tag: string): string {
  try {
    return new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** Direction of writing for a tag: from its script, given or likely (`ur` → Arab), else from its base language. */
export function languageDirection(tag: string): 'ltr' | 'rtl' {
  try {
    const script = new Intl.Locale(tag).maximize().script;
    if (script) return RTL_SCRIPTS.has(script) ? 'rtl' : 'ltr';
  } catch {
    // not a well-formed tag: fall through to the base language
  }
  return RTL_LANGUAGES.has(tag.split('-')[0]!.toLowerCase()) ? 'rtl' : 'ltr';
}

const ALL: Language[] = TAGS.map((tag) => ({
  tag,
  name: NAME_OVERRIDES[tag]?.name ?? english.of(tag) ?? tag,
  nativeName: NAME_OVERRIDES[tag]?.nativeName ?? nativeName(tag),
  direction: languageDirection(tag),
}));
const BY_TAG = new Map(ALL.map((l) => [l.tag.toLowerCase(), l]));

/** The languages Haven lists in pickers, with English and native names. */
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

/** One listed language by tag, case-insensitively. */
export const findLanguage = (tag: string): Language | undefined => BY_TAG.get(tag.toLowerCase());
