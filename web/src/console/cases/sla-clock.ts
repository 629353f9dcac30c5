/**
 * The SLA clock of a help request as the console shows it: counted down every second in the browser
 * from the server's deadline, corrected for the difference between the browser's clock and the server's.
 */
export type SlaClock =
  | { kind: 'running'; seconds: number }
  | { kind: 'overdue'; seconds: number }
  | { kind: 'met' }
  | { kind: 'late' };

/** How far the browser's clock is ahead of the server's, from an answer's `asOf` and when it arrived. */
export const clockOffset = (serverAsOf: string, receivedAt: number): number =>
  receivedAt - Date.parse(serverAsOf);

/**
 * Where the request stands at browser time `now`. Once someone acted on it the clock stops: it was met,
 * or acted on late. Otherwise whole seconds left, or seconds overdue.
 */
export function slaClock(
  sla: { dueAt: string; actedAt: string | null },
  now: number,
  offsetMs = 0,
): SlaClock {
  const due = Date.parse(sla.dueAt);
  if (sla.actedAt) return Date.parse(sla.actedAt) <= due ? { kind: 'met' } : { kind: 'late' };
  const remaining = due - (now - offsetMs);
  return remaining >= 0
    ? { kind: 'running', seconds: Math.floor(remaining / 1000) }
    : { kind: 'overdue', seconds: Math.ceil(-remaining / 1000) };
}

/** Seconds as h:mm:ss (or m:ss under an hour), with the locale's digits. */
export function formatDuration(totalSeconds: number, locale: string): string {
  const two = new Intl.NumberFormat(locale, { minimumIntegerDigits: 2, useGrouping: false });
  const one = new Intl.NumberFormat(locale, { useGrouping: false });
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  return hours > 0
    ? `${one.format(hours)}:${two.format(minutes)}:${two.format(seconds)}`
    : `${one.format(minutes)}:${two.format(seconds)}`;
}
