import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { VULNERABILITIES } from '../registry/person.ts';
import { slaState, type TriageInput, triageHelpRequest } from './triage-help-request.ts';
import { DEFAULT_TRIAGE_RULES, HELP_REQUEST_TYPES, type TriageRules } from './triage-rules.ts';

const now = new Date('2026-03-01T12:00:00Z');
const base: TriageInput = { type: 'other', vulnerabilities: [], alertLevel: 0, isSos: false, now };
const minutesBefore = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

describe('triageHelpRequest', () => {
  test('an SOS is critical on its own, whatever the request', () => {
    const triage = triageHelpRequest({ ...base, isSos: true });
    assert.equal(triage.priority, 'critical');
    assert.deepEqual(triage.reasons, [
      { code: 'sos', points: 80 },
      { code: 'type.other', points: 5 },
    ]);
    assert.equal(triage.score, 85);
    assert.equal(triage.slaMinutes, 15);
  });

  test('a medical or protection request is high on its own', () => {
    for (const type of ['medical', 'protection'] as const) {
      const triage = triageHelpRequest({ ...base, type });
      assert.deepEqual(triage, {
        priority: 'high',
        score: 50,
        reasons: [{ code: `type.${type}`, points: 50 }],
        slaMinutes: 60,
      });
    }
  });

  test('a medical request from a pregnant woman at alert level 3 is critical, with every reason listed', () => {
    const triage = triageHelpRequest({
      ...base,
      type: 'medical',
      vulnerabilities: ['pregnant'],
      alertLevel: 3,
    });
    assert.deepEqual(triage, {
      priority: 'critical',
      score: 90,
      reasons: [
        { code: 'type.medical', points: 50 },
        { code: 'vulnerability.pregnant', points: 20 },
        { code: 'alert_level.3', points: 20 },
      ],
      slaMinutes: 15,
    });
  });

  test('an unaccompanied child lifts even the least urgent request to high', () => {
    const triage = triageHelpRequest({
      ...base,
      type: 'documents',
      vulnerabilities: ['unaccompanied_child'],
    });
    assert.equal(triage.priority, 'high');
    assert.equal(triage.score, 55);
  });

  test('a request about wages or documents stays low when nothing else weighs', () => {
    assert.equal(triageHelpRequest({ ...base, type: 'unpaid_wages' }).priority, 'low');
    assert.equal(triageHelpRequest({ ...base, type: 'documents' }).priority, 'low');
    assert.equal(triageHelpRequest({ ...base, type: 'documents' }).slaMinutes, 1440);
  });

  test('a rising alert level moves the same request up', () => {
    const priorities = [0, 1, 2, 3, 4].map(
      (alertLevel) => triageHelpRequest({ ...base, type: 'evacuation', alertLevel }).priority,
    );
    assert.deepEqual(priorities, ['medium', 'medium', 'medium', 'high', 'high']);
    assert.equal(triageHelpRequest({ ...base, type: 'food_water', alertLevel: 4 }).score, 55);
  });

  test('the thresholds are inclusive', () => {
    // shelter 25 = medium threshold; shelter + level 4 + child: 25 + 30 + 15 = 70; + elderly = 80 = critical.
    assert.equal(triageHelpRequest({ ...base, type: 'shelter' }).priority, 'medium');
    assert.equal(triageHelpRequest({ ...base, type: 'shelter', alertLevel: 1 }).score, 30);
    const input = {
      ...base,
      type: 'shelter' as const,
      alertLevel: 4,
      vulnerabilities: ['child', 'elderly'] as const,
    };
    assert.equal(triageHelpRequest({ ...input, vulnerabilities: ['child'] }).priority, 'high');
    assert.deepEqual([triageHelpRequest(input).score, triageHelpRequest(input).priority], [80, 'critical']);
  });

  test('counts a repeated vulnerability once', () => {
    const once = triageHelpRequest({ ...base, vulnerabilities: ['elderly'] });
    const twice = triageHelpRequest({ ...base, vulnerabilities: ['elderly', 'elderly'] });
    assert.deepEqual(twice, once);
  });

  test('orders reasons by points, largest first, and leaves out factors worth nothing', () => {
    const triage = triageHelpRequest({
      ...base,
      type: 'detention',
      vulnerabilities: ['passport_held_by_employer', 'detained', 'trafficking_survivor'],
      alertLevel: 0,
    });
    assert.deepEqual(
      triage.reasons.map((r) => r.code),
      [
        'type.detention',
        'vulnerability.trafficking_survivor',
        'vulnerability.detained',
        'vulnerability.passport_held_by_employer',
      ],
    );
    assert.equal(
      triage.reasons.some((r) => r.code.startsWith('alert_level')),
      false,
    );
  });

  test('time waiting adds points by whole hours, up to a cap', () => {
    const waited = (minutes: number) =>
      triageHelpRequest({ ...base, type: 'shelter', waitingSince: minutesBefore(minutes) });
    assert.equal(waited(59).score, 25);
    assert.deepEqual(waited(60).reasons.at(-1), { code: 'waiting', points: 5 });
    assert.equal(waited(5 * 60).score, 50);
    assert.equal(waited(5 * 60).priority, 'high');
    assert.equal(waited(48 * 60).score, 55);
    assert.equal(waited(-30).score, 25, 'a start in the future adds nothing');
  });

  test('every reason comes from the rules table and the score is their sum', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...HELP_REQUEST_TYPES),
        fc.subarray([...VULNERABILITIES]),
        fc.integer({ min: 0, max: 4 }),
        fc.boolean(),
        (type, vulnerabilities, alertLevel, isSos) => {
          const triage = triageHelpRequest({ ...base, type, vulnerabilities, alertLevel, isSos });
          const rules = DEFAULT_TRIAGE_RULES;
          const expected =
            (isSos ? rules.sos : 0) +
            rules.type[type] +
            vulnerabilities.reduce((sum, v) => sum + rules.vulnerability[v], 0) +
            rules.alertLevel[alertLevel]!;
          assert.equal(triage.score, expected);
          assert.equal(
            triage.reasons.reduce((sum, r) => sum + r.points, 0),
            triage.score,
          );
          assert.equal(triage.slaMinutes, rules.slaMinutes[triage.priority]);
          if (isSos) assert.equal(triage.priority, 'critical');
          // More vulnerability never lowers the priority.
          const fewer = triageHelpRequest({
            ...base,
            type,
            vulnerabilities: vulnerabilities.slice(1),
            alertLevel,
            isSos,
          });
          assert.ok(fewer.score <= triage.score);
        },
      ),
    );
  });

  test('uses a deployment’s own rules when given', () => {
    const rules: TriageRules = {
      ...DEFAULT_TRIAGE_RULES,
      type: { ...DEFAULT_TRIAGE_RULES.type, unpaid_wages: 30 },
      slaMinutes: { ...DEFAULT_TRIAGE_RULES.slaMinutes, medium: 120 },
    };
    assert.deepEqual(triageHelpRequest({ ...base, type: 'unpaid_wages' }, rules), {
      priority: 'medium',
      score: 30,
      reasons: [{ code: 'type.unpaid_wages', points: 30 }],
      slaMinutes: 120,
    });
  });

  test('refuses an alert level outside 0–4 and invalid dates', () => {
    for (const alertLevel of [-1, 5, 1.5, Number.NaN]) {
      assert.throws(() => triageHelpRequest({ ...base, alertLevel }), RangeError);
    }
    assert.throws(() => triageHelpRequest({ ...base, now: new Date('nope') }), RangeError);
    assert.throws(() => triageHelpRequest({ ...base, waitingSince: new Date('nope') }), RangeError);
  });
});

