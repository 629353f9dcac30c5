// A loopback HTTP SMS gateway (node:http) for tests. Its main route is shaped like Twilio's Messages API:
// POST /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded To/From/Body, HTTP Basic
// authentication with AccountSid:AuthToken, 201 with a JSON message resource whose `sid` names the
// message, Twilio's error shape ({code, message, status}) otherwise. A second route, POST /api/sms, takes
// JSON with a bearer token, for the generic configuration. It can be told to answer late, never, or
// with a given status. Like Twilio, it reports a message's fate to the StatusCallback URL the message
// named, signed with X-Twilio-Signature; `statusCallback` builds that request for the test to deliver.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type GatewayRequest = {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  form: Record<string, string> | undefined;
  json: unknown;
};

export type SmsGateway = {
  readonly port: number;
  readonly url: string;
  readonly accountSid: string;
  readonly authToken: string;
  readonly apiKey: string;
  readonly requests: GatewayRequest[];
  /** Messages the gateway accepted: their id and fields. */
  readonly accepted: { id: string; to: string; from: string; body: string; statusCallback?: string }[];
  /**
   * The status callback of an accepted message, as Twilio would post it to the message's StatusCallback:
   * a form (MessageSid, MessageStatus, ErrorCode…) signed with the auth token over the URL and fields.
   */
  statusCallback(
    sid: string,
    status: string,
    errorCode?: string,
  ): { url: string; headers: Record<string, string>; body: string };
  /** Answers every message to this number with a 400 and the given provider error code. */
  rejectNumber(to: string, code: number): void;
  respondNext(status: number, body?: unknown, headers?: Record<string, string>): void;
  delayNext(ms: number): void;
  stallNext(): void;
  close(): Promise<void>;
};

type Plan =
  | { kind: 'status'; status: number; body: unknown; headers: Record<string, string> }
  | { kind: 'delay'; ms: number }
  | { kind: 'stall' };

/** Starts the gateway on 127.0.0.1 and an ephemeral port, with fresh credentials. */
export async function startSmsGateway(): Promise<SmsGateway> {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const apiKey = randomBytes(12).toString('base64url');
  const requests: GatewayRequest[] = [];
  const accepted: SmsGateway['accepted'] = [];
  const rejected = new Map<string, number>();
  const plans: Plan[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const twilioError = (res: ServerResponse, status: number, code: number, message: string) =>
    json(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

  const route = (request: GatewayRequest, res: ServerResponse) => {
    const twilio = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(request.path);
    if (twilio) {
      const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
      if (request.headers.authorization !== expected || twilio[1] !== accountSid) {
        return twilioError(res, 401, 20003, 'Authenticate');
      }
      const form = request.form;
      if (!form) return twilioError(res, 400, 21609, 'Invalid parameters');
      const to = form.To ?? '';
      const from = form.From ?? '';
      const body = form.Body ?? '';
      if (!to) return twilioError(res, 400, 21604, "A 'To' phone number is required.");
      if (!/^\+[1-9]\d{6,14}$/.test(to)) return twilioError(res, 400, 21211, "Invalid 'To' Phone Number");
      if (!body) return twilioError(res, 400, 21602, 'Message body is required.');
      const code = rejected.get(to);
      if (code !== undefined) return twilioError(res, 400, code, 'Message cannot be sent to this number');
      const sid = `SM${randomBytes(16).toString('hex')}`;
      accepted.push({
        id: sid,
        to,
        from,
        body,
        ...(form.StatusCallback ? { statusCallback: form.StatusCallback } : {}),
      });
      return json(res, 201, {
        sid,
        account_sid: accountSid,
        to,
        from,
        body,
        status: 'queued',
        num_segments: '1',
      });
    }
    if (request.path === '/api/sms') {
      if (request.headers.authorization !== `Bearer ${apiKey}`)
        return json(res, 401, { error: 'unauthorized' });
      const message = request.json as { destination?: string; sender?: string; content?: { text?: string } };
      if (!message?.destination || !message.content?.text)
        return json(res, 400, { error: { code: 'E_FIELDS' } });
      const code = rejected.get(message.destination);
      if (code !== undefined) return json(res, 400, { error: { code: `E${code}` } });
      const id = randomBytes(8).toString('hex');
      accepted.push({ id, to: message.destination, from: message.sender ?? '', body: message.content.text });
      return json(res, 202, { result: { id, state: 'accepted' } });
    }
    return json(res, 404, { error: 'not found' });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const type = req.headers['content-type'] ?? '';
      let parsed: unknown;
      if (type.startsWith('application/json')) {
        try {
          parsed = JSON.parse(raw);
        } catch {
          parsed = undefined;
        }
      }
      const request: GatewayRequest = {
        path: req.url ?? '',
        headers: req.headers,
        raw,
        form: type.startsWith('application/x-www-form-urlencoded')
          ? Object.fromEntries(new URLSearchParams(raw))
          : undefined,
        json: parsed,
      };
      requests.push(request);
      const plan = plans.shift();
      if (plan?.kind === 'stall') return;
      if (plan?.kind === 'status') return json(res, plan.status, plan.body, plan.headers);
      if (plan?.kind === 'delay') {
        const timer = setTimeout(() => {
          timers.delete(timer);
          route(request, res);
        }, plan.ms);
        timers.add(timer);
        return;
      }
      route(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    apiKey,
    requests,
    accepted,
    statusCallback(sid, status, errorCode) {
      const message = accepted.find((m) => m.id === sid);
      if (!message?.statusCallback) throw new Error(`no status callback for ${sid}`);
      const fields: Record<string, string> = {
        AccountSid: accountSid,
        MessageSid: sid,
        SmsSid: sid,
        MessageStatus: status,
        To: message.to,
        From: message.from,
        ApiVersion: '2010-04-01',
        ...(errorCode ? { ErrorCode: errorCode } : {}),
      };
      const mac = createHmac('sha1', authToken);
      mac.update(message.statusCallback);
      for (const name of Object.keys(fields).sort()) mac.update(name + fields[name]);
      return {
        url: message.statusCallback,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': mac.digest('base64'),
        },
        body: new URLSearchParams(fields).toString(),
      };
    },
    rejectNumber(to, code) {
      rejected.set(to, code);
    },
    respondNext(status, body, headers = {}) {
      plans.push({ kind: 'status', status, body, headers });
    },
    delayNext(ms) {
      plans.push({ kind: 'delay', ms });
    },
    stallNext() {
      plans.push({ kind: 'stall' });
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
