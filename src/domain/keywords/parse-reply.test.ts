import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createReplyParser, type ParsedReply, parseReply } from './parse-reply.ts';
import { DEFAULT_REPLY_KEYWORDS, mergeReplyKeywords } from './reply-keywords.ts';

type Case = [reply: string, intent: ParsedReply['intent'], matched?: string];

function check(language: string | undefined, cases: readonly Case[]): void {
  for (const [reply, intent, matched] of cases) {
    const parsed = parseReply(reply);
    assert.equal(parsed.intent, intent, `${JSON.stringify(reply)} → ${JSON.stringify(parsed)}`);
    if (matched !== undefined) assert.equal(parsed.matched, matched, JSON.stringify(reply));
    if (language !== undefined && intent !== 'unknown') {
      assert.equal(parsed.language, language, `language of ${JSON.stringify(reply)}`);
    }
  }
}

describe('parseReply by language', () => {
  test('English', () => {
    check('en', [
      ['SAFE', 'safe', 'safe'],
      ['Safe!!!', 'safe', 'safe'],
      ['I am safe thank you', 'safe', 'safe'],
      ["We're fine, all good.", 'safe', 'fine'],
      ['HELP', 'help', 'help'],
      ['please help us, water is rising', 'help', 'help'],
      ['we need help', 'help', 'need help'],
      ['not safe', 'help', 'not safe'],
      ["I'm not safe", 'help', 'not safe'],
      ["I don't feel safe here", 'help', 'not safe'],
      ['i dont feel safe', 'help', 'dont safe'],
      ['we are no longer safe', 'help', 'no safe'],
      ['no one is safe here', 'help', 'no safe'],
      ['unsafe', 'help', 'unsafe'],
      ['STOP', 'stop', 'stop'],
      ['Unsubscribe.', 'stop', 'unsubscribe'],
    ]);
  });

  test('Filipino', () => {
    check('fil', [
      ['LIGTAS', 'safe', 'ligtas'],
      ['ligtas po kami', 'safe', 'ligtas'],
      ['Ligtas po kami, salamat po!', 'safe', 'ligtas'],
      ['ayos lang po kami', 'safe', 'ayos lang'],
      ['ok lang po', 'safe', 'ok lang'],
      ['TULONG', 'help', 'tulong'],
      ['tulungan niyo kami', 'help', 'tulungan niyo kami'],
      ['kailangan namin ng tulong', 'help', 'tulong'],
      ['hindi ligtas', 'help', 'hindi ligtas'],
      ['hindi pa po kami ligtas', 'help', 'hindi ligtas'],
      ['di ligtas dito', 'help', 'di ligtas'],
      ['walang tulong na dumating', 'help', 'tulong'],
      ['TIGIL', 'stop', 'tigil'],
    ]);
    // Taglish: an English keyword negated the Filipino way.
    assert.equal(parseReply('hindi kami safe').intent, 'help');
    assert.equal(parseReply('safe po kami').intent, 'safe');
    assert.equal(parseReply('ok po').language, 'fil');
  });

  test('Arabic', () => {
    check('ar', [
      ['آمن', 'safe', 'آمن'],
      ['امن', 'safe', 'آمن'],
      ['أنا بخير والحمد لله', 'safe', 'بخير'],
      ['نحن بأمان', 'safe', 'بأمان'],
      ['احنا في أمان', 'safe', 'في أمان'],
      ['مساعدة', 'help', 'مساعدة'],
      ['ساعدني', 'help', 'ساعدني'],
      ['نحتاج مساعدة عاجلة', 'help', 'مساعدة'],
      ['غير آمن', 'help', 'غير آمن'],
      ['أنا مش بخير', 'help', 'مش بخير'],
      ['لسنا في أمان', 'help', 'لسنا في أمان'],
      ['توقف', 'stop', 'توقف'],
      ['إلغاء الاشتراك', 'stop', 'إلغاء الاشتراك'],
    ]);
  });

  test('Amharic', () => {
    check('am', [
      ['ደህና ነኝ', 'safe', 'ደህና ነኝ'],
      ['ደህና ነን።', 'safe', 'ደህና ነን'],
      ['እኔ ደህና ነኝ አመሰግናለሁ', 'safe', 'ደህና ነኝ'],
      ['ደህና፡ነኝ', 'safe', 'ደህና ነኝ'],
      ['እርዳታ', 'help', 'እርዳታ'],
      ['እባካችሁ እርዱኝ', 'help', 'እርዱኝ'],
      ['ደህና አይደለሁም', 'help', 'ደህና አይደለሁም'],
      ['እኛ ደህና አይደለንም', 'help', 'ደህና አይደለንም'],
      ['አቁም', 'stop', 'አቁም'],
    ]);
  });

  test('Spanish', () => {
    check('es', [
      ['SEGURO', 'safe', 'seguro'],
      ['A SALVO', 'safe', 'a salvo'],
      ['estamos a salvo, gracias', 'safe', 'a salvo'],
      ['Estoy bien', 'safe', 'estoy bien'],
      ['AYUDA', 'help', 'ayuda'],
      ['¡Ayúdenme por favor!', 'help', 'ayúdenme'],
      ['no estoy a salvo', 'help', 'no a salvo'],
      ['ya no estamos seguros', 'help', 'no seguros'],
      ['no estoy bien', 'help', 'no estoy bien'],
      ['BAJA', 'stop', 'baja'],
    ]);
  });

  test('French', () => {
    check('fr', [
      ['EN SÉCURITÉ', 'safe', 'en sécurité'],
      ['nous sommes en securite', 'safe', 'en sécurité'],
      ['sains et saufs merci', 'safe', 'sains et saufs'],
      ['ça va', 'safe', 'ça va'],
      ['AIDE', 'help', 'aide'],
      ['AU SECOURS', 'help', 'au secours'],
      ["à l'aide !", 'help', 'aide'],
      ['pas en sécurité', 'help', 'pas en sécurité'],
      ['je ne suis pas en sécurité', 'help', 'pas en sécurité'],
      ['nous ne sommes plus en sécurité', 'help', 'ne en sécurité'],
      ['ça va pas', 'help', 'ça va pas'],
      ['Arrêt', 'stop', 'arrêt'],
    ]);
  });

  test('Indonesian', () => {
    check('id', [
      ['AMAN', 'safe', 'aman'],
      ['Kami dalam keadaan aman', 'safe', 'aman'],
      ['baik-baik saja', 'safe', 'baik baik saja'],
      ['Saya aman. Terima kasih', 'safe', 'aman'],
      ['TOLONG', 'help', 'tolong'],
      ['BANTUAN', 'help', 'bantuan'],
      ['kami butuh bantuan', 'help', 'bantuan'],
      ['tidak aman', 'help', 'tidak aman'],
      ['kami belum aman', 'help', 'belum aman'],
      ['gak aman', 'help', 'gak aman'],
      ['BERHENTI', 'stop', 'berhenti'],
    ]);
    // "di" is a Filipino negation but an Indonesian preposition; only fillers may stand between.
    assert.equal(parseReply('kami di tempat aman').intent, 'safe');
  });

  test('Bengali', () => {
    check('bn', [
      ['নিরাপদ', 'safe', 'নিরাপদ'],
      ['আমরা নিরাপদে আছি', 'safe', 'নিরাপদে আছি'],
      ['ভালো আছি, ধন্যবাদ', 'safe', 'ভালো আছি'],
      ['সাহায্য', 'help', 'সাহায্য'],
      ['সাহায্য চাই', 'help', 'সাহায্য চাই'],
      ['বাঁচাও!', 'help', 'বাঁচাও'],
      ['আমি নিরাপদ নই', 'help', 'নিরাপদ নই'],
      ['আমরা নিরাপদে নেই।', 'help', 'নিরাপদে নেই'],
      ['বন্ধ', 'stop', 'বন্ধ'],
    ]);
  });

  test('Nepali', () => {
    check('ne', [
      ['सुरक्षित', 'safe', 'सुरक्षित'],
      ['म सुरक्षित छु।', 'safe', 'सुरक्षित छु'],
      ['हामी ठीक छौं', 'safe', 'ठीक छौं'],
      ['मद्दत', 'help', 'मद्दत'],
      ['मदत', 'help', 'मदत'],
      ['मद्दत चाहियो', 'help', 'मद्दत'],
      ['सुरक्षित छैन', 'help', 'सुरक्षित छैन'],
      ['हामी सुरक्षित छैनौं', 'help', 'सुरक्षित छैनौं'],
      ['ठिक छैन', 'help', 'ठिक छैन'],
      ['बन्द', 'stop', 'बन्द'],
    ]);
  });
});

