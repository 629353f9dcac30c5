import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchPath } from './router.tsx';

test('matchPath captures and decodes parameters, and ignores a trailing slash', () => {
  assert.deepEqual(matchPath('/persons/:id', '/persons/0190a1b2-c3d4'), { id: '0190a1b2-c3d4' });
  assert.deepEqual(matchPath('/persons/:id', '/persons/a%20b/'), { id: 'a b' });
  assert.deepEqual(matchPath('/persons', '/persons/'), {});
});

test('matchPath refuses other paths, empty parameters and malformed escapes', () => {
  assert.equal(matchPath('/persons/:id', '/persons'), null);
  assert.equal(matchPath('/persons/:id', '/persons/1/edit'), null);
  assert.equal(matchPath('/persons/:id', '/households/1'), null);
  assert.equal(matchPath('/persons/:id', '/persons/%E0%A4%A'), null);
});
