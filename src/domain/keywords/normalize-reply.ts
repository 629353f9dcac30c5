/**
 * Normalisation of SMS replies and of keyword tables, so that the two meet on one spelling. The same
 * function runs on both sides, which is what makes the matching reliable: whatever a step does to a
 * reply, it does to the keyword too.
 */

/** One clause of a reply: its words, and whether it ended with a question mark. */
export type ReplyClause = { tokens: string[]; question: boolean };

// Zero digits of the decimal digit blocks people type in. Each block runs 0–9 from its zero.
const DIGIT_ZEROS = [
  0x0660, // Arabic-Indic
  0x06f0, // Extended (Eastern) Arabic-Indic, used in Persian and Urdu
  0x07c0, // NKo
  0x0966, // Devanagari
  0x09e6, // Bengali
  0x0a66, // Gurmukhi
  0x0ae6, // Gujarati
  0x0b66, // Oriya
  0x0be6, // Tamil
  0x0c66, // Telugu
  0x0ce6, // Kannada
  0x0d66, // Malayalam
  0x0de6, // Sinhala
  0x0e50, // Thai
  0x0ed0, // Lao
  0x0f20, // Tibetan
  0x1040, // Myanmar
  0x17e0, // Khmer
  0x1810, // Mongolian
];
// Ethiopic has no zero: ፩ (U+1369) is 1 up to ፱ (U+1371) for 9.
const ETHIOPIC_ONE = 0x1369;

function foldDigit(code: number): string | undefined {
  if (code >= ETHIOPIC_ONE && code <= ETHIOPIC_ONE + 8) return String(code - ETHIOPIC_ONE + 1);
  for (const zero of DIGIT_ZEROS) {
    if (code >= zero && code <= zero + 9) return String(code - zero);
  }
  return undefined;
}

const hex = (code: number) => `\\u{${code.toString(16)}}`;
const DIGIT_RANGES: [from: number, to: number][] = [
  ...DIGIT_ZEROS.map((zero): [number, number] => [zero, zero + 9]),
  [ETHIOPIC_ONE, ETHIOPIC_ONE + 8],
];
const NON_ASCII_DIGIT = new RegExp(
  `[${DIGIT_RANGES.map(([from, to]) => `${hex(from)}-${hex(to)}`).join('')}]`,
  'gu',
);

// Ethiopic writes some sounds with two letter series that people use interchangeably (ሀ/ሐ/ኀ, ሰ/ሠ,
// አ/ዐ, ጸ/ፀ). Folding onto one series lets ደኅና match ደህና. Only the seven basic orders are folded.
const ETHIOPIC_FOLDS: readonly [from: number, to: number][] = [
  [0x1210, 0x1200], // ሐ → ሀ
  [0x1280, 0x1200], // ኀ → ሀ
  [0x1220, 0x1230], // ሠ → ሰ
  [0x12d0, 0x12a0], // ዐ → አ
  [0x1340, 0x1338], // ፀ → ጸ
];

function foldEthiopic(char: string): string {
  const code = char.codePointAt(0)!;
  for (const [from, to] of ETHIOPIC_FOLDS) {
    if (code >= from && code <= from + 6) return String.fromCodePoint(code - from + to);
  }
  return char;
}

// Arabic short vowels, tanween, shadda, sukun, hamza and madda marks, superscript alef, Quranic marks and
// tatweel (the stretching stroke): none of them changes which word a reply is.
const ARABIC_MARKS = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g;
const ARABIC_FOLDS: Record<string, string> = {
  أ: 'ا',
  إ: 'ا',
  آ: 'ا',
  ٱ: 'ا',
  ة: 'ه',
  ى: 'ي',
  ی: 'ي', // Persian yeh, typed on many phones set up for Persian or Urdu
  ک: 'ك', // Persian keheh
};
const ARABIC_FOLDABLE = /[أإآٱةىیک]/g;

// Clause ends: Latin, Arabic, Ethiopic and Indic sentence punctuation. Question marks are kept apart
// because a question ("is it safe?") does not say that someone is safe.
const CLAUSE_END = /[.,;:!?\n\r\u060c\u061b\u061f\u06d4\u1362-\u1368\u0964\u0965]+/u;
const QUESTION_MARK = /[?\u061f\u1367]/u;

/**
 * Folds a reply (or a keyword) to the form the parser compares: compatibility forms unfolded (full-width
 * letters and digits, Arabic presentation forms, circled digits), lower case, Latin accents dropped
 * ("sécurité" → "securite", "ñ" → "n"), Arabic vowel marks and tatweel dropped and letter variants
 * unified, Ethiopic homophone letters unified, every script's digits turned into ASCII digits,
 * invisible format characters removed. Marks of Indic scripts are kept: they are letters there.
 */
export function normalizeReplyText(text: string): string {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .normalize('NFKD')
      .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
      .replace(ARABIC_MARKS, '')
      .replace(ARABIC_FOLDABLE, (c) => ARABIC_FOLDS[c] ?? c)
      .replace(/[\u1200-\u137f]/g, foldEthiopic)
      .replace(NON_ASCII_DIGIT, (d) => foldDigit(d.codePointAt(0)!) ?? d)
      // Format characters (bidi marks, zero-width joiners), emoji variation selectors, skin tones, keycaps.
      .replace(/\p{Cf}|\ufe0e|\ufe0f|\u20e3|\p{Emoji_Modifier}/gu, '')
      .normalize('NFC')
  );
}

/**
 * Splits normalised text into clauses of words. English "n't" becomes "not"; an emoji is a word of its
 * own; other punctuation and symbols separate words; "S.O.S" and "s o s" read as "sos".
 */
export function tokenizeReply(normalized: string): ReplyClause[] {
  const text = normalized
    .replace(/(?<=\p{L})n['’ʼ]t(?!\p{L})/gu, ' not')
    .replace(/(?<![\p{L}\p{N}])s[.\- ]?o[.\- ]?s(?![\p{L}\p{N}])/gu, 'sos');
  const clauses: ReplyClause[] = [];
  let rest = text;
  while (rest.length > 0) {
    const end = CLAUSE_END.exec(rest);
    const body = end ? rest.slice(0, end.index) : rest;
    const tokens = splitWords(body);
    if (tokens.length > 0) clauses.push({ tokens, question: end !== null && QUESTION_MARK.test(end[0]) });
    rest = end ? rest.slice(end.index + end[0].length) : '';
  }
  return clauses;
}

function splitWords(text: string): string[] {
  return text
    .replace(/(\p{Extended_Pictographic})|[\p{P}\p{S}]/gu, (_, emoji: string | undefined) =>
      emoji ? ` ${emoji} ` : ' ',
    )
    .split(/\s+/u)
    .filter((t) => t.length > 0);
}
