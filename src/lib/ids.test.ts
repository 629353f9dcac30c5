import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isUuid, newId } from './ids.ts';

test('ids are UUID v7, unique, and sort in creation order', () => {
  const ids = Array.from({ length: 5000 }, () => newId());
  assert.ok(ids.every(isUuid));
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(ids[0]![14], '7');
});
