import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type MaybeCount, publishExact, suppressSmallCells } from './board-suppression.ts';
import { type BoardPerson, tallyBoard } from './board-tally.ts';

const NOW = new Date('2026-03-01T12:00:00Z');
const T = 5;

const person = (over: Partial<BoardPerson> = {}): BoardPerson => ({
  country: 'AE',
  sex: 'female',
  birthYear: 1990,
  h3Cell: null,
  vulnerabilities: [],
  reached: true,
  answer: 'safe',
  openHelpRequest: false,
  ...over,
});

const many = (n: number, over: Partial<BoardPerson> = {}) => Array.from({ length: n }, () => person(over));

describe('suppressSmallCells', () => {
  test('hides every count from 1 to threshold - 1 and keeps zeros and larger counts', () => {
    const figures = tallyBoard([...many(20), ...many(3, { sex: 'male', answer: null })], NOW);
    const out = suppressSmallCells(figures, T);
    const male = out.breakdowns.sex.find((g) => g.key === 'male');
    assert.deepEqual(male, {
      key: 'male',
      targeted: null,
      reached: null,
      safe: 0,
      needHelp: 0,
      noAnswer: null,
    });
    assert.equal(out.totals.targeted, 23);
    assert.equal(out.totals.safe, 20);
    // With two groups only, the other one is hidden too: 23 - 20 would give the 3 away.
    const female = out.breakdowns.sex.find((g) => g.key === 'female');
    assert.equal(female?.targeted, null);
  });

  test('a hidden group cannot be worked out from the total minus the visible groups', () => {
    // 40 female, 3 male: hiding the 3 alone would leave 43 - 40 = 3 in plain sight.
    const figures = tallyBoard([...many(40), ...many(3, { sex: 'male' })], NOW);
    const out = suppressSmallCells(figures, T);
    const targeted = out.breakdowns.sex.map((g) => g.targeted);
    assert.equal(targeted.filter((v) => v === null).length, 2, 'the smallest other group is hidden too');
    assert.equal(out.totals.targeted, 43);
  });

  test('a hidden answer cannot be worked out from targeted minus the other answers', () => {
    // In QA: 30 safe, 2 need help, 0 no answer. 32 - 30 - 0 would give the 2 away.
    const figures = tallyBoard(
      [...many(30, { country: 'QA' }), ...many(2, { country: 'QA', answer: 'need_help' }), ...many(50)],
      NOW,
    );
    const qa = suppressSmallCells(figures, T).breakdowns.country.find((g) => g.key === 'QA')!;
    assert.equal(qa.needHelp, null);
    assert.ok(qa.safe === null || qa.noAnswer === null, 'a second answer is hidden with it');
  });

  test('few people not reached hide the reached count', () => {
    const figures = tallyBoard([...many(30), ...many(2, { reached: false })], NOW);
    const out = suppressSmallCells(figures, T);
    assert.equal(out.totals.reached, null);
    assert.equal(out.totals.targeted, 32);
  });

  test('a small board shows nothing but zeros', () => {
    const out = suppressSmallCells(tallyBoard(many(4), NOW), T);
    assert.deepEqual(out.totals, { targeted: null, reached: null, safe: null, needHelp: 0, noAnswer: 0 });
  });

  test('no published row or column leaves exactly one unknown in a sum, whatever the people', () => {
    const arbitraryPerson = fc.record({
      country: fc.constantFrom('AE', 'QA', 'SA', null),
      sex: fc.constantFrom('female', 'male', 'other'),
      birthYear: fc.option(fc.integer({ min: 1930, max: 2024 })),
      h3Cell: fc.constant(null),
      vulnerabilities: fc.subarray(['pregnant', 'medical', 'child']),
      reached: fc.boolean(),
      answer: fc.constantFrom('safe' as const, 'need_help' as const, null),
      openHelpRequest: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(arbitraryPerson, { maxLength: 120 }), (people) => {
        const out = suppressSmallCells(tallyBoard(people, NOW), T);
        const unknowns = (cells: MaybeCount[]) => cells.filter((c) => c === null).length;
        const rows = [out.totals, ...Object.values(out.breakdowns).flat()];
        for (const row of rows) {
          for (const value of Object.values(row)) {
            if (typeof value === 'number') assert.ok(value === 0 || value >= T, 'no small cell is shown');
          }
          assert.notEqual(unknowns([row.targeted, row.safe, row.needHelp, row.noAnswer]), 1);
        }
        for (const dimension of ['country', 'area', 'sex', 'ageBand'] as const) {
          for (const column of ['targeted', 'reached', 'safe', 'needHelp', 'noAnswer'] as const) {
            const cells = [out.totals[column], ...out.breakdowns[dimension].map((g) => g[column])];
            assert.notEqual(unknowns(cells), 1, `${dimension}.${column}`);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('publishExact', () => {
  test('passes every figure through for viewers who may see people', () => {
    const figures = tallyBoard([...many(2), ...many(1, { sex: 'male' })], NOW);
    const out = publishExact(figures);
    assert.deepEqual(out.totals, figures.totals);
    assert.equal(out.breakdowns.sex.find((g) => g.key === 'male')?.targeted, 1);
  });
});
