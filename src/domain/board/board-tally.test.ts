import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cellToParent, latLngToCell } from 'h3-js';
import { boardStatus, isAccountedFor } from './board-status.ts';
import { AREA_RESOLUTION, areaOfCell, type BoardPerson, tallyBoard } from './board-tally.ts';

const NOW = new Date('2026-03-01T12:00:00Z');
const DUBAI = latLngToCell(25.2, 55.27, 9);
const ABU_DHABI = latLngToCell(24.45, 54.38, 9);

const person = (over: Partial<BoardPerson> = {}): BoardPerson => ({
  country: 'AE',
  sex: 'female',
  birthYear: 1990,
  h3Cell: DUBAI,
  vulnerabilities: [],
  reached: true,
  answer: null,
  openHelpRequest: false,
  ...over,
});

describe('boardStatus', () => {
  test('an open help request or a latest "need help" is need help; a latest "safe" is safe', () => {
    assert.equal(boardStatus({ answer: null, openHelpRequest: false }), 'no_answer');
    assert.equal(boardStatus({ answer: 'safe', openHelpRequest: false }), 'safe');
    assert.equal(boardStatus({ answer: 'need_help', openHelpRequest: false }), 'need_help');
    assert.equal(boardStatus({ answer: 'safe', openHelpRequest: true }), 'need_help');
    assert.equal(boardStatus({ answer: null, openHelpRequest: true }), 'need_help');
  });

  test('a person is accounted for once heard from in any way', () => {
    assert.equal(isAccountedFor({ answer: null, openHelpRequest: false }), false);
    assert.equal(isAccountedFor({ answer: null, openHelpRequest: true }), true);
    assert.equal(isAccountedFor({ answer: 'safe', openHelpRequest: false }), true);
  });
});

describe('tallyBoard', () => {
  test('counts targeted, reached and each status, in total and per group', () => {
    const figures = tallyBoard(
      [
        person({ answer: 'safe' }),
        person({ answer: 'need_help', sex: 'male', birthYear: 1950 }),
        person({ reached: false, country: 'SA', h3Cell: null, birthYear: null }),
        person({ openHelpRequest: true, h3Cell: ABU_DHABI, vulnerabilities: ['pregnant', 'medical'] }),
      ],
      NOW,
    );
    assert.deepEqual(figures.totals, { targeted: 4, reached: 3, safe: 1, needHelp: 2, noAnswer: 1 });
    assert.deepEqual(figures.breakdowns.country, [
      { key: 'AE', targeted: 3, reached: 3, safe: 1, needHelp: 2, noAnswer: 0 },
      { key: 'SA', targeted: 1, reached: 0, safe: 0, needHelp: 0, noAnswer: 1 },
    ]);
    assert.deepEqual(
      figures.breakdowns.sex.map((g) => [g.key, g.targeted]),
      [
        ['female', 3],
        ['male', 1],
      ],
    );
    // Age bands in their own order, the unknown last.
    assert.deepEqual(
      figures.breakdowns.ageBand.map((g) => [g.key, g.targeted]),
      [
        ['30-44', 2],
        ['60+', 1],
        ['unknown', 1],
      ],
    );
    // A person with two vulnerabilities counts in both; people with none in "none".
    assert.deepEqual(
      figures.breakdowns.vulnerability.map((g) => [g.key, g.targeted, g.needHelp]),
      [
        ['none', 3, 1],
        ['medical', 1, 1],
        ['pregnant', 1, 1],
      ],
    );
    assert.deepEqual(
      figures.breakdowns.area.map((g) => [g.key, g.targeted]),
      [
        [cellToParent(DUBAI, AREA_RESOLUTION), 2],
        [cellToParent(ABU_DHABI, AREA_RESOLUTION), 1],
        ['unknown', 1],
      ],
    );
  });

  test('the groups of each partition add up to the total', () => {
    const people = Array.from({ length: 200 }, (_, i) =>
      person({
        sex: i % 3 === 0 ? 'male' : 'female',
        birthYear: 1940 + (i % 70),
        answer: i % 4 === 0 ? 'safe' : i % 7 === 0 ? 'need_help' : null,
        reached: i % 5 !== 0,
        country: i % 2 ? 'AE' : 'QA',
      }),
    );
    const figures = tallyBoard(people, NOW);
    for (const dimension of ['country', 'area', 'sex', 'ageBand'] as const) {
      for (const column of ['targeted', 'reached', 'safe', 'needHelp', 'noAnswer'] as const) {
        const sum = figures.breakdowns[dimension].reduce((n, g) => n + g[column], 0);
        assert.equal(sum, figures.totals[column], `${dimension}.${column}`);
      }
    }
    const t = figures.totals;
    assert.equal(t.safe + t.needHelp + t.noAnswer, t.targeted);
  });

  test('an empty board counts zero everywhere', () => {
    const figures = tallyBoard([], NOW);
    assert.deepEqual(figures.totals, { targeted: 0, reached: 0, safe: 0, needHelp: 0, noAnswer: 0 });
    assert.deepEqual(figures.breakdowns.country, []);
  });
});

describe('areaOfCell', () => {
  test('answers the parent cell at the area resolution, or unknown for what is not a fine enough cell', () => {
    assert.equal(areaOfCell(DUBAI), cellToParent(DUBAI, AREA_RESOLUTION));
    assert.equal(areaOfCell(null), 'unknown');
    assert.equal(areaOfCell('not-a-cell'), 'unknown');
    assert.equal(areaOfCell(cellToParent(DUBAI, 3)), 'unknown');
  });
});
