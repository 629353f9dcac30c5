// SMS through an HTTP gateway: one POST per message, JSON or form-encoded, to a URL and with a body,
// headers and authentication built from templates. Placeholders {to}, {text}, {from} and {deliveryId}
// take the message's values; any other {name} takes a configured variable (account ids, API keys).
// `twilioPreset` fills the templates for an API shaped like Twilio's.
import { checkSmsLength } from '../domain/messaging/sms-encoding.ts';
import {
  failed,
  isE164,
  type OutboundMessage,
  retry,
  type SendResult,
  type SmsChannel,
  sent,
} from './channel.ts';
import { createHttpAgents, parseRetryAfter, postWithDeadline } from './http-post.ts';

/** A JSON body template: strings are templates, everything else is sent as is. */
export type BodyTemplate =
  | string
  | number
  | boolean
  | null
  | BodyTemplate[]
  | { [key: string]: BodyTemplate };

export type HttpSmsConfig = {
  /** Endpoint template; substituted values are percent-encoded. */
  url: string;
  format: 'json' | 'form';
  /** Body template: for `form`, a flat record of field templates. */
  body: { [key: string]: BodyTemplate };
  /** Sender id or number, the value of {from}. */
  from: string;
  /** Values for placeholders other than the message's own. */
  variables?: Record<string, string>;
  auth?:
    | { kind: 'basic'; username: string; password: string }
    | { kind: 'header'; name: string; value: string };
  /** Extra header templates. */
  headers?: Record<string, string>;
  /** How {to} is written: `+4477…` (e164, default) or `4477…` (digits). */
  toFormat?: 'e164' | 'digits';
  /** Dotted path to the message id in a JSON answer, e.g. `sid` or `result.id`. */
  providerIdField?: string;
  /** Dotted path to the provider's error code in a JSON error answer, e.g. `code`. */
  errorCodeField?: string;
  /** Provider error codes meaning the number cannot receive messages (mapped to sms.rejected_number). */
  rejectedNumberCodes?: string[];
  /** Whole-request deadline (default 10 s). */
  timeoutMs?: number;
  /** Longest message in segments (default 10). */
  maxSegments?: number;
  /** Extra trusted certificates (a gateway behind a private CA). */
  ca?: string;
};

const MESSAGE_PLACEHOLDERS = ['to', 'text', 'from', 'deliveryId'] as const;

/** Configuration for an API shaped like Twilio's Programmable Messaging (Messages resource). */
export function twilioPreset(options: {
  accountSid: string;
  authToken: string;
  from: string;
  /** Default https://api.twilio.com */
  baseUrl?: string;
  statusCallback?: string;
}): HttpSmsConfig {
  return {
    url: `${options.baseUrl ?? 'https://api.twilio.com'}/2010-04-01/Accounts/{AccountSid}/Messages.json`,
    format: 'form',
    body: {
      To: '{to}',
      From: '{from}',
      Body: '{text}',
      ...(options.statusCallback ? { StatusCallback: options.statusCallback } : {}),
    },
    from: options.from,
    variables: { AccountSid: options.accountSid, AuthToken: options.authToken },
    auth: { kind: 'basic', username: '{AccountSid}', password: '{AuthToken}' },
    providerIdField: 'sid',
    errorCodeField: 'code',
    // Invalid 'To', 'To' not reachable, not a mobile number, recipient opted out (STOP).
    rejectedNumberCodes: ['21211', '21612', '21614', '21610'],
  };
}

