import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { checkSmsLength, encodeSms, isGsm7Text, splitSms } from './sms-encoding.ts';

// Units one segment string takes in the alphabet chosen for the whole message.
function segmentUnits(segment: string, encoding: 'GSM-7' | 'UCS-2'): number {
  if (encoding === 'UCS-2') return segment.length;
  let septets = 0;
  for (const char of segment) septets += '\f^{}\\[~]|€'.includes(char) ? 2 : 1;
  return septets;
}

describe('GSM 03.38 character repertoire', () => {
  test('accepts every basic-set character that a Latin keyboard commonly reaches', () => {
    assert.equal(isGsm7Text('@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./:;<=>?¡¿ÄÖÑÜ§äöñüà\n\r'), true);
    assert.equal(isGsm7Text('ABCXYZabcxyz0123456789'), true);
  });

  test('accepts the extension table', () => {
    assert.equal(isGsm7Text('€[]{}^~\\|\f'), true);
  });

  test('the whole repertoire is the 127 basic characters plus the 10 of the extension table', () => {
    let count = 0;
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      if (isGsm7Text(String.fromCharCode(code))) count++;
    }
    assert.equal(count, 137);
    assert.equal(isGsm7Text('\u001b'), false, 'the escape itself is not a character of the text');
  });

  test('rejects letters that look Latin but are outside the table', () => {
    for (const char of ['á', 'í', 'ó', 'ú', 'ç', 'ê', 'õ', 'ã', 'Á', '`', '’', '“', '\u00a0', 'ı']) {
      assert.equal(isGsm7Text(`Ligtas ${char}`), false, `${JSON.stringify(char)} must force UCS-2`);
    }
  });

  test('ñ and Ñ are in the basic set, so Tagalog with them stays GSM-7 at one septet each', () => {
    const text = 'Mag-ingat po kayo sa Parañaque. ÑANDU ligtas';
    assert.deepEqual(encodeSms(text), {
      encoding: 'GSM-7',
      units: text.length,
      segments: 1,
      perSegment: 160,
    });
  });
});

describe('encodeSms in GSM-7', () => {
  test('160 septets fit one segment; 161 need two of 153', () => {
    assert.deepEqual(encodeSms('a'.repeat(160)), {
      encoding: 'GSM-7',
      units: 160,
      segments: 1,
      perSegment: 160,
    });
    assert.deepEqual(encodeSms('a'.repeat(161)), {
      encoding: 'GSM-7',
      units: 161,
      segments: 2,
      perSegment: 153,
    });
  });

  test('306 septets fill two concatenated segments exactly; 307 need a third', () => {
    assert.equal(encodeSms('b'.repeat(306)).segments, 2);
    assert.equal(encodeSms('b'.repeat(307)).segments, 3);
  });

  test('extension characters count two septets towards the single-segment limit', () => {
    assert.deepEqual(encodeSms(`${'a'.repeat(158)}€`), {
      encoding: 'GSM-7',
      units: 160,
      segments: 1,
      perSegment: 160,
    });
    assert.deepEqual(encodeSms(`${'a'.repeat(159)}€`), {
      encoding: 'GSM-7',
      units: 161,
      segments: 2,
      perSegment: 153,
    });
    assert.equal(encodeSms('{}[]~^\\|').units, 16);
  });

  test('an escape sequence that would straddle a boundary moves whole to the next segment', () => {
    // 152 septets leave one free in the first segment; the two-septet € cannot use it.
    const text = `${'a'.repeat(152)}€${'b'.repeat(150)}`;
    assert.equal(encodeSms(text).units, 304);
    assert.deepEqual(splitSms(text), ['a'.repeat(152), `€${'b'.repeat(150)}`]);
    // 304 septets would fit two full segments of 153 if the pair could be split; it cannot, so three.
    const tight = `${'a'.repeat(152)}€${'b'.repeat(153)}`;
    assert.equal(encodeSms(tight).units, 307);
    assert.equal(encodeSms(tight).segments, 3);
    assert.deepEqual(splitSms(tight), ['a'.repeat(152), `€${'b'.repeat(151)}`, 'bb']);
  });

  test('an extension character ending exactly on the boundary stays in the first segment', () => {
    const text = `${'a'.repeat(151)}€c`;
    assert.deepEqual(splitSms(`${text}${'d'.repeat(10)}`), [`${'a'.repeat(151)}€`, `c${'d'.repeat(10)}`]);
  });
});

