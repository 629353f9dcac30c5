import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkSmsLength } from '../../domain/messaging/sms-encoding.ts';
import { assertWellFormed, needsXmllint } from '../alerts/alerts.test-kit.ts';
import { fitSmsText } from './cap.service.ts';
import { escapeXml, renderAtomFeed } from './cap-feed.ts';

describe('Atom feed', () => {
  test('escapes markup and drops characters XML cannot carry', () => {
    assert.equal(escapeXml(`a<b>&"c"'d'`), 'a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
    assert.equal(escapeXml('bell\u0007 nul\u0000 lone\uD800 ok\u{1F600}'), 'bell nul lone ok\u{1F600}');
  });

  test('an empty feed and a feed with hostile texts are well-formed Atom', needsXmllint, () => {
    const empty = renderAtomFeed({
      id: 'urn:haven:test:cap-feed',
      title: 'Alerts',
      self: 'http://localhost/public/cap/feed.atom',
      author: 'urn:haven:test',
      updated: '2026-11-27T12:00:00.000Z',
      entries: [],
    });
    assertWellFormed(empty);
    const hostile = renderAtomFeed({
      id: 'urn:haven:test:cap-feed',
      title: 'Alerts & "more"',
      self: 'http://localhost/public/cap/feed.atom?a=1&b=2',
      author: 'x',
      updated: '2026-11-27T12:00:00.000Z',
      entries: [
        {
          id: 'urn:haven:test:alert:1',
          title: ']]></title><script>alert(1)</script>',
          updated: '2026-11-27T12:00:00.000Z',
          link: 'http://localhost/public/cap/alerts/a"b.xml',
          summary: '<![CDATA[x]]> \u0001',
          categories: ['Actual', '"AE"'],
        },
      ],
    });
    assertWellFormed(hostile);
    assert.ok(!hostile.includes('<script>'));
  });
});

describe('SMS text from an imported headline', () => {
  test('keeps a short text whole and cuts a long one at a word, within the limit', () => {
    assert.equal(fitSmsText('  Flood   warning ', 1), 'Flood warning');
    const long = 'Severe flooding expected along the river valley tonight. '.repeat(20);
    for (const max of [1, 2, 3]) {
      const cut = fitSmsText(long, max);
      assert.ok(checkSmsLength(cut, max).ok, `${max} segments`);
      assert.ok(cut.endsWith('…'));
      assert.ok(long.startsWith(cut.slice(0, -1).trimEnd()));
      assert.ok(!/\s…$/.test(cut));
    }
    const amharic = fitSmsText('ከባድ ጎርፍ '.repeat(60), 2);
    assert.ok(checkSmsLength(amharic, 2).ok);
  });
});
