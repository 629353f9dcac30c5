import { normalizeReplyText, type ReplyClause, tokenizeReply } from './normalize-reply.ts';
import { DEFAULT_REPLY_KEYWORDS, type ReplyKeywordSet } from './reply-keywords.ts';

/** What a reply says: the person is safe, needs help, sends a distress call, opts out, or none of these. */
export type ReplyIntent = 'safe' | 'help' | 'sos' | 'stop' | 'unknown';

/**
 * A parsed reply. `language` is the language the reply appears to be written in (BCP 47), when its words
 * tell; `matched` is the table's spelling of the keyword that decided the intent (a negated safe word
 * reads "not safe", "নিরাপদ নই"), or the digit "1" or "2".
 */
export type ParsedReply = { intent: ReplyIntent; language?: string; matched?: string };

/** Reads one SMS reply into an intent. */
export type ReplyParser = (text: string) => ParsedReply;

type SignalIntent = 'safe' | 'help' | 'sos';
type Phrase = { tokens: string[]; intent: SignalIntent; languages: string[]; label: string };
type Word = { languages: string[]; label: string };

type CompiledKeywords = {
  phrasesByFirstToken: Map<string, Phrase[]>;
  stop: Map<string, Word>;
  negationsBefore: Map<string, Word>;
  negationsAfter: Map<string, Word>;
  /** Every single-word entry that is not a phrase, with its languages: evidence of the reply's language. */
  words: Map<string, Word>;
  fillers: Set<string>;
  languageOrder: string[];
};

type Signal = { kind: SignalIntent; matched: string; languages: readonly string[] };

// How far a negation may sit from the safe word it negates, counting only the fillers between them.
const NEGATION_REACH = 4;
const UNDETERMINED = 'und';

function keywordTokens(word: string): string[] {
  return tokenizeReply(normalizeReplyText(word)).flatMap((clause) => clause.tokens);
}

function addWord(map: Map<string, Word>, key: string, language: string, label: string): void {
  const existing = map.get(key);
  if (!existing) map.set(key, { languages: [language], label });
  else if (!existing.languages.includes(language)) existing.languages.push(language);
}

function compileKeywords(table: readonly ReplyKeywordSet[]): CompiledKeywords {
  const phrases = new Map<string, Phrase>();
  const compiled: CompiledKeywords = {
    phrasesByFirstToken: new Map(),
    stop: new Map(),
    negationsBefore: new Map(),
    negationsAfter: new Map(),
    words: new Map(),
    fillers: new Set(),
    languageOrder: [],
  };
  for (const entry of table) {
    const language = entry.language;
    if (!compiled.languageOrder.includes(language)) compiled.languageOrder.push(language);
    for (const intent of ['safe', 'help', 'sos'] as const) {
      for (const label of entry[intent] ?? []) {
        const tokens = keywordTokens(label);
        if (tokens.length === 0) continue;
        const key = `${intent}\u0000${tokens.join(' ')}`;
        const existing = phrases.get(key);
        if (existing) {
          if (!existing.languages.includes(language)) existing.languages.push(language);
        } else {
          phrases.set(key, { tokens, intent, languages: [language], label });
        }
      }
    }
    for (const label of entry.stop ?? []) {
      const tokens = keywordTokens(label);
      if (tokens.length > 0) addWord(compiled.stop, tokens.join(' '), language, label);
    }
    const singleWords: [Map<string, Word> | undefined, readonly string[] | undefined][] = [
      [compiled.negationsBefore, entry.negationsBefore],
      [compiled.negationsAfter, entry.negationsAfter],
      [undefined, entry.fillers],
    ];
    for (const [map, labels] of singleWords) {
      for (const label of labels ?? []) {
        const tokens = keywordTokens(label);
        // A negation or filler is matched word by word; a phrase here would make each of its words one.
        if (tokens.length !== 1) {
          throw new RangeError(
            `negations and fillers must be single words (${language}: ${JSON.stringify(label)})`,
          );
        }
        const token = tokens[0]!;
        if (map) addWord(map, token, language, label);
        else compiled.fillers.add(token);
        addWord(compiled.words, token, language, label);
      }
    }
  }
  for (const phrase of phrases.values()) {
    const first = phrase.tokens[0]!;
    const list = compiled.phrasesByFirstToken.get(first) ?? [];
    list.push(phrase);
    compiled.phrasesByFirstToken.set(first, list);
  }
  for (const list of compiled.phrasesByFirstToken.values())
    list.sort((a, b) => b.tokens.length - a.tokens.length);
  return compiled;
}

function phraseAt(tokens: readonly string[], start: number, keywords: CompiledKeywords): Phrase | undefined {
  const candidates = keywords.phrasesByFirstToken.get(tokens[start]!);
  return candidates?.find((p) => p.tokens.every((t, k) => tokens[start + k] === t));
}

