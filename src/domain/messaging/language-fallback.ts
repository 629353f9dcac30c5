import { canonicalLanguageTag } from '../reference/languages.ts';

/** How an info block was chosen for a recipient, from the best match to the last resort. */
export type LanguageMatch = 'preferred' | 'base-language' | 'fallback' | 'first';

/** The info block a recipient gets and how it was matched. */
export type InfoBlockChoice<Block> = { block: Block; matchedBy: LanguageMatch };

type ParsedTag = { canonical: string; base: string; prefixes: string[] };

// Canonicalising first makes 'EN-us' equal 'en-US' and maps legacy tags ('in' → 'id', 'tl' → 'fil'),
// which older phone registries still hold.
function parseTag(tag: string): ParsedTag {
  const canonical = (canonicalLanguageTag(tag) ?? tag.trim()).toLowerCase();
  const subtags = canonical.split('-');
  // RFC 4647 lookup truncation: drop subtags from the end, and a singleton with the one that follows.
  const prefixes: string[] = [];
  for (let end = subtags.length - 1; end >= 1; end--) {
    if (subtags[end - 1]!.length === 1) continue;
    prefixes.push(subtags.slice(0, end).join('-'));
  }
  return { canonical, base: subtags[0]!, prefixes };
}

// Best block for one wanted tag: exact tag, then a truncation of it ('ar-LB' → 'ar'), then any block in the
// same base language ('ar' → 'ar-EG'). Returns whether the match was exact.
function findForTag(
  wanted: ParsedTag,
  blocks: readonly ParsedTag[],
): { index: number; exact: boolean } | undefined {
  if (wanted.base === '' || wanted.base === 'und') return undefined;
  const exact = blocks.findIndex((b) => b.canonical === wanted.canonical);
  if (exact >= 0) return { index: exact, exact: true };
  for (const prefix of wanted.prefixes) {
    const index = blocks.findIndex((b) => b.canonical === prefix);
    if (index >= 0) return { index, exact: false };
  }
  const sibling = blocks.findIndex((b) => b.base === wanted.base);
  return sibling >= 0 ? { index: sibling, exact: false } : undefined;
}

/**
 * Picks the info block a recipient reads, by BCP 47 matching: for each preferred language in order, the
 * exact tag, then its base language ('ar-LB' → 'ar' or another 'ar-*'); then the deployment's fallback
 * chain; then the first block. Tags compare case-insensitively after canonicalisation. Returns undefined
 * only when there are no blocks.
 */
export function chooseInfoBlock<Block extends { language: string }>(
  blocks: readonly Block[],
  preferred: readonly string[],
  fallbackChain: readonly string[],
): InfoBlockChoice<Block> | undefined {
  const first = blocks[0];
  if (first === undefined) return undefined;
  const parsed = blocks.map((b) => parseTag(b.language));
  for (const tag of preferred) {
    const found = findForTag(parseTag(tag), parsed);
    if (found) return { block: blocks[found.index]!, matchedBy: found.exact ? 'preferred' : 'base-language' };
  }
  for (const tag of fallbackChain) {
    const found = findForTag(parseTag(tag), parsed);
    if (found) return { block: blocks[found.index]!, matchedBy: 'fallback' };
  }
  return { block: first, matchedBy: 'first' };
}
