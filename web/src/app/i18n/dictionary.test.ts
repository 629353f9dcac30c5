import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  errorKey,
  loadDictionary,
  MIGRANT_LOCALE_CODES,
  MIGRANT_LOCALES,
  matchMigrantLocale,
  migrantTranslator,
} from './dictionary.ts';
import { en, type MigrantKey } from './en.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const keys = Object.keys(en) as MigrantKey[];

// Keys whose text may stay in Latin script in every language: the product name and a title template.
const NAMES = new Set<MigrantKey>(['app.name', 'document.title']);
const SCRIPT: Partial<Record<string, RegExp>> = { ar: /\p{Script=Arabic}/u, am: /\p{Script=Ethiopic}/u };

describe('migrant app dictionaries', () => {
  for (const locale of MIGRANT_LOCALE_CODES) {
    test(`${locale} has every key, no empty text and English's placeholders`, async () => {
      const dictionary = await loadDictionary(locale);
      assert.deepEqual(Object.keys(dictionary).sort(), [...keys].sort(), 'exactly the English keys');
      for (const key of keys) {
        const text = dictionary[key];
        assert.ok(typeof text === 'string' && text.trim().length > 0, `${locale} ${key} is empty`);
        assert.deepEqual(placeholders(text), placeholders(en[key]), `${locale} ${key} placeholders`);
        const script = SCRIPT[locale];
        if (script && !NAMES.has(key) && !key.startsWith('sos.button'))
          assert.match(text, script, `${locale} ${key} is not in its own script`);
      }
    });
  }

  test('other languages are really translated, not English copied', async () => {
    for (const locale of MIGRANT_LOCALE_CODES.filter((l) => l !== 'en')) {
      const dictionary = await loadDictionary(locale);
      const same = keys.filter((k) => !NAMES.has(k) && dictionary[k] === en[k]);
      assert.ok(same.length <= 8, `${locale} repeats English in ${same.join(', ')}`);
    }
  });

  test('Arabic is the right-to-left language', () => {
    assert.deepEqual(
      MIGRANT_LOCALE_CODES.filter((l) => MIGRANT_LOCALES[l].dir === 'rtl'),
      ['ar'],
    );
  });
});

describe('matchMigrantLocale', () => {
  test('takes the first supported browser language by base tag, with legacy aliases', () => {
    assert.equal(matchMigrantLocale(['fr-FR', 'am-ET', 'en']), 'am');
    assert.equal(matchMigrantLocale(['tl-PH']), 'fil');
    assert.equal(matchMigrantLocale(['in']), 'id');
    assert.equal(matchMigrantLocale(['es-419']), 'es');
    assert.equal(matchMigrantLocale(['de']), 'en');
    assert.equal(matchMigrantLocale([]), 'en');
  });
});

describe('migrantTranslator', () => {
  test('fills placeholders, formats numbers for the locale and maps error codes', async () => {
    const t = migrantTranslator('ar', await loadDictionary('ar'));
    assert.equal(t('alerts.level', { level: 3 }), `المستوى ${new Intl.NumberFormat('ar').format(3)}`);
    assert.equal(migrantTranslator('en', en)('alerts.level', { level: 1200 }), 'Level 1,200');
    assert.equal(migrantTranslator('en', en)('home.greeting', { name: 'Maria' }), 'Hello, Maria');
    assert.equal(errorKey('me.code_expired'), 'error.me.code_expired');
    assert.equal(errorKey('me.unknown'), undefined);
  });
});
