import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { type ReplyTokenCheck, replyTokenVerifier } from '../../domain/delivery/reply-token.ts';
import { loadReplyView } from './reply-links.service.ts';
import { type ReplyPageLanguage, replyPageLanguage } from './reply-page.messages.ts';
import { type ReplyPageError, renderReplyError, renderReplyForm, renderReplyThanks } from './reply-page.ts';
import { replySecretSource } from './reply-secret-source.ts';
import { createLinkReplyWriter, type LinkReplyWriter } from './reply-writer.ts';
import { ANSWERS, type Answer } from './responses.service.ts';

const STATUS: Record<ReplyPageError, number> = {
  'reply_token.malformed': 400,
  'reply_token.invalid': 403,
  'reply_token.expired': 410,
  'reply.not_found': 404,
  'reply.answer_invalid': 400,
  'reply.unavailable': 503,
};

const TokenParams = Type.Object({ token: Type.String({ description: 'The reply token from the message' }) });

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

const PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Robots-Tag': 'noindex, nofollow',
  'Content-Type': 'text/html; charset=utf-8',
};

function sendPage(reply: FastifyReply, status: number, html: string) {
  return reply.code(status).headers(PAGE_HEADERS).send(html);
}

const refuse = (req: FastifyRequest, reply: FastifyReply, code: ReplyPageError, lang?: ReplyPageLanguage) =>
  sendPage(
    reply,
    STATUS[code],
    renderReplyError({ lang: lang ?? languageFromAcceptLanguage(req.headers['accept-language']), code }),
  );

/** The fields of a form post; a field given twice keeps its first value. */
function formFields(body: string): Record<string, string> {
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

/**
 * One-tap reply links, `/r/<token>`. GET shows a confirm page (never records: link previews and
 * scanners open links); POST records the answer through the group-commit writer and thanks. The token is
 * the whole capability: it names one person and one alert under an HMAC and expires; no cookie or session
 * is involved, so a cross-site form cannot act with anyone's authority but the token's own holder.
 */
export const replyLinkRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { config, database }) => {
  const replySecret = replySecretSource(database, config);
  const writer = createLinkReplyWriter(database, config.responses);
  // One verifier per secret: the secret, once loaded, stays the same object.
  let verifier: { secret: Buffer; verify: (token: string, now: Date) => ReplyTokenCheck } | undefined;
  const verify = (secret: Buffer, token: string, now: Date) => {
    if (verifier?.secret !== secret) verifier = { secret, verify: replyTokenVerifier(secret) };
    return verifier.verify(token, now);
  };
  // Replies still queued when the server stops are written before the database closes.
  app.addHook('onClose', () => writer.close());

  // A form post is a few dozen bytes; anything much larger is not one.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 4096 },
    (_req, body, done) => done(null, formFields(body as string)),
  );

  app.get(
    '/r/:token',
    {
      config: { action: 'public' },
      schema: {
        tags: ['replies'],
        summary: 'The confirm page of a reply link (HTML)',
        params: TokenParams,
      },
    },
    async (req, reply) => {
      const secret = replySecret.current() ?? (await replySecret.load());
      if (!secret) return refuse(req, reply, 'reply.unavailable');
      const check = verify(secret, req.params.token, new Date());
      if (!check.ok) return refuse(req, reply, check.code);
      const view = await loadReplyView(database.db, check.claims);
      if (!view) return refuse(req, reply, 'reply.not_found');
      return sendPage(
        reply,
        200,
        renderReplyForm({
          lang: replyPageLanguage(view.language),
          action: `/r/${req.params.token}`,
          headline: view.headline,
          headlineLanguage: view.headlineLanguage,
          cancelled: view.cancelled,
          current: view.current,
        }),
      );
    },
  );

  app.post(
    '/r/:token',
    {
      config: { action: 'public' },
      schema: {
        tags: ['replies'],
        summary: 'Answer through a reply link: form field `answer` = safe | need_help (HTML)',
        params: TokenParams,
      },
    },
    async (req, reply) => {
      const secret = replySecret.current() ?? (await replySecret.load());
      if (!secret) return refuse(req, reply, 'reply.unavailable');
      const receivedAt = new Date();
      const check = verify(secret, req.params.token, receivedAt);
      if (!check.ok) return refuse(req, reply, check.code);
      const answer = answerOf(req.body);
      if (!answer) return refuse(req, reply, 'reply.answer_invalid');
      const { alertId, personId } = check.claims;
      let result: Awaited<ReturnType<LinkReplyWriter['submit']>>;
      try {
        result = await writer.submit({ alertId, personId, answer, receivedAt });
      } catch (err) {
        // The batch failed and nothing of it was stored; the person is asked to try again.
        req.log.error({ err: { type: (err as Error).name } }, 'reply.write_failed');
        return refuse(req, reply, 'reply.unavailable');
      }
      if (!result.ok) return refuse(req, reply, result.code);
      return sendPage(
        reply,
        200,
        renderReplyThanks({
          lang: replyPageLanguage(result.language),
          action: `/r/${req.params.token}`,
          answer,
        }),
      );
    },
  );
};
