import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PHILIPPINE_CRISIS_ALERT_SCHEME, PRESET_SCHEMES, TRAVEL_ADVISORY_SCHEME } from './presets.ts';
import { findLevel, type LevelFlags, validateScheme } from './scheme.ts';

/** Numbers of the levels where a flag is set. */
function levelsWith(flag: keyof LevelFlags, scheme = PHILIPPINE_CRISIS_ALERT_SCHEME): number[] {
  return scheme.levels.filter((l) => l.actions.flags[flag]).map((l) => l.number);
}

describe('Philippine crisis alert scheme', () => {
  const scheme = PHILIPPINE_CRISIS_ALERT_SCHEME;

  test('is a sound scheme', () => {
    assert.deepEqual(validateScheme(scheme), []);
  });

  test('has the four DFA levels, yellow to black', () => {
    assert.deepEqual(
      scheme.levels.map((l) => [l.number, l.name.en, l.colour]),
      [
        [1, 'Precautionary', '#FFD400'],
        [2, 'Restriction', '#FF8C00'],
        [3, 'Voluntary repatriation', '#D7191C'],
        [4, 'Mandatory repatriation', '#000000'],
      ],
    );
  });

  test('speaks English and Filipino in every name, description and advisory', () => {
    for (const level of scheme.levels) {
      for (const text of [level.name, level.description, level.actions.advisory]) {
        assert.deepEqual(Object.keys(text).sort(), ['en', 'fil'], `level ${level.number}`);
        assert.notEqual(text.en, text.fil);
      }
    }
  });

  test('sets off the actions of each level', () => {
    assert.deepEqual(levelsWith('registrationDrive'), [1, 2, 3, 4]);
    assert.deepEqual(levelsWith('restrictedMovement'), [2, 3, 4]);
    assert.deepEqual(levelsWith('voluntaryRepatriation'), [3]);
    assert.deepEqual(levelsWith('mandatoryRepatriation'), [4]);
    assert.deepEqual(levelsWith('recommendedDeploymentBan'), [3, 4]);
  });

  test('gives each level a checklist for the posts', () => {
    const ids = (n: number) => findLevel(scheme, n).actions.checklist.map((c) => c.id);
    assert.ok(ids(1).includes('registration-drive'));
    assert.ok(ids(1).includes('update-contact-lists'));
    assert.ok(ids(1).includes('prepare-contingency-plan'));
    assert.ok(ids(2).includes('coordinate-with-employers'));
    assert.ok(ids(3).includes('organise-voluntary-repatriation'));
    assert.ok(ids(3).includes('recommend-deployment-ban'));
    assert.ok(ids(4).includes('run-mandatory-evacuation'));
    assert.match(findLevel(scheme, 3).actions.checklist[0]?.description ?? '', /employer's expense/);
  });
});

describe('travel-advisory scheme', () => {
  test('is a sound scheme with the four usual levels', () => {
    assert.deepEqual(validateScheme(TRAVEL_ADVISORY_SCHEME), []);
    assert.deepEqual(
      TRAVEL_ADVISORY_SCHEME.levels.map((l) => l.name.en),
      ['Exercise normal precautions', 'Exercise increased caution', 'Reconsider travel', 'Do not travel'],
    );
  });

  test('escalates its flags only at the upper levels', () => {
    assert.deepEqual(levelsWith('registrationDrive', TRAVEL_ADVISORY_SCHEME), [3, 4]);
    assert.deepEqual(levelsWith('mandatoryRepatriation', TRAVEL_ADVISORY_SCHEME), []);
    assert.deepEqual(levelsWith('recommendedDeploymentBan', TRAVEL_ADVISORY_SCHEME), [4]);
  });
});

describe('preset schemes', () => {
  test('are listed by id', () => {
    assert.deepEqual([...PRESET_SCHEMES.keys()], ['ph-crisis-alert', 'travel-advisory']);
  });

  test('are frozen all the way down, so an edit must work on a copy', () => {
    const level = findLevel(PHILIPPINE_CRISIS_ALERT_SCHEME, 1);
    assert.throws(() => {
      (level.actions.advisory as Record<string, string>).en = 'changed';
    }, TypeError);
    assert.throws(() => {
      (level.actions.flags as { registrationDrive: boolean }).registrationDrive = false;
    }, TypeError);
    assert.throws(() => {
      (PHILIPPINE_CRISIS_ALERT_SCHEME.levels as unknown[]).push({});
    }, TypeError);
  });
});
