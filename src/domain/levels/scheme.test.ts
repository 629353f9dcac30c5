import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LevelsError } from './levels-error.ts';
import { PHILIPPINE_CRISIS_ALERT_SCHEME } from './presets.ts';
import { assertValidScheme, findLevel, type Level, type Scheme, validateScheme } from './scheme.ts';

const base = PHILIPPINE_CRISIS_ALERT_SCHEME;

/** A copy of the preset with level `index` changed, as an administrator's edit would produce. */
function editLevel(index: number, change: (level: Level) => Level): Scheme {
  return { ...base, levels: base.levels.map((level, i) => (i === index ? change(level) : level)) };
}

function codesOf(scheme: Scheme): string[] {
  return validateScheme(scheme).map((issue) => `${issue.code} @ ${issue.path}`);
}

describe('validateScheme', () => {
  test('finds nothing wrong with a sound scheme', () => {
    assert.deepEqual(validateScheme(base), []);
  });

  test('an empty scheme', () => {
    assert.deepEqual(codesOf({ ...base, levels: [] }), ['levels.empty @ levels']);
  });

  test('a bad id and a blank name', () => {
    assert.deepEqual(codesOf({ ...base, id: 'PH Crisis', name: '  ' }), [
      'levels.bad_scheme_id @ id',
      'levels.missing_scheme_name @ name',
    ]);
  });

  test('a duplicated level number', () => {
    assert.deepEqual(codesOf(editLevel(3, (l) => ({ ...l, number: 2 }))), [
      'levels.duplicate_number @ levels[3].number',
    ]);
  });

  test('numbers that are not 1..n', () => {
    assert.deepEqual(codesOf(editLevel(3, (l) => ({ ...l, number: 5 }))), ['levels.not_contiguous @ levels']);
    assert.deepEqual(codesOf(editLevel(0, (l) => ({ ...l, number: 0 }))), [
      'levels.bad_number @ levels[0].number',
    ]);
    assert.deepEqual(codesOf(editLevel(0, (l) => ({ ...l, number: 1.5 }))), [
      'levels.bad_number @ levels[0].number',
    ]);
  });

  test('levels listed out of order are fine', () => {
    assert.deepEqual(validateScheme({ ...base, levels: [...base.levels].reverse() }), []);
  });

  test('colours that are not #RRGGBB', () => {
    for (const colour of ['red', '#FFF', 'FFD400', '#GGGGGG', '#FFD4001']) {
      assert.deepEqual(
        codesOf(editLevel(1, (l) => ({ ...l, colour }))),
        ['levels.bad_colour @ levels[1].colour'],
        colour,
      );
    }
    assert.deepEqual(validateScheme(editLevel(1, (l) => ({ ...l, colour: '#ff8c00' }))), []);
  });

  test('missing or empty texts and bad language tags', () => {
    assert.deepEqual(codesOf(editLevel(0, (l) => ({ ...l, name: {} }))), [
      'levels.missing_text @ levels[0].name',
    ]);
    assert.deepEqual(codesOf(editLevel(0, (l) => ({ ...l, description: { en: 'ok', fil: ' ' } }))), [
      'levels.missing_text @ levels[0].description.fil',
    ]);
    assert.deepEqual(
      codesOf(editLevel(2, (l) => ({ ...l, actions: { ...l.actions, advisory: { English: 'Leave.' } } }))),
      ['levels.bad_language @ levels[2].actions.advisory.English'],
    );
  });

  test('checklist items with duplicate, malformed or title-less entries', () => {
    const scheme = editLevel(1, (l) => ({
      ...l,
      actions: {
        ...l.actions,
        checklist: [
          { id: 'call-wardens', title: 'Call wardens' },
          { id: 'call-wardens', title: 'Call wardens again' },
          { id: 'Call Wardens', title: 'x' },
          { id: 'brief-staff', title: '' },
        ],
      },
    }));
    assert.deepEqual(codesOf(scheme), [
      'levels.duplicate_checklist_id @ levels[1].actions.checklist[1].id',
      'levels.bad_checklist_item @ levels[1].actions.checklist[2].id',
      'levels.bad_checklist_item @ levels[1].actions.checklist[3].title',
    ]);
  });

  test('reports every problem at once', () => {
    const scheme = editLevel(0, (l) => ({ ...l, colour: 'yellow', name: {}, number: 4 }));
    assert.deepEqual(codesOf(scheme), [
      'levels.bad_colour @ levels[0].colour',
      'levels.missing_text @ levels[0].name',
      'levels.duplicate_number @ levels[3].number',
    ]);
  });
});

describe('assertValidScheme', () => {
  test('passes a sound scheme', () => {
    assert.doesNotThrow(() => assertValidScheme(base));
  });

  test('throws the first code and carries every issue', () => {
    const scheme = editLevel(0, (l) => ({ ...l, colour: 'yellow', name: {} }));
    assert.throws(
      () => assertValidScheme(scheme),
      (error: unknown) =>
        error instanceof LevelsError &&
        error.code === 'levels.bad_colour' &&
        error.issues.length === 2 &&
        /and 1 more/.test(error.message),
    );
  });
});

describe('findLevel', () => {
  test('finds a level by number', () => {
    assert.equal(findLevel(base, 3).name.en, 'Voluntary repatriation');
  });

  test('throws levels.level_outside_scheme for any other number', () => {
    for (const n of [0, 5, -1, 2.5]) {
      assert.throws(() => findLevel(base, n), {
        code: 'levels.level_outside_scheme',
        message: /levels: 1, 2, 3, 4/,
      });
    }
  });
});
