// The language of a page served before anyone signs in (the boarding scanner, a boarding pass): the
// one asked for with ?lang=, else the best of the browser's Accept-Language, else the first offered.

/** The primary subtag of a BCP 47 tag, lower case ('ar-AE' → 'ar'). */
const primary = (tag: string): string => tag.trim().split(/[-_]/)[0]!.toLowerCase();

/** Accept-Language tags, best first (q=0 and '*' dropped; equal weights keep their order). */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((t) => t.tag !== '' && t.tag !== '*' && Number.isFinite(t.q) && t.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((t) => t.tag);
}

/**
 * Picks the page language among `offered` (primary subtags, the default first): an explicit choice
 * wins when offered, then the browser's preferences in order.
 */
export function pickPageLanguage<L extends string>(
  offered: readonly [L, ...L[]],
  choice: string | undefined,
  acceptLanguage: string | undefined,
): L {
  const find = (tag: string) => offered.find((l) => l === primary(tag));
  if (choice) {
    const chosen = find(choice);
    if (chosen) return chosen;
  }
  for (const tag of acceptedLanguages(acceptLanguage)) {
    const accepted = find(tag);
    if (accepted) return accepted;
  }
  return offered[0];
}

/** Text direction of a language offered by these pages. */
export const directionOf = (lang: string): 'rtl' | 'ltr' =>
  ['ar', 'fa', 'he', 'ur', 'ps', 'ckb', 'dv', 'yi'].includes(primary(lang)) ? 'rtl' : 'ltr';

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
