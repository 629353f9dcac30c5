import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalLanguageTag, findLanguage, languageDirection, listLanguages } from './languages.ts';

describe('languages', () => {
  test('native names are what speakers write', () => {
    const native = (tag: string) => findLanguage(tag)?.nativeName;
    assert.equal(native('fil'), 'Filipino');
    assert.equal(native('tl'), 'Tagalog');
    assert.equal(native('am'), 'አማርኛ');
    assert.equal(native('ar'), 'العربية');
    assert.equal(native('bn'), 'বাংলা');
    assert.equal(native('ne'), 'नेपाली');
    assert.equal(native('id'), 'Bahasa Indonesia');
  });

  test('Tagalog keeps its own English name although ICU aliases it to Filipino', () => {
    assert.equal(findLanguage('tl')?.name, 'Tagalog');
    assert.equal(findLanguage('fil')?.name, 'Filipino');
  });

  test('direction follows the script', () => {
    for (const tag of ['ar', 'fa', 'he', 'ur', 'ps', 'ckb'])
      assert.equal(findLanguage(tag)?.direction, 'rtl', tag);
    for (const tag of ['en', 'fil', 'am', 'ti', 'ku', 'zh-Hant'])
      assert.equal(findLanguage(tag)?.direction, 'ltr', tag);
    assert.equal(languageDirection('pa-Arab'), 'rtl', 'Shahmukhi Punjabi');
    assert.equal(languageDirection('pa'), 'ltr', 'Gurmukhi Punjabi');
    assert.equal(languageDirection('ar-EG'), 'rtl');
    assert.equal(languageDirection('yi'), 'rtl');
  });

  test('every listed language has names and a canonical tag', () => {
    for (const l of listLanguages()) {
      assert.ok(l.name && l.nativeName, l.tag);
      assert.ok(canonicalLanguageTag(l.tag), l.tag);
    }
    // ICU folds the legacy tag into the modern one, so registrations in Tagalog are stored as `fil`.
    assert.equal(canonicalLanguageTag('tl'), 'fil');
    assert.equal(findLanguage('ZH-hant')?.tag, 'zh-Hant');
    assert.equal(canonicalLanguageTag('EN-us'), 'en-US');
    assert.equal(canonicalLanguageTag('not a tag'), undefined);
  });
});
