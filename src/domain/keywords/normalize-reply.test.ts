import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizeReplyText, tokenizeReply } from './normalize-reply.ts';

describe('normalizeReplyText', () => {
  test('folds case, Latin accents and full-width forms', () => {
    assert.equal(normalizeReplyText('EN SÉCURITÉ'), 'en securite');
    assert.equal(normalizeReplyText('Parañaque ÑANDÚ'), 'paranaque nandu');
    assert.equal(normalizeReplyText('ＳＡＦＥ！'), 'safe!');
  });

  test('turns the digits of many scripts into ASCII digits', () => {
    assert.equal(normalizeReplyText('٠١٢٣٤٥٦٧٨٩'), '0123456789');
    assert.equal(normalizeReplyText('۰۱۲۳۴۵۶۷۸۹'), '0123456789');
    assert.equal(normalizeReplyText('০১২৩৪৫৬৭৮৯'), '0123456789');
    assert.equal(normalizeReplyText('०१२३४५६७८९'), '0123456789');
    assert.equal(normalizeReplyText('፩፪፫፬፭፮፯፰፱'), '123456789');
    assert.equal(normalizeReplyText('၁၂'), '12');
    assert.equal(normalizeReplyText('①'), '1');
  });

  test('drops Arabic marks and tatweel and unifies alef, ta marbuta and alef maqsura', () => {
    assert.equal(normalizeReplyText('أَمَانٌ'), 'امان');
    assert.equal(normalizeReplyText('إآٱا'), 'اااا');
    assert.equal(normalizeReplyText('مساعـــدة'), 'مساعده');
    assert.equal(normalizeReplyText('على'), 'علي');
  });

  test('keeps the vowel signs of Indic scripts, which are letters there', () => {
    assert.equal(normalizeReplyText('নিরাপদ'), 'নিরাপদ');
    assert.equal(normalizeReplyText('सुरक्षित'), 'सुरक्षित');
  });

  test('gives precomposed and decomposed spellings the same form', () => {
    assert.equal(normalizeReplyText('ন\u09df'), normalizeReplyText('ন\u09af\u09bc'));
    assert.equal(normalizeReplyText('se\u0301curite\u0301'), normalizeReplyText('sécurité'));
  });

  test('removes invisible format characters and emoji modifiers', () => {
    assert.equal(normalizeReplyText('\u200fsa\u200dfe\u00ad'), 'safe');
    assert.equal(normalizeReplyText('1\ufe0f\u20e3'), '1');
    assert.equal(normalizeReplyText('👍🏽'), '👍');
  });
});

describe('tokenizeReply', () => {
  test('splits clauses at sentence punctuation of several scripts and marks questions', () => {
    assert.deepEqual(tokenizeReply('safe. need help? ok'), [
      { tokens: ['safe'], question: false },
      { tokens: ['need', 'help'], question: true },
      { tokens: ['ok'], question: false },
    ]);
    assert.deepEqual(
      tokenizeReply('امن، مساعده؟').map((c) => c.question),
      [false, true],
    );
    assert.equal(tokenizeReply('ደህና ነኝ። እርዳታ').length, 2);
    assert.equal(tokenizeReply('सुरक्षित छु। मद्दत').length, 2);
  });

  test('separates words at other punctuation, symbols and the Ethiopic wordspace', () => {
    assert.deepEqual(tokenizeReply('"a-salvo" (ok) ደህና፡ነኝ')[0]?.tokens, ['a', 'salvo', 'ok', 'ደህና', 'ነኝ']);
  });

  test("expands English n't and reads spelled-out SOS", () => {
    assert.deepEqual(tokenizeReply("isn't safe")[0]?.tokens, ['is', 'not', 'safe']);
    assert.deepEqual(tokenizeReply('s.o.s now')[0]?.tokens, ['sos', 'now']);
    assert.deepEqual(tokenizeReply('so safe')[0]?.tokens, ['so', 'safe']);
  });

  test('keeps an emoji as a word of its own', () => {
    assert.deepEqual(tokenizeReply('help🆘')[0]?.tokens, ['help', '🆘']);
  });

  test('yields no clause for an empty or punctuation-only text', () => {
    assert.deepEqual(tokenizeReply(''), []);
    assert.deepEqual(tokenizeReply(' ... !!'), []);
  });
});
