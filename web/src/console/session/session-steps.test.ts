import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupKey, stepOf } from './session-steps.ts';

test('a new account replaces its one-time password before the second factor, then the console opens', () => {
  assert.equal(stepOf({ mustChangePassword: true, mfaRequired: true, mfaPassed: false }), 'password');
  assert.equal(stepOf({ mustChangePassword: false, mfaRequired: true, mfaPassed: false }), 'totp');
  assert.equal(stepOf({ mustChangePassword: false, mfaRequired: true, mfaPassed: true }), 'ready');
  assert.equal(stepOf({ mustChangePassword: false, mfaRequired: false, mfaPassed: false }), 'ready');
});

test('groupKey prints a setup key in groups of four without changing it', () => {
  const key = 'NQYP4BE5WLXHUEPPU2TTZBAQGSPDU75U';
  assert.equal(groupKey(key), 'NQYP 4BE5 WLXH UEPP U2TT ZBAQ GSPD U75U');
  assert.equal(groupKey(key).replace(/ /g, ''), key);
  assert.equal(groupKey('ABCDE'), 'ABCD E');
  assert.equal(groupKey('ABCD'), 'ABCD');
});
