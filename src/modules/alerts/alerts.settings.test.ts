import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError } from '../../config.ts';
import { alertSettingsFrom } from './alerts.settings.ts';

describe('alert settings', () => {
  test('defaults work on a laptop', () => {
    assert.deepEqual(alertSettingsFrom({}), {
      deployment: 'haven',
      sender: 'urn:haven:haven',
      maxSmsSegments: 3,
      fallbackLanguages: ['en'],
      recipientBatchSize: 2000,
    });
  });

  test('reads the deployment, sender, segment limit and fallback chain', () => {
    const s = alertSettingsFrom({
      HAVEN_DEPLOYMENT_ID: 'PH-DFA',
      HAVEN_ALERT_MAX_SMS_SEGMENTS: '5',
      HAVEN_ALERT_FALLBACK_LANGUAGES: 'FIL, en ,ar',
    });
    assert.equal(s.deployment, 'ph-dfa');
    assert.equal(s.sender, 'urn:haven:ph-dfa');
    assert.equal(s.maxSmsSegments, 5);
    assert.deepEqual(s.fallbackLanguages, ['fil', 'en', 'ar']);
  });

  test('refuses values that would make invalid CAP or SMS', () => {
    for (const env of [
      { HAVEN_DEPLOYMENT_ID: 'has space' },
      { HAVEN_CAP_SENDER: 'a,b' },
      { HAVEN_ALERT_MAX_SMS_SEGMENTS: '0' },
      { HAVEN_ALERT_MAX_SMS_SEGMENTS: '256' },
      { HAVEN_ALERT_MAX_SMS_SEGMENTS: 'three' },
    ]) {
      assert.throws(() => alertSettingsFrom(env), ConfigError, JSON.stringify(env));
    }
  });
});
