import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type SmppPeer, type SmppPeerOptions, startSmppPeer } from '../../test/peers/smpp-server.ts';
import { encodeSms, splitSms } from '../domain/messaging/sms-encoding.ts';
import type { DeliveryReceipt, InboundSms, SendResult } from './channel.ts';
import { createSmppChannel, type SmppChannel, type SmppChannelConfig } from './sms-smpp.ts';

type Setup = { peer: SmppPeer; channel: SmppChannel };

async function setup(
  t: { after: (fn: () => Promise<void>) => void },
  config: Partial<SmppChannelConfig> = {},
  peerOptions: SmppPeerOptions = {},
): Promise<Setup> {
  const peer = await startSmppPeer(peerOptions);
  const channel = createSmppChannel({
    host: '127.0.0.1',
    port: peer.port,
    systemId: 'haven',
    password: 'secret',
    systemType: 'alerts',
    sourceAddr: 'Embassy',
    responseTimeoutMs: 1000,
    reconnectBaseMs: 20,
    reconnectMaxMs: 100,
    throttleBackoffMs: 20,
    ...config,
  });
  t.after(async () => {
    await channel.close();
    await peer.close();
  });
  return { peer, channel };
}

function message(to: string, text: string, deliveryId = 'd1') {
  return { deliveryId, to, text };
}

function sentId(result: SendResult): string {
  assert.equal(result.status, 'sent', JSON.stringify(result));
  assert.ok(result.status === 'sent' && result.providerId);
  return result.providerId;
}

function collect<T>(register: (listener: (event: T) => void) => unknown): T[] {
  const events: T[] = [];
  register((event) => events.push(event));
  return events;
}

