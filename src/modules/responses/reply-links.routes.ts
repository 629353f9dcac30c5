import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import {
  formFields,
  REPLY_PAGE_HEADERS,
  type ReplyLinks,
  type ReplyPage,
  refusalPage,
} from './reply-links.answer.ts';
import { REPLY_FORM_LIMIT_BYTES } from './reply-links.fast-path.ts';
import { loadReplyView } from './reply-links.service.ts';
import { replyPageLanguage } from './reply-page.messages.ts';
import { renderReplyForm } from './reply-page.ts';

const TokenParams = Type.Object({ token: Type.String({ description: 'The reply token from the message' }) });

function sendPage(reply: FastifyReply, page: ReplyPage) {
  return reply.code(page.status).headers(REPLY_PAGE_HEADERS).send(page.html);
}

/**
 * One-tap reply links, `/r/<token>`. GET shows a confirm page (never records: link previews and
 * scanners open links); POST records the answer through the group-commit writer and thanks. The token is
 * the whole capability: it names one person and one alert under an HMAC and expires; no cookie or session
 * is involved, so a cross-site form cannot act with anyone's authority but the token's own holder.
 */
export const replyLinkRoutes: FastifyPluginAsyncTypebox<AppDeps & { replyLinks: ReplyLinks }> = async (
  app,
  { database, replyLinks },
) => {
  // A form post is a few dozen bytes; anything much larger is not one.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: REPLY_FORM_LIMIT_BYTES },
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
      const acceptLanguage = req.headers['accept-language'];
      const check = await replyLinks.check(req.params.token, new Date());
      if (!check.ok) return sendPage(reply, refusalPage(check.code, acceptLanguage));
      const view = await loadReplyView(database.db, check.claims);
      if (!view) return sendPage(reply, refusalPage('reply.not_found', acceptLanguage));
      return sendPage(reply, {
        status: 200,
        html: renderReplyForm({
          lang: replyPageLanguage(view.language),
          action: `/r/${req.params.token}`,
          headline: view.headline,
          headlineLanguage: view.headlineLanguage,
          cancelled: view.cancelled,
          current: view.current,
        }),
      });
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
    async (req, reply) =>
      sendPage(
        reply,
        await replyLinks.answer({
          token: req.params.token,
          fields: req.body,
          acceptLanguage: req.headers['accept-language'],
          onWriteError: (err) => req.log.error({ err: { type: (err as Error).name } }, 'reply.write_failed'),
        }),
      ),
  );
};