describe('encodeSms in UCS-2', () => {
  test('Arabic: 70 characters fit one segment, 71 need two of 67', () => {
    const letter = 'م';
    assert.deepEqual(encodeSms(letter.repeat(70)), {
      encoding: 'UCS-2',
      units: 70,
      segments: 1,
      perSegment: 70,
    });
    assert.deepEqual(encodeSms(letter.repeat(71)), {
      encoding: 'UCS-2',
      units: 71,
      segments: 2,
      perSegment: 67,
    });
  });

  test('an Arabic advisory is counted in UTF-16 units', () => {
    const text = 'تنبيه: يرجى التوجه إلى نقطة التجمع. أرسل "آمن" إذا كنت بخير.';
    assert.deepEqual(encodeSms(text), { encoding: 'UCS-2', units: text.length, segments: 1, perSegment: 70 });
  });

  test('Amharic (Ethiopic script) is UCS-2, one unit per syllable', () => {
    const text = 'ማስጠንቀቂያ፦ እባክዎ ወደ መሰብሰቢያ ቦታ ይሂዱ። ደህና ከሆኑ «ደህና ነኝ» ብለው ይመልሱ።';
    assert.deepEqual(encodeSms(text), { encoding: 'UCS-2', units: 58, segments: 1, perSegment: 70 });
    // Repeated three times with a space between: 176 units, so 67 + 67 + 42.
    const long = [text, text, text].join(' ');
    assert.deepEqual(encodeSms(long), { encoding: 'UCS-2', units: 176, segments: 3, perSegment: 67 });
    assert.deepEqual(
      splitSms(long).map((s) => s.length),
      [67, 67, 42],
    );
  });

  test('Bengali vowel signs and virama count as units of their own', () => {
    const word = 'সাহায্য';
    assert.equal(encodeSms(word).units, 7);
    const text = word.repeat(10);
    assert.deepEqual(encodeSms(text), { encoding: 'UCS-2', units: 70, segments: 1, perSegment: 70 });
    assert.equal(encodeSms(`${text}।`).segments, 2);
  });

  test('one character outside GSM-7 turns the whole message into UCS-2', () => {
    const text = `${'a'.repeat(100)}á`;
    assert.deepEqual(encodeSms(text), { encoding: 'UCS-2', units: 101, segments: 2, perSegment: 67 });
  });

  test('an emoji counts two units and its surrogate pair is never split', () => {
    assert.deepEqual(encodeSms(`${'a'.repeat(68)}🆘`), {
      encoding: 'UCS-2',
      units: 70,
      segments: 1,
      perSegment: 70,
    });
    assert.equal(encodeSms(`${'a'.repeat(69)}🆘`).segments, 2);
    // 66 units leave one free in the first segment; the pair moves whole to the second.
    const text = `${'a'.repeat(66)}🆘${'b'.repeat(10)}`;
    assert.deepEqual(splitSms(text), ['a'.repeat(66), `🆘${'b'.repeat(10)}`]);
  });

  test('134 units of emoji need three segments, since 67 is odd and no pair may straddle', () => {
    const text = '😀'.repeat(67);
    assert.equal(encodeSms(text).units, 134);
    assert.equal(encodeSms(text).segments, 3);
    assert.deepEqual(
      splitSms(text).map((s) => s.length),
      [66, 66, 2],
    );
  });
});

describe('splitSms', () => {
  test('returns the text unchanged when it fits one segment, including the empty text', () => {
    assert.deepEqual(splitSms('Ligtas po kami'), ['Ligtas po kami']);
    assert.deepEqual(splitSms(''), ['']);
    assert.deepEqual(encodeSms(''), { encoding: 'GSM-7', units: 0, segments: 1, perSegment: 160 });
  });

  test('segments join back to the text, match the count, fit their unit budget and hold no lone surrogate', () => {
    const alphabet = [...'aZ0 €[]{}~^\\|ñÑáçمደহस😀🆘👩🏽\u200d⚕️'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 400 }), (chars) => {
        const text = chars.join('');
        const info = encodeSms(text);
        const segments = splitSms(text);
        assert.equal(segments.join(''), text);
        assert.equal(segments.length, info.segments);
        for (const segment of segments) {
          assert.ok(segmentUnits(segment, info.encoding) <= info.perSegment);
          assert.doesNotMatch(segment, /^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
        }
        if (info.segments > 1) {
          // Greedy filling: no segment could have taken the first character of the next one.
          for (let i = 0; i + 1 < segments.length; i++) {
            const next = String.fromCodePoint(segments[i + 1]!.codePointAt(0)!);
            assert.ok(
              segmentUnits(segments[i]! + next, info.encoding) > info.perSegment,
              'segment was cut early',
            );
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('checkSmsLength', () => {
  test('accepts a text within the limit and reports its encoding', () => {
    const result = checkSmsLength('a'.repeat(306), 2);
    assert.deepEqual(result, {
      ok: true,
      sms: { encoding: 'GSM-7', units: 306, segments: 2, perSegment: 153 },
    });
  });

  test('answers sms.too_long when the text needs more segments than allowed', () => {
    const result = checkSmsLength('ب'.repeat(135), 2);
    assert.deepEqual(result, {
      ok: false,
      code: 'sms.too_long',
      sms: { encoding: 'UCS-2', units: 135, segments: 3, perSegment: 67 },
      maxSegments: 2,
    });
    assert.equal(checkSmsLength('ب'.repeat(134), 2).ok, true);
  });

  test('refuses a limit that no SMS centre could honour', () => {
    for (const bad of [0, -1, 1.5, 256, Number.NaN]) {
      assert.throws(() => checkSmsLength('hi', bad), RangeError);
    }
  });
});
