import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildTimeline, MAX_TIMELINE_POINTS, suppressTimeline } from './board-timeline.ts';

const FROM = new Date('2026-03-01T12:00:30Z');

describe('buildTimeline', () => {
  test('one bucket per minute from the issue to now, empty minutes at zero', () => {
    const timeline = buildTimeline(
      [
        { minute: '2026-03-01T12:00', answer: 'safe', n: 3 },
        { minute: '2026-03-01T12:02', answer: 'need_help', n: 1 },
        { minute: '2026-03-01T12:02', answer: 'safe', n: 2 },
      ],
      FROM,
      new Date('2026-03-01T12:03:10Z'),
    );
    assert.equal(timeline.bucketMinutes, 1);
    assert.deepEqual(timeline.points, [
      { at: '2026-03-01T12:00:00.000Z', safe: 3, needHelp: 0 },
      { at: '2026-03-01T12:01:00.000Z', safe: 0, needHelp: 0 },
      { at: '2026-03-01T12:02:00.000Z', safe: 2, needHelp: 1 },
      { at: '2026-03-01T12:03:00.000Z', safe: 0, needHelp: 0 },
    ]);
  });

  test('answers stamped outside the range fall into the first or last bucket', () => {
    const timeline = buildTimeline(
      [
        { minute: '2026-03-01T11:58', answer: 'safe', n: 1 },
        { minute: '2026-03-01T12:09', answer: 'need_help', n: 1 },
      ],
      FROM,
      new Date('2026-03-01T12:01:00Z'),
    );
    assert.deepEqual(
      timeline.points.map((p) => [p.safe, p.needHelp]),
      [
        [1, 0],
        [0, 1],
      ],
    );
  });

  test('a long crisis widens the buckets so that the points stay few', () => {
    const to = new Date(FROM.getTime() + 3 * 24 * 3600_000);
    const timeline = buildTimeline([{ minute: '2026-03-02T00:00', answer: 'safe', n: 7 }], FROM, to);
    assert.ok(timeline.points.length <= MAX_TIMELINE_POINTS);
    assert.equal(timeline.bucketMinutes, Math.ceil((3 * 24 * 60 + 1) / MAX_TIMELINE_POINTS));
    assert.equal(
      timeline.points.reduce((n, p) => n + p.safe, 0),
      7,
    );
  });
});

describe('suppressTimeline', () => {
  test('hides buckets of one to four answers', () => {
    const out = suppressTimeline(
      {
        bucketMinutes: 1,
        points: [
          { at: 'x', safe: 3, needHelp: 0 },
          { at: 'y', safe: 12, needHelp: 5 },
        ],
      },
      5,
    );
    assert.deepEqual(out.points, [
      { at: 'x', safe: null, needHelp: 0 },
      { at: 'y', safe: 12, needHelp: 5 },
    ]);
  });
});
