import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type BoardingClaims,
  claimedOperationId,
  newBoardingKey,
  signBoardingToken,
  verifyBoardingToken,
} from './boarding-token.ts';

const claims: BoardingClaims = {
  operationId: '01900000-0000-7000-8000-000000000001',
  legId: '01900000-0000-7000-8000-000000000002',
  personId: '01900000-0000-7000-8000-000000000003',
  expiresAt: Date.UTC(2026, 5, 1, 12, 0, 0),
};

describe('boarding tokens', () => {
  test('a signed token verifies under its key and gives back its claims', () => {
    const key = newBoardingKey();
    const token = signBoardingToken(claims, key);
    assert.deepEqual(verifyBoardingToken(token, key), claims);
    assert.equal(claimedOperationId(token), claims.operationId);
    assert.ok(token.length < 110, 'short enough for a small QR code');
  });

  test('another key, an altered payload or an altered signature is refused', () => {
    const key = newBoardingKey();
    const token = signBoardingToken(claims, key);
    assert.equal(verifyBoardingToken(token, newBoardingKey()), null);
    const [prefix, payload, signature] = token.split('.') as [string, string, string];
    const otherPerson = signBoardingToken({ ...claims, personId: claims.legId }, key).split('.')[1]!;
    assert.equal(verifyBoardingToken(`${prefix}.${otherPerson}.${signature}`, key), null);
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    assert.equal(verifyBoardingToken(`${prefix}.${payload}.${flipped}`, key), null);
  });

  test('malformed text is refused without throwing', () => {
    const key = newBoardingKey();
    for (const bad of ['', 'HB1', 'HB1..', 'HB2.abc.def', 'not a token', `${'x'.repeat(500)}`]) {
      assert.equal(verifyBoardingToken(bad, key), null, bad);
      assert.equal(claimedOperationId(bad), null, bad);
    }
  });
});
