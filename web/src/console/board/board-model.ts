// Pure helpers of the board screen: chart geometry and shares, kept apart from React so they are tested
// on their own.

/** One bucket of the timeline as the API gives it (null: hidden for the viewer's role). */
export type TimelinePoint = { at: string; safe: number | null; needHelp: number | null };

/** A stacked bar: safe at the bottom, need help on top, in SVG units (y grows downwards). */
export type TimelineBar = {
  at: string;
  x: number;
  width: number;
  safe: { y: number; height: number; value: number | null };
  needHelp: { y: number; height: number; value: number | null };
};

/**
 * Bars for the answers-over-time chart in a box of `width` × `height`: one per bucket, side by side,
 * scaled so the tallest stack fills the height. A hidden count draws as nothing.
 */
export function timelineBars(
  points: readonly TimelinePoint[],
  box: { width: number; height: number },
): { bars: TimelineBar[]; max: number } {
  const max = Math.max(1, ...points.map((p) => (p.safe ?? 0) + (p.needHelp ?? 0)));
  const slot = points.length === 0 ? box.width : box.width / points.length;
  const gap = slot > 4 ? Math.min(2, slot * 0.2) : 0;
  const scale = (n: number | null) => ((n ?? 0) / max) * box.height;
  const bars = points.map((p, i) => {
    const safeHeight = scale(p.safe);
    const helpHeight = scale(p.needHelp);
    return {
      at: p.at,
      x: i * slot + gap / 2,
      width: Math.max(0.5, slot - gap),
      safe: { y: box.height - safeHeight, height: safeHeight, value: p.safe },
      needHelp: { y: box.height - safeHeight - helpHeight, height: helpHeight, value: p.needHelp },
    };
  });
  return { bars, max };
}

/** The sums of a timeline's visible counts. */
export function timelineTotals(points: readonly TimelinePoint[]): { safe: number; needHelp: number } {
  return points.reduce(
    (sum, p) => ({ safe: sum.safe + (p.safe ?? 0), needHelp: sum.needHelp + (p.needHelp ?? 0) }),
    { safe: 0, needHelp: 0 },
  );
}

/** A part of a whole in whole percent, or null when either is hidden or the whole is zero. */
export function percentOf(part: number | null, whole: number | null): number | null {
  if (part === null || whole === null || whole === 0) return null;
  return Math.round((part / whole) * 100);
}
