// Wakes the delivery workers of this process when something was queued that should go out at once (a
// direct message): they would otherwise notice it at their next poll. Workers in other processes are not
// reached; they find it within HAVEN_DELIVERY_POLL_MS.

const listeners = new Set<() => void>();

/** Calls `listener` whenever new work is queued in this process; answers the function that stops it. */
export function onOutboxWork(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Tells this process's workers that new work is queued. */
export function signalOutboxWork(): void {
  for (const listener of listeners) listener();
}
