// Responses over time: answers counted per minute since the alert was issued, safe apart from need help.
// A crisis that runs for days would make tens of thousands of minutes, so past a set number of points
// the buckets widen (2, 3… minutes) and the chart keeps its shape.

/** Most points a timeline has; beyond this many minutes, a bucket holds several. */
export const MAX_TIMELINE_POINTS = 720;

const MINUTE = 60_000;

/** Answers of one kind received in one minute: `minute` is the ISO time cut after the minutes. */
export type TimelineRow = { minute: string; answer: string; n: number };

export type TimelinePoint = { at: string; safe: number; needHelp: number };
export type Timeline = { bucketMinutes: number; points: TimelinePoint[] };

/** The start of the minute a time falls in. */
export const floorToMinute = (t: Date): Date => new Date(Math.floor(t.getTime() / MINUTE) * MINUTE);

/**
 * The timeline from `from` (the first issue) to `to` (now), every bucket present, empty ones at zero.
 * Answers stamped before the start (a sender's clock ahead of ours) fall in the first bucket, after the
 * end in the last.
 */
export function buildTimeline(rows: readonly TimelineRow[], from: Date, to: Date): Timeline {
  const start = floorToMinute(from).getTime();
  const end = Math.max(start, floorToMinute(to).getTime());
  const minutes = (end - start) / MINUTE + 1;
  const bucketMinutes = Math.max(1, Math.ceil(minutes / MAX_TIMELINE_POINTS));
  const width = bucketMinutes * MINUTE;
  const count = Math.ceil(minutes / bucketMinutes);
  const points: TimelinePoint[] = Array.from({ length: count }, (_, i) => ({
    at: new Date(start + i * width).toISOString(),
    safe: 0,
    needHelp: 0,
  }));
  for (const row of rows) {
    const t = Date.parse(`${row.minute.slice(0, 16)}:00Z`);
    if (Number.isNaN(t)) continue;
    const index = Math.min(count - 1, Math.max(0, Math.floor((t - start) / width)));
    const point = points[index]!;
    if (row.answer === 'safe') point.safe += row.n;
    else if (row.answer === 'need_help') point.needHelp += row.n;
  }
  return { bucketMinutes, points };
}

export type PublishedPoint = { at: string; safe: number | null; needHelp: number | null };

/** The timeline for an aggregates-only viewer: a bucket of 1 to `threshold - 1` answers is hidden. */
export function suppressTimeline(
  timeline: Timeline,
  threshold: number,
): { bucketMinutes: number; points: PublishedPoint[] } {
  const hide = (n: number) => (n > 0 && n < threshold ? null : n);
  return {
    bucketMinutes: timeline.bucketMinutes,
    points: timeline.points.map((p) => ({ at: p.at, safe: hide(p.safe), needHelp: hide(p.needHelp) })),
  };
}