describe('parseReply tolerance', () => {
  test('ignores case and Latin diacritics', () => {
    assert.deepEqual(parseReply('LiGtÁs'), parseReply('ligtas'));
    assert.deepEqual(parseReply('aYúDa'), { intent: 'help', language: 'es', matched: 'ayuda' });
    assert.deepEqual(parseReply('EN SECURITE'), parseReply('en sécurité'));
    assert.deepEqual(parseReply('SÄFÉ'), parseReply('safe'));
  });

  test('reads full-width letters, digits and punctuation', () => {
    assert.deepEqual(parseReply('ＳＡＦＥ！'), { intent: 'safe', language: 'en', matched: 'safe' });
    assert.deepEqual(parseReply('ＨＥＬＰ'), { intent: 'help', language: 'en', matched: 'help' });
    assert.deepEqual(parseReply('２'), { intent: 'help', matched: '2' });
  });

  test('strips Arabic vowel marks and tatweel and unifies letter variants', () => {
    assert.equal(parseReply('آمِنٌ').matched, 'آمن'); // tashkeel
    assert.equal(parseReply('امـــن').matched, 'آمن'); // tatweel
    assert.equal(parseReply('إمان').intent, 'safe'); // alef with hamza below for أمان
    assert.equal(parseReply('مساعده').matched, 'مساعدة'); // ha for ta marbuta
    assert.equal(parseReply('ساعدنى').matched, 'ساعدني'); // alef maqsura for ya
    assert.equal(parseReply('بخیر').matched, 'بخير'); // Persian yeh
    assert.equal(parseReply('ﺁﻣﻦ').matched, 'آمن'); // presentation forms
    assert.equal(parseReply('\u200fآمن\u200f').intent, 'safe'); // right-to-left marks
  });

  test('unifies Ethiopic letters that spell the same sound', () => {
    assert.equal(parseReply('ደኅና ነኝ').matched, 'ደህና ነኝ');
    assert.equal(parseReply('ደሕና').matched, 'ደህና'); // ሕ (hha) for ህ (ha)
  });

  test('reads 1 as safe and 2 as help in many scripts', () => {
    const ones = ['1', '١', '۱', '১', '१', '፩', '１', '1️⃣', '1.', ' 1 '];
    const twos = ['2', '٢', '۲', '২', '२', '፪', '２', '2!'];
    for (const one of ones) assert.deepEqual(parseReply(one), { intent: 'safe', matched: '1' }, one);
    for (const two of twos) assert.deepEqual(parseReply(two), { intent: 'help', matched: '2' }, two);
  });

  test('counts a digit only at the head of the reply', () => {
    assert.equal(parseReply('2 we are 5 people').intent, 'help');
    assert.equal(parseReply('I have 2 kids, we are safe').intent, 'safe');
    assert.equal(parseReply('1 po').language, 'fil');
    for (const other of ['3', '0', '12', '21', '12345'])
      assert.equal(parseReply(other).intent, 'unknown', other);
  });

  test('a question does not say that the sender is safe', () => {
    assert.equal(parseReply('is it safe?').intent, 'unknown');
    assert.equal(parseReply('هل هو آمن؟').intent, 'unknown');
    assert.equal(parseReply('is it safe? we need help').intent, 'help');
  });
});

