import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EMPTY_CRITERIA, PAGE_SIZE, toSearchBody } from './PersonSearchProvider.tsx';
import { displayName } from './person-name.ts';

test('a search body carries only the filled fields, trimmed, and the cursor of the next page', () => {
  assert.deepEqual(toSearchBody(EMPTY_CRITERIA), { limit: PAGE_SIZE });
  assert.deepEqual(toSearchBody({ name: '  فاطمة ', phone: ' ', country: 'AE' }), {
    limit: PAGE_SIZE,
    name: 'فاطمة',
    country: 'AE',
  });
  assert.deepEqual(toSearchBody({ name: '', phone: '+971 50 000 0142', country: '' }, 'abc'), {
    limit: PAGE_SIZE,
    phone: '+971 50 000 0142',
    cursor: 'abc',
  });
});

test('displayName joins given and family names as entered, skipping what is missing', () => {
  assert.equal(displayName({ givenNames: 'Luzviminda', familyName: 'Bautista' }), 'Luzviminda Bautista');
  assert.equal(displayName({ givenNames: 'فاطمة', familyName: 'الحسيني' }), 'فاطمة الحسيني');
  assert.equal(displayName({ givenNames: ' Ramon ', familyName: null }), 'Ramon');
  assert.equal(displayName({ givenNames: '', familyName: '  ' }), '');
});
