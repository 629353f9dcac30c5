import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type SmtpPeer, startSmtpPeer } from '../../test/peers/smtp-server.ts';
import type { Channel } from './channel.ts';
import { createSmtpChannel, type SmtpChannelConfig } from './email-smtp.ts';

async function setup(
  t: { after: (fn: () => Promise<void>) => void },
  config: Partial<SmtpChannelConfig> = {},
  auth?: { user: string; pass: string },
): Promise<{ peer: SmtpPeer; channel: Channel }> {
  const peer = await startSmtpPeer(auth ? { auth } : {});
  const channel = createSmtpChannel({
    host: '127.0.0.1',
    port: peer.port,
    from: 'Embassy Alerts <alerts@embassy.example>',
    replyTo: 'consular@embassy.example',
    connectionTimeoutMs: 2000,
    ...config,
  });
  t.after(async () => {
    await channel.close();
    await peer.close();
  });
  return { peer, channel };
}

const ALERT = {
  deliveryId: 'dlv-0001',
  to: 'amina.test@example.org',
  subject: 'Alerte niveau 3 — restez à l’abri',
  text: 'Restez à l’abri. تنبيه: ابقوا في أماكنكم.\nRépondez SAFE si vous êtes en sécurité.',
  html: '<p>Restez à l’abri. <span dir="rtl">تنبيه: ابقوا في أماكنكم.</span></p>',
};

describe('SMTP channel', () => {
  test('sends text and HTML with the configured From and Reply-To', async (t) => {
    const { peer, channel } = await setup(t);
    const result = await channel.send(ALERT);
    assert.deepEqual(result, { status: 'sent', providerId: '<dlv-0001@embassy.example>' });
    const [mail] = peer.messages;
    assert.ok(mail);
    assert.equal(mail.mailFrom, 'alerts@embassy.example');
    assert.deepEqual(mail.rcptTo, ['amina.test@example.org']);
    assert.equal(mail.headers.from, 'Embassy Alerts <alerts@embassy.example>');
    assert.equal(mail.headers['reply-to'], 'consular@embassy.example');
    assert.equal(mail.headers['message-id'], '<dlv-0001@embassy.example>');
    assert.equal(mail.headers['x-haven-delivery-id'], 'dlv-0001');
    assert.equal(mail.subject, ALERT.subject);
    assert.equal(mail.text?.replace(/\r\n/g, '\n'), ALERT.text);
    assert.equal(mail.html, ALERT.html);
  });

  test('logs in when the server requires authentication, and reuses the pooled connection', async (t) => {
    const { peer, channel } = await setup(
      t,
      { auth: { user: 'haven', pass: 's3cret' } },
      { user: 'haven', pass: 's3cret' },
    );
    for (const n of [1, 2, 3]) {
      const result = await channel.send({ ...ALERT, deliveryId: `dlv-${n}`, html: undefined });
      assert.equal(result.status, 'sent');
    }
    assert.equal(peer.messages.length, 3);
    assert.equal(peer.messages[0]?.html, undefined);
    assert.deepEqual(peer.logins, ['haven']);
  });

  test('a recipient rejected with 550 fails as smtp.bounced', async (t) => {
    const { peer, channel } = await setup(t);
    peer.rejectRecipient('gone@example.org');
    const result = await channel.send({ ...ALERT, to: 'gone@example.org' });
    assert.equal(result.status, 'failed');
    assert.equal(result.status === 'failed' && result.code, 'smtp.bounced');
    assert.ok(result.status === 'failed' && result.detail?.includes('550'));
    assert.ok(result.status === 'failed' && !result.detail?.includes('gone@example.org'));
    assert.equal((await channel.send(ALERT)).status, 'sent');
    assert.equal(peer.messages.length, 1);
  });

  test('a recipient deferred with 451 answers retry smtp.deferred', async (t) => {
    const { peer, channel } = await setup(t);
    peer.deferRecipient('busy@example.org');
    const result = await channel.send({ ...ALERT, to: 'busy@example.org' });
    assert.equal(result.status === 'retry' && result.code, 'smtp.deferred');
    assert.equal(peer.messages.length, 0);
  });

  test('a server that refuses connections answers retry smtp.unavailable', async (t) => {
    const closedPeer = await startSmtpPeer();
    const port = closedPeer.port;
    await closedPeer.close();
    const channel = createSmtpChannel({
      host: '127.0.0.1',
      port,
      from: 'alerts@embassy.example',
      connectionTimeoutMs: 1000,
    });
    t.after(() => channel.close());
    const result = await channel.send(ALERT);
    assert.equal(result.status === 'retry' && result.code, 'smtp.unavailable');
  });

  test('wrong credentials answer retry smtp.unavailable, never a bounce', async (t) => {
    const { peer, channel } = await setup(
      t,
      { auth: { user: 'haven', pass: 'wrong' } },
      { user: 'haven', pass: 's3cret' },
    );
    const result = await channel.send(ALERT);
    assert.equal(result.status === 'retry' && result.code, 'smtp.unavailable');
    assert.equal(peer.messages.length, 0);
  });

  test('an address that is not one fails locally as smtp.invalid_address', async (t) => {
    const { peer, channel } = await setup(t);
    const result = await channel.send({ ...ALERT, to: 'not an address' });
    assert.equal(result.status === 'failed' && result.code, 'smtp.invalid_address');
    assert.equal(peer.messages.length, 0);
  });
});
