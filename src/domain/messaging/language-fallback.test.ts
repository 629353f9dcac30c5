import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chooseInfoBlock } from './language-fallback.ts';

const blocks = (...languages: string[]) => languages.map((language, i) => ({ language, headline: `h${i}` }));

describe('chooseInfoBlock', () => {
  test('takes the exact tag of the first preferred language', () => {
    const choice = chooseInfoBlock(blocks('en', 'ar-LB', 'ar'), ['ar-LB'], ['en']);
    assert.deepEqual(choice, { block: { language: 'ar-LB', headline: 'h1' }, matchedBy: 'preferred' });
  });

  test('compares tags case-insensitively', () => {
    const choice = chooseInfoBlock(blocks('en-US', 'FIL'), ['fil'], ['en']);
    assert.equal(choice?.block.language, 'FIL');
    assert.equal(choice?.matchedBy, 'preferred');
  });

  test('falls back from a regional tag to its base language', () => {
    const choice = chooseInfoBlock(blocks('en', 'ar'), ['ar-LB'], ['en']);
    assert.deepEqual(choice, { block: { language: 'ar', headline: 'h1' }, matchedBy: 'base-language' });
  });

  test('prefers the truncated tag over a sibling region', () => {
    const choice = chooseInfoBlock(blocks('ar-EG', 'ar', 'en'), ['ar-LB'], ['en']);
    assert.equal(choice?.block.language, 'ar');
    assert.equal(choice?.matchedBy, 'base-language');
  });

  test('truncates one subtag at a time, so the script is kept before the region is dropped', () => {
    const choice = chooseInfoBlock(blocks('zh-Hans', 'zh-Hant', 'zh'), ['zh-Hant-TW'], ['en']);
    assert.equal(choice?.block.language, 'zh-Hant');
  });

  test('accepts a sibling region of the same base language when nothing closer exists', () => {
    const choice = chooseInfoBlock(blocks('en', 'es-MX'), ['es-ES'], ['en']);
    assert.equal(choice?.block.language, 'es-MX');
    assert.equal(choice?.matchedBy, 'base-language');
  });

  test('a base-language match on the first preference beats an exact match on the second', () => {
    const choice = chooseInfoBlock(blocks('en', 'ar'), ['ar-LB', 'en'], ['en']);
    assert.equal(choice?.block.language, 'ar');
  });

  test('moves to the next preferred language when the first has no block', () => {
    const choice = chooseInfoBlock(blocks('en', 'fil', 'ar'), ['ceb', 'fil'], ['en']);
    assert.deepEqual(choice, { block: { language: 'fil', headline: 'h1' }, matchedBy: 'preferred' });
  });

  test('treats legacy tags as their current equivalents', () => {
    assert.equal(chooseInfoBlock(blocks('en', 'id'), ['in'], ['en'])?.matchedBy, 'preferred');
    assert.equal(chooseInfoBlock(blocks('en', 'fil'), ['tl'], ['en'])?.block.language, 'fil');
  });

  test("uses the deployment's fallback chain in order when no preferred language matches", () => {
    const choice = chooseInfoBlock(blocks('ar', 'fr', 'en-GB'), ['am'], ['en', 'fr']);
    assert.deepEqual(choice, { block: { language: 'en-GB', headline: 'h2' }, matchedBy: 'fallback' });
    assert.equal(chooseInfoBlock(blocks('ar', 'fr'), ['am'], ['en', 'fr'])?.block.language, 'fr');
  });

  test('takes the first block when neither preferences nor fallback chain match', () => {
    const choice = chooseInfoBlock(blocks('ar', 'fr'), ['am'], ['en']);
    assert.deepEqual(choice, { block: { language: 'ar', headline: 'h0' }, matchedBy: 'first' });
    assert.equal(chooseInfoBlock(blocks('ar', 'fr'), [], [])?.matchedBy, 'first');
  });

  test('ignores malformed and undetermined preferences rather than matching on them', () => {
    const choice = chooseInfoBlock(blocks('en', 'und'), ['', 'und', 'not a tag!'], ['en']);
    assert.equal(choice?.block.language, 'en');
    assert.equal(choice?.matchedBy, 'fallback');
  });

  test('returns undefined when there is no block at all', () => {
    assert.equal(chooseInfoBlock([], ['en'], ['en']), undefined);
  });
});
