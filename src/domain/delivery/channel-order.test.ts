import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  channelOfContactKind,
  initialChannels,
  nextFallbackChannel,
  PERSON_CHANNELS,
  type PersonChannel,
  parseChannelOrder,
  sendsOnAllChannels,
} from './channel-order.ts';

describe('parseChannelOrder', () => {
  test('reads names in order, trimmed and case-insensitive', () => {
    assert.deepEqual(parseChannelOrder(' SMS, push ,email'), ['sms', 'push', 'email']);
    assert.deepEqual(parseChannelOrder('email'), ['email']);
  });
  test('refuses unknown, repeated and empty orders', () => {
    assert.throws(() => parseChannelOrder('push,fax'), /unknown channel "fax"/);
    assert.throws(() => parseChannelOrder('sms,push,sms'), /named twice/);
    assert.throws(() => parseChannelOrder(' , '), RangeError);
    assert.throws(() => parseChannelOrder('webhook'), /unknown channel/);
  });
});

describe('channelOfContactKind', () => {
  test('maps contact kinds to the channel that sends to them', () => {
    assert.equal(channelOfContactKind('phone'), 'sms');
    assert.equal(channelOfContactKind('email'), 'email');
    assert.equal(channelOfContactKind('push'), 'push');
    assert.equal(channelOfContactKind('fax'), undefined);
  });
});

describe('initialChannels and fallbacks', () => {
  const order: PersonChannel[] = ['push', 'sms', 'email'];
  test('normally only the first channel the person can be reached on', () => {
    assert.deepEqual(initialChannels(order, ['email', 'sms'], false), ['sms']);
    assert.deepEqual(initialChannels(order, ['email'], false), ['email']);
    assert.deepEqual(initialChannels(order, [], false), []);
  });
  test('every reachable channel at once, in the order, when the level asks for it', () => {
    assert.deepEqual(initialChannels(order, ['email', 'sms', 'push'], true), ['push', 'sms', 'email']);
    assert.deepEqual(initialChannels(['email', 'sms'], ['push', 'sms', 'email'], true), ['email', 'sms']);
  });
  test('a fallback is the next reachable channel not yet tried', () => {
    assert.equal(nextFallbackChannel(order, ['push', 'sms', 'email'], ['push']), 'sms');
    assert.equal(nextFallbackChannel(order, ['push', 'email'], ['push']), 'email');
    assert.equal(nextFallbackChannel(order, ['push', 'sms'], ['push', 'sms']), undefined);
  });
  test('walking fallbacks from the first channel visits every reachable channel once, in order', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...PERSON_CHANNELS], { minLength: 1 }),
        fc.subarray([...PERSON_CHANNELS]),
        (ord, available) => {
          const tried = [...initialChannels(ord, available, false)];
          for (;;) {
            const next = nextFallbackChannel(ord, available, tried);
            if (!next) break;
            assert.ok(!tried.includes(next));
            tried.push(next);
          }
          assert.deepEqual(tried, initialChannels(ord, available, true));
        },
      ),
    );
  });
});

describe('sendsOnAllChannels', () => {
  test('levels at or above the threshold go out on every channel', () => {
    assert.equal(sendsOnAllChannels(3, 3), true);
    assert.equal(sendsOnAllChannels(4, 3), true);
    assert.equal(sendsOnAllChannels(2, 3), false);
    assert.equal(sendsOnAllChannels(null, 3), false);
    assert.equal(sendsOnAllChannels(4, 0), false, 'a threshold of 0 turns the rule off');
  });
});
