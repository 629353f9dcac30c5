import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isGsm7Text } from '../messaging/sms-encoding.ts';
import { replyTokenVerifier, signReplyToken, verifyReplyToken } from './reply-token.ts';

const secret = randomBytes(32);
const claims = {
  alertId: '0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b',
  personId: '0193a1b2-c3d4-7e5f-9a6b-000000000042',
  expiresAt: new Date('2026-12-31T00:00:00.000Z'),
};
const before = new Date('2026-12-01T00:00:00.000Z');

describe('reply tokens', () => {
  test('a signed token verifies to the same alert, person and expiry', () => {
    const token = signReplyToken(secret, claims);
    assert.deepEqual(verifyReplyToken(secret, token, before), { ok: true, claims });
  });
  test('is 66 characters, all of them in the GSM-7 alphabet and safe in a URL path', () => {
    const token = signReplyToken(secret, claims);
    assert.equal(token.length, 66);
    assert.equal(isGsm7Text(token), true);
    assert.match(token, /^[A-Za-z0-9_-]+$/);
  });
  test('expires at its expiry time', () => {
    const token = signReplyToken(secret, claims);
    assert.deepEqual(verifyReplyToken(secret, token, claims.expiresAt), {
      ok: false,
      code: 'reply_token.expired',
    });
  });
  test('another secret, or any changed character, is refused', () => {
    const token = signReplyToken(secret, claims);
    assert.deepEqual(verifyReplyToken(randomBytes(32), token, before), {
      ok: false,
      code: 'reply_token.invalid',
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65 }), fc.constantFrom(...'AbZ09_-q'), (index, char) => {
        if (token[index] === char) return;
        const forged = token.slice(0, index) + char + token.slice(index + 1);
        const check = verifyReplyToken(secret, forged, before);
        assert.equal(check.ok, false);
      }),
    );
  });
  test('a token for one person is not a token for another', () => {
    const other = signReplyToken(secret, { ...claims, personId: '0193a1b2-c3d4-7e5f-9a6b-000000000043' });
    assert.notEqual(other, signReplyToken(secret, claims));
    const check = verifyReplyToken(secret, other, before);
    assert.equal(check.ok && check.claims.personId, '0193a1b2-c3d4-7e5f-9a6b-000000000043');
  });
  test('malformed input is answered, never thrown', () => {
    for (const bad of ['', 'a', 'not a token', `${signReplyToken(secret, claims)}A`, '%%%', 'A'.repeat(66)]) {
      const check = verifyReplyToken(secret, bad, before);
      assert.equal(check.ok, false);
    }
  });
  test('only the canonical spelling of a token is accepted', () => {
    const token = signReplyToken(secret, claims);
    const last = token.at(-1)!;
    // The last character carries 2 bits; the other 4 must be zero. Setting one decodes to the same bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) + 1]!;
    const respelled = token.slice(0, -1) + sibling;
    assert.deepEqual(Buffer.from(respelled, 'base64url'), Buffer.from(token, 'base64url'));
    assert.deepEqual(verifyReplyToken(secret, respelled, before), {
      ok: false,
      code: 'reply_token.malformed',
    });
    assert.equal(verifyReplyToken(secret, token, before).ok, true);
  });
  test('a verifier made once answers as verifyReplyToken does', () => {
    const verify = replyTokenVerifier(secret);
    const token = signReplyToken(secret, claims);
    for (const candidate of [
      token,
      `${token.slice(0, 10)}x${token.slice(11)}`,
      'short',
      token.slice(0, -1),
    ]) {
      assert.deepEqual(verify(candidate, before), verifyReplyToken(secret, candidate, before));
    }
    assert.deepEqual(verify(token, claims.expiresAt), { ok: false, code: 'reply_token.expired' });
  });
  test('refuses a short secret and ids that are not UUIDs', () => {
    assert.throws(() => signReplyToken('short', claims), RangeError);
    assert.throws(() => signReplyToken(secret, { ...claims, personId: 'p-1' }), RangeError);
  });
});