describe('slaState', () => {
  const createdAt = new Date('2026-03-01T12:00:00Z');
  const at = (minutes: number, seconds = 0) =>
    new Date(createdAt.getTime() + minutes * 60_000 + seconds * 1000);

  test('the deadline is the priority’s SLA after creation', () => {
    assert.deepEqual(slaState(createdAt, 'critical', createdAt), {
      dueAt: new Date('2026-03-01T12:15:00Z'),
      overdue: false,
      minutesLeft: 15,
    });
    assert.equal(slaState(createdAt, 'high', createdAt).dueAt.toISOString(), '2026-03-01T13:00:00.000Z');
    assert.equal(slaState(createdAt, 'medium', createdAt).dueAt.toISOString(), '2026-03-01T16:00:00.000Z');
    assert.equal(slaState(createdAt, 'low', createdAt).dueAt.toISOString(), '2026-03-02T12:00:00.000Z');
  });

  test('counts whole minutes down and turns overdue only after the deadline', () => {
    assert.deepEqual(
      [at(14, 30), at(15), at(15, 1), at(20)].map((t) => {
        const s = slaState(createdAt, 'critical', t);
        return [s.overdue, s.minutesLeft];
      }),
      [
        [false, 0],
        [false, 0],
        [true, -1],
        [true, -5],
      ],
    );
  });

  test('takes a deployment’s SLA table', () => {
    const state = slaState(createdAt, 'high', at(40), { critical: 10, high: 30, medium: 120, low: 720 });
    assert.equal(state.overdue, true);
    assert.equal(state.minutesLeft, -10);
  });

  test('refuses invalid dates', () => {
    assert.throws(() => slaState(new Date('x'), 'high', createdAt), RangeError);
    assert.throws(() => slaState(createdAt, 'high', new Date('x')), RangeError);
  });
});
