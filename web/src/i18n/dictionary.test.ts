import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ar } from './ar.ts';
import { codeLabel, LOCALES, matchLocale, translate, translatorFor } from './dictionary.ts';
import { en, type MessageKey } from './en.ts';
import type { Message } from './messages.ts';

const placeholders = (message: Message): string[] => {
  const texts = typeof message === 'string' ? [message] : Object.values(message);
  return [
    ...new Set(texts.flatMap((text) => [...(text ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''))),
  ].sort();
};

describe('dictionaries', () => {
  const keys = Object.keys(en) as MessageKey[];

  test('Arabic uses exactly the placeholders of each English message', () => {
    for (const key of keys) {
      const arabic = placeholders(ar[key]).filter((p) => p !== 'count');
      const english = placeholders(en[key]).filter((p) => p !== 'count');
      assert.deepEqual(arabic, english, key);
    }
  });

  test('no message is empty, and every Arabic plural has the forms Arabic grammar selects', () => {
    const arabicCategories = new Intl.PluralRules('ar').resolvedOptions().pluralCategories;
    for (const key of keys) {
      for (const dict of [en, ar]) {
        const message: Message = dict[key];
        const texts = typeof message === 'string' ? [message] : Object.values(message);
        for (const text of texts) assert.ok(text && text.trim().length > 0, key);
      }
      const message: Message = ar[key];
      if (typeof message !== 'string') {
        for (const category of arabicCategories)
          assert.ok(message[category], `${key} lacks the ${category} form`);
      }
    }
  });

  test('Arabic interface text is written in Arabic script, apart from names and codes', () => {
    const allowedLatin = new Set<MessageKey>([
      'app.name',
      'document.title',
      'common.empty',
      'field.h3Cell',
      'aggregates.suppressed',
      'postAdmin.cityCountry',
    ]);
    for (const key of keys) {
      const message: Message = ar[key];
      const text = typeof message === 'string' ? message : message.other;
      if (allowedLatin.has(key)) continue;
      assert.match(text, /\p{Script=Arabic}/u, key);
    }
  });
});

describe('translate', () => {
  test('fills placeholders and formats numbers for the locale', () => {
    assert.equal(translate('en', 'household.members', { count: 1200 }), '1,200 members');
    assert.equal(translate('en', 'health.detail', { dialect: 'sqlite' }), 'Database: sqlite');
  });

  test('chooses the plural form from the count, with Arabic dual and few/many forms', () => {
    assert.equal(translate('en', 'results.count', { count: 1 }), '1 person shown');
    assert.equal(translate('en', 'results.count', { count: 2 }), '2 persons shown');
    const t = translatorFor('ar');
    assert.equal(t('household.members', { count: 2 }), 'فردان');
    assert.match(t('household.members', { count: 3 }), /أفراد$/);
    assert.match(t('household.members', { count: 11 }), /فردًا$/);
    assert.notEqual(t('household.members', { count: 3 }), t('household.members', { count: 11 }));
  });

  test('leaves an unknown placeholder visible rather than dropping text', () => {
    assert.equal(translate('en', 'health.detail'), 'Database: {dialect}');
  });
});

describe('codeLabel', () => {
  test('labels a known code and shows an unknown one as it is', () => {
    const t = translatorFor('en');
    assert.equal(codeLabel(t, 'vulnerability', 'pregnant'), 'Pregnant');
    assert.equal(codeLabel(translatorFor('ar'), 'documentStatus', 'lost'), 'مفقود');
    assert.equal(codeLabel(t, 'vulnerability', 'new_code_from_server'), 'new_code_from_server');
    assert.equal(codeLabel(t, 'sex', 'toString'), 'toString');
  });
});

describe('matchLocale', () => {
  test('takes the first supported language of the browser, by its base tag', () => {
    assert.equal(matchLocale(['fr-FR', 'ar-EG', 'en']), 'ar');
    assert.equal(matchLocale(['en-GB']), 'en');
    assert.equal(matchLocale(['tl', 'am']), 'en');
    assert.equal(matchLocale([]), 'en');
    assert.equal(LOCALES.ar.dir, 'rtl');
  });
});
