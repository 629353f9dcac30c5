// A loopback mail server (smtp-server) for tests. It accepts mail, keeps each message with its envelope
// and its decoded text and HTML parts, and can reject a recipient permanently (550) or defer it (451).
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message as the server received it, with the parts a reader would see. */
export type ReceivedMail = {
  mailFrom: string;
  rcptTo: string[];
  raw: string;
  headers: Record<string, string>;
  subject: string;
  text: string | undefined;
  html: string | undefined;
};

export type SmtpPeer = {
  readonly port: number;
  readonly messages: ReceivedMail[];
  /** Sessions that authenticated, by user name. */
  readonly logins: string[];
  /** Answers RCPT TO for this address with 550 (no such user). */
  rejectRecipient(address: string): void;
  /** Answers RCPT TO for this address with 451 (try again later). */
  deferRecipient(address: string): void;
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

/** Starts the SMTP peer on 127.0.0.1 and an ephemeral port; with `auth`, sessions must log in. */
export async function startSmtpPeer(
  options: { auth?: { user: string; pass: string } } = {},
): Promise<SmtpPeer> {
  const messages: ReceivedMail[] = [];
  const logins: string[] = [];
  const rules = new Map<string, 451 | 550>();
  const changes = new EventEmitter();
  changes.setMaxListeners(0);

  const server = new SMTPServer({
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !options.auth,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.auth?.user && auth.password === options.auth?.pass) {
        logins.push(auth.username ?? '');
        callback(null, { user: auth.username });
      } else {
        callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      }
    },
    onRcptTo(address, _session, callback) {
      const rule = rules.get(address.address.toLowerCase());
      if (rule === 550) callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
      else if (rule === 451)
        callback(Object.assign(new Error('4.7.1 Try again later'), { responseCode: 451 }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const envelope = session.envelope;
        messages.push({
          mailFrom: envelope.mailFrom ? envelope.mailFrom.address : '',
          rcptTo: envelope.rcptTo.map((r) => r.address),
          raw,
          ...parseMessage(raw),
        });
        changes.emit('change');
        callback();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;

  return {
    port,
    messages,
    logins,
    rejectRecipient(address) {
      rules.set(address.toLowerCase(), 550);
    },
    deferRecipient(address) {
      rules.set(address.toLowerCase(), 451);
    },
    waitFor(predicate, timeoutMs = 3000) {
      return new Promise((resolve, reject) => {
        if (predicate()) return resolve();
        const check = () => {
          if (!predicate()) return;
          clearTimeout(timer);
          changes.off('change', check);
          resolve();
        };
        const timer = setTimeout(() => {
          changes.off('change', check);
          reject(new Error('SMTP peer: condition not reached in time'));
        }, timeoutMs);
        changes.on('change', check);
      });
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// A small MIME reader: enough for what nodemailer writes (a single part, or multipart/alternative or
// multipart/mixed), in 7bit, 8bit, quoted-printable or base64, with RFC 2047 encoded words in headers.
function parseMessage(raw: string): Pick<ReceivedMail, 'headers' | 'subject' | 'text' | 'html'> {
  const { headers, body } = splitEntity(raw);
  const found: { text?: string; html?: string } = {};
  collectParts(headers, body, found);
  return { headers, subject: decodeWords(headers.subject ?? ''), text: found.text, html: found.html };
}

function splitEntity(entity: string): { headers: Record<string, string>; body: string } {
  const end = entity.indexOf('\r\n\r\n');
  const head = end < 0 ? entity : entity.slice(0, end);
  const body = end < 0 ? '' : entity.slice(end + 4);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function collectParts(
  headers: Record<string, string>,
  body: string,
  found: { text?: string; html?: string },
): void {
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const sections = body.split(`--${boundary}`).slice(1);
    for (const section of sections) {
      if (section.startsWith('--')) break;
      const part = splitEntity(section.replace(/^\r\n/, ''));
      collectParts(part.headers, part.body.replace(/\r\n$/, ''), found);
    }
    return;
  }
  const content = decodeBody(body, headers['content-transfer-encoding'] ?? '7bit');
  if (/^text\/html/i.test(type)) found.html = content;
  else if (/^text\/plain/i.test(type)) found.text = content;
}

function decodeBody(body: string, encoding: string): string {
  switch (encoding.toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return decodeQuotedPrintable(body.replace(/=\r\n/g, ''));
    default:
      return body;
  }
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (char === '=' && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(char, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi, (_match, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}
