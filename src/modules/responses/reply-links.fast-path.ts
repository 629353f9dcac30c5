// The web server's direct path for the one request that arrives by the thousand in a crisis: the form
// post of a reply link, `POST /r/<token>` with `answer=…`. It is answered straight from the HTTP
// server, before the framework's routing, hooks and reply machinery, through the same `ReplyLinks` as
// the routes (reply-links.answer.ts), with the same page, status and headers. Anything that is not a
// plain, small form post of a well-formed path (a query string, another content type or encoding, a
// chunked or oversized body, a server that is closing) is left to the framework's route, which answers
// it as before, errors included.

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  formFields,
  REPLY_PAGE_HEADERS,
  type ReplyLinks,
  type ReplyPage,
  refusalPage,
} from './reply-links.answer.ts';

/** The largest reply form accepted, on either path: the form is a few dozen bytes. */
export const REPLY_FORM_LIMIT_BYTES = 4096;

// The router's own parameter limit is 100 characters; a token is 66.
const PATH = /^\/r\/[A-Za-z0-9_-]{1,100}$/;
const FORM = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/** Where the direct path logs: one line per answered request (when `requests` is on), without the token. */
export type FastPathLog = {
  info: (fields: Record<string, unknown>, message: string) => void;
  error: (fields: Record<string, unknown>, message: string) => void;
};

export type ReplyFormFastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

/** One form post being answered. The handlers below are shared: per request there is only this. */
type Pending = {
  res: ServerResponse;
  token: string;
  acceptLanguage: string | undefined;
  chunks: Buffer[];
  started: number;
};
const PENDING = Symbol('haven.replyForm');
type WithPending = IncomingMessage & { [PENDING]?: Pending };

function onData(this: WithPending, chunk: Buffer) {
  this[PENDING]?.chunks.push(chunk);
}
function onError(this: WithPending) {
  this[PENDING]?.res.destroy();
}

/**
 * The direct path: answers the request and returns true, or returns false without touching it (the
 * caller hands it to the framework). `headers` are the security headers of every answer.
 */
export function replyFormFastPath(
  links: ReplyLinks,
  options: {
    headers: Record<string, string>;
    log: () => FastPathLog;
    /** Whether request lines are logged (the log level is info or finer). */
    logRequests: boolean;
    closing: () => boolean;
  },
): ReplyFormFastPath {
  const pageHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...options.headers, ...REPLY_PAGE_HEADERS }))
    pageHeaders[name.toLowerCase()] = value;
  const onWriteError = (err: unknown) =>
    options.log().error({ err: { type: (err as Error).name } }, 'reply.write_failed');

  const send = (pending: Pending, page: ReplyPage) => {
    const { res } = pending;
    if (res.destroyed) return;
    pageHeaders['content-length'] = String(Buffer.byteLength(page.html));
    res.writeHead(page.status, pageHeaders);
    res.end(page.html);
    if (options.logRequests)
      options.log().info(
        {
          req: { method: 'POST', url: '/r/:token', id: 'direct' },
          res: { statusCode: page.status },
          responseTime: performance.now() - pending.started,
        },
        'request completed',
      );
  };

  function onEnd(this: WithPending) {
    const pending = this[PENDING];
    if (!pending) return;
    this[PENDING] = undefined;
    const { chunks } = pending;
    const body = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
    links
      .answer({
        token: pending.token,
        fields: formFields(body),
        acceptLanguage: pending.acceptLanguage,
        onWriteError,
      })
      .then(
        (page) => send(pending, page),
        (err) => {
          options.log().error({ err: { type: (err as Error).name } }, 'reply.failed');
          send(pending, refusalPage('reply.unavailable', pending.acceptLanguage));
        },
      );
  }

  return (req, res) => {
    if (req.method !== 'POST' || !PATH.test(req.url ?? '') || options.closing()) return false;
    const headers = formHeaders(req.rawHeaders);
    if (headers === null) return false;
    (req as WithPending)[PENDING] = {
      res,
      token: (req.url as string).slice(3),
      acceptLanguage: headers.acceptLanguage,
      chunks: [],
      started: options.logRequests ? performance.now() : 0,
    };
    req.on('data', onData);
    req.on('error', onError);
    req.on('end', onEnd);
    return true;
  };
}

/**
 * The headers the direct path needs, read from the raw list (building `req.headers` costs more than the
 * rest of the request), or null when the request is not a plain small form post: no form content type,
 * no or too large a length, a transfer or content encoding, or any of these headers given twice.
 */
function formHeaders(raw: string[]): { acceptLanguage: string | undefined } | null {
  let type: string | undefined;
  let length: string | undefined;
  let acceptLanguage: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    // Names are compared only where their length matches one of the five.
    if (name.length === 12 && name.toLowerCase() === 'content-type') {
      if (type !== undefined) return null;
      type = raw[i + 1];
    } else if (name.length === 14 && name.toLowerCase() === 'content-length') {
      if (length !== undefined) return null;
      length = raw[i + 1];
    } else if (name.length === 15 && name.toLowerCase() === 'accept-language') {
      if (acceptLanguage !== undefined) return null;
      acceptLanguage = raw[i + 1];
    } else if (
      (name.length === 16 && name.toLowerCase() === 'content-encoding') ||
      (name.length === 17 && name.toLowerCase() === 'transfer-encoding')
    ) {
      return null;
    }
  }
  if (type === undefined || !FORM.test(type) || length === undefined || !/^\d{1,4}$/.test(length))
    return null;
  return Number(length) <= REPLY_FORM_LIMIT_BYTES ? { acceptLanguage } : null;
}
