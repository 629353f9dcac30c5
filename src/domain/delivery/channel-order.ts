// Which channel a person is reached on first, and where a failed delivery falls back to. A person gives
// contacts (a push subscription, phones, e-mail addresses) with consent; the deployment gives the order
// it prefers. Normally one channel at a time is tried, the next only when the one before fails for good;
// at the highest alert levels every channel goes at once, because reaching people fast matters more
// than the cost of reaching them twice.

/** Channels that reach one person, each through one kind of contact. */
export const PERSON_CHANNELS = ['push', 'sms', 'email'] as const;
export type PersonChannel = (typeof PERSON_CHANNELS)[number];

/** Every channel a delivery can go out on: a person's, or a partner system's webhook. */
export const DELIVERY_CHANNELS = ['push', 'sms', 'email', 'webhook'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** The kind of contact (contacts.kind) each person channel sends to. */
export const CONTACT_KIND_OF: Readonly<Record<PersonChannel, 'push' | 'phone' | 'email'>> = {
  push: 'push',
  sms: 'phone',
  email: 'email',
};

/** The default order: push is free and instant, SMS reaches phones without data, e-mail comes last. */
export const DEFAULT_CHANNEL_ORDER: readonly PersonChannel[] = ['push', 'sms', 'email'];

/** The person channel a contact kind serves, or undefined for a kind no channel sends to. */
export function channelOfContactKind(kind: string): PersonChannel | undefined {
  return PERSON_CHANNELS.find((c) => CONTACT_KIND_OF[c] === kind);
}

/**
 * Reads a channel order such as "push,sms,email". Channels left out are never used; an unknown or
 * repeated name is refused with a RangeError.
 */
export function parseChannelOrder(text: string): PersonChannel[] {
  const names = text
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n !== '');
  if (names.length === 0) throw new RangeError('the channel order names no channel');
  const order: PersonChannel[] = [];
  for (const name of names) {
    const channel = PERSON_CHANNELS.find((c) => c === name);
    if (!channel) throw new RangeError(`unknown channel "${name}" (known: ${PERSON_CHANNELS.join(', ')})`);
    if (order.includes(channel)) throw new RangeError(`channel "${name}" is named twice`);
    order.push(channel);
  }
  return order;
}

/**
 * Whether an alert goes out on every channel at once: its level is at or above the deployment's
 * threshold. A threshold of 0 turns the rule off; an alert without a level never qualifies.
 */
export function sendsOnAllChannels(level: number | null, threshold: number): boolean {
  return threshold > 0 && level !== null && level >= threshold;
}

/**
 * The channels a person's deliveries start on: the first channel of the order they can be reached on,
 * or, when `allAtOnce`, every such channel. Empty when they gave no usable contact.
 */
export function initialChannels(
  order: readonly PersonChannel[],
  available: Iterable<PersonChannel>,
  allAtOnce: boolean,
): PersonChannel[] {
  const reachable = new Set(available);
  const usable = order.filter((c) => reachable.has(c));
  return allAtOnce ? usable : usable.slice(0, 1);
}

/**
 * The channel to try after a delivery failed for good: the first channel of the order the person can
 * be reached on that this alert has not tried yet. Undefined when every one has been tried.
 */
export function nextFallbackChannel(
  order: readonly PersonChannel[],
  available: Iterable<PersonChannel>,
  tried: Iterable<string>,
): PersonChannel | undefined {
  const reachable = new Set(available);
  const done = new Set(tried);
  return order.find((c) => reachable.has(c) && !done.has(c));
}

/**
 * The order a direct message tries a person's channels in: the channel asked for first, then the rest
 * of the deployment's order. A channel the deployment left out of its order stays unused even when asked for.
 */
export function directMessageOrder(
  order: readonly PersonChannel[],
  preferred: string | null | undefined,
): PersonChannel[] {
  const first = order.find((c) => c === preferred);
  return first ? [first, ...order.filter((c) => c !== first)] : [...order];
}