describe('parseReply decisions', () => {
  test('a reply with both safe and help signals reads as help', () => {
    assert.equal(parseReply('safe but need help').intent, 'help');
    assert.equal(parseReply('ligtas pero kailangan ng tulong').intent, 'help');
    assert.equal(parseReply('آمن لكن نحتاج مساعدة').intent, 'help');
    assert.equal(parseReply('1 2').intent, 'help');
    assert.equal(parseReply('1 help').intent, 'help');
    assert.equal(parseReply('ok, help').intent, 'help');
  });

  test('a negated help word still asks for help', () => {
    assert.equal(parseReply('no help has come').intent, 'help');
    assert.equal(parseReply('no need help we are safe').intent, 'help');
  });

  test('a negation does not reach across a clause or over a word that is not a filler', () => {
    assert.equal(parseReply('no, we are safe').intent, 'safe');
    assert.equal(parseReply('not hurt, safe').intent, 'safe');
    assert.equal(parseReply('nothing broken we are safe').intent, 'safe');
  });

  test('a distress call outranks help and safe', () => {
    assert.deepEqual(parseReply('SOS'), { intent: 'sos', matched: 'sos' });
    assert.equal(parseReply('s.o.s').intent, 'sos');
    assert.equal(parseReply('S O S').intent, 'sos');
    assert.equal(parseReply('🆘').intent, 'sos');
    assert.deepEqual(parseReply('SOS tulong po'), { intent: 'sos', language: 'fil', matched: 'sos' });
    assert.equal(parseReply('safe SOS').intent, 'sos');
  });

  test('an opt-out word counts only as the whole reply', () => {
    assert.deepEqual(parseReply('stop!'), { intent: 'stop', language: 'en', matched: 'stop' });
    assert.equal(parseReply('stop sending these').intent, 'unknown');
    assert.equal(parseReply('STOP, we are safe').intent, 'safe');
    assert.equal(parseReply('stop the shooting help').intent, 'help');
  });

  test('texts without a keyword are unknown', () => {
    for (const text of [
      '',
      '   ',
      '!!!',
      'hello',
      'who is this',
      'where is the embassy',
      'asdfgh',
      'ئ',
      '😀',
    ]) {
      assert.equal(parseReply(text).intent, 'unknown', JSON.stringify(text));
      assert.equal(parseReply(text).matched, undefined);
    }
    assert.equal(parseReply('safety first').intent, 'unknown');
  });

  test('OK alone is safe without claiming a language', () => {
    assert.deepEqual(parseReply('OK'), { intent: 'safe', matched: 'ok' });
    assert.deepEqual(parseReply('not ok'), { intent: 'help', language: 'en', matched: 'not ok' });
    assert.equal(parseReply('tidak ok').intent, 'help');
  });
});