/** Creates the HTTP SMS channel; throws a RangeError when a template names an unknown placeholder. */
export function createHttpSmsChannel(config: HttpSmsConfig): SmsChannel {
  const variables = config.variables ?? {};
  checkPlaceholders(config, new Set([...MESSAGE_PLACEHOLDERS, ...Object.keys(variables)]));
  const agents = createHttpAgents(config.ca === undefined ? {} : { ca: config.ca });
  const timeoutMs = config.timeoutMs ?? 10_000;
  const maxSegments = config.maxSegments ?? 10;
  const rejectedCodes = new Set(config.rejectedNumberCodes ?? []);
  let closed = false;

  return {
    name: 'sms-http',
    kind: 'sms',
    async send(message: OutboundMessage): Promise<SendResult> {
      if (closed) return retry('channel.closed');
      if (!isE164(message.to)) return failed('sms.rejected_number', 'not an E.164 number');
      const length = checkSmsLength(message.text, maxSegments);
      if (!length.ok)
        return failed('message.too_long', `${length.sms.segments} segments, limit ${maxSegments}`);
      const values: Record<string, string> = {
        ...variables,
        to: config.toFormat === 'digits' ? message.to.slice(1) : message.to,
        text: message.text,
        from: config.from,
        deliveryId: message.deliveryId,
      };
      const url = new URL(fill(config.url, values, encodeURIComponent));
      const headers: Record<string, string> = { Accept: 'application/json' };
      for (const [name, value] of Object.entries(config.headers ?? {})) headers[name] = fill(value, values);
      if (config.auth?.kind === 'basic') {
        const user = fill(config.auth.username, values);
        const password = fill(config.auth.password, values);
        headers.Authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      } else if (config.auth?.kind === 'header') {
        headers[config.auth.name] = fill(config.auth.value, values);
      }
      let body: string;
      if (config.format === 'json') {
        headers['Content-Type'] = 'application/json';
        body = JSON.stringify(fillJson(config.body, values));
      } else {
        headers['Content-Type'] = 'application/x-www-form-urlencoded';
        const form = new URLSearchParams();
        for (const [name, value] of Object.entries(config.body))
          form.append(name, fill(String(value), values));
        body = form.toString();
      }
      const outcome = await postWithDeadline(url, { headers, body, timeoutMs, agents });
      if (outcome.kind === 'timeout') return retry('sms.timeout');
      if (outcome.kind === 'network') return retry('sms.unavailable', { detail: outcome.errorCode });
      const { status, headers: answerHeaders, body: answer } = outcome.answer;
      const parsed = parseJson(answer);
      if (status >= 200 && status < 300) {
        const id = config.providerIdField ? pick(parsed, config.providerIdField) : undefined;
        return sent(id === undefined ? undefined : String(id));
      }
      const detail = `HTTP ${status}`;
      if (status === 429) {
        const after = parseRetryAfter(answerHeaders['retry-after'], Date.now());
        return retry('sms.throttled', after === undefined ? { detail } : { retryAfterMs: after, detail });
      }
      if (status >= 500) return retry('sms.http_5xx', { detail });
      // Refused credentials are a deployment problem, not the recipient's: retry once they are fixed.
      if (status === 401) return retry('sms.unavailable', { detail });
      const code = config.errorCodeField ? pick(parsed, config.errorCodeField) : undefined;
      const providerCode = code === undefined || code === null ? undefined : String(code);
      if (providerCode === undefined) return failed('sms.http_4xx', detail);
      const withCode = `${detail}, provider code ${providerCode}`;
      if (rejectedCodes.has(providerCode)) return failed('sms.rejected_number', withCode);
      return failed(`sms.provider.${providerCode}`, withCode);
    },
    async close() {
      closed = true;
      agents.destroy();
    },
  };
}

// One pass over the template, so a value that itself contains "{…}" is never substituted again.
function fill(
  template: string,
  values: Record<string, string>,
  encode: (value: string) => string = (v) => v,
): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => {
    const value = values[name];
    return value === undefined ? match : encode(value);
  });
}

function fillJson(template: BodyTemplate, values: Record<string, string>): BodyTemplate {
  if (typeof template === 'string') return fill(template, values);
  if (Array.isArray(template)) return template.map((item) => fillJson(item, values));
  if (template !== null && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, fillJson(value, values)]));
  }
  return template;
}

function checkPlaceholders(config: HttpSmsConfig, known: Set<string>): void {
  const templates: string[] = [config.url, ...Object.values(config.headers ?? {})];
  if (config.auth?.kind === 'basic') templates.push(config.auth.username, config.auth.password);
  if (config.auth?.kind === 'header') templates.push(config.auth.value);
  const collect = (value: BodyTemplate): void => {
    if (typeof value === 'string') templates.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(config.body);
  for (const template of templates) {
    for (const [, name] of template.matchAll(/\{(\w+)\}/g)) {
      if (name !== undefined && !known.has(name))
        throw new RangeError(`unknown placeholder {${name}} in SMS gateway template`);
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function pick(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
