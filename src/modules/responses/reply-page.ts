// The server-rendered pages of a reply link: plain HTML forms that work with JavaScript off, on the
// smallest phone screen, in the person's language (right to left for Arabic).

import {
  REPLY_PAGE_MESSAGES,
  type ReplyPageLanguage,
  type ReplyPageMessages,
  RTL_LANGUAGES,
} from './reply-page.messages.ts';
import type { Answer } from './responses.service.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** Escapes text for HTML content and attribute values. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic",sans-serif;margin:0;padding:1rem;background:#f6f7f9;color:#1b1f24;line-height:1.5}
main{max-width:28rem;margin:0 auto;background:#fff;border-radius:.75rem;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.4rem;margin:0 0 .5rem}.headline{font-weight:600;margin:.25rem 0 1rem}
form{display:flex;flex-direction:column;gap:.75rem;margin:1rem 0 0}
button{font:inherit;font-size:1.15rem;font-weight:600;padding:1rem;border:0;border-radius:.5rem;cursor:pointer;color:#fff}
.safe{background:#1a7f37}.help{background:#c62828}.note{background:#fff4d6;padding:.5rem .75rem;border-radius:.5rem}
.code{color:#57606a;font-size:.9rem}a{color:#0b5cad}`;

function page(lang: ReplyPageLanguage, title: string, body: string): string {
  const dir = RTL_LANGUAGES.has(lang) ? 'rtl' : 'ltr';
  return `<!doctype html><html lang="${lang}" dir="${dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex,nofollow"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

const answerWords = (m: ReplyPageMessages, answer: Answer) => (answer === 'safe' ? m.safe : m.help);

/** The confirm page: the alert's headline and the two answers, each a button of one form that posts back. */
export function renderReplyForm(input: {
  lang: ReplyPageLanguage;
  action: string;
  headline: string | null;
  headlineLanguage: string | null;
  cancelled: boolean;
  current: Answer | null;
}): string {
  const m = REPLY_PAGE_MESSAGES[input.lang];
  const headline = input.headline
    ? `<p class="headline" dir="auto"${input.headlineLanguage ? ` lang="${escapeHtml(input.headlineLanguage)}"` : ''}>${escapeHtml(input.headline)}</p>`
    : '';
  const cancelled = input.cancelled ? `<p class="note">${escapeHtml(m.cancelled)}</p>` : '';
  const current = input.current
    ? `<p>${escapeHtml(m.current.replace('{answer}', answerWords(m, input.current)))}</p>`
    : '';
  return page(
    input.lang,
    m.title,
    `<h1>${escapeHtml(m.title)}</h1>${headline}${cancelled}<p>${escapeHtml(m.intro)}</p>${current}<form method="post" action="${escapeHtml(input.action)}"><button class="safe" type="submit" name="answer" value="safe">${escapeHtml(m.safe)}</button><button class="help" type="submit" name="answer" value="need_help">${escapeHtml(m.help)}</button></form>`,
  );
}

// The thanks page differs only by its link back: each language and answer is rendered once.
const ACTION = '\u0000action\u0000';
const thanksPages = new Map<string, string>();

/** The page after an answer was stored. */
export function renderReplyThanks(input: {
  lang: ReplyPageLanguage;
  action: string;
  answer: Answer;
}): string {
  const key = `${input.lang}/${input.answer}`;
  let template = thanksPages.get(key);
  if (template === undefined) {
    const m = REPLY_PAGE_MESSAGES[input.lang];
    const text = input.answer === 'safe' ? m.thanksSafe : m.thanksHelp;
    template = page(
      input.lang,
      m.thanks,
      `<h1>${escapeHtml(m.thanks)}</h1><p>${escapeHtml(text)}</p><p><a href="${ACTION}">${escapeHtml(m.change)}</a></p>`,
    );
    thanksPages.set(key, template);
  }
  return template.replace(ACTION, escapeHtml(input.action));
}

/** Codes a reply-link page can refuse with, and the words for each. */
export type ReplyPageError =
  | 'reply_token.malformed'
  | 'reply_token.invalid'
  | 'reply_token.expired'
  | 'reply.not_found'
  | 'reply.answer_invalid'
  | 'reply.unavailable';

function errorWords(m: ReplyPageMessages, code: ReplyPageError): [string, string | null] {
  switch (code) {
    case 'reply_token.malformed':
    case 'reply_token.invalid':
      return [m.invalid, m.invalidHint];
    case 'reply_token.expired':
      return [m.expired, m.expiredHint];
    case 'reply.not_found':
      return [m.notFound, m.expiredHint];
    case 'reply.answer_invalid':
      return [m.answerInvalid, null];
    case 'reply.unavailable':
      return [m.unavailable, null];
    default: {
      const exhaustive: never = code;
      return exhaustive;
    }
  }
}

/** A refusal as a page: what went wrong in the person's words, and the stable code for support. */
export function renderReplyError(input: { lang: ReplyPageLanguage; code: ReplyPageError }): string {
  const m = REPLY_PAGE_MESSAGES[input.lang];
  const [headline, hint] = errorWords(m, input.code);
  return page(
    input.lang,
    headline,
    `<h1>${escapeHtml(headline)}</h1>${hint ? `<p>${escapeHtml(hint)}</p>` : ''}<p class="code">${escapeHtml(m.errorCode)}: <code dir="ltr">${escapeHtml(input.code)}</code></p>`,
  );
}
