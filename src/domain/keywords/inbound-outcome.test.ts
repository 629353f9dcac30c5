import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideInbound, type InboundFacts } from './inbound-outcome.ts';

const limit = { maxPerWindow: 5 };
const facts = (over: Partial<InboundFacts>): InboundFacts => ({
  intent: 'safe',
  personsWithNumber: 1,
  alertId: 'a1',
  recentFromNumber: 0,
  ...over,
});

describe('decideInbound', () => {
  test('a readable answer from a known number is recorded against the alert', () => {
    assert.deepEqual(decideInbound(facts({}), limit), { outcome: 'recorded', answer: 'safe', sos: false });
    assert.deepEqual(decideInbound(facts({ intent: 'help' }), limit), {
      outcome: 'recorded',
      answer: 'need_help',
      sos: false,
    });
    assert.deepEqual(decideInbound(facts({ intent: 'sos' }), limit), {
      outcome: 'recorded',
      answer: 'need_help',
      sos: true,
    });
  });

  test('with no alert sent, the answer is still recorded, flagged no_alert', () => {
    assert.deepEqual(decideInbound(facts({ alertId: null }), limit), {
      outcome: 'inbound.no_alert',
      answer: 'safe',
      sos: false,
    });
  });

  test('unknown and shared numbers, unreadable texts and opt-outs record nothing', () => {
    const cases: [Partial<InboundFacts>, string][] = [
      [{ personsWithNumber: 0 }, 'inbound.unknown_number'],
      [{ personsWithNumber: 2 }, 'inbound.ambiguous_number'],
      [{ intent: 'unknown' }, 'inbound.unrecognised'],
      [{ intent: 'stop' }, 'inbound.opt_out'],
    ];
    for (const [over, outcome] of cases) {
      assert.deepEqual(decideInbound(facts(over), limit), { outcome, answer: null, sos: false });
    }
  });

  test('a flood from one number records nothing more once the window holds the limit', () => {
    assert.equal(decideInbound(facts({ recentFromNumber: 4 }), limit).outcome, 'recorded');
    assert.equal(decideInbound(facts({ recentFromNumber: 5 }), limit).outcome, 'inbound.rate_limited');
    assert.equal(
      decideInbound(facts({ recentFromNumber: 9, intent: 'sos' }), limit).answer,
      null,
      'even a distress word: the flood is kept for officers, not recorded again',
    );
  });
});
