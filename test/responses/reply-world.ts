// A small world for the reply tests: the real app on a private test database, people registered through
// the API with their phones and languages, an alert issued through the API (drafted, approved, issued),
// and a delivery worker sending it over SMPP to a loopback SMS centre, whose submits carry the reply
// links. The SMS centre then sends people's replies back over the worker's bind.
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.ts';
import { alertBody } from '../../src/modules/alerts/alerts.test-kit.ts';
import { deliverySettingsFrom } from '../../src/modules/delivery/delivery.settings.ts';
import { eventually } from '../../src/modules/delivery/delivery.test-kit.ts';
import { type RunningWorker, startWorker } from '../../src/worker.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { testMasterKey } from '../helpers/database.ts';
import { type SmppPeer, startSmppPeer } from '../peers/smpp-server.ts';

/** The secrets of this world: web and worker read them from their configuration, as deployed. */
export const REPLY_SECRET = Buffer.alloc(32, 11);
export const INBOUND_SECRET = 'inbound-webhook-secret-for-tests';

/** Haven's number, as people text it. */
export const HAVEN_NUMBER = '+97145550000';

export type WorldPerson = { id: string; phone: string; language: string; country: string };
export type NewPerson = { phone: string; language: string; country?: string };

/** Alert text in the languages of the tests (Arabic, Amharic and English from the alert kit, plus Filipino and Spanish). */
export function repliesAlertBody(target: object = { countries: ['AE'] }) {
  const base = alertBody(target);
  return {
    ...base,
    infos: [
      ...base.infos,
      {
        language: 'fil',
        headline: 'Armadong sagupaan sa lungsod',
        smsText: 'Alerto ng embahada: armadong sagupaan. Manatili sa loob. Sumagot ng LIGTAS o TULONG.',
      },
      {
        language: 'es',
        headline: 'Enfrentamientos armados en la ciudad',
        smsText: 'Alerta de la embajada: enfrentamientos armados. Quédese en casa. Responda A SALVO o AYUDA.',
      },
    ],
  };
}

/** Registers one person through the API (as hq_admin) with a phone and a language. */
export async function registerPerson(t: TestApp, p: NewPerson): Promise<WorldPerson> {
  const country = p.country ?? 'AE';
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/persons',
    payload: {
      givenNames: 'Synthetic Replier',
      sex: 'female',
      languages: [p.language],
      location: country === 'AE' ? { lat: 25.2, lon: 55.27, country } : { lat: 22.3, lon: 114.17, country },
      phones: [{ value: p.phone, consent: true }],
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  return { id: res.json().id, phone: p.phone, language: p.language, country };
}

/** Drafts, approves and issues an alert through the API; answers its id. */
export async function issueAlert(t: TestApp, body: object = repliesAlertBody()): Promise<string> {
  const drafted = await t.app.inject({ method: 'POST', url: '/api/alerts', payload: body });
  assert.equal(drafted.statusCode, 201, drafted.body);
  const id = drafted.json().id as string;
  const step = (name: string, headers?: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: `/api/alerts/${id}/${name}`,
      payload: {},
      ...(headers ? { headers } : {}),
    });
  assert.equal((await step('submit')).statusCode, 200);
  assert.equal((await step('approve', t.as('crisis_manager'))).statusCode, 200);
  const issued = await step('issue');
  assert.equal(issued.statusCode, 200, issued.body);
  return id;
}

/** The whole text each number was sent (segments joined in order), newest message last. */
export function textsTo(peer: SmppPeer, phone: string): string[] {
  const digits = phone.replace(/^\+/, '');
  const messages = new Map<string, string[]>();
  for (const [index, s] of peer.submits.entries()) {
    if (s.destinationAddr !== digits) continue;
    const concat = s.udh.find((e) => e[0] === 0x00);
    const key = concat ? `ref${concat[2]}` : `single${index}`;
    const parts = messages.get(key) ?? [];
    parts[concat ? concat[4]! - 1 : 0] = s.text;
    messages.set(key, parts);
  }
  return [...messages.values()].map((parts) => parts.join(''));
}

/** The reply-link token in the latest message to a number. */
export function replyTokenIn(text: string): string {
  const match = /\/r\/([A-Za-z0-9_-]+)/.exec(text);
  assert.ok(match, `no reply link in: ${text}`);
  return match[1]!;
}

export type ReplyWorld = {
  t: TestApp;
  peer: SmppPeer;
  worker: RunningWorker;
  /** Issues an alert to the country and waits until these people's messages have reached the SMS centre. */
  issueAndDeliver: (people: WorldPerson[], body?: object) => Promise<string>;
  /** A person's text message to Haven, over the SMS centre's bind to the worker. */
  text: (from: string, text: string) => Promise<void>;
  close: () => Promise<void>;
};

/** Starts the app, the SMS centre and a worker bound to it. */
export async function startReplyWorld(): Promise<ReplyWorld> {
  const t = await buildTestApp({
    HAVEN_REPLY_TOKEN_SECRET: REPLY_SECRET.toString('base64'),
    HAVEN_SMS_INBOUND_SECRET: INBOUND_SECRET,
  });
  const peer = await startSmppPeer();
  const settings = deliverySettingsFrom({
    HAVEN_PUBLIC_URL: 'https://haven.test',
    HAVEN_DELIVERY_POLL_MS: '20',
    HAVEN_DELIVERY_RETRY_BASE_MS: '20',
    HAVEN_DELIVERY_RETRY_MAX_MS: '100',
    HAVEN_SMS_RATE: '0',
    HAVEN_SMPP_HOST: '127.0.0.1',
    HAVEN_SMPP_PORT: String(peer.port),
    HAVEN_SMPP_SYSTEM_ID: 'haven',
    HAVEN_SMPP_PASSWORD: 'secret',
    HAVEN_SMPP_SOURCE_ADDR: HAVEN_NUMBER,
    HAVEN_REPLY_TOKEN_SECRET: REPLY_SECRET.toString('base64'),
  });
  const config = {
    ...loadConfig({ LOG_LEVEL: 'silent' }),
    database: t.database.config,
    masterKey: testMasterKey,
  };
  const worker = await startWorker(config, { database: t.database, settings, log: () => {} });
  await peer.waitFor(() => peer.binds.length > 0, 5000);
  const sentCount = async (alertId: string, people: WorldPerson[]) => {
    const row = await t.database.db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('alert_id', '=', alertId)
      .where(
        'person_id',
        'in',
        people.map((p) => p.id),
      )
      .where('state', '=', 'sent')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  return {
    t,
    peer,
    worker,
    async issueAndDeliver(people, body) {
      const alertId = await issueAlert(t, body);
      await eventually(async () => (await sentCount(alertId, people)) >= people.length, 15_000, 'alert sent');
      return alertId;
    },
    text: (from, text) =>
      peer.sendInbound({ from, to: HAVEN_NUMBER, text, ucs2: !/^[\x20-\x7e]*$/.test(text) }),
    async close() {
      await worker.close();
      await peer.close();
      await t.close();
    },
  };
}