describe('keyword table as data', () => {
  test('every language in the default table parses its own words', () => {
    const parse = createReplyParser(DEFAULT_REPLY_KEYWORDS);
    for (const entry of DEFAULT_REPLY_KEYWORDS) {
      for (const intent of ['safe', 'help', 'sos', 'stop'] as const) {
        for (const word of entry[intent] ?? []) {
          const parsed = parse(word);
          assert.equal(parsed.intent, intent, `${entry.language} ${intent} ${JSON.stringify(word)}`);
          if (entry.language !== 'und' && intent !== 'sos') {
            assert.ok(
              parsed.language === entry.language ||
                DEFAULT_REPLY_KEYWORDS.some(
                  (e) => e.language === parsed.language && e[intent]?.includes(word),
                ),
              `${JSON.stringify(word)} attributed to ${parsed.language}`,
            );
          }
        }
      }
    }
  });

  test('every negation in the default table turns a safe word of its language into help', () => {
    for (const entry of DEFAULT_REPLY_KEYWORDS) {
      const safeWord = entry.safe?.[0];
      if (!safeWord) continue;
      for (const negation of entry.negationsBefore ?? []) {
        assert.equal(parseReply(`${negation} ${safeWord}`).intent, 'help', `${negation} ${safeWord}`);
      }
      for (const negation of entry.negationsAfter ?? []) {
        assert.equal(parseReply(`${safeWord} ${negation}`).intent, 'help', `${safeWord} ${negation}`);
      }
    }
  });

  test('a deployment adds a language and extends an existing one', () => {
    const table = mergeReplyKeywords(DEFAULT_REPLY_KEYWORDS, [
      {
        language: 'sw',
        safe: ['salama'],
        help: ['msaada'],
        negationsBefore: ['si', 'hatuko'],
        fillers: ['tuko'],
      },
      { language: 'en', safe: ['unhurt'] },
    ]);
    const parse = createReplyParser(table);
    assert.deepEqual(parse('Tuko salama'), { intent: 'safe', language: 'sw', matched: 'salama' });
    assert.deepEqual(parse('msaada!'), { intent: 'help', language: 'sw', matched: 'msaada' });
    assert.deepEqual(parse('si salama'), { intent: 'help', language: 'sw', matched: 'si salama' });
    assert.deepEqual(parse('unhurt'), { intent: 'safe', language: 'en', matched: 'unhurt' });
    assert.deepEqual(parse('SAFE'), { intent: 'safe', language: 'en', matched: 'safe' });
    // The default table is unchanged.
    assert.equal(parseReply('salama').intent, 'unknown');
    assert.equal(DEFAULT_REPLY_KEYWORDS.find((e) => e.language === 'en')?.safe?.includes('unhurt'), false);
  });

  test('refuses a negation or filler that is not a single word', () => {
    assert.throws(
      () => createReplyParser([{ language: 'en', safe: ['safe'], negationsBefore: ['not at all'] }]),
      RangeError,
    );
    assert.throws(() => createReplyParser([{ language: 'en', fillers: ["isn't"] }]), RangeError);
  });
});