async function until(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const TAGALOG = 'Mag-ingat po kayo. Pumunta sa embahada sa Parañaque bukas ng umaga; magdala ng pasaporte.';
const ARABIC = 'تنبيه: يرجى التوجه إلى أقرب نقطة تجمع والبقاء على اتصال بالسفارة.';
const AMHARIC = 'ማስጠንቀቂያ፡ እባክዎ ወደ ቅርብ መሰብሰቢያ ቦታ ይሂዱ።';
const BENGALI = 'সতর্কতা: নিকটতম সমাবেশ স্থানে যান এবং দূতাবাসের সাথে যোগাযোগ রাখুন।';

describe('SMPP channel', () => {
  test('binds as a transceiver and submits GSM-7 text (Tagalog with ñ) with data_coding 0', async (t) => {
    const { peer, channel } = await setup(t);
    const result = await channel.send(message('+639171234567', `${TAGALOG} Bayad: 5€ [libre]`));
    const id = sentId(result);
    assert.deepEqual(peer.binds[0], { systemId: 'haven', password: 'secret', systemType: 'alerts' });
    assert.equal(channel.state, 'bound');
    const [submit] = peer.submits;
    assert.ok(submit);
    assert.equal(submit.messageId, id);
    assert.equal(submit.dataCoding, 0);
    assert.equal(submit.text, `${TAGALOG} Bayad: 5€ [libre]`);
    assert.equal(submit.destinationAddr, '639171234567');
    assert.equal(submit.destTon, 1);
    assert.equal(submit.sourceAddr, 'Embassy');
    assert.equal(submit.sourceTon, 5);
    assert.equal(submit.registeredDelivery, 1);
    assert.equal(submit.esmClass & 0x40, 0);
    assert.deepEqual(submit.udh, []);
  });

  test('submits Arabic, Amharic and Bengali as UCS-2 with data_coding 8', async (t) => {
    const { peer, channel } = await setup(t);
    for (const text of [ARABIC, AMHARIC, BENGALI]) {
      assert.equal(encodeSms(text).segments, 1);
      sentId(await channel.send(message('+971501234567', text)));
    }
    assert.deepEqual(
      peer.submits.map((s) => [s.dataCoding, s.text]),
      [ARABIC, AMHARIC, BENGALI].map((text) => [8, text]),
    );
  });

  test('sends a long GSM-7 text as concatenated segments with one 8-bit reference', async (t) => {
    const { peer, channel } = await setup(t);
    const text = `${TAGALOG} ${TAGALOG} ${TAGALOG} ${TAGALOG} ${TAGALOG}`;
    const segments = splitSms(text);
    assert.equal(segments.length, encodeSms(text).segments);
    assert.ok(segments.length >= 3);
    const id = sentId(await channel.send(message('+639171234567', text)));
    assert.equal(peer.submits.length, segments.length);
    assert.equal(peer.submits[0]?.messageId, id);
    const reference = peer.submits[0]?.udh[0]?.[2];
    peer.submits.forEach((submit, index) => {
      assert.equal(submit.esmClass & 0x40, 0x40);
      assert.equal(submit.dataCoding, 0);
      assert.deepEqual([...(submit.udh[0] ?? [])], [0x00, 0x03, reference, segments.length, index + 1]);
      assert.equal(submit.text, segments[index]);
    });
    assert.equal(peer.submits.map((s) => s.text).join(''), text);
  });

  test('sends a long Arabic text as UCS-2 segments of at most 67 characters', async (t) => {
    const { peer, channel } = await setup(t);
    const text = `${ARABIC} ${ARABIC} ${ARABIC}`;
    const expected = encodeSms(text).segments;
    assert.equal(expected, 3);
    sentId(await channel.send(message('+971501234567', text)));
    assert.equal(peer.submits.length, expected);
    for (const submit of peer.submits) {
      assert.equal(submit.dataCoding, 8);
      assert.ok(submit.text.length <= 67);
      assert.equal(submit.udh[0]?.[3], expected);
    }
    assert.equal(peer.submits.map((s) => s.text).join(''), text);
    const references = new Set(peer.submits.map((s) => s.udh[0]?.[2]));
    assert.equal(references.size, 1);
  });

  test('never has more submit_sm outstanding than the window, and fills it', async (t) => {
    const { peer, channel } = await setup(t, { window: 3 }, { latencyMs: 20 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        channel.send(message(`+6391712345${String(i).padStart(2, '0')}`, 'Ingat')),
      ),
    );
    assert.ok(results.every((r) => r.status === 'sent'));
    assert.equal(peer.submits.length, 20);
    assert.equal(peer.maxOutstanding, 3);
  });

  test('answers retry with retryAfterMs when throttled or when the centre queue is full', async (t) => {
    const { peer, channel } = await setup(t, { throttleBackoffMs: 40 });
    peer.failNext(1);
    assert.deepEqual(await channel.send(message('+639171234567', 'Ingat')), {
      status: 'retry',
      code: 'sms.throttled',
      retryAfterMs: 40,
    });
    peer.failNext(1, 0x14);
    assert.deepEqual(await channel.send(message('+639171234567', 'Ingat')), {
      status: 'retry',
      code: 'sms.queue_full',
      retryAfterMs: 40,
    });
    sentId(await channel.send(message('+639171234567', 'Ingat')));
    assert.equal(peer.counts.submits, 3);
  });

  test('a destination the centre rejects fails as sms.rejected_number; a malformed one never leaves', async (t) => {
    const { peer, channel } = await setup(t);
    peer.rejectDestination('15550000000');
    const rejected = await channel.send(message('+15550000000', 'Alert'));
    assert.equal(rejected.status, 'failed');
    assert.equal(rejected.status === 'failed' && rejected.code, 'sms.rejected_number');
    const malformed = await channel.send(message('0917 123 4567', 'Alert'));
    assert.equal(malformed.status === 'failed' && malformed.code, 'sms.rejected_number');
    assert.equal(peer.counts.submits, 1);
  });

  test('a message over the segment limit fails as message.too_long without being submitted', async (t) => {
    const { peer, channel } = await setup(t, { maxSegments: 2 });
    const text = `${TAGALOG} ${TAGALOG} ${TAGALOG} ${TAGALOG}`;
    assert.ok(encodeSms(text).segments > 2);
    const result = await channel.send(message('+639171234567', text));
    assert.equal(result.status === 'failed' && result.code, 'message.too_long');
    await channel.send(message('+639171234567', 'short'));
    assert.equal(peer.counts.submits, 1);
  });

  test('an unanswered submit_sm times out as retry sms.timeout', async (t) => {
    const { peer, channel } = await setup(t, { responseTimeoutMs: 150 });
    sentId(await channel.send(message('+639171234567', 'first')));
    peer.freeze();
    const result = await channel.send(message('+639171234567', 'second'));
    assert.equal(result.status === 'retry' && result.code, 'sms.timeout');
    peer.thaw();
  });

  test('sends enquire_link periodically on an idle bind', async (t) => {
    const { peer } = await setup(t, { enquireLinkIntervalMs: 25 });
    await peer.waitFor(() => peer.counts.enquireLinks >= 3);
    assert.equal(peer.counts.connections, 1);
  });

  test('a link that stops answering enquire_link is dropped and bound again', async (t) => {
    const { peer, channel } = await setup(t, { enquireLinkIntervalMs: 25, responseTimeoutMs: 100 });
    sentId(await channel.send(message('+639171234567', 'before')));
    peer.freeze();
    await peer.waitFor(() => peer.counts.connections >= 2);
    peer.thaw();
    sentId(await channel.send(message('+639171234567', 'after')));
    assert.ok(peer.binds.length >= 2);
  });

  test('reconnects after the centre drops the connection: queued sends resume, in-flight ones answer retry', async (t) => {
    const { peer, channel } = await setup(t, { window: 5 }, { latencyMs: 15 });
    const recipients = Array.from({ length: 30 }, (_, i) => `+4477009001${String(i).padStart(2, '0')}`);
    peer.dropAfterSubmits(8);
    const results = await Promise.all(recipients.map((to) => channel.send(message(to, 'Stay indoors'))));
    assert.equal(peer.counts.connections, 2);
    const lost = recipients.filter((_, i) => results[i]?.status !== 'sent');
    for (const result of results) {
      if (result.status !== 'sent')
        assert.deepEqual(result, { status: 'retry', code: 'sms.connection_lost' });
    }
    assert.ok(lost.length >= 1 && lost.length <= 5, `lost ${lost.length}`);
    // Messages queued behind the window went out on the new bind without being asked again.
    assert.ok(results.filter((r) => r.status === 'sent').length >= 30 - 5 - 8);
    for (const to of lost) sentId(await channel.send(message(to, 'Stay indoors')));
    const delivered = new Set(peer.submits.map((s) => `+${s.destinationAddr}`));
    assert.deepEqual([...delivered].sort(), [...recipients].sort());
  });

  test('sends waiting for a bind that is refused answer retry sms.unavailable', async (t) => {
    const { peer, channel } = await setup(t, { password: 'wrong', queueTimeoutMs: 200 });
    const result = await channel.send(message('+639171234567', 'Ingat'));
    assert.equal(result.status === 'retry' && result.code, 'sms.unavailable');
    assert.ok(peer.binds.length >= 1);
    assert.equal(peer.counts.submits, 0);
  });

  test('maps delivery receipts (text and TLV forms) back to the message id', async (t) => {
    const { peer, channel } = await setup(t);
    const receipts = collect<DeliveryReceipt>((l) => channel.onReceipt(l));
    const delivered = sentId(await channel.send(message('+639171234567', 'one')));
    const undeliverable = sentId(await channel.send(message('+639171234568', 'two')));
    const expired = sentId(await channel.send(message('+639171234569', 'three')));
    await peer.sendReceipt(delivered);
    await peer.sendReceipt(undeliverable, { stat: 'UNDELIV', err: '001', tlv: true });
    await peer.sendReceipt(expired, { stat: 'EXPIRED' });
    await until(() => receipts.length === 3);
    assert.deepEqual(receipts, [
      { providerId: delivered, status: 'delivered' },
      { providerId: undeliverable, status: 'failed', code: 'sms.undeliverable' },
      { providerId: expired, status: 'expired', code: 'sms.expired' },
    ]);
  });

  test('folds the receipts of a concatenated message into one for the id send answered', async (t) => {
    const { peer, channel } = await setup(t);
    const receipts = collect<DeliveryReceipt>((l) => channel.onReceipt(l));
    const long = `${TAGALOG} ${TAGALOG} ${TAGALOG}`;
    const first = sentId(await channel.send(message('+639171234567', long)));
    const firstIds = peer.submits.map((s) => s.messageId);
    const second = sentId(await channel.send(message('+639171234568', long)));
    const secondIds = peer.submits.slice(firstIds.length).map((s) => s.messageId);
    assert.ok(firstIds.length >= 2);
    for (const id of firstIds) await peer.sendReceipt(id);
    await peer.sendReceipt(secondIds[0]!);
    await peer.sendReceipt(secondIds[1]!, { stat: 'UNDELIV' });
    for (const id of secondIds.slice(2)) await peer.sendReceipt(id);
    await until(() => receipts.length === 2);
    assert.deepEqual(receipts, [
      { providerId: first, status: 'delivered' },
      { providerId: second, status: 'failed', code: 'sms.undeliverable' },
    ]);
  });

  test('delivers inbound messages (deliver_sm without the receipt flag) to onInbound', async (t) => {
    const { peer, channel } = await setup(t);
    const inbound = collect<InboundSms>((l) => channel.onInbound(l));
    const receipts = collect<DeliveryReceipt>((l) => channel.onReceipt(l));
    sentId(await channel.send(message('+251911234567', 'ping')));
    await peer.sendInbound({ from: '+251911234567', to: '+442071234567', text: 'SAFE' });
    await peer.sendInbound({ from: '+971501234567', to: '+442071234567', text: 'أنا بخير', ucs2: true });
    await peer.sendInbound({
      from: '+639171234567',
      to: '+442071234567',
      parts: ['Nasa bahay kami ng pinsan ko sa ', 'Parañaque, ligtas kami.'],
    });
    await until(() => inbound.length === 3);
    assert.deepEqual(inbound, [
      { from: '+251911234567', to: '+442071234567', text: 'SAFE' },
      { from: '+971501234567', to: '+442071234567', text: 'أنا بخير' },
      {
        from: '+639171234567',
        to: '+442071234567',
        text: 'Nasa bahay kami ng pinsan ko sa Parañaque, ligtas kami.',
      },
    ]);
    assert.equal(receipts.length, 0);
  });

  test('close lets in-flight submits finish, answers queued ones retry, and can be called twice', async (t) => {
    const { peer, channel } = await setup(t, { window: 2 }, { latencyMs: 30 });
    sentId(await channel.send(message('+639171234567', 'warm')));
    const pending = [1, 2, 3, 4].map((i) => channel.send(message(`+63917123456${i}`, 'Ingat')));
    await Promise.all([channel.close(), channel.close()]);
    const results = await Promise.all(pending);
    assert.deepEqual(
      results.map((r) => (r.status === 'sent' ? 'sent' : r.code)),
      ['sent', 'sent', 'channel.closed', 'channel.closed'],
    );
    assert.equal(peer.submits.length, 3);
  });

  test('refuses a window or segment limit that is not a whole number in range', () => {
    const base = { host: '127.0.0.1', port: 1, systemId: 'x', password: 'y', sourceAddr: 'Z' };
    assert.throws(() => createSmppChannel({ ...base, window: 0 }), /window/);
    assert.throws(() => createSmppChannel({ ...base, window: 2.5 }), /window/);
    assert.throws(() => createSmppChannel({ ...base, maxSegments: 256 }), /maxSegments/);
  });

  test('close unbinds; later sends answer retry channel.closed', async (t) => {
    const { peer, channel } = await setup(t);
    sentId(await channel.send(message('+639171234567', 'Ingat')));
    await channel.close();
    assert.equal(channel.state, 'closed');
    assert.equal(peer.counts.unbinds, 1);
    const result = await channel.send(message('+639171234567', 'Ingat'));
    assert.equal(result.status === 'retry' && result.code, 'channel.closed');
  });
});