// Looks from a safe word towards a negation, stepping over fillers only: "hindi po kami ligtas" is
// negated, "kami di tempat aman" (we are at a safe place) is not.
function findNegation(
  tokens: readonly string[],
  from: number,
  step: 1 | -1,
  negations: Map<string, Word>,
  fillers: Set<string>,
): Word | undefined {
  for (let i = from, seen = 0; i >= 0 && i < tokens.length && seen <= NEGATION_REACH; i += step, seen++) {
    const token = tokens[i]!;
    const negation = negations.get(token);
    if (negation) return negation;
    if (!fillers.has(token)) return undefined;
  }
  return undefined;
}

function collectSignals(
  clauses: readonly ReplyClause[],
  keywords: CompiledKeywords,
  evidence: Map<string, number>,
): Signal[] {
  const signals: Signal[] = [];
  const count = (languages: readonly string[]) => {
    for (const language of languages) evidence.set(language, (evidence.get(language) ?? 0) + 1);
  };
  // A choice by number ("1" safe, "2" help) counts only at the head of the reply, where menus put it:
  // "2 we are 5 people" asks for help, "I have 2 children, we are safe" does not.
  const leading = clauses.flatMap((c) => c.tokens);
  for (let i = 0; i < leading.length && /^\d+$/.test(leading[i]!); i++) {
    if (leading[i] === '1') signals.push({ kind: 'safe', matched: '1', languages: [] });
    if (leading[i] === '2') signals.push({ kind: 'help', matched: '2', languages: [] });
  }
  for (const clause of clauses) {
    const { tokens } = clause;
    let i = 0;
    while (i < tokens.length) {
      const phrase = phraseAt(tokens, i, keywords);
      if (!phrase) {
        count(keywords.words.get(tokens[i]!)?.languages ?? []);
        i += 1;
        continue;
      }
      count(phrase.languages);
      const end = i + phrase.tokens.length;
      if (phrase.intent !== 'safe') {
        signals.push({ kind: phrase.intent, matched: phrase.label, languages: phrase.languages });
      } else {
        const { negationsBefore, negationsAfter, fillers } = keywords;
        const before = findNegation(tokens, i - 1, -1, negationsBefore, fillers);
        const after = before ? undefined : findNegation(tokens, end, 1, negationsAfter, fillers);
        if (before || after) {
          const matched = before ? `${before.label} ${phrase.label}` : `${phrase.label} ${after!.label}`;
          const languages = [...phrase.languages, ...(before ?? after)!.languages];
          signals.push({ kind: 'help', matched, languages });
        } else if (!clause.question) {
          // A question ("is it safe?") does not say that the sender is safe.
          signals.push({ kind: 'safe', matched: phrase.label, languages: phrase.languages });
        }
      }
      i = end;
    }
  }
  return signals;
}

function replyLanguage(
  evidence: Map<string, number>,
  decisive: readonly string[],
  order: readonly string[],
): string | undefined {
  let best: string | undefined;
  let bestScore = 0;
  const rank = (language: string) =>
    (decisive.includes(language) ? 0 : 1) * order.length + order.indexOf(language);
  for (const [language, score] of evidence) {
    if (language === UNDETERMINED) continue;
    if (score > bestScore || (score === bestScore && best !== undefined && rank(language) < rank(best))) {
      best = language;
      bestScore = score;
    }
  }
  return best;
}

function result(intent: ReplyIntent, language: string | undefined, matched: string | undefined): ParsedReply {
  const reply: ParsedReply = { intent };
  if (language !== undefined) reply.language = language;
  if (matched !== undefined) reply.matched = matched;
  return reply;
}

/**
 * Builds a reply parser over a keyword table (see `mergeReplyKeywords` to extend the default one).
 * Matching folds case, accents, Arabic vowel marks and letter variants, full-width forms and digits of
 * many scripts; punctuation and extra words are ignored. A negated safe word ("not safe", "hindi ligtas",
 * "غير آمن") asks for help. When a reply holds both safe and help signals it reads as help, the safer
 * reading; a distress call outranks both. Opt-out words count only as the whole reply.
 */
export function createReplyParser(table: readonly ReplyKeywordSet[]): ReplyParser {
  const keywords = compileKeywords(table);
  return (text) => {
    const clauses = tokenizeReply(normalizeReplyText(text));
    if (clauses.length === 0) return { intent: 'unknown' };
    const evidence = new Map<string, number>();
    const stop = keywords.stop.get(clauses.flatMap((c) => c.tokens).join(' '));
    if (stop)
      return result(
        'stop',
        stop.languages.find((l) => l !== UNDETERMINED),
        stop.label,
      );

    const signals = collectSignals(clauses, keywords, evidence);
    for (const kind of ['sos', 'help', 'safe'] as const) {
      const decisive = signals.find((s) => s.kind === kind);
      if (decisive) {
        return result(
          kind,
          replyLanguage(evidence, decisive.languages, keywords.languageOrder),
          decisive.matched,
        );
      }
    }
    return result('unknown', replyLanguage(evidence, [], keywords.languageOrder), undefined);
  };
}

/** Reads one SMS reply with Haven's default keyword table. */
export const parseReply: ReplyParser = createReplyParser(DEFAULT_REPLY_KEYWORDS);
