// What a reply link answers, apart from HTTP: the token check under the loaded secret, the answer read
// from the form, the group-commit write and the page that results. The Fastify routes and the web
// server's direct path for form posts (reply-links.fast-path.ts) both answer through this, so they
// cannot differ.

import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { type ReplyTokenCheck, replyTokenVerifier } from '../../domain/delivery/reply-token.ts';
import { type ReplyPageLanguage, replyPageLanguage } from './reply-page.messages.ts';
import { type ReplyPageError, renderReplyError, renderReplyThanks } from './reply-page.ts';
import { replySecretSource } from './reply-secret-source.ts';
import { createLinkReplyWriter } from './reply-writer.ts';
import { ANSWERS, type Answer } from './responses.service.ts';

/** The HTTP status of each refusal. */
export const REPLY_STATUS: Record<ReplyPageError, number> = {
  'reply_token.malformed': 400,
  'reply_token.invalid': 403,
  'reply_token.expired': 410,
  'reply.not_found': 404,
  'reply.answer_invalid': 400,
  'reply.unavailable': 503,
};

/** The headers of every reply-link page (the security headers are added for every answer). */
export const REPLY_PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Robots-Tag': 'noindex, nofollow',
  'Content-Type': 'text/html; charset=utf-8',
};

/** A page to answer with. */
export type ReplyPage = { status: number; html: string };

/** The page language a browser asks for (Accept-Language), for pages shown before the person is known. */
export function languageFromAcceptLanguage(header: string | undefined): ReplyPageLanguage {
  if (!header) return 'en';
  const tags = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((t) => t.tag !== '' && t.tag !== '*' && t.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of tags) {
    const lang = replyPageLanguage(tag);
    if (lang !== 'en' || tag.toLowerCase().startsWith('en')) return lang;
  }
  return 'en';
}

/** The refusal page for a code, in the person's language when known, else the browser's. */
export function refusalPage(
  code: ReplyPageError,
  acceptLanguage: string | undefined,
  lang?: ReplyPageLanguage,
): ReplyPage {
  return {
    status: REPLY_STATUS[code],
    html: renderReplyError({ lang: lang ?? languageFromAcceptLanguage(acceptLanguage), code }),
  };
}

/** The fields of a form post; a field given twice keeps its first value. */
export function formFields(body: string): Record<string, string> {
  // The form's own post, as browsers send it.
  if (body === 'answer=safe') return { answer: 'safe' };
  if (body === 'answer=need_help') return { answer: 'need_help' };
  const fields: Record<string, string> = {};
  for (const part of body.split('&')) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    if (name === '' || name in fields) continue;
    try {
      fields[decodeURIComponent(name.replaceAll('+', ' '))] =
        eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replaceAll('+', ' '));
    } catch {
      // A malformed escape (%zz) is no answer; the field is left out.
    }
  }
  return fields;
}

function answerOf(body: unknown): Answer | null {
  const value = typeof body === 'object' && body !== null ? (body as { answer?: unknown }).answer : undefined;
  return typeof value === 'string' && (ANSWERS as readonly string[]).includes(value)
    ? (value as Answer)
    : null;
}

/** Reply links of one web process: one secret, one verifier, one group-commit writer. */
export type ReplyLinks = {
  /** Checks a token now; 'unavailable' when the secret cannot be loaded. */
  check: (token: string, now: Date) => Promise<ReplyTokenCheck | { ok: false; code: 'reply.unavailable' }>;
  /**
   * Records the answer of a form post to `/r/<token>` and answers the page to show. `fields` is the
   * parsed form; `onWriteError` hears of a batch that failed (nothing of it was stored).
   */
  answer: (input: {
    token: string;
    fields: unknown;
    acceptLanguage: string | undefined;
    onWriteError: (err: unknown) => void;
  }) => Promise<ReplyPage>;
  /** Writes the replies still queued. */
  close: () => Promise<void>;
};

export function createReplyLinks(database: Database, config: Config): ReplyLinks {
  const secretSource = replySecretSource(database, config);
  const writer = createLinkReplyWriter(database, config.responses);
  // One verifier per secret: the secret, once loaded, stays the same object.
  let verifier: { secret: Buffer; verify: (token: string, now: Date) => ReplyTokenCheck } | undefined;

  const check: ReplyLinks['check'] = async (token, now) => {
    const secret = secretSource.current() ?? (await secretSource.load());
    if (!secret) return { ok: false, code: 'reply.unavailable' };
    if (verifier?.secret !== secret) verifier = { secret, verify: replyTokenVerifier(secret) };
    return verifier.verify(token, now);
  };

  const answer: ReplyLinks['answer'] = async ({ token, fields, acceptLanguage, onWriteError }) => {
    const receivedAt = new Date();
    const checked = await check(token, receivedAt);
    if (!checked.ok) return refusalPage(checked.code, acceptLanguage);
    const answer = answerOf(fields);
    if (!answer) return refusalPage('reply.answer_invalid', acceptLanguage);
    const { alertId, personId } = checked.claims;
    let result: Awaited<ReturnType<typeof writer.submit>>;
    try {
      result = await writer.submit({ alertId, personId, answer, receivedAt });
    } catch (err) {
      // The batch failed and nothing of it was stored; the person is asked to try again.
      onWriteError(err);
      return refusalPage('reply.unavailable', acceptLanguage);
    }
    if (!result.ok) return refusalPage(result.code, acceptLanguage);
    return {
      status: 200,
      html: renderReplyThanks({ lang: replyPageLanguage(result.language), action: `/r/${token}`, answer }),
    };
  };

  return { check, answer, close: () => writer.close() };
}
