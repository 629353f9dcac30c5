// A message for the next page to show once ("the record was erased"): a key, so that it appears in the
// language chosen when it is shown. Held in memory only.
/** The messages a page may leave for the next; none takes parameters. */
export type FlashKey = 'erase.done';

let pending: FlashKey | null = null;

/** Leaves a message for the page about to open. */
export function setFlash(key: FlashKey): void {
  pending = key;
}

/** The message left for this page, if any; it stays until taken by clearFlash. */
export function peekFlash(): FlashKey | null {
  return pending;
}

/** Forgets the message, once a page has shown it. */
export function clearFlash(): void {
  pending = null;
}
