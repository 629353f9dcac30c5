import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isTargetEmpty, newComposeDraft, toAlertBody, toCapDateTime, toTargetBody } from './compose-model.ts';

describe('compose form to alert body', () => {
  test('a new alert is a drill, and empty optional texts are left out', () => {
    const draft = newComposeDraft('en');
    draft.event = ' Flood ';
    draft.infos = [
      { language: 'en', headline: 'Flood warning', description: ' ', instruction: 'Go up', smsText: 'Flood' },
    ];
    draft.target.countries = ['SA'];
    const body = toAlertBody(draft);
    assert.equal(body.status, 'Exercise');
    assert.equal(body.event, 'Flood');
    assert.deepEqual(body.infos, [
      { language: 'en', headline: 'Flood warning', instruction: 'Go up', smsText: 'Flood' },
    ]);
    assert.deepEqual(body.target, { countries: ['SA'] });
    assert.equal(body.effective, undefined);
  });

  test('drawn polygons are closed, circles go in metres, filters only when chosen', () => {
    const draft = newComposeDraft('en');
    draft.target.polygons = [
      [
        [46, 24],
        [47, 24],
        [47, 25],
      ],
      [[1, 1]],
    ];
    draft.target.circles = [{ center: [39.2, 21.5], radiusKm: 20 }];
    draft.target.sexes = ['female'];
    draft.target.householdHeadsOnly = true;
    const target = toTargetBody(draft.target);
    assert.equal(target.polygons?.length, 1, 'an unfinished ring is not sent');
    assert.deepEqual(target.polygons?.[0]?.coordinates[0]?.at(-1), [46, 24]);
    assert.deepEqual(target.circles, [{ center: [39.2, 21.5], radiusMeters: 20_000 }]);
    assert.deepEqual(target.filters, { sexes: ['female'], householdHeadsOnly: true });
  });

  test('a target with filters but no place is empty', () => {
    const draft = newComposeDraft('en');
    draft.target.languages = ['ar'];
    assert.equal(isTargetEmpty(draft.target), true);
    draft.target.circles = [{ center: [0, 0], radiusKm: 1 }];
    assert.equal(isTargetEmpty(draft.target), false);
  });

  test('CAP times are UTC with whole seconds', () => {
    const cap = toCapDateTime('2026-11-27T15:00');
    assert.match(cap ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(new Date(cap ?? '').getTime(), new Date('2026-11-27T15:00').getTime());
    assert.equal(toCapDateTime(''), undefined);
  });
});
